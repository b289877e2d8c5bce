"""The files of the GB/T 13016 documents: the structure diagram (static SVG) and the 标准明细表 as JSON, CSV and
XLSX (one writer with the monitoring tables: generator.datatables).

The SVG is drawn here, at build time, from the same Statistics as the page's 统计表: no script, no web font,
black on white so that it prints; every text from data goes through `_x` (XML escaping). The CSV and XLSX
hold exactly the rows and columns of the table on the page (generator.system.TABLE_COLUMNS).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape

from ..datatables import Column, DataTable, resources
from ..monitortables import LEVEL_COLUMN
from ..system import TABLE_COLUMNS, UNPLACED, Statistics, SystemRow

__all__ = ["SCHEMA_FILE", "detail_package", "detail_schema", "detail_table", "diagram_svg"]

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


_COLUMNS = (
    Column("序号", "No.", "表中的顺序号"),
    Column("体系位置", "Position",
           "在标准体系中的位置（GB/T 43507—2023 的子体系和组成）；“（推断）”指记录未载明、按规则推断"),
    Column("标准号", "Standard number", "标准编号；拟制定、制定中的标准为空"),
    Column("标准名称", "Title", "标准的中文名称"),
    LEVEL_COLUMN,
    Column("状态", "Status", "按状态计算日期得出的状态；“未收录”指体系文件列出而本库未收录的标准；"
           "拟制定、制定中的标准为其计划状态"),
    Column("实施日期", "Date in force", "实施日期（YYYY-MM-DD）"),
    Column("代替", "Replaces", "本标准代替的标准，多个以“、”分隔"),
    Column("备注", "Note", "备注"),
)
assert tuple(c.name for c in _COLUMNS) == TABLE_COLUMNS
SCHEMA_FILE = "schema.json"
"""Beside every 明细表 in system/: the Table Schema they share (system/datapackage.json names it)."""


def detail_table(key: str, title: str, rows: Sequence[SystemRow]) -> DataTable:
    """A system's 标准明细表 (GB/T 13016) as the page shows it, for its JSON, CSV and XLSX: system/<key>.*"""
    cells = tuple(tuple(row.cells(seq)) for seq, row in enumerate(rows, start=1))
    return DataTable(key, f"{title}标准明细表", f"{title}的标准明细表（含拟制定、制定中的标准）", _COLUMNS, cells,
                     folder="system", widths=(6, 20, 20, 48, 10, 10, 12, 20, 30), sheet="标准明细表")


def detail_schema() -> str:
    return json.dumps(DataTable("", "", "", _COLUMNS, ()).schema(), ensure_ascii=False, indent=1) + "\n"


def detail_package(tables: Sequence[DataTable]) -> str:
    """system/datapackage.json: every 明细表's files, with the schema they share in system/schema.json."""
    package = {"name": "stdportal-systems", "title": "基本公共服务标准体系：各体系的标准明细表",
               "description": "全国（国家标准和行业标准）和各地区标准体系的标准明细表，"
                              "每个体系一组 JSON、CSV 和 XLSX 文件，字段相同。"
                              "Standard lists (GB/T 13016) of each standard system.",
               "resources": resources(tables, relative_to="system", schema_path=SCHEMA_FILE)}
    return json.dumps(package, ensure_ascii=False, indent=1) + "\n"
