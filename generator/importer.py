"""`stdportal import`: bring a sheet of standards (CSV or XLSX) into the database, row by row.

The sheet's headers are the official labels (the keys of FIELDS) or a usual variant (标准名称, 标准编号,
发布部门 …). For each row:

- a number not in the database → a new record file in the layout of `stdportal new`, only the filled fields;
- a number already there → only the fields the sheet fills and that differ are changed; a field the sheet
  leaves empty is never deleted. Changed `key: value` blocks are rewritten in place and new fields are
  inserted after their predecessor in FIELDS order, so the rest of the file, comments included, stays as it
  was. (A file not written as one top-level block mapping is re-emitted whole in FIELDS order.)
- a bad cell costs its field, not the row: a value the checker refuses (a date that does not exist, 废止日期
  before 实施日期, `TC291` in 被代替标准, a standard replaced by itself …) is left out, with the checker's own
  reason in the report, and the rest of the row is written. Only a row whose 标准号 or 中文标准名称 is unusable is
  skipped. `--dry-run` runs the same steps and reports the same.
- the number is stored in its canonical spelling (generator.numbers.read_number); when the sheet spells it
  otherwise (`DB 37/T 2904—2019`), that spelling goes into 原文标准号 of a new record (or of one that has none).
- a row with the standard of an earlier row (in any spelling) is not imported again: it is "same" when every
  cell it fills says what the earlier row's does, else skipped with the fields that differ. A note under or
  between the rows (注：以上标准均为推荐性) is reported as one and is no failure.

Every row is reported in Chinese; a second import of the same sheet writes nothing. Nothing is written through a
symbolic link below the database (the rule of generator.dbfiles, which `stdportal check` reads by).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .chars import text_problem
from .dbfiles import link_on_the_way
from .errors import StdportalError
from .export import STATUS_KEY, cell_text, export_records
from .fields import FIELD_BY_KEY, FIELDS, Field
from .kinds import CellError, cell_str, is_empty, kind_of, source_key, unguard_formula, unwrapped
from .kinds.scalars import date_serial
from .load import load_records
from .model import build_catalog
from .numbers import StdNumber, number_key, read_number
from .problems import Problem, shown_path
from .scaffold import (
    SCHEMA_LINE,
    WriteError,
    existing_numbers,
    field_lines,
    record_path,
    record_problems,
    record_text,
    schema_ref,
    write_files,
)
from .search.analyzer import has_han
from .search.similar import spelling_difference, spelling_key
from .tabular import Row, Table, TableError, read_table, uncomputed_formulas
from .validate import validate
from .vocab import Vocabulary, load_vocabulary
from .yamlpos import parse_yaml

__all__ = ["ImportAborted", "ImportReport", "RowResult", "header_field", "import_table"]

# --- headers ---------------------------------------------------------------------------------------------

_BOTH = "标准号及名称"
"""Not a field: a column that gives each standard's number and name in one cell (GB/T 35796-2017 养老机构服务质量
基本规范, or 养老机构服务质量基本规范（GB/T 35796-2017）), split into the two (_split_both)."""
_NUMBER_COLUMNS = ("标准号", _BOTH)
"""What a header row needs one of to be the header."""
_EITHER = "被代替标准号"
"""Not a field: a column of replacements in either sense. A notice announcing new standards lists under 被代替标准号
(编号) the older ones they replace (GB/T 22373's 被代替标准 has that sense too), the field 被代替标准 the newer ones
that replace a standard: each number goes where its year puts it (_either_way)."""

_ALIASES = {
    "标准名称": "中文标准名称", "名称": "中文标准名称", "中文名称": "中文标准名称", "标准中文名称": "中文标准名称",
    "英文名称": "英文标准名称", "标准英文名称": "英文标准名称",
    "标准编号": "标准号", "编号": "标准号", "标准代号": "标准号",
    "国家标准编号": "标准号", "国家标准号": "标准号", "行业标准编号": "标准号", "行业标准号": "标准号",
    "地方标准编号": "标准号", "地方标准号": "标准号",
    "国家标准名称": "中文标准名称", "行业标准名称": "中文标准名称", "地方标准名称": "中文标准名称",
    "批准日期": "发布日期", "发布时间": "发布日期", "实施时间": "实施日期",  # not 发布年份: a year is no date
    "批准发布日期": "发布日期", "作废日期": "废止日期", "废止时间": "废止日期",
    "性质": "标准性质", "标准类型": "标准性质",
    "状态": "标准状态",
    "代替标准号": "代替标准", "代替": "代替标准", "替代标准": "代替标准", "替代标准号": "代替标准",
    **dict.fromkeys(["被代替标准号", "被代替标准编号", "被代替", "被替代标准", "被替代标准号", "被替代标准编号"],
                    _EITHER),
    "发布部门": "发布单位", "批准发布部门": "发布单位", "发布机构": "发布单位", "批准发布单位": "发布单位",
    "批准部门": "发布单位", "批准机构": "发布单位",
    "技术归口": "归口单位", "归口": "归口单位", "技术归口单位": "归口单位", "归口部门": "归口单位",
    "CCS": "中国标准分类号", "CCS分类号": "中国标准分类号", "中标分类": "中国标准分类号",
    "中标分类号": "中国标准分类号", "中国标准分类": "中国标准分类号",
    "ICS": "国际标准分类号", "ICS分类号": "国际标准分类号", "国际标准分类": "国际标准分类号",
    "提出部门": "提出单位", "起草人员": "起草人", "主要起草人": "起草人", "备案编号": "备案号",
    "全文": "全文链接", "全文地址": "全文链接", "全文网址": "全文链接",
    "行政区划代码": "地区", "地区代码": "地区", "行政区划": "地区",
    "来源链接": "来源", "信息来源": "来源", "数据来源": "来源",
    "说明": "备注", "范围": "适用范围", "标准号/计划号": "标准号",
    **dict.fromkeys(["标准号及名称", "标准编号及名称", "标准名称及编号", "标准名称及标准号", "标准号和名称",
                     "标准编号和名称", "标准名称和编号", "标准名称和标准号", "标准名称(标准号)", "标准名称(编号)"],
                    _BOTH),
}
_ALIASES_FOLDED = {k.casefold(): v for k, v in _ALIASES.items()}


def header_field(header: Any) -> str | None:
    """The field key a header names (or _BOTH), or None: spaces (also full-width) and marks like * are ignored,
    and a trailing note in brackets (`中国标准分类号（CCS）`, `标准号*`) does not matter, except one that says the
    names are English (`标准名称（英文）`, beside `标准名称（中文）`)."""
    if header is None:
        return None
    text = unicodedata.normalize("NFKC", str(header))
    text = re.sub(r"[\s*:：]+", "", text)
    for candidate in (text, re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", text)):
        key = candidate if candidate in FIELD_BY_KEY else _ALIASES_FOLDED.get(candidate.casefold())
        if key is not None:
            return "英文标准名称" if key == "中文标准名称" and _ENGLISH_NOTE.search(text) else key
    return None


_ENGLISH_NOTE = re.compile(r"[(\[【](英文|English|EN)[)\]】]", re.IGNORECASE)
"""A header's note saying its names are English."""


# --- cells -----------------------------------------------------------------------------------------------



def convert_cell(f: Field, cell: Any) -> Any:
    """A cell as the plain value a record file holds (str, list, dict), None when empty; CellError if not
    convertible."""
    return None if _blank(cell) else kind_of(f).cell(f, cell)


# --- comparing what a file says with what the sheet says ----------------------------------------------------


def _plain(f: Field, value: Any) -> Any:
    """A comparison form of a field's value, whatever way it is written."""
    return None if is_empty(value) else kind_of(f).plain(f, value)


def _merged_sources(old: Any, new: list[dict[str, str]]) -> list[Any] | None:
    """The record's sources plus the sheet's that it lacks; None when it lacks none. A sheet's entry is there
    already when an entry has its address (or, for a note alone, its note)."""
    have = [source_key(e) for e in (old if isinstance(old, list) else [])]
    missing = []
    for entry in new:
        url, note = source_key(entry)
        if not any((url and url == u) or (not url and note == n) for u, n in have):
            missing.append(entry)
    if not missing:
        return None
    return [*(old if isinstance(old, list) else []), *missing]


# --- rewriting a file in place -------------------------------------------------------------------------------


def _blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def update_text(text: str, changes: dict[str, Any], appended_sources: list[dict[str, str]] | None = None,
                ) -> str | None:
    """`text` with the top-level fields in `changes` set to their new values, every other line unchanged;
    `appended_sources` are added at the end of the 来源 list when only entries are added. None when the file is
    not a plain block mapping at column 1 (the caller then re-emits it)."""
    parsed = parse_yaml(text)
    data = parsed.data
    if not isinstance(data, dict) or parsed.issues:
        return None
    starts = sorted((parsed.key_pos[(key,)], key) for key in data)
    if any(col != 1 for (_, col), _ in starts):
        return None
    lines = text.split("\n")
    trailing_newline = text.endswith("\n")
    if trailing_newline:
        lines.pop()
    begins = [line - 1 for (line, _), _ in starts] + [len(lines)]
    blocks = []  # (key, first line index, end index exclusive, next key's first line index)
    for i, (_, key) in enumerate(starts):
        begin, following = begins[i], begins[i + 1]
        end = following
        while end - 1 > begin and _blank_or_comment(lines[end - 1]):
            end -= 1  # comments above the next key belong to it
        blocks.append((key, begin, end, following))
    scaffolded = bool(lines) and lines[0].startswith(SCHEMA_LINE)
    order = [f.key for f in FIELDS]
    inserts: dict[str, list[str]] = {}
    for key in sorted((k for k in changes if k not in data), key=order.index):
        anchor = next((k for k in reversed(order[: order.index(key)]) if k in data), starts[0][1])
        new = ([f"# {FIELD_BY_KEY[key].help}"] if scaffolded else []) + field_lines(FIELD_BY_KEY[key], changes[key])
        inserts.setdefault(anchor, []).extend(new)
    out: list[str] = lines[: begins[0]]
    for key, begin, end, following in blocks:
        if key in changes:
            out.extend(field_lines(FIELD_BY_KEY[key], changes[key]))
        elif key == "来源" and appended_sources:
            block = lines[begin:end]
            items = [ln for ln in block[1:] if not _blank_or_comment(ln)]
            if not items or not items[0].lstrip().startswith("- ") or block[0].rstrip() != "来源:":
                return None
            indent = items[0][: len(items[0]) - len(items[0].lstrip())]
            out.extend(block)
            for entry in appended_sources:
                out.extend(kind_of(FIELD_BY_KEY["来源"]).item_lines(entry, indent))
        else:
            out.extend(lines[begin:end])
        out.extend(inserts.get(key, []))
        out.extend(lines[end:following])  # blank lines and the comments of the next key
    result = "\n".join(out)
    return result + "\n" if trailing_newline else result


# --- the import ----------------------------------------------------------------------------------------------


@dataclass
class RowResult:
    row: int
    number: str
    action: str
    """new | update | same | skip | note (a row that is no standard: a note, a section's heading, the header again)"""
    fields: tuple[str, ...] = ()
    reason: str = ""
    omitted: tuple[tuple[str, str], ...] = ()
    """(field, why) for each cell of the row that was left out; the rest of the row was imported."""
    spelled: str = ""
    """The sheet's spelling of the number, where it is not the canonical one."""
    first: int = 0
    """The earlier row of the sheet with the same standard, when this row repeats it."""
    read_as: tuple[tuple[str, str], ...] = ()
    """(field, how) for a cell read as other than it shows: a number read as an Excel date serial."""
    retitled: tuple[str, str] | None = None
    """(the name the record had, the sheet's) when the row changes the 中文标准名称: the report shows both."""

    @property
    def line(self) -> str:
        if self.action == "note":
            return f"第 {self.row} 行是{self.reason or '表格的注释'}，未导入"
        head = (f"第 {self.row} 行与第 {self.first} 行是同一标准（{self.number}）：" if self.first
                else f"第 {self.row} 行 {self.number}：")
        if self.action == "skip":
            return head + f"跳过：{self.reason}"
        text = {"new": "新增", "update": f"更新（{'、'.join(self.fields)}）", "same": "无变化"}[self.action]
        if self.retitled:
            text += f"（中文标准名称由“{self.retitled[0]}”改为“{self.retitled[1]}”）"
        if self.spelled and self.action != "same":
            text += f"（表格中写作 {self.spelled}）"
        if self.read_as and self.action != "same":
            text += f"（{'；'.join(how for _, how in self.read_as)}，请核对）"
        if self.omitted:
            text += "；未导入：" + "；".join(why if why.startswith(f"{key}:") else f"{key}: {why}"
                                          for key, why in self.omitted)
        return head + text


@dataclass
class ImportReport:
    source: Path
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Things about the sheet as a whole: ignored columns, records rewritten whole."""
    writes: dict[Path, str] = field(default_factory=dict)
    """path → new text (written unless dry_run)."""
    problems: list[Problem] = field(default_factory=list)
    """What `stdportal check` says about the written files."""

    def count(self, action: str) -> int:
        return sum(r.action == action for r in self.rows)

    @property
    def omitted(self) -> int:
        """Cells left out of rows that were imported."""
        return sum(len(r.omitted) for r in self.rows if r.action != "skip")

    @property
    def summary(self) -> str:
        repeated = sum(r.action == "same" and r.first > 0 for r in self.rows)  # the standard of an earlier row
        text = (f"共 {len(self.rows) - self.count('note')} 行：新增 {self.count('new')} 项，"
                f"更新 {self.count('update')} 项，无变化 {self.count('same') - repeated} 项，"
                + (f"重复 {repeated} 行，" if repeated else "") + f"跳过 {self.count('skip')} 行。")
        if self.count("note"):
            titles = any(r.action == "note" and r.reason for r in self.rows)  # a section's heading, a header again
            text += f"另有 {self.count('note')} 行{'注释或标题' if titles else '注释'}。"
        if self.omitted:
            text += f"有 {self.omitted} 个单元格未导入（见各行说明）。"
        if self.dry_run:
            return text + "（试运行：未写入任何文件）"
        return text + f"已写入 {len(self.writes)} 个文件。"


def import_table(path: Path, db_dir: Path, *, sheet: str | None = None, dry_run: bool = False) -> ImportReport:
    """Read the sheet, work out every row's change, and (unless dry_run) write the files and check them."""
    if not db_dir.is_dir():
        raise TableError(f"找不到标准数据库文件夹 {db_dir}，请在项目根目录运行，或用 --db 指定")
    table = read_table(path, sheet)
    said = {(number, i) for number, cells in table.rows for i, cell in enumerate(cells) if _placeholder(cell)}
    table.rows = [(number, [_cleaned(cell) for cell in cells]) for number, cells in table.rows]
    report = ImportReport(path, dry_run)
    if table.sheet_note:
        report.notes.append(table.sheet_note)
    header = _find_header(table, path)
    if header.end - header.start > 1:
        report.notes.append(f"表头占两行（第 {table.rows[header.start][0]}、{table.rows[header.end - 1][0]} 行）")
    report.notes.extend(_header_notes(header.names, header.columns))
    either = [_name(header.names[i]) for i, key in header.columns.items() if key == _EITHER]
    if either:
        report.notes.append(f"“{either[0]}”列按年份读：比本行标准早的标准号作为 代替标准（本标准代替的），"
                            "晚的作为 被代替标准（代替本标准的）")
    vocab, _ = load_vocabulary(db_dir)
    raws, _ = load_records(db_dir)
    current = {key: (raw.path, raw.path.read_text(encoding="utf-8-sig")) for key, raw in existing_numbers(raws).items()}
    standards, _ = validate(raws, vocab)
    exported = {number_key(r["标准号"]): r for r in export_records(build_catalog(standards, vocab, dt.date.today()))}
    importer = _Importer(db_dir, vocab, current, exported, report, has_sources="来源" in header.columns.values(),
                         source_note=f"由 {path.name} 导入")
    for raw in existing_numbers(raws).values():
        if (found := read_number(str(raw.parsed.data["标准号"]).strip())) is not None:
            importer.spellings.setdefault(spelling_key(found),
                                          (found, f"数据库中已有的 {found.text}（{raw.path.name}）"))
    filled = _fill_merged(table, header)
    if filled:
        report.notes.append(filled)
    rows = [(number, cells) for number, cells in table.rows[header.end:] if not all(_blank(c) for c in cells)]
    if _BOTH in header.columns.values():
        rows = _split_both(header, rows, report)
    formulas = _uncomputed(path, table, rows, header, said)
    tails = _title_tails(rows, header, table.continued)
    for number, cells in rows:
        if number in tails.values():
            head = next(above for above, below in tails.items() if below == number)
            report.rows.append(RowResult(number, "", "note", reason=f"第 {head} 行标准名称的续行"))
        elif number in tails:
            tail = next(cells for n, cells in rows if n == tails[number])[_title_column(header)]
            reason = (f"下一行（第 {tails[number]} 行）只有标准名称“{cell_str(tail)}”，像是本行标准名称的后半部分"
                      "（从 PDF 复制的表格常见）：请把它并入本行的标准名称、删去那一行后再导入")
            label = cell_str(cells[header.number]) if not _blank(_at(cells, header.number)) else "（无标准号）"
            report.rows.append(RowResult(number, label, "skip", reason=reason))
        elif _is_note(cells, header.number):
            report.rows.append(RowResult(number, "", "note"))
        elif header_field(_at(cells, header.number)) == "标准号":  # a list printed over pages repeats its header
            report.rows.append(RowResult(number, "", "note", reason="重复的表头"))
        elif heading := _section_heading(cells, header.columns):
            report.rows.append(RowResult(number, "", "note", reason=f"分类标题“{heading}”"))
        elif number in formulas:
            at = formulas[number]
            label = cell_str(cells[header.number]) if not _blank(_at(cells, header.number)) else "（无标准号）"
            reason = (f"“{_name(header.names[at])}”列是公式，读到的结果为空：文件若是程序生成的（没有保存计算结果），"
                      "请在 Excel 或 WPS 中打开并保存后再导入；否则请检查这个公式")
            report.rows.append(RowResult(number, label, "skip", reason=reason))
        else:
            report.rows.append(importer.row(number, {key: cells[i] for i, key in header.columns.items()
                                                     if i < len(cells)}))
    _refuse_links(report.writes, db_dir)
    if not dry_run and report.writes:
        _write(report, db_dir)
    return report


def _title_column(header: _Header) -> int:
    return next((i for i, key in header.columns.items() if key == "中文标准名称"), -1)


_ORDINAL = re.compile(r"[(（]?([一二三四五六七八九十]+|[0-9]+)[)）、.．]")
"""How a section's heading starts (一、 （二） 3.): such a text is no piece of a name."""


def _title_tails(rows: list[Row], header: _Header, merged: frozenset[tuple[int, int]]) -> dict[int, int]:
    """row number → the number of the row below it that holds only a piece of text in the 中文标准名称 column:
    the rest of its name, cut off when the list was copied from a PDF. A cell a merged cell above fills (`merged`,
    Table.continued: 序号 or a date merged over both rows) is not the row's own."""
    title = _title_column(header)
    tails = {}
    for (above, upper), (below, cells) in itertools.pairwise(rows):
        if (title >= 0 and read_number(cell_str(_at(upper, header.number) or "")) is not None
                and not _blank(_at(upper, title)) and not _blank(_at(cells, title)) and (below, title) not in merged
                and not _ORDINAL.match(cell_str(cells[title])) and not _is_note(cells, header.number)
                and all(_blank(cell) or (below, i) in merged for i, cell in enumerate(cells) if i != title)):
            tails[above] = below
    return tails


def _fill_merged(table: Table, header: _Header) -> str | None:
    """Give each cell a merged cell covers below the header the merged cell's value, as a reader sees it (a date
    merged over the rows it applies to); the report's note saying where, or None."""
    first = table.rows[header.end][0] if header.end < len(table.rows) else None
    at = {number: i for i, (number, _) in enumerate(table.rows)}
    runs: dict[int, list[list[int]]] = {}
    for number, column in sorted(table.continued, key=lambda cell: (cell[1], cell[0])):
        above = at.get(number - 1)
        if first is None or number - 1 < first or number not in at or above is None or column not in header.columns:
            continue
        cells, source = table.rows[at[number]][1], table.rows[above][1]
        if column >= len(source) or _blank(source[column]):
            continue
        cells.extend([None] * (column + 1 - len(cells)))
        cells[column] = source[column]
        column_runs = runs.setdefault(column, [])
        if column_runs and column_runs[-1][-1] == number - 1:
            column_runs[-1].append(number)
        else:
            column_runs.append([number - 1, number])
    if not runs:
        return None
    told = []
    for column, found in sorted(runs.items()):
        name = _name(header.names[column]) if column < len(header.names) else f"第 {column + 1} 列"
        spans = "、".join(f"第 {run[0]}–{run[-1]} 行" for run in found)
        told.append(f"“{name}”列 {spans}")
    return f"合并单元格的值按所覆盖的每一行导入：{'；'.join(told)}"


def _split_both(header: _Header, rows: list[Row], report: ImportReport) -> list[Row]:
    """Rows with the column of both split into a 标准号 cell and, unless the sheet has a column of names, a
    中文标准名称 cell (a column of its own, after the last). With a 标准号 column of its own, the column of both is
    not read."""
    both = next(i for i, key in header.columns.items() if key == _BOTH)
    del header.columns[both]
    name = _name(header.names[both])
    if "标准号" in header.columns.values():
        report.notes.append(f"忽略“{name}”列：表格另有标准号列")
        return rows
    header.columns[both] = "标准号"
    title = None
    if "中文标准名称" not in header.columns.values():
        title = max(len(header.names), *(len(cells) for _, cells in rows)) if rows else len(header.names)
        header.columns[title] = "中文标准名称"
        header.names.extend([None] * (title + 1 - len(header.names)))
        header.names[title] = header.names[both]  # what the report calls it
    header.columns = dict(sorted(header.columns.items()))
    named = " 和 中文标准名称" if title is not None else "（名称以另一列为准）"
    report.notes.append(f"“{name}”列拆分为 标准号{named}")
    split = []
    for number, cells in rows:
        cells = list(cells)
        text = cells[both] if both < len(cells) else None
        parts = split_number_title(text) if isinstance(text, str) else None
        if parts:
            cells[both] = parts[0]
            if title is not None:
                cells.extend([None] * (title + 1 - len(cells)))
                cells[title] = parts[1]
        split.append((number, cells))
    return split


def split_number_title(text: str) -> tuple[str, str] | None:
    """(number, name) of a cell that gives both, either way round: GB/T 35796-2017 养老机构服务质量基本规范,
    GB/T 35796—2017《养老机构服务质量基本规范》, 养老机构服务质量基本规范（GB/T 35796-2017）; None when no
    standard number can be told from the name. The number is the first recognised one that ends in a year."""
    text = text.strip()
    for end in (m.end() for m in _YEAR_END.finditer(text)):
        edition = _EDITION.match(text, end)  # JGJ 39-2016(2019年版): the edition is part of the number
        end = edition.end() if edition else end
        number, name = text[:end], text[end:].strip()
        if name and has_han(name) and read_number(number) is not None:
            return number.strip(), name
    found = _NAME_FIRST.fullmatch(text)
    if found and has_han(found["name"]) and read_number(found["number"]) is not None:
        return found["number"].strip(), found["name"].strip()
    return None


_YEAR_END = re.compile(r"[0-9０-９]{4}(?![0-9０-９.．])")
_EDITION_TEXT = r"\s*[（(][0-9０-９]{4}年版[）)]"
_EDITION = re.compile(_EDITION_TEXT)
_NAME_FIRST = re.compile(r"(?P<name>.+?)\s*[（(]?\s*"
                         rf"(?P<number>[A-Za-zＡ-Ｚａ-ｚ][^（）()]*?[0-9０-９]{{4}}(?:{_EDITION_TEXT})?)"
                         r"\s*[）)]?", re.S)


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


_PLACEHOLDERS = frozenset({"无", "暂无", "/", "／", "\\", "-", "－", "—", "——", "–", "―", "−", "N/A", "n/a", "NA"})
"""What a list writes in a cell for "none" (代替标准: 无, 废止日期: —): the cell says nothing."""
_NO_BREAK = str.maketrans({"\u00a0": " "})
"""What copying from a web page leaves between words: a no-break space, read as a space. (Zero-width and other
invisible characters are refused with the column's name, as `stdportal check` refuses them: generator.chars.)"""


def _placeholder(cell: Any) -> bool:
    return isinstance(cell, str) and cell.translate(_NO_BREAK).strip() in _PLACEHOLDERS


def _cleaned(cell: Any) -> Any:
    """A cell as the importer reads it: a text with no-break spaces as spaces, None for a placeholder meaning
    "none"."""
    if not isinstance(cell, str):
        return cell
    return None if _placeholder(cell) else cell.translate(_NO_BREAK)


EXCEL_ERRORS = frozenset({"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!",
                          "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})
"""The values Excel and WPS show for a formula that failed: a cell holding one says nothing of the standard."""


def _excel_error(key: str, cell: Any) -> str | None:
    """The reason a cell is not imported when it holds a formula's error value."""
    text = cell_str(cell) if isinstance(cell, str) else ""
    if text.upper() not in EXCEL_ERRORS:
        return None
    return f"{key}: 单元格是公式的错误值 {text}，不是{key}：请在表格中改正公式或填写内容后再导入"


def _at(cells: list[Any], index: int) -> Any:
    return cells[index] if index < len(cells) else None


def _name(header: Any) -> str:
    return "" if header is None else str(header).strip()


@dataclass
class _Header:
    start: int
    """The index of the header row among the table's rows."""
    end: int
    """The index of the first row below the header (two below start for a header of two rows)."""
    columns: dict[int, str]
    """column index → field"""
    names: list[Any]
    """each column's header as the sheet writes it"""

    @property
    def number(self) -> int:
        """The 标准号 column (the column of both, until _split_both has split it)."""
        return next(i for i, key in self.columns.items() if key in _NUMBER_COLUMNS)


HEADER_ROWS = 20
"""How far down a sheet the header is looked for (title rows and notes above it)."""


def _find_header(table: Table, path: Path) -> _Header:
    """The header: the first of the first HEADER_ROWS rows that has a 标准号 column, with the row under it or the
    row above it when that is the header's other row (see _other_header_row): 日期 merged over 发布日期 | 实施日期
    below, or 标准 merged over 标准号 | 标准名称 beside 发布日期 merged down from above."""
    rows = table.rows
    for index, (_, cells) in enumerate(rows[:HEADER_ROWS]):
        columns = _columns(cells)
        if not set(_NUMBER_COLUMNS) & set(columns.values()):
            continue
        below = rows[index + 1][1] if index + 1 < len(rows) else []
        above = rows[index - 1][1] if index > 0 else []
        if more := _other_header_row(below, columns, below=True, heads=cells):
            start, other = index, below
        elif more := _other_header_row(above, columns, below=False):
            start, other = index - 1, above
        else:
            return _Header(index, index + 1, columns, list(cells))
        names = [_at(other, i) if i in more or _blank(_at(cells, i)) else cells[i]
                 for i in range(max(len(cells), len(other)))]
        return _Header(start, index + 2 if start == index else index + 1, dict(sorted({**columns, **more}.items())),
                       names)
    raise TableError(f"{path.name}: 在前 {HEADER_ROWS} 行中找不到表头行：表格中应有一列“标准号”（或“标准编号”），"
                     "列名用字段名称，见维护指南；表头上方的说明文字多于此数时，请删去一些。" + table.how)


def _columns(cells: list[Any]) -> dict[int, str]:
    """column index → the field its header names, each field once."""
    keys = {i: header_field(cell) for i, cell in enumerate(cells)}
    # A column named exactly as a field wins over one named by a variant (标准状态 over 状态).
    exact = [i for i, key in keys.items() if key and re.sub(r"\s+", "", str(cells[i])) == key]
    columns: dict[int, str] = {}
    for i in [*exact, *(i for i in keys if i not in exact)]:
        key = keys[i]
        if key and key not in columns.values():
            columns[i] = key
    return dict(sorted(columns.items()))


def _other_header_row(other: list[Any], columns: dict[int, str], *, below: bool,
                      heads: list[Any] | None = None) -> dict[int, str]:
    """The fields a row next to the header row names in columns the header row leaves empty (a name merged over
    both rows shows in one of them only), or names with a heading merged over several columns of the header row
    (日期 over 发布日期 | 实施日期; below it, 发布 | 实施 name 发布日期 | 实施日期 with the heading 日期 or 时间:
    `heads`, the header row). Such a row is the header's other row. Empty when the row below has a 标准号: it is a
    row of data (a row without one is never imported); above the header, that cell is a heading (标准 merged over
    标准号 | 标准名称)."""
    number = next(i for i, key in columns.items() if key in _NUMBER_COLUMNS)
    if below and not _blank(_at(other, number)):
        return {}
    found = {i: key for i, key in _columns(other).items() if i not in columns and key not in columns.values()}
    for i, cell in enumerate(other if heads else ()):
        if i in columns or i in found or _blank(cell) or header_field(cell) is not None:
            continue
        # The heading merged over this column: the nearest text to its left in the header row, of no field.
        at = next((j for j in range(i, -1, -1) if not _blank(_at(heads or [], j))), None)
        key = header_field(f"{cell_str(cell)}{cell_str(heads[at])}") if heads and at is not None and \
            at not in columns else None
        if key is not None and key not in columns.values() and key not in found.values():
            found[i] = key
    return found


_NOTE = re.compile(r"(注|说明|备注|资料来源)($|[\s：:\d（(、.．,，])")
"""The start of a note under or between the rows of a list: 注：以上标准均为推荐性, 说明：…, 资料来源：…"""


def _is_note(cells: list[Any], number: int) -> bool:
    """A row that is a note, not a standard: its 标准号 cell, or the only filled cell of the row, starts as a note
    does."""
    filled = [cell for cell in cells if not _blank(cell)]
    texts = [_at(cells, number), *(filled if len(filled) == 1 else ())]
    return any(isinstance(text, str) and _NOTE.match(text.strip()) for text in texts)


def _section_heading(cells: list[Any], columns: dict[int, str]) -> str | None:
    """The text of a row that heads a section of the list (一、养老服务, （二）幼有所育): one short Chinese text and
    nothing else, in a column of no field (序号, where a heading merged across the row shows) or in the 标准号 column
    with no digit. One in a column such as 标准名称 is a standard without its number, not a heading."""
    filled = [(i, cell) for i, cell in enumerate(cells) if not _blank(cell)]
    if len(filled) != 1 or not isinstance(filled[0][1], str):
        return None
    at, text = filled[0][0], filled[0][1].strip()
    if at in columns and (columns[at] != "标准号" or re.search(r"\d", text)):
        return None
    return text if len(text) <= 30 and has_han(text) and "\n" not in text else None


def _uncomputed(path: Path, table: Table, rows: list[Row], header: _Header,
                said: set[tuple[int, int]]) -> dict[int, int]:
    """row number → the 标准号 or 中文标准名称 column of that row whose cell reads as empty because it is a formula
    without a saved result (not one whose result is a placeholder: `said`). The workbook is read a second time
    only when such a cell is empty."""
    if table.sheet is None:
        return {}
    wanted = [i for i, key in header.columns.items() if key in _ESSENTIAL]
    empty = {(number, i) for number, cells in rows for i in wanted if _blank(_at(cells, i)) and (number, i) not in said}
    found: dict[int, int] = {}
    for number, i in sorted(uncomputed_formulas(path, table.sheet, empty)):
        found.setdefault(number, i)
    return found


def _refuse_links(paths: Iterable[Path], db_dir: Path) -> None:
    """Refuse to write through a symbolic link below db_dir (a linked folder, or a link in the file's place), as
    `stdportal check` refuses to read through one."""
    for path in paths:
        link = link_on_the_way(path, db_dir)
        if link:
            raise ImportAborted(f"不能写入 {shown_path(path)}：{link}。导入不会经由链接写入文件，{_NOTHING_IMPORTED}。")


def _header_notes(headers: list[Any], columns: dict[int, str]) -> list[str]:
    """What the report says about columns that are not read: unknown ones, and a second column for a field."""
    unknown, computed, repeated = [], False, []
    for i, header in enumerate(headers):
        name = "" if header is None else str(header).strip()
        if not name or i in columns:
            continue
        key = header_field(header)
        if key is None:
            unknown.append(name)
        elif name == STATUS_KEY and key == "标准状态":
            computed = True  # the exported file's 状态: the status as of a date, not a fact about the record
        else:
            first = next(str(headers[j]).strip() for j, k in columns.items() if k == key)
            repeated.append(f"{name}（与“{first}”同为 {key}）")
    notes = []
    if unknown:
        notes.append(f"忽略无法识别的列：{'、'.join(unknown)}")
    if computed:
        notes.append(f"忽略“{STATUS_KEY}”列：它是按日期计算出的状态（导出文件中的一列），“标准状态”列照常导入")
    if repeated:
        notes.append(f"忽略重复的列：{'、'.join(repeated)}")
    return notes


def _line_break(key: str, cell: Any) -> str | None:
    """The reason a cell cannot be imported because it holds a line break where the field is one line (a break
    that only wraps a title is no reason: its kind joins the lines)."""
    if not isinstance(cell, str):
        return None
    field = FIELD_BY_KEY[key]
    kind = kind_of(field)
    if field.multiline or kind.cell_lines:
        return None
    lines = (unwrapped(cell_str(cell)) if kind.wraps else cell.strip()).splitlines()
    if len(lines) < 2:
        return None
    both = key == "中文标准名称" and has_han(lines[0]) and not has_han(lines[-1])
    hint = "；中文和英文名称请分别填在 中文标准名称 和 英文标准名称 两列" if both else ""
    return f"{key}: 单元格中有换行，应写在一行内{hint}"


class _Importer:
    def __init__(self, db_dir: Path, vocab: Vocabulary, current: dict[str, tuple[Path, str]],
                 exported: dict[str, dict[str, Any]], report: ImportReport, *, has_sources: bool,
                 source_note: str) -> None:
        self.db_dir = db_dir
        self.vocab = vocab
        self.current = current
        self.exported = exported
        """number key → the record as `stdportal export` gives it (valid records not yet changed by this import)."""
        self.report = report
        self.has_sources = has_sources
        self.source_entry = {"说明": source_note}
        self.seen: dict[str, tuple[int, dict[str, Any]]] = {}
        """number key → the row that imported it (or found it unchanged) and its cells."""
        self.spellings: dict[tuple[str, ...], tuple[StdNumber, str]] = {}
        """spelling key (generator.search.similar) → the number of a record (or of a row writing one) and the
        number where it is, in words (数据库中已有的 X（file）, 表格第 N 行的 X)"""

    def row(self, row: int, cells: dict[str, Any]) -> RowResult:
        cells = {key: unguard_formula(cell) if isinstance(cell, str) else cell for key, cell in cells.items()}
        raw_number = cell_str(cells.get("标准号")) if cells.get("标准号") is not None else ""
        if not raw_number:
            return RowResult(row, "（无标准号）", "skip", reason="缺少标准号")
        broken = (_excel_error("标准号", raw_number) or text_problem("标准号", raw_number)
                  or _line_break("标准号", raw_number))
        if broken:
            return RowResult(row, raw_number.splitlines()[0], "skip", reason=broken)
        number = read_number(raw_number)
        if number is None:
            reason = f"标准号格式不对 \"{raw_number}\"，应形如 GB/T 35796-2017、MZ/T 133-2019 或 DB37/T 4591-2023"
            return RowResult(row, raw_number, "skip", reason=reason)
        cells, unsure = _either_way(number, cells)
        if number_key(number.text) in self.seen:
            return _repeated(row, number.text, cells, *self.seen[number_key(number.text)])
        other, where = self.spellings.get(spelling_key(number), (number, ""))
        if number_key(other.text) != number_key(number.text) and number_key(number.text) not in self.current:
            reason = (f"{where}与 {number.text} 可能是同一标准（{spelling_difference(other, number)}）：若是，"
                      f"请在表格中改写为 {other.text} 后再导入；若不是，请核对标准号")
            return RowResult(row, number.text, "skip", reason=reason)
        result = self._imported(row, number, raw_number, cells)
        if unsure and result.action != "skip":
            result = dataclasses.replace(result, omitted=(*result.omitted, unsure))
        if result.action != "skip":
            self.seen[number_key(number.text)] = (row, cells)
            self.spellings.setdefault(spelling_key(number), (number, f"表格第 {row} 行的 {number.text} "))
        return result

    def _imported(self, row: int, number: StdNumber, raw_number: str, cells: dict[str, Any]) -> RowResult:
        view = self.exported.get(number_key(number.text))
        given: dict[str, Any] = {}
        omitted: list[tuple[str, str]] = []
        read_as: list[tuple[str, str]] = []
        for key, cell in cells.items():
            if key == "标准号":
                continue
            if view is not None and cell is not None and cell_str(cell) == cell_text(key, view.get(key)).strip():
                continue  # what `stdportal export` writes for this record: no change, however it splits
            try:
                value = _cell_value(key, cell)
            except CellError as exc:
                if key in _ESSENTIAL:
                    return RowResult(row, number.text, "skip", reason=str(exc))
                omitted.append((key, str(exc)))
                continue
            if value is not None:
                given[key] = value
                if FIELD_BY_KEY[key].kind == "date" and (serial := date_serial(cell)) is not None:
                    read_as.append((key, f"{key} {serial:.10g} 按 Excel 日期序号读作 {value}"))
        spelled = raw_number if raw_number != number.text else ""
        if spelled and "原文标准号" not in given:
            given["原文标准号"] = spelled
        return self._write_row(row, number, given, omitted, spelled, tuple(read_as))

    def _write_row(self, row: int, number: StdNumber, given: dict[str, Any], omitted: list[tuple[str, str]],
                   spelled: str, read_as: tuple[tuple[str, str], ...] = ()) -> RowResult:
        """Plan the row's file; while the checker refuses fields that came from the sheet, leave them out and
        plan again. A refusal of 标准号, 中文标准名称 or of what the file held already skips the row."""
        previous = None
        while True:
            planned = (self._update(row, number.text, given) if number_key(number.text) in self.current
                       else self._new(row, number, given))
            if isinstance(planned, RowResult):
                return _with(planned, omitted, spelled, read_as)
            path, text, action, changed = planned
            problems = record_problems(path, text, self.vocab)
            if not problems:
                return _with(self._accept(row, number.text, path, text, action, changed), omitted, spelled, read_as)
            faults = _faulty_fields(text, problems)
            droppable = {key for key in faults if key in given and key not in _ESSENTIAL}
            blocking = [m for key, messages in faults.items() if key not in droppable for m in messages]
            if text == previous or not droppable or blocking:
                reason = "；".join(blocking or dict.fromkeys(p.message for p in problems))
                return RowResult(row, number.text, "skip", reason=reason)
            for key in (f.key for f in FIELDS if f.key in droppable):
                omitted.append((key, "；".join(faults[key])))
                del given[key]
            previous = text

    def _new(self, row: int, number: StdNumber, given: dict[str, Any]) -> RowResult | _Planned:
        path = record_path(self.db_dir, number)
        if path.exists():
            reason = f"文件 {path.name} 已存在但无法读取，请先运行 stdportal check"
            return RowResult(row, number.text, "skip", reason=reason)
        values = {"标准号": number.text, **given}
        if not self.has_sources:
            values["来源"] = [self.source_entry]
        text = record_text(values, schema_ref(path, self.db_dir), all_fields=False)
        return path, text, "new", ()

    def _update(self, row: int, number: str, given: dict[str, Any]) -> RowResult | _Planned:
        path, text = self.current[number_key(number)]
        data = parse_yaml(text).data
        if not isinstance(data, dict):
            return RowResult(row, number, "skip", reason=f"{path.name} 无法读取，请先运行 stdportal check")
        changes: dict[str, Any] = {}
        appended: list[dict[str, str]] | None = None
        for key, value in given.items():
            f = FIELD_BY_KEY[key]
            if f.kind == "sources":
                merged = _merged_sources(data.get(key), value)
                if merged is not None:
                    changes[key] = merged
            elif f.kind == "numbers":
                stated = _plain(f, data.get(key))
                value = self._not_implied(number, key, stated or (), value)
                if value and _plain(f, value) != stated:
                    changes[key] = value
            elif key == "原文标准号" and not is_empty(data.get(key)):
                continue  # the spelling of the source the record was made from stays
            elif _plain(f, data.get(key)) != _plain(f, value):
                changes[key] = value
        if not changes:
            return RowResult(row, number, "same")
        changed = tuple(k for k in (f.key for f in FIELDS) if k in changes)
        if not self.has_sources:
            merged = _merged_sources(data.get("来源"), [self.source_entry])
            if merged is not None:
                old = data.get("来源")
                if isinstance(old, list) and old:
                    appended = [self.source_entry]
                else:
                    changes["来源"] = merged
        elif "来源" in changes and isinstance(data.get("来源"), list) and data["来源"]:
            appended = changes.pop("来源")[len(data["来源"]):]
        updated = update_text(text, changes, appended)
        if updated is None:
            merged_data = {**data, **changes}
            if appended:
                merged_data["来源"] = [*data.get("来源", []), *appended]
            new_text = record_text(merged_data, schema_ref(path, self.db_dir), all_fields=False)
            note = f"{path.name} 不是逐行“字段: 值”的写法，已按字段顺序整体重写（原有注释未保留）"
            if note not in self.report.notes:
                self.report.notes.append(note)
        else:
            new_text = updated
        return path, new_text, "update", changed

    def _not_implied(self, number: str, key: str, stated: tuple[str, ...], value: list[str]) -> list[str]:
        """The numbers of a 代替标准 / 被代替标准 cell less those the record does not state but other records imply
        (the export lists them; writing them again would change nothing on the site)."""
        view = self.exported.get(number_key(number))
        if view is None:
            return value
        own = {number_key(n) for n in stated}
        implied = {number_key(n) for n in view.get(key) or ()} - own
        return [n for n in value if number_key(n) not in implied]

    def _accept(self, row: int, number: str, path: Path, text: str, action: str,
                changed: tuple[str, ...]) -> RowResult:
        self.exported.pop(number_key(number), None)  # the export of the old record no longer says what it holds
        retitled = None
        if "中文标准名称" in changed:
            old, new = (parse_yaml(t).data for t in (self.current[number_key(number)][1], text))
            retitled = (str(old.get("中文标准名称") or ""), str(new.get("中文标准名称") or ""))
        self.current[number_key(number)] = (path, text)
        self.report.writes[path] = text
        return RowResult(row, number, action, changed, retitled=retitled)


_Planned = tuple[Path, str, str, tuple[str, ...]]
"""A file the row would write: path, text, new | update, the fields it changes."""

_ESSENTIAL = ("标准号", "中文标准名称")
"""The fields without which a row is not worth a record: their failure skips the row."""


def _cell_value(key: str, cell: Any) -> Any:
    """The plain value of one cell; CellError (the report's reason) for a character no record may hold, a line
    break where the field is one line, or a cell its kind cannot read."""
    forbidden = _excel_error(key, cell) or (text_problem(key, cell) if isinstance(cell, str) else None)
    if forbidden:
        raise CellError(forbidden)
    broken = _line_break(key, cell)
    if broken:
        raise CellError(broken)
    return convert_cell(FIELD_BY_KEY[key], cell)


def _either_way(number: StdNumber, cells: dict[str, Any]) -> tuple[dict[str, Any], tuple[str, str] | None]:
    """The cells with a column of replacements in either sense (_EITHER) read by the years of its numbers: older
    than the row's standard, 代替标准 (what a notice means); newer, 被代替标准. A cell whose numbers are of both
    or of neither, or whose field has a column of its own, is not imported: (key, reason) says why."""
    cells = dict(cells)
    cell = cells.pop(_EITHER, None)
    if _blank(cell):
        return cells, None
    if error := _excel_error("代替标准", cell):
        return cells, ("代替标准", error)
    try:
        given = convert_cell(FIELD_BY_KEY["代替标准"], cell) or []
    except CellError as exc:
        return cells, ("代替标准", str(exc))
    years = {found.full_year for n in given if (found := read_number(n)) is not None}
    key = ("代替标准" if years and max(years) < number.full_year else
           "被代替标准" if years and min(years) > number.full_year else None)
    if key is None or not _blank(cells.get(key)):
        why = ("同时填了该列" if key is not None else "看不出其中的标准比本标准早还是晚")
        return cells, ("代替标准", f"“{_EITHER}”列的 {cell_str(cell)} {why}：本标准代替的标准请填在“代替标准”列，"
                                f"代替本标准的填在“被代替标准”列")
    return {**cells, key: cell}, None


def _faulty_fields(text: str, problems: list[Problem]) -> dict[str | None, list[str]]:
    """The top-level field each problem of a planned file stands in (None: before any field, or the file as
    a whole), with the problems' messages. The checker places a problem at the value at fault; its field is the
    last key that starts at or above that line."""
    starts = sorted((line, key[0]) for key, (line, _) in parse_yaml(text).key_pos.items() if len(key) == 1)
    faults: dict[str | None, list[str]] = {}
    for problem in problems:
        at = [key for line, key in starts if line <= problem.line]
        key = at[-1] if at and problem.line > 0 else None
        faults.setdefault(key, [])
        if problem.message not in faults[key]:
            faults[key].append(problem.message)
    return faults


def _repeated(row: int, number: str, cells: dict[str, Any], first: int, first_cells: dict[str, Any]) -> RowResult:
    """A row with the standard of an earlier row: no change when every cell it fills says what that row's does,
    else skipped, naming the fields that differ (which of the two is right is for the maintainer to say)."""
    differ = [f.key for f in FIELDS if f.key != "标准号" and not _blank(cells.get(f.key))
              and not _same_cell(f, cells[f.key], first_cells.get(f.key))]
    if differ:
        return RowResult(row, number, "skip", reason=f"{'、'.join(differ)} 与第 {first} 行不同", first=first)
    return RowResult(row, number, "same", first=first)


def _same_cell(f: Field, cell: Any, other: Any) -> bool:
    try:
        return bool(_plain(f, convert_cell(f, cell)) == _plain(f, convert_cell(f, other)))
    except CellError:
        return cell_str(cell) == ("" if other is None else cell_str(other))


def _with(result: RowResult, omitted: list[tuple[str, str]], spelled: str,
          read_as: tuple[tuple[str, str], ...]) -> RowResult:
    if result.action == "skip":
        return result
    order = [f.key for f in FIELDS]
    kept = tuple((key, how) for key, how in read_as if key not in dict(omitted))
    return dataclasses.replace(result, omitted=tuple(sorted(omitted, key=lambda o: order.index(o[0]))),
                               spelled=spelled, read_as=kept)


class ImportAborted(StdportalError):
    """The import could not write its files; none was changed."""


_NOTHING_IMPORTED = "未导入任何内容，数据库中的文件都保持原样"


def _write(report: ImportReport, db_dir: Path) -> None:
    from .pipeline import check

    try:
        write_files(report.writes)
    except WriteError as exc:
        raise ImportAborted(f"{exc}。{_NOTHING_IMPORTED}。请处理后重新导入。") from None
    except KeyboardInterrupt:
        raise ImportAborted(f"导入被中断。{_NOTHING_IMPORTED}。") from None
    written = {p.resolve() for p in report.writes}
    report.problems = [p for p in check(db_dir) if p.path.resolve() in written]
