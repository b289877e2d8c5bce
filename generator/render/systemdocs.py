"""The files of the GB/T 13016 documents: the structure diagram (static SVG) and the 标准明细表 as CSV and XLSX.

The SVG is drawn here, at build time, from the same Statistics as the page's 统计表: no script, no web font,
black on white so that it prints; every text from data goes through `_x` (XML escaping). The CSV and XLSX
hold exactly the rows and columns of the table on the page (generator.system.TABLE_COLUMNS).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from html import escape

from ..export import guard_formula, workbook
from ..system import TABLE_COLUMNS, UNPLACED, Statistics, SystemRow

__all__ = ["diagram_svg", "table_csv", "table_xlsx"]

_W = 960
_COL = 300
_GAP = 15
_PART_H = 50
_PART_STEP = 62


def _x(text: object) -> str:
    return escape(str(text), quote=True)


def _box(x: int, y: int, w: int, h: int, lines: Sequence[str], bold: bool = False, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    out = [f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="4" fill="#fff" stroke="#222" '
           f'stroke-width="{2 if bold else 1}"{dash}/>']
    first = y + h / 2 - (len(lines) - 1) * 9 + 5
    for i, line in enumerate(lines):
        weight = ' font-weight="bold"' if bold and i == 0 else ""
        out.append(f'<text x="{x + w / 2:g}" y="{first + i * 18:g}" text-anchor="middle"{weight}>{_x(line)}</text>')
    return "\n".join(out)


def _count(rows: int, inferred: int, planned: int) -> str:
    extra = [f"推断 {inferred}" if inferred else "", f"拟制定 {planned}" if planned else ""]
    shown = "，".join(e for e in extra if e)
    return f"{rows} 项" + (f"（{shown}）" if shown else "")


def diagram_svg(title: str, subtitle: str, stats: Statistics, subsystems: Sequence[tuple[str, str]]) -> str:
    """The structure diagram: the system, its three sub-systems and their parts with counts.

    `subsystems`: (name, clause) of each sub-system in order; the parts come from `stats.by_position`."""
    parts = [p for p in stats.by_position if p[0]]
    tallest = max((sum(1 for p in parts if p[0] == name) for name, _ in subsystems), default=0)
    unplaced = next((p for p in stats.by_position if p[1] == UNPLACED), ("", UNPLACED, 0, 0, 0))
    parts_top = 210
    bottom = parts_top + tallest * _PART_STEP + 10
    height = bottom + (80 if unplaced[2] else 20)
    described = "；".join(f"{p[1]} {_count(p[2], p[3], p[4])}" for p in stats.by_position if p[1] != UNPLACED)
    desc = (f"{title}的结构图，按 GB/T 43507—2023 分为{len(subsystems)}个子体系。共 {stats.total} 项标准：{described}"
            + (f"；体系位置未确定 {unplaced[2]} 项" if unplaced[2] else "") + "。标注“推断”的是按规则推断的体系位置。")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{height}" viewBox="0 0 {_W} {height}" '
           f'role="img" aria-labelledby="t d" font-family="sans-serif" font-size="14" fill="#000">',
           f'<title id="t">{_x(title)}</title>', f'<desc id="d">{_x(desc)}</desc>',
           f'<rect width="{_W}" height="{height}" fill="#fff"/>',
           _box(_W // 2 - 210, 20, 420, 60, [title, f"{subtitle} · 共 {_count(stats.total, 0, stats.planned)}"],
                bold=True)]
    centres = [_GAP + i * (_COL + _GAP) + _COL // 2 for i in range(len(subsystems))]
    if centres:
        out.append(f'<path d="M{_W // 2} 80 V110 M{centres[0]} 110 H{centres[-1]}" stroke="#222" fill="none"/>')
    for i, (name, clause) in enumerate(subsystems):
        x = _GAP + i * (_COL + _GAP)
        mine = [p for p in parts if p[0] == name]
        total = sum(p[2] for p in mine)
        out.append(f'<path d="M{centres[i]} 110 V130" stroke="#222" fill="none"/>')
        out.append(_box(x, 130, _COL, 50, [f"{clause} {name}", f"{total} 项"], bold=True))
        if mine:
            last = parts_top + (len(mine) - 1) * _PART_STEP + _PART_H // 2
            out.append(f'<path d="M{x + 14} 180 V{last}" stroke="#222" fill="none"/>')
        for j, (_, part, rows, inferred, planned) in enumerate(mine):
            y = parts_top + j * _PART_STEP
            out.append(f'<path d="M{x + 14} {y + _PART_H // 2} H{x + 30}" stroke="#222" fill="none"/>')
            out.append(_box(x + 30, y, _COL - 30, _PART_H, [part, _count(rows, inferred, planned)]))
    if unplaced[2]:
        out.append(_box(_GAP, bottom + 10, _W - 2 * _GAP, 50,
                        [UNPLACED, f"{unplaced[2]} 项：标准记录未载明，推断规则也未能确定"], dashed=True))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def table_csv(rows: Sequence[SystemRow]) -> str:
    """The 明细表 as CSV: UTF-8 with a BOM (Excel, WPS), formula-like cells guarded as in generator.export."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TABLE_COLUMNS)
    for seq, row in enumerate(rows, start=1):
        writer.writerow([guard_formula(cell) for cell in row.cells(seq)])
    return "\ufeff" + buffer.getvalue()


def table_xlsx(rows: Sequence[SystemRow], sheet: str, as_of: dt.date) -> bytes:
    """The 明细表 as an XLSX workbook (generator.export.workbook: text cells, reproducible bytes)."""
    return workbook(sheet, TABLE_COLUMNS, (row.cells(seq) for seq, row in enumerate(rows, start=1)), as_of,
                    (6, 20, 20, 48, 10, 10, 12, 20, 30))
