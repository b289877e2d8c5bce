"""Open data: the catalogue as `standards.json` and `standards.csv`, keyed by the Chinese field names.

One serialisation for both doors: the site's download page (generator/render/downloads.py) and
`stdportal export` call the same functions, and the files are written the way MkDocs writes a generated
file (text, UTF-8), so the two are byte for byte the same.

- JSON: `{"状态计算日期": …, "标准数量": …, "标准": [ {字段: 值, …}, … ]}`; a missing value is null or [];
  `<`, `>` and `&` are escaped (\\u003c …) so the file is inert if a server sends it as HTML.
- CSV: UTF-8 with a BOM so that Excel and WPS open it as UTF-8; one column per field; lists joined with ；.
  A cell that a spreadsheet would run as a formula (starting with = + - @ tab CR) gets a leading ' (OWASP's
  advice against CSV injection), and so does one that starts with ' itself: `stdportal import` takes exactly
  that ' off again (guard_formula / unguard_formula), so the file reads back to the same records.

状态 is computed as of the catalogue's date; 代替标准 / 被代替标准 include the relations that other records
state. 意见反馈 (a site setting, not a fact about the standard) is left out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .fields import FIELD_BY_KEY, FIELDS, Field
from .kinds import guard_formula, kind_of
from .model import Catalog
from .records import Standard

__all__ = ["CSV_NAME", "EXPORT_KEYS", "JSON_NAME", "STATUS_KEY", "XLSX_NAME", "Exported", "cell_text",
           "export_all", "export_csv", "export_json", "export_record_json", "export_records", "export_xlsx", "exported",
           "inert_json", "workbook", "write_exports"]

JSON_NAME = "standards.json"
CSV_NAME = "standards.csv"
XLSX_NAME = "standards.xlsx"
STATUS_KEY = "状态"
"""The computed status (the record's own 标准状态 is the source's word)."""

_FIELDS: tuple[Field, ...] = tuple(f for f in FIELDS if kind_of(f).exported)
EXPORT_KEYS: tuple[str, ...] = tuple(
    key for f in _FIELDS for key in ((f.key, STATUS_KEY) if f.key == "标准状态" else (f.key,))
)
"""The keys of every exported record, in order."""


def export_records(catalog: Catalog) -> list[dict[str, Any]]:
    return [_record(catalog, s) for s in catalog.standards]


def _record(catalog: Catalog, standard: Standard) -> dict[str, Any]:
    computed = {
        "代替标准": catalog.replaces.get(standard.number, list(standard.replaces)),
        "被代替标准": catalog.replaced_by.get(standard.number, list(standard.replaced_by_stated)),
    }
    out: dict[str, Any] = {}
    for f in _FIELDS:
        value = computed[f.key] if f.key in computed else getattr(standard, f.attr)
        out[f.key] = None if value is None else kind_of(f).export(value)
        if f.key == "标准状态":
            out[STATUS_KEY] = catalog.status[standard.number].label
    return out


@dataclass(frozen=True)
class Exported:
    """One standard as each download writes it: its member of standards.json's list, its own JSON file and its
    cells in the CSV and the XLSX. Made once per standard (`exported`), so that a rebuild can keep it."""

    listed: str
    own: str
    cells: tuple[str, ...]


def exported(catalog: Catalog, standard: Standard) -> Exported:
    record = _record(catalog, standard)
    return Exported(_inert(_layout(record, _LISTED)), export_record_json(catalog, standard, record=record),
                    tuple(_cells(record)))


def export_all(catalog: Catalog) -> list[Exported]:
    """Every standard `exported`: what export_json, export_csv and export_xlsx take (each makes it when not given)."""
    return [exported(catalog, s) for s in catalog.standards]


def export_json(catalog: Catalog, standards: Sequence[Exported] | None = None) -> str:
    document = {
        "状态计算日期": catalog.as_of.isoformat(),
        "标准数量": len(catalog.standards),
        "标准": [_Laid(s.listed) for s in (export_all(catalog) if standards is None else standards)],
    }
    return inert_json(document)


def export_record_json(catalog: Catalog, standard: Standard, moved: tuple[str, str] | None = None,
                       record: dict[str, Any] | None = None) -> str:
    """One standard as `{"状态计算日期": …, "标准": {字段: 值, …}}`, the record as standards.json holds it
    (`record`: its entry of export_records, when the caller has it). `moved`: (old number, link to the file's
    address now) for the copy left at a renamed record's old address; "原标准号" and "新地址" then come first."""
    document: dict[str, Any] = {"原标准号": moved[0], "新地址": moved[1]} if moved else {}
    record = _record(catalog, standard) if record is None else record
    return inert_json({**document, "状态计算日期": catalog.as_of.isoformat(), "标准": record})


_ENCODER = json.JSONEncoder(ensure_ascii=False)
_EXPANDED = 3
"""Objects (and lists of objects) this deep or less get one member per line; deeper values stay on one line."""
_LISTED = 2
"""The depth of a record in standards.json's list."""


class _Laid(str):
    """A value laid out already, at its depth, and inert (a record of standards.json's list)."""


def inert_json(document: Any) -> str:
    """UTF-8 JSON with one member per line (a record's field, a table's row), <, > and & escaped, so the file
    is inert if a server sends it as HTML. Values deeper than that are written on one line, by the JSON
    library's C encoder (an indented dump is several times slower at 10,000 standards)."""
    return _inert(_layout(document, 0)) + "\n"


def _inert(text: str) -> str:
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _layout(value: Any, depth: int) -> str:
    if isinstance(value, _Laid):
        return value
    pad = " " * (depth + 1)
    if depth < _EXPANDED and isinstance(value, dict) and value:
        members = (f"{pad}{_ENCODER.encode(str(k))}: {_layout(v, depth + 1)}" for k, v in value.items())
        return "{\n" + ",\n".join(members) + "\n" + " " * depth + "}"
    if depth < _EXPANDED and isinstance(value, list) and value and all(isinstance(v, dict | _Laid) for v in value):
        return "[\n" + ",\n".join(pad + _layout(v, depth + 1) for v in value) + "\n" + " " * depth + "]"
    return _ENCODER.encode(value)


def _cells(record: dict[str, Any]) -> list[str]:
    """A record as the guarded cell texts of EXPORT_KEYS: one definition for the CSV and the XLSX."""
    return [guard_formula(cell_text(key, record[key])) for key in EXPORT_KEYS]


def _rows(catalog: Catalog, standards: Sequence[Exported] | None) -> Iterable[Sequence[str]]:
    return [s.cells for s in (export_all(catalog) if standards is None else standards)]


def export_csv(catalog: Catalog, standards: Sequence[Exported] | None = None) -> str:
    """`standards`: each standard `exported` already (the download page's files), else made here."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_KEYS)
    writer.writerows(_rows(catalog, standards))
    return "\ufeff" + buffer.getvalue()


def export_xlsx(catalog: Catalog, standards: Sequence[Exported] | None = None) -> bytes:
    """The CSV's header and cells as an XLSX workbook (sheet 标准): the same guarded texts, as text cells."""
    return workbook("标准", EXPORT_KEYS, _rows(catalog, standards), catalog.as_of)


def workbook(sheet: str, heads: Sequence[str], rows: Iterable[Sequence[str | int | float]], as_of: dt.date,
             widths: Sequence[int] = ()) -> bytes:
    """An XLSX workbook of one sheet: a bold header row, then every text a text cell (never a formula; an empty
    text is left empty) and every number a number cell. The bytes depend only on the content and `as_of` (the
    document's date; XlsxWriter dates the archive's members 1980-01-01), so a rebuild gives the same file.
    Written with XlsxWriter, made for writing: three times faster than openpyxl (which reads the imports)."""
    import xlsxwriter

    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(buffer, options)
    book.set_properties({"created": dt.datetime(as_of.year, as_of.month, as_of.day), "author": "stdportal"})
    ws = book.add_worksheet(_sheet_name(sheet))
    ws.write_row(0, 0, list(heads), book.add_format({"bold": True}))
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, int | float):
                ws.write_number(r, c, value)
            elif value and ws.write_string(r, c, value) == _CUT_SHORT:  # text, never a formula, even after =
                raise ValueError(f"{sheet}: the text of row {r + 1}, column {c + 1} does not fit in a cell "
                                 "(stdportal check refuses a field longer than a cell)")
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    ws.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


_CUT_SHORT = -2
"""What XlsxWriter's write_string returns when it kept only the first 32,767 characters."""


def _sheet_name(name: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Sheet1"


def cell_text(key: str, value: Any) -> str:
    """An exported value of the column `key` as one cell's text (before the formula guard)."""
    field = FIELD_BY_KEY.get(key)
    return kind_of(field).csv(value) if field else str(value or "")


def write_exports(catalog: Catalog, out_dir: Path) -> list[Path]:
    """Write both files into out_dir as MkDocs writes generated files (text mode, UTF-8)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    standards = export_all(catalog)  # once for both files
    written = []
    for name, content in ((JSON_NAME, export_json(catalog, standards)), (CSV_NAME, export_csv(catalog, standards))):
        path = out_dir / name
        with open(path, "w", encoding="utf-8") as out:
            out.write(content)
        written.append(path)
    return written
