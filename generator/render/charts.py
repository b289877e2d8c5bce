"""Static SVG charts drawn at build time: a heat map and horizontal bar charts (plain and stacked).

No script, no web font, no charting library. Every text from data goes through `_x` (XML escaping); every
chart has a <title> and a <desc> that says its numbers, and the page puts the same numbers in a table beside it.
The size of a chart depends on the number of its rows and columns, never on the number of standards.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["PALETTE", "bars_svg", "heatmap_svg", "shade", "stacked_svg"]

PALETTE = ("#f7f7f7", "#deebf7", "#9ecae1", "#4292c6", "#08519c", "#08306b")
"""Zero, then five steps of blue: light cells get black numbers, dark ones white."""
SERIES = ("#08519c", "#6baed6", "#fd8d3c", "#74c476", "#969696")
_FONT = 'font-family="sans-serif" font-size="13"'


def _x(text: object) -> str:
    return escape(str(text), quote=True)


def _head(width: int, height: int, title: str, desc: str, ident: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{ident}-t {ident}-d" {_FONT}>',
            f'<title id="{ident}-t">{_x(title)}</title>', f'<desc id="{ident}-d">{_x(desc)}</desc>',
            f'<rect width="{width}" height="{height}" fill="#fff"/>']


def _width(text: str) -> int:
    """Rough width in pixels at 13 px: a Han character is about a full em, other characters half."""
    return sum(13 if ord(ch) > 0x2E80 else 7 for ch in text)


def shade(count: int, largest: int) -> int:
    """The palette step of a count: 0 for none, then 1–5 in proportion to the largest count."""
    if count <= 0 or largest <= 0:
        return 0
    return min(5, 1 + (count * 5 - 1) // largest)


def heatmap_svg(title: str, desc: str, rows: Sequence[str], columns: Sequence[str],
                counts: Sequence[Sequence[int]], ident: str = "heat") -> str:
    """Rows × columns of counts; each cell coloured by `shade` and labelled with its number."""
    cell_w, cell_h = 40, 24
    left = max((_width(r) for r in rows), default=0) + 12
    top = max((_width(c) for c in columns), default=0) * 7 // 10 + 24
    width = left + cell_w * len(columns) + top  # room for the last label, drawn at 45°
    height = top + cell_h * len(rows) + 40
    largest = max((n for row in counts for n in row), default=0)
    out = _head(width, height, title, desc, ident)
    for j, name in enumerate(columns):
        x = left + j * cell_w + cell_w // 2
        out.append(f'<text transform="translate({x} {top - 6}) rotate(-45)">{_x(name)}</text>')
    for i, name in enumerate(rows):
        y = top + i * cell_h
        out.append(f'<text x="{left - 8}" y="{y + 17}" text-anchor="end">{_x(name)}</text>')
        for j, count in enumerate(counts[i]):
            step = shade(count, largest)
            x = left + j * cell_w
            ink = "#fff" if step >= 3 else "#000"
            out.append(f'<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" fill="{PALETTE[step]}" '
                       f'stroke="#bbb"/><text x="{x + cell_w // 2}" y="{y + 17}" text-anchor="middle" '
                       f'fill="{ink}">{count}</text>')
    legend_y = top + cell_h * len(rows) + 14
    out.append(f'<text x="{left}" y="{legend_y + 12}">颜色越深，现行标准越多（最多 {largest} 项）：</text>')
    for step, colour in enumerate(PALETTE):
        x = left + 300 + step * 26
        out.append(f'<rect x="{x}" y="{legend_y}" width="24" height="16" fill="{colour}" stroke="#bbb"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def bars_svg(title: str, desc: str, items: Sequence[tuple[str, int]], ident: str = "bars",
             suffix: str = "") -> str:
    """One horizontal bar per (label, value), the value written after the bar (`suffix` after it)."""
    return stacked_svg(title, desc, [], [(label, [value]) for label, value in items], ident, suffix)


def stacked_svg(title: str, desc: str, series: Sequence[str], rows: Sequence[tuple[str, Sequence[int]]],
                ident: str = "stack", suffix: str = "") -> str:
    """One horizontal bar per row, made of one segment per series (a legend names them when there are two
    or more); the row's total is written after the bar."""
    bar_w, row_h = 420, 22
    left = max((_width(label) for label, _ in rows), default=0) + 12
    legend_h = 26 if len(series) > 1 else 0
    width = left + bar_w + 90
    height = legend_h + row_h * len(rows) + 12
    largest = max((sum(values) for _, values in rows), default=0)
    out = _head(width, height, title, desc, ident)
    x = left
    if len(series) > 1:
        for k, name in enumerate(series):
            out.append(f'<rect x="{x}" y="6" width="14" height="14" fill="{SERIES[k % len(SERIES)]}"/>'
                       f'<text x="{x + 18}" y="18">{_x(name)}</text>')
            x += 18 + _width(name) + 16
    for i, (label, values) in enumerate(rows):
        y = legend_h + i * row_h + 4
        out.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{_x(label)}</text>')
        x = left
        for k, value in enumerate(values):
            if value and largest:
                w = max(1, round(value * bar_w / largest))
                out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{row_h - 6}" '
                           f'fill="{SERIES[k % len(SERIES)]}"/>')
                x += w
        out.append(f'<text x="{x + 6}" y="{y + 13}">{sum(values)}{_x(suffix)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
