"""Read a maintainer's sheet, CSV or XLSX, into numbered rows of cell values; nothing is interpreted here.

CSV files come from Excel and WPS in many encodings: UTF-8 with or without a BOM, GBK/GB18030 ("ANSI" on a
Chinese Windows) and UTF-16 ("Unicode text", tab-separated). XLSX cells keep their types: numbers, text and
datetimes (a date cell comes back as a datetime; a date typed into a General cell stays a serial number).
Row numbers are the ones the maintainer sees in Excel: the first row is 1.
"""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path
from typing import Any

from .errors import StdportalError

__all__ = ["Row", "TableError", "decode_csv", "read_rows"]

Row = tuple[int, list[Any]]
"""(row number from 1, cell values)"""

_CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}


class TableError(StdportalError):
    """The file cannot be read as a table; the message says why and what to do."""


def read_rows(path: Path, sheet: str | None = None) -> list[Row]:
    if not path.is_file():
        raise TableError(f"找不到文件 {path}")
    suffix = path.suffix.lower()
    if suffix in _XLSX_SUFFIXES:
        return _read_xlsx(path, sheet)
    if suffix in (".xls", ".et", ".ods"):
        raise TableError(f"{path.name}: 不支持 {suffix} 格式，请在 Excel 或 WPS 中另存为 .xlsx 或 CSV 文件")
    if suffix in _CSV_SUFFIXES:
        if sheet:
            raise TableError("--sheet 只适用于 Excel（.xlsx）文件")
        return _read_csv(path)
    raise TableError(f"{path.name}: 无法识别的文件类型，应为 .xlsx 或 .csv")


def decode_csv(data: bytes) -> str:
    """The text of a CSV file in whichever encoding Excel or WPS saved it."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8", "gb18030"):  # GB18030 is a superset of GBK and GB2312
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError("无法识别 CSV 文件的编码，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”")


def _read_csv(path: Path) -> list[Row]:
    text = decode_csv(path.read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(i, list(row)) for i, row in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise TableError(f"{path.name}: 第 {reader.line_num} 行无法读取（{exc}），请检查引号是否成对") from None


def _read_xlsx(path: Path, sheet: str | None) -> list[Row]:
    import openpyxl

    with warnings.catch_warnings():
        # openpyxl warns about workbook features it does not read (data validation, styles); they do not matter.
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException …
            raise TableError(f"{path.name}: 无法作为 Excel 文件打开（{exc}）") from None
        try:
            if sheet is None:
                worksheet = book.worksheets[0]
            elif sheet in book.sheetnames:
                worksheet = book[sheet]
            else:
                names = "、".join(book.sheetnames)
                raise TableError(f"{path.name}: 没有名为“{sheet}”的工作表，可选：{names}")
            return [(i, list(row)) for i, row in enumerate(worksheet.iter_rows(values_only=True), start=1)]
        finally:
            book.close()
