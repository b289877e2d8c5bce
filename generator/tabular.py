"""Read a maintainer's sheet, CSV, XLSX, XLS, WPS ET or ODS, or the tables of a Word document, into numbered
rows of cell values; nothing is interpreted here.

CSV files come from Excel and WPS in many encodings: UTF-8 with or without a BOM, GBK/GB18030 ("ANSI" on a
Chinese Windows) and UTF-16 ("Unicode text", tab-separated). XLSX cells keep their types: numbers, text and
datetimes (a date cell comes back as a datetime; a date typed into a General cell stays a serial number).
XLSX is read with openpyxl; the older binary XLS (what many government sites still publish), WPS's ET and
OpenDocument's ODS with python-calamine, whose cells have the same types (a date cell is a date or a datetime);
the tables of a DOCX with python-docx, and of a web page saved as .xls (a site's "export to Excel"), as texts.
Row numbers are the ones the maintainer sees in Excel: the first row is 1.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .errors import StdportalError

__all__ = ["Row", "Table", "TableError", "decode_csv", "read_table", "uncomputed_formulas"]

Row = tuple[int, list[Any]]
"""(row number from 1, cell values)"""


@dataclass
class Table:
    rows: list[Row]
    sheet: str | None = None
    """The XLSX worksheet read."""
    sheet_note: str | None = None
    """Which worksheet was read and which others there are, when the workbook has more than one."""
    delimiter: str | None = None
    """The separator a CSV file was read with."""
    continued: frozenset[tuple[int, int]] = frozenset()
    """(row number, column from 0) of the cells a merged cell covers below its first row, in its first column:
    they read as empty here, and show the merged cell's value to a reader (a date merged over the rows it applies
    to); the importer fills them."""

    @property
    def how(self) -> str:
        """How the file was read, for a message saying it does not look like a list of standards."""
        if self.delimiter is not None:
            return f"文件是按{_DELIMITER_NAMES[self.delimiter]}分隔读取的。"
        return f"{self.sheet_note}，可用 --sheet 指定其他工作表。" if self.sheet_note else ""

_CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_OTHER_BOOK_SUFFIXES = {".xls", ".et", ".ods"}
MAX_BOOK_BYTES = 64 * 1024 * 1024
"""The largest XLS, ET or ODS file read: it is read whole into memory; a catalogue of standards is far smaller."""


class TableError(StdportalError):
    """The file cannot be read as a table; the message says why and what to do."""


def read_table(path: Path, sheet: str | None = None) -> Table:
    if not path.is_file():
        raise TableError(f"找不到文件 {path}")
    suffix = path.suffix.lower()
    if suffix in _XLSX_SUFFIXES | _OTHER_BOOK_SUFFIXES:
        # By what the file holds, not its name: sites publish XLSX files named .xls, and web pages named .xls.
        kind = _book_kind(path)
        if kind == "zip" and suffix != ".ods":
            return _read_xlsx(path, sheet)
        if kind in ("zip", "ole"):
            return _read_other_book(path, sheet)
        if kind == "spreadsheetml":
            raise TableError(f"{path.name}: 是 Excel 2003 XML 表格（扩展名为 {suffix}）：请在 Excel 或 WPS 中打开，"
                             "另存为 .xlsx 后再导入")
        if kind == "html":
            if sheet:
                raise TableError(f"{path.name}: 是网页（HTML）格式的表格，没有工作表，不能用 --sheet")
            return _read_html(path, suffix)
        raise TableError(f"{path.name}: 不是 Excel、WPS 或 ODS 表格文件（内容既不是 .xlsx 也不是 .xls 格式），"
                         "请在 Excel 或 WPS 中打开并另存为 .xlsx 后再导入")
    if sheet and suffix in _CSV_SUFFIXES | {".docx"}:
        raise TableError("--sheet 只适用于 Excel 或 WPS 表格文件（.xlsx、.xls、.et、.ods）")
    if suffix in _CSV_SUFFIXES:
        return _read_csv(path)
    if suffix == ".docx":
        return _read_docx(path)
    if suffix in (".doc", ".wps", ".pdf"):
        raise TableError(f"{path.name}: 不能读取 {suffix} 文件中的表格：请把表格复制到 Excel 或 WPS 表格中，"
                         "另存为 .xlsx 后再导入（Word 文件也可另存为 .docx）")
    raise TableError(f"{path.name}: 无法识别的文件类型，应为 .xlsx、.xls、.et、.ods、.csv 或 .docx")


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


_DELIMITER_NAMES = {",": "逗号", "\t": "制表符（Tab）"}


def _delimiter(text: str) -> str:
    """Tab or comma: the one that most of the first lines hold the same number of (a title line above the
    header holds none)."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]

    def agreeing(delimiter: str) -> int:
        counts = Counter(line.count(delimiter) for line in lines)
        return max((n for count, n in counts.items() if count), default=0)

    return "\t" if agreeing("\t") > agreeing(",") else ","


def _read_csv(path: Path) -> Table:
    if path.stat().st_size > MAX_UNPACKED:
        raise TableError(f"{path.name}: 文件有 {_size(path.stat().st_size)}，远大于任何标准清单，未导入任何内容")
    text = decode_csv(path.read_bytes())
    delimiter = _delimiter(text)
    rows: list[Row] = []
    starts: list[int] = []  # the physical line each row starts on
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 1
    limit = csv.field_size_limit(max(len(text), csv.field_size_limit()))  # a long cell the export wrote reads back
    try:
        for i, row in enumerate(reader, start=1):
            if i > MAX_ROWS or len(row) > MAX_COLUMNS:
                raise _too_big(path, f"第 {i} 行有 {len(row)} 列" if i <= MAX_ROWS else f"表格超过 {MAX_ROWS} 行")
            rows.append((i, row))
            starts.append(line)
            line = reader.line_num + 1
    except csv.Error:
        raise TableError(_quote_message(path, text, line, delimiter)) from None
    finally:
        csv.field_size_limit(limit)
    _refuse_swallowed_rows(path, rows, starts, delimiter)
    return Table(rows, delimiter=delimiter)


_QUOTE_HELP = "单元格中的引号应写作两个双引号（\"\"）。未导入任何内容，请改正后重新导入。"


def _quote_message(path: Path, text: str, start: int, delimiter: str) -> str:
    """Why a CSV record starting on physical line `start` could not be read: where its unpaired quote opened."""
    rest = "\n".join(text.split("\n")[start - 1:])
    try:
        fields = next(csv.reader(io.StringIO(rest, newline=""), delimiter=delimiter), [])
    except csv.Error:  # a cell longer than the csv module allows: it ran on to the end
        fields = ["", "\n"]
    spanning = [i for i, cell in enumerate(fields) if "\n" in cell]
    if not spanning:
        return (f"{path.name}: 文件第 {start} 行的引号用法不对：以引号开头的单元格须以引号结束，引号后不能再有文字。"
                + _QUOTE_HELP)
    opened = start + sum(cell.count("\n") for cell in fields[: spanning[-1]])  # the last such cell ran on
    return (f"{path.name}: 文件第 {opened} 行有一个没有配对的引号，其后的内容都被读进了同一个单元格。" + _QUOTE_HELP)


def _refuse_swallowed_rows(path: Path, rows: list[Row], starts: list[int], delimiter: str) -> None:
    """A quote left open that a later stray quote happens to close reads as one cell holding several rows; a
    cell whose later lines have as many delimiters as a row has is taken for that."""
    widths = Counter(len(cells) for _, cells in rows if len(cells) > 1)
    if not widths:
        return
    width = widths.most_common(1)[0][0]
    for (_, cells), start in zip(rows, starts, strict=True):
        line = start
        for cell in cells:
            later = cell.split("\n")[1:]
            if any(part.count(delimiter) >= max(1, width - 1) for part in later):
                end = line + len(later)
                raise TableError(f"{path.name}: 文件第 {line} 行有一个没有配对的引号，其后第 {line + 1}～{end} 行"
                                 f"被读进了同一个单元格。" + _QUOTE_HELP)
            line += len(later)


MAX_ROWS = 100_000
MAX_COLUMNS = 200
"""The largest sheet `import` reads; a catalogue of standards is far smaller, and a sheet that says it is
bigger is a mistake (a stray cell far below) or an attack on memory."""
MAX_UNPACKED = 256 * 1024 * 1024
"""The most an XLSX file may unpack to (its parts are compressed XML)."""
_MAX_RATIO = 100
"""How many times its own size a large XLSX may unpack to; real sheets stay well under it."""


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    _check_package(path)
    with warnings.catch_warnings():
        # openpyxl warns about workbook features it does not read (data validation, styles); they do not matter.
        warnings.simplefilter("ignore")
        try:
            book = _open_workbook(path)
        except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException …
            raise TableError(f"{path.name}: 无法作为 Excel 文件打开（{exc}）") from None
        try:
            worksheet = _pick_sheet(path, book, sheet)
            others = [name if book[name].sheet_state == "visible" else f"{name}〔隐藏〕"
                      for name in book.sheetnames if name != worksheet.title]
            note = f"读取工作表“{worksheet.title}”（另有：{'、'.join(others)}）" if others else None
            with _unreadable(path, "Excel"):
                rows = _sheet_rows(path, worksheet)
            return Table(rows, sheet=worksheet.title, sheet_note=note,
                         continued=_xlsx_continued(path, worksheet.title, len(rows)))
        finally:
            book.close()


def _pick_sheet(path: Path, book: Any, sheet: str | None) -> Any:
    """The sheet named, else the active sheet if it is a visible worksheet, else the first visible worksheet: a
    hidden sheet (old data, lookup lists) is read only when named."""
    if sheet is not None:
        if sheet in book.sheetnames:
            return book[sheet]
        raise TableError(f"{path.name}: 没有名为“{sheet}”的工作表，可选：{'、'.join(book.sheetnames)}")
    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    if not visible:
        raise TableError(f"{path.name}: 没有可见的工作表，请用 --sheet 指定要导入的工作表")
    return book.active if book.active in visible else visible[0]


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The signature of a Compound File: XLS, and WPS's ET."""


def _book_kind(path: Path) -> str:
    """What a workbook file holds: "zip" (XLSX, ODS), "ole" (XLS, ET), "html" (a web page), "spreadsheetml"
    (Excel 2003's XML) or "other"."""
    try:
        with path.open("rb") as source:
            head = source.read(1024)
    except OSError as exc:
        raise TableError(f"{path.name}: 无法读取（{exc.strerror or exc}）") from None
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(_OLE):
        return "ole"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<") and b"urn:schemas-microsoft-com:office:spreadsheet" in text:
        return "spreadsheetml"
    return "html" if text.startswith(b"<") and (b"<html" in text or b"<table" in text or b"<!doctype" in text) \
        else "other"


def _read_other_book(path: Path, sheet: str | None) -> Table:
    """An XLS, ET or ODS workbook, with the same choice of sheet and the same limits as an XLSX."""
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

    _check_book_size(path)
    if path.suffix.lower() == ".ods":
        _check_package(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except PasswordError:
        raise TableError(f"{path.name}: 文件设有密码，请在 Excel 或 WPS 中去掉密码后再导入") from None
    except Exception as exc:  # CalamineError, ZipError, XmlError …
        raise TableError(f"{path.name}: 无法作为表格文件打开（{exc}），"
                         "请在 Excel 或 WPS 中打开并另存为 .xlsx 后再导入") from None
    try:
        sheets = [m for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        visible = [m.name for m in sheets if m.visible == SheetVisibleEnum.Visible]
        if sheet is not None:
            if sheet not in book.sheet_names:
                raise TableError(f"{path.name}: 没有名为“{sheet}”的工作表，可选：{'、'.join(book.sheet_names)}")
            name = sheet
        elif visible:
            name = visible[0]  # the file does not say which sheet was active: the first one a reader sees
        else:
            raise TableError(f"{path.name}: 没有可见的工作表，请用 --sheet 指定要导入的工作表")
        others = [m.name if m.visible == SheetVisibleEnum.Visible else f"{m.name}〔隐藏〕"
                  for m in sheets if m.name != name]
        note = f"读取工作表“{name}”（另有：{'、'.join(others)}）" if others else None
        with _unreadable(path, "表格"):
            worksheet = book.get_sheet_by_name(name)
            rows = _calamine_rows(path, worksheet)
            continued = _continued(path, worksheet.merged_cell_ranges or (), len(rows))
        return Table(rows, sheet=name, sheet_note=note, continued=continued)
    finally:
        book.close()


def _check_book_size(path: Path) -> None:
    """Refuse a workbook larger than MAX_BOOK_BYTES: it would be read whole."""
    size = path.stat().st_size
    if size > MAX_BOOK_BYTES:
        raise TableError(f"{path.name}: 文件有 {_size(size)}，超过导入的上限 {_size(MAX_BOOK_BYTES)}，未导入任何内容。"
                         "请把标准清单复制到一个新的工作表，另存后再导入")


def _read_docx(path: Path) -> Table:
    """The tables of a Word document (a notice publishing a list often is one), one after another as one table:
    a list printed over pages is often several tables, each with its header again. A merged cell's text is in its
    first row and column only, as in a merged Excel cell; rows are numbered from 1 over all the tables."""
    import docx  # python-docx

    _check_book_size(path)
    _check_package(path, "Word")
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # PackageNotFoundError, KeyError, XML errors …
        raise TableError(f"{path.name}: 无法作为 Word（.docx）文件打开（{exc}）") from None
    rows: list[Row] = []
    continued: set[tuple[int, int]] = set()
    with _unreadable(path, "Word"):
        _docx_rows(path, document, rows, continued)
    if not rows:
        raise TableError(f"{path.name}: 文件中没有表格；标准清单应是 Word 中的一张表格")
    return Table(rows, continued=frozenset(continued))


def _docx_rows(path: Path, document: Any, rows: list[Row], continued: set[tuple[int, int]]) -> None:
    for table in document.tables:
        above: list[Any] = []
        for row in table.rows:
            if len(rows) >= MAX_ROWS:
                raise _too_big(path, f"表格超过 {MAX_ROWS} 行")
            # The columns a row's cells span, before python-docx lays them out (a span of 10⁸ would take gigabytes).
            spanned = sum(max(int(tc.grid_span), 1) for tc in row._tr.tc_lst)
            if spanned > MAX_COLUMNS:
                raise _too_big(path, f"第 {len(rows) + 1} 行有 {spanned} 列")
            found = row.cells
            elements = [cell._tc for cell in found]  # a merged cell is one element over its columns and rows
            if len(elements) > MAX_COLUMNS:
                raise _too_big(path, f"第 {len(rows) + 1} 行有 {len(elements)} 列")
            cells: list[Any] = [None if (i and tc is elements[i - 1]) or (i < len(above) and tc is above[i])
                                else cell.text.strip() or None
                                for i, (tc, cell) in enumerate(zip(elements, found, strict=True))]
            continued.update((len(rows) + 1, i) for i, tc in enumerate(elements)
                             if i < len(above) and tc is above[i] and not (i and tc is elements[i - 1]))
            while cells and cells[-1] is None:
                cells.pop()
            rows.append((len(rows) + 1, cells))
            above = elements


def _read_html(path: Path, suffix: str) -> Table:
    """A web page saved with a workbook's name (what many sites' "export to Excel" gives): its tables' rows, one
    after another, a cell spanning rows or columns in its first row and column only, as in a merged Excel cell."""
    _check_book_size(path)
    cells = _HtmlCells(path)
    cells.feed(_html_text(path.read_bytes()))
    cells.close()
    cells.end_row()
    if not cells.rows:
        raise TableError(f"{path.name}: 是网页（HTML）文件，只是扩展名为 {suffix}，其中没有表格："
                         "请在 Excel 或 WPS 中打开，另存为 .xlsx 后再导入")
    return Table([(i, row) for i, row in enumerate(cells.rows, start=1)],
                 sheet_note=f"文件是网页（HTML）格式的表格，只是扩展名为 {suffix}，按其中的表格读取",
                 continued=frozenset(cells.continued))


def _html_text(data: bytes) -> str:
    """A web page's text in the encoding it declares (GB2312 and GBK read as GB18030), else as a CSV is read."""
    declared = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", data[:4096])
    name = declared[1].decode("ascii").lower() if declared else "utf-8"
    try:
        return data.decode("gb18030" if name in ("gb2312", "gbk") else name)
    except (LookupError, UnicodeDecodeError):
        return decode_csv(data)


class _HtmlCells(HTMLParser):
    """The cells of the tables of a web page, row by row (see _read_html)."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.rows: list[list[Any]] = []
        self.row: list[Any] | None = None
        self.text: list[str] | None = None
        self.spans = (1, 1)
        self.below: dict[int, tuple[int, bool]] = {}
        """column → rows still covered by a cell above, and whether the column is that cell's first"""
        self.continued: set[tuple[int, int]] = set()

    def covered(self) -> None:
        assert self.row is not None
        while (left := self.below.get(len(self.row), (0, False)))[0] > 0:
            self.below[len(self.row)] = (left[0] - 1, left[1])
            if left[1]:
                self.continued.add((len(self.rows) + 1, len(self.row)))
            self.row.append(None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.end_row()
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.end_cell()
            self.covered()
            given = dict(attrs)
            self.spans = (_span(given.get("colspan"), MAX_COLUMNS), _span(given.get("rowspan"), MAX_ROWS))
            self.text = []
        elif tag == "br" and self.text is not None:
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self.end_cell()
        elif tag in ("tr", "table"):
            self.end_row()

    def end_cell(self) -> None:
        if self.text is None or self.row is None:
            return
        value = re.sub(r"[ \t\r\f\v]*\n[ \t\r\f\v]*", "\n", "".join(self.text)).strip()
        columns, rows = self.spans
        for i in range(columns):
            if rows > 1:
                self.below[len(self.row)] = (rows - 1, i == 0)
            self.row.append((value or None) if i == 0 else None)
        self.text = None

    def end_row(self) -> None:
        self.end_cell()
        if self.row is None:
            return
        self.covered()
        while self.row and self.row[-1] is None:
            self.row.pop()
        self.rows.append(self.row)
        self.row = None
        if len(self.rows) > MAX_ROWS or any(len(r) > MAX_COLUMNS for r in self.rows[-1:]):
            raise _too_big(self.path, f"表格超过 {MAX_ROWS} 行或 {MAX_COLUMNS} 列")



def _span(value: str | None, limit: int) -> int:
    """A cell's colspan or rowspan: a whole number from 1 to limit, 1 when missing or not a number."""
    text = (value or "").strip()
    return min(int(text), limit) if text.isdigit() and int(text) > 0 else 1


def _continued(path: Path, ranges: Any, height: int) -> frozenset[tuple[int, int]]:
    """Table.continued of merged ranges as calamine gives them: ((first row, first column), (last row, last
    column)), from 0; only in the `height` rows read (a range may claim a million), and at most MAX_ROWS cells."""
    found: set[tuple[int, int]] = set()
    for first, last in ranges:
        for row in range(first[0] + 1, min(last[0], height - 1) + 1):
            found.add((row + 1, first[1]))
        if len(found) > MAX_ROWS:
            raise _too_big(path, "合并单元格覆盖的单元格过多")
    return frozenset(found)


def _xlsx_continued(path: Path, sheet: str, height: int) -> frozenset[tuple[int, int]]:
    """Table.continued of an XLSX worksheet (openpyxl's read-only sheets do not read merged cells): read with
    calamine. A file it cannot read only means that no merged cell is known."""
    from python_calamine import CalamineWorkbook

    try:
        with path.open("rb") as source:
            book = CalamineWorkbook.from_filelike(source)
        try:
            ranges = book.get_sheet_by_name(sheet).merged_cell_ranges or ()
        finally:
            book.close()
    except Exception:  # noqa: BLE001
        return frozenset()
    return _continued(path, ranges, height)


def _calamine_rows(path: Path, worksheet: Any) -> list[Row]:
    """The rows of a calamine worksheet as _sheet_rows gives an XLSX's: numbered from the sheet's first row, empty
    cells None, no empty cells at the end of a row."""
    height, width = (worksheet.end[0] + 1, worksheet.end[1] + 1) if worksheet.end else (0, 0)
    if height > MAX_ROWS or width > MAX_COLUMNS:
        raise _too_big(path, f"工作表“{worksheet.name}”的大小为 {height} 行 × {width} 列")
    rows: list[Row] = []
    for number, values in enumerate(worksheet.to_python(skip_empty_area=False), start=1):
        cells = [None if v == "" else v for v in values]
        while cells and cells[-1] is None:
            cells.pop()
        rows.append((number, cells))
    return rows


def uncomputed_formulas(path: Path, sheet: str, cells: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which of these cells (row number, column index from 0), read as empty, are formulas whose result the file
    does not hold: a file written by a program, not saved by Excel or WPS. The workbook is read again, with
    formulas instead of their results."""
    from openpyxl import load_workbook

    if not cells:
        return set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:  # the file was read once already; a second reading that fails only means no cell is told apart
            book = load_workbook(path, read_only=True, data_only=False)
        except Exception:  # noqa: BLE001
            return set()
        try:
            worksheet = book[sheet]
            worksheet.reset_dimensions()
            rows = worksheet.iter_rows(max_row=max(r for r, _ in cells))
            return {(cell.row, cell.column - 1) for row in rows for cell in row
                    if cell.data_type == "f" and (cell.row, cell.column - 1) in cells}  # an empty cell is never "f"
        finally:
            book.close()


def _open_workbook(path: Path) -> Any:
    """The workbook, read only, with cached values for formulas, and its texts as the sheet's XML spells them
    (`_xstring` decodes them cell by cell).

    openpyxl's reader deletes every `x005F_` from the shared texts and decodes nothing else (so `a_x005F_b`
    typed in Excel reads as `a_b`, a line break pasted from Windows as `_x000D_`): they are read here instead."""
    from openpyxl.cell.text import Text
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    class Reader(ExcelReader):  # type: ignore[misc]
        def read_chartsheet(self, sheet: Any, rel: Any) -> None:
            """A sheet that is a chart holds no rows: not read (openpyxl fails on one without a drawing)."""

        def read_strings(self) -> None:
            part = self.package.find(SHARED_STRINGS)
            if part is None:
                return
            tag = f"{{{SHEET_MAIN_NS}}}si"
            with self.archive.open(part.PartName[1:]) as source:
                for _, node in iterparse(source):
                    if node.tag == tag:
                        self.shared_strings.append(Text.from_tree(node).content)
                        node.clear()

    # openpyxl refuses a name not ending in .xlsx/.xlsm, but not a file's bytes: an XLSX named .xls is read so.
    if path.suffix.lower() in _XLSX_SUFFIXES:
        source: Any = path
    else:
        _check_book_size(path)
        source = io.BytesIO(path.read_bytes())
    reader = Reader(source, read_only=True, data_only=True)
    reader.read()
    return reader.wb


_XSTRING_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def _xstring(text: str) -> str:
    """A text as a sheet's XML spells it, decoded: each `_xHHHH_` is the character HHHH, so `_x000D_` is a
    carriage return and `_x005F_` the underscore of a literal `_x000D_` (ECMA-376 Part 1, 22.9.2.19
    ST_Xstring), in shared and inline texts alike. A code of half a UTF-16 pair is no character of its own and
    stays as it is written."""
    if "_x" not in text:
        return text

    def character(found: re.Match[str]) -> str:
        code = int(found.group(1), 16)
        return found.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)

    return _XSTRING_ESCAPE.sub(character, text)


@contextlib.contextmanager
def _unreadable(path: Path, kind: str) -> Iterator[None]:
    """A file whose parts turn out broken while its rows are read (XML cut short or with a DOCTYPE, a cell of an
    impossible column or type, a merge with no row above): a TableError saying so, not a traceback."""
    try:
        yield
    except TableError:
        raise
    except Exception as exc:  # noqa: BLE001  (ParseError, ValueError, IndexError … of the readers)
        raise TableError(f"{path.name}: 无法作为 {kind} 文件读取（{type(exc).__name__}: {exc}），"
                         "请在 Excel、WPS 或 Word 中打开并另存后再导入") from None


def _too_big(path: Path, what: str) -> TableError:
    return TableError(f"{path.name}: {what}，超出导入的上限（{MAX_ROWS} 行、{MAX_COLUMNS} 列），未导入任何内容。"
                      "请把标准清单复制到一个新的工作表（不要整行整列复制），另存后再导入")


def _sheet_rows(path: Path, worksheet: Any) -> list[Row]:
    """The rows of a read-only worksheet, refusing one that says or turns out to be too big."""
    max_row, max_column = worksheet.max_row, worksheet.max_column  # the sheet's own <dimension>, if any
    if (max_row or 0) > MAX_ROWS or (max_column or 0) > MAX_COLUMNS:
        size = f"{max_row or '?'} 行 × {max_column or '?'} 列"
        raise _too_big(path, f"工作表“{worksheet.title}”声明的大小为 {size}（{worksheet.calculate_dimension()}）")
    # Read what is there, not what the dimension says: no padding to a declared size, no rows cut off by a
    # dimension written too small.
    worksheet.reset_dimensions()
    rows: list[Row] = []
    empty: list[Any] = []
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS:
            raise _too_big(path, f"工作表“{worksheet.title}”超过 {MAX_ROWS} 行")
        width = len(values)
        while width and values[width - 1] is None:
            width -= 1
        if width > MAX_COLUMNS:
            raise _too_big(path, f"工作表“{worksheet.title}”第 {number} 行有第 {width} 列的内容")
        rows.append((number, [_xstring(v) if isinstance(v, str) else v for v in values[:width]] if width else empty))
    return rows


def _check_package(path: Path, kind: str = "Excel") -> None:
    """Refuse an XLSX, ODS or DOCX whose parts unpack to far more than any real list (a "zip bomb"), before
    reading it. `kind`: what the file is meant to be, for the message."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(max(info.file_size, 0) for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TableError(f"{path.name}: 无法作为 {kind} 文件打开（{exc}）") from None
    packed = max(path.stat().st_size, 1)
    if unpacked > MAX_UNPACKED or (unpacked > 16 * 1024 * 1024 and unpacked > _MAX_RATIO * packed):
        raise TableError(f"{path.name}: 文件只有 {_size(packed)}，解压后却有 {_size(unpacked)}，不像是正常的 {kind} "
                         "文件，未导入任何内容。请在 Excel 或 WPS 中打开并另存为 .xlsx 后再导入")


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MB" if count >= 1024 * 1024 else f"{max(count // 1024, 1)} KB"
