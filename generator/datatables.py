"""Open data of the monitoring pages: every list and table they show, as JSON, CSV and XLSX.

A DataTable is the rows of one table with its columns; its files are written here, by one writer for all of
them, the way generator.export writes the standards: the CSV (UTF-8 with a BOM) and the XLSX hold the same
guarded cell texts (generator.kinds.guard_formula: a cell starting with = + - @ stays text), numbers stay
numbers, a list is joined with ；. The JSON holds the values themselves (a list as a list, a missing value as
null). Every column is named once, in Chinese (its field name in every format) and English, with what it
holds; the download page and datapackage.json both read that one description.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .export import inert_json, workbook
from .kinds import guard_formula

__all__ = ["FOLDER", "FORMATS", "Cell", "Column", "DataTable", "LIST_SEPARATOR", "resources", "table_csv",
           "table_files", "table_json", "table_xlsx"]

Cell = str | int | float | tuple[str, ...] | None
"""A value of a table: a text, a count, a list of texts, or nothing."""
LIST_SEPARATOR = "；"
FORMATS = ("json", "csv", "xlsx")
FOLDER = "downloads/monitor"
"""Where the files go: beside downloads/datapackage.json, which describes them (its paths are relative)."""


@dataclass(frozen=True)
class Column:
    """A column: `name` its field name (Chinese) in every format, `english` its English name, `about` what it
    holds, `type` its Table Schema type (string, integer, number, date). Columns of one `family` (one per
    province, one per category) are documented together, under the family's name."""

    name: str
    english: str
    about: str
    type: str = "string"
    family: str = ""


@dataclass(frozen=True)
class DataTable:
    stem: str
    """The files' name: downloads/monitor/<stem>.json, .csv and .xlsx."""
    title: str
    about: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    folder: str = FOLDER
    widths: tuple[int, ...] = ()
    """Column widths in the XLSX (characters); none: the spreadsheet's own."""
    sheet: str = ""
    """The XLSX sheet's name; none: the title."""

    def path(self, fmt: str) -> str:
        return f"{self.folder}/{self.stem}.{fmt}"

    @property
    def heads(self) -> list[str]:
        return [c.name for c in self.columns]

    def fields(self) -> list[tuple[str, str, str]]:
        """(name, English name, about) of each column, a family of columns once, for the download page."""
        out: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        for c in self.columns:
            if not c.family:
                out.append((c.name, c.english, c.about))
            elif c.family not in seen:
                seen.add(c.family)
                out.append((c.family, c.english.split(":")[0], c.about))
        return out

    def records(self) -> list[dict[str, Any]]:
        """The rows as the JSON holds them: one object per row, keyed by the field names."""
        return [{c.name: list(v) if isinstance(v, tuple) else v for c, v in zip(self.columns, row, strict=True)}
                for row in self.rows]

    def cells(self) -> list[list[str | int | float]]:
        """The rows as the CSV and the XLSX hold them: numbers, and guarded texts."""
        return [[v if isinstance(v, int | float) else guard_formula(_text(v)) for v in row] for row in self.rows]

    def schema(self) -> dict[str, Any]:
        """The Table Schema of the CSV and the XLSX."""
        return {"fields": [{"name": c.name, "title": c.english, "description": c.about, "type": c.type}
                           for c in self.columns], "missingValues": [""]}


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return LIST_SEPARATOR.join(value)
    return str(value)


def table_json(table: DataTable, as_of: dt.date) -> str:
    return inert_json({"状态计算日期": as_of.isoformat(), "名称": table.title, "行数": len(table.rows),
                       "数据": table.records()})


def table_csv(table: DataTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.heads)
    writer.writerows(table.cells())
    return "\ufeff" + buffer.getvalue()


def table_xlsx(table: DataTable, as_of: dt.date) -> bytes:
    return workbook(table.sheet or table.title, table.heads, table.cells(), as_of, table.widths)


def table_files(table: DataTable, as_of: dt.date) -> list[tuple[str, str | bytes]]:
    """(path, content) of the table's JSON, CSV and XLSX."""
    return [(table.path("json"), table_json(table, as_of)), (table.path("csv"), table_csv(table)),
            (table.path("xlsx"), table_xlsx(table, as_of))]


def resources(tables: Sequence[DataTable], relative_to: str = "downloads",
              schema_path: str | None = None) -> list[dict[str, Any]]:
    """The Data Package resources of the tables' files, their paths relative to the folder `relative_to`;
    with `schema_path`, every table's schema is that file's (tables of the same columns) instead of inline."""
    out: list[dict[str, Any]] = []
    for t in tables:
        def path(fmt: str, t: DataTable = t) -> str:
            return t.path(fmt).removeprefix(relative_to + "/")

        schema: dict[str, Any] | str = schema_path or t.schema()
        out += [
            {"name": f"{t.stem}-csv", "path": path("csv"), "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8-sig", "title": f"{t.title}（CSV）", "description": t.about, "schema": schema},
            {"name": f"{t.stem}-xlsx", "path": path("xlsx"), "format": "xlsx",
             "mediatype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "title": f"{t.title}（XLSX）", "description": t.about, "schema": schema},
            {"name": f"{t.stem}-json", "path": path("json"), "format": "json", "mediatype": "application/json",
             "encoding": "utf-8", "title": f"{t.title}（JSON）",
             "description": "{\"状态计算日期\", \"名称\", \"行数\", \"数据\": [每行按字段名给出]}，字段与 CSV 相同；"
                            "多个值为列表"},
        ]
    return out
