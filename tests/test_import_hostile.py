"""`stdportal import` against operator mistakes and hostile sheets: a full disk, an interrupt, an unpaired quote
in a CSV, line breaks in one-line fields, an XLSX that declares or unpacks to an absurd size.

Every sheet and record here is synthetic and made in tmp_path.
"""

from __future__ import annotations

import errno
import io
import os
import subprocess
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from click.testing import CliRunner, Result
from support import record

from generator import scaffold
from generator.cli import main
from generator.pipeline import check
from generator.tabular import MAX_COLUMNS, MAX_ROWS, TableError, read_table

EXISTING = {
    "national/GB-T-10001-2020.yaml": record("GB/T 10001-2020", "社区公共服务 通用要求", 备注="原有备注"),
    "industry/MZ-T-300-2019.yaml": record("MZ/T 300-2019", "老年人能力评估"),
}


@pytest.fixture
def db(make_db: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_db(EXISTING)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file and folder under folder (temporary files and new empty folders included)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else b"<dir>"
            for p in sorted(folder.rglob("*"))}


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, ["import", *args, "--db", "standards"])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# Two updates of existing records, then new records in two folders that do not exist yet (local/ and a
# national record), so a failure part way leaves written files, temporary files and new folders to undo.
SHEET = (
    "标准号,中文标准名称,备注\n"
    "GB/T 10001-2020,社区公共服务 通用要求,新的备注\n"
    "MZ/T 300-2019,老年人能力评估规范,\n"
    "GB/T 20001-2023,托育机构服务规范,\n"
    "DB37/T 5001-2023,社区养老服务中心服务规范,\n"
    "DB37/T 5002-2023,农村幸福院建设规范,\n"
)


def failing_after(count: int, exc: BaseException) -> Callable[[int, memoryview], int]:
    real = scaffold._write_chunk
    calls = []

    def write(fd: int, data: memoryview) -> int:
        calls.append(fd)
        if len(calls) > count:
            raise exc
        return real(fd, data)

    return write


@pytest.mark.parametrize(("error", "why"), [
    (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足"),
    (OSError(errno.EACCES, "Permission denied"), "没有读写权限"),
    (OSError(errno.ENAMETOOLONG, "File name too long"), "文件名过长"),
    (OSError(errno.EROFS, "Read-only file system"), "文件系统是只读的"),
])
@pytest.mark.parametrize("after", [0, 1, 3, 4])
def test_a_failed_write_imports_nothing(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        error: OSError, why: str, after: int) -> None:
    write_text(tmp_path / "s.csv", SHEET)
    before = snapshot(db)
    monkeypatch.setattr(scaffold, "_write_chunk", failing_after(after, error))

    result = run("s.csv")

    assert result.exit_code == 1
    assert why in result.stderr and "未导入任何内容，数据库中的文件都保持原样" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(db) == before  # no record changed, no temporary file, no new folder left behind


def test_an_interrupt_while_writing_imports_nothing(db: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    write_text(tmp_path / "s.csv", SHEET)
    before = snapshot(db)
    monkeypatch.setattr(scaffold, "_write_chunk", failing_after(2, KeyboardInterrupt()))

    result = run("s.csv")

    assert result.exit_code == 1 and "导入被中断。未导入任何内容" in result.stderr
    assert snapshot(db) == before


def test_a_failed_rename_puts_back_the_files_already_replaced(db: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    write_text(tmp_path / "s.csv", SHEET)
    before = snapshot(db)
    real = os.replace
    renames: list[str] = []

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if str(src).endswith(".tmp"):
            renames.append(str(dst))
            if len(renames) == 4:  # two records replaced and one created already
                raise OSError(errno.EIO, "Input/output error", str(dst))
        real(src, dst)

    monkeypatch.setattr(scaffold.os, "replace", replace)

    result = run("s.csv")

    assert result.exit_code == 1 and "磁盘读写出错" in result.stderr
    assert len(renames) == 4
    assert snapshot(db) == before


def test_a_successful_import_leaves_no_temporary_files(db: Path, tmp_path: Path) -> None:
    write_text(tmp_path / "s.csv", SHEET)

    result = run("s.csv")

    assert result.exit_code == 0, result.output
    names = [p.name for p in db.rglob("*")]
    assert not [n for n in names if n.endswith((".tmp", ".bak"))]
    assert all(p.stat().st_size > 0 for p in db.rglob("*.yaml"))
    assert "新的备注" in (db / "national/GB-T-10001-2020.yaml").read_text(encoding="utf-8")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 256 KiB file system (tmpfs); skipped where this process may not mount one."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_really_full_disk_imports_nothing(small_disk: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from support import write_db

    db = write_db(small_disk / "standards", EXISTING)
    # Fill the disk, then free a little: a few record files fit, a sheet of 60 does not.
    filler = small_disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"x" * 4096):
            pass
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    os.truncate(filler, filler.stat().st_size - 12 * 1024)
    scope = "本标准规定了社区公共服务的通用要求。" * 40
    rows = ["标准号,中文标准名称,适用范围"] + [f"GB/T {30000 + i}-2023,测试标准{i},{scope}" for i in range(60)]
    write_text(tmp_path / "big.csv", "\n".join(rows) + "\n")
    before = snapshot(db)
    monkeypatch.chdir(small_disk)

    result = CliRunner().invoke(main, ["import", str(tmp_path / "big.csv"), "--db", "standards"])

    assert result.exit_code == 1, result.output
    assert "磁盘空间不足" in result.stderr and "未导入任何内容" in result.stderr
    assert snapshot(db) == before
    assert not [p for p in db.rglob("*.yaml") if p.stat().st_size == 0]


# --- CSV: unpaired quotes and line breaks ---------------------------------------------------------------------


@pytest.mark.parametrize(("text", "line", "words"), [
    # A quote opened on line 3 and never closed: everything after it would become one title.
    ('标准号,中文标准名称\nGB/T 1-2020,甲\nGB/T 2-2020,"乙\nGB/T 3-2020,丙\nGB/T 4-2020,丁\n', 3, "没有配对的引号"),
    # Closed by a later quoted cell: the text after that quote gives it away.
    ('标准号,中文标准名称\nGB/T 2-2020,"乙\nGB/T 3-2020,丙\nGB/T 4-2020,"丁"\n', 2, "没有配对的引号"),
    # Closed by a stray quote at the end of a later cell: well-formed CSV, but the cell holds whole rows.
    ('标准号,中文标准名称,备注\nGB/T 1-2020,甲,\nGB/T 2-2020,"乙,\nGB/T 3-2020,丙,\nGB/T 4-2020,丁,说"",x\n'
     'GB/T 5-2020,戊,"\n', 3, "被读进了同一个单元格"),
    ('标准号\tcol\n1\t"a\n2\tb\n3\tc\n', 2, "没有配对的引号"),  # a tab-separated file
    # Text after a closing quote.
    ('标准号,中文标准名称\nGB/T 1-2020,"家庭"服务规范\n', 2, "引号后不能再有文字"),
])
def test_an_unpaired_quote_refuses_the_file(db: Path, tmp_path: Path, text: str, line: int, words: str) -> None:
    write_text(tmp_path / "q.csv", text)
    before = snapshot(db)

    result = run("q.csv")

    assert result.exit_code == 1
    assert f"q.csv: 文件第 {line} 行" in result.stderr and words in result.stderr
    assert "未导入任何内容" in result.stderr
    assert snapshot(db) == before


def test_an_unpaired_quote_is_found_in_a_gbk_file_with_windows_line_ends(tmp_path: Path) -> None:
    text = '标准号,中文标准名称\r\nGB/T 1-2020,甲\r\nGB/T 2-2020,"乙\r\nGB/T 3-2020,丙\r\n'
    path = write_text(tmp_path / "q.csv", text, "gbk")

    with pytest.raises(TableError, match="文件第 3 行有一个没有配对的引号"):
        read_table(path)


def test_quoted_cells_with_line_breaks_and_quotes_are_read(tmp_path: Path) -> None:
    text = ('标准号,中文标准名称,备注\r\nGB/T 1-2020,"甲, ""乙""",第一行\r\nGB/T 2-2020,丙,"一, 二\r\n三"\r\n'
            "GB/T 3-2020,丁,\r\n")
    rows = read_table(write_text(tmp_path / "ok.csv", text)).rows

    assert rows == [(1, ["标准号", "中文标准名称", "备注"]), (2, ["GB/T 1-2020", '甲, "乙"', "第一行"]),
                    (3, ["GB/T 2-2020", "丙", "一, 二\r\n三"]), (4, ["GB/T 3-2020", "丁", ""])]


def test_a_line_break_in_a_one_line_field_costs_that_field(db: Path, tmp_path: Path) -> None:
    # In 标准号 or 中文标准名称 it skips the row; in another one-line field it leaves that field out. A title
    # wrapped over lines is one title: Chinese lines join as they are, Latin ones with a space; a Chinese and an
    # English line are two titles in one cell.
    text = ('标准号,中文标准名称,英文标准名称,发布单位,备注,起草人,适用范围\n'
            'GB/T 20001-2023,"托育机构服务规范\nChildcare services",,,,,\n'
            '"GB/T 20002-2023\nGB/T 20003-2023",甲,,,,,\n'
            'GB/T 20004-2023,乙,,"甲单位\r\n乙单位",,,\n'
            'GB/T 20005-2023,丙,,,"备注可以\n有两行","张三\n李四","范围也可以\n换行"\n'
            'GB/T 20006-2023,"托育机构\r\n服务规范（试行）","Specification for\n childcare services",,,,\n')
    write_text(tmp_path / "n.csv", text)

    result = run("n.csv")

    assert result.stdout.splitlines()[:5] == [
        "第 2 行 GB/T 20001-2023：跳过：中文标准名称: 单元格中有换行，应写在一行内；"
        "中文和英文名称请分别填在 中文标准名称 和 英文标准名称 两列",
        "第 3 行 GB/T 20002-2023：跳过：标准号: 单元格中有换行，应写在一行内",
        "第 4 行 GB/T 20004-2023：新增；未导入：发布单位: 单元格中有换行，应写在一行内",
        "第 5 行 GB/T 20005-2023：新增",
        "第 6 行 GB/T 20006-2023：新增",
    ]
    assert not (db / "national/GB-T-20001-2023.yaml").exists()
    assert "发布单位" not in (db / "national/GB-T-20004-2023.yaml").read_text(encoding="utf-8")
    new = (db / "national/GB-T-20005-2023.yaml").read_text(encoding="utf-8")
    assert '备注: "备注可以\\n有两行"' in new and '  - "张三"\n  - "李四"' in new
    wrapped = (db / "national/GB-T-20006-2023.yaml").read_text(encoding="utf-8")
    assert '中文标准名称: "托育机构服务规范（试行）"' in wrapped
    assert '英文标准名称: "Specification for childcare services"' in wrapped


# --- XLSX: declared and real sizes ------------------------------------------------------------------------------

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def crafted_xlsx(path: Path, sheet_xml: str | bytes) -> Path:
    """A real workbook whose first sheet's XML is replaced by sheet_xml."""
    book = openpyxl.Workbook()
    book.active.append(["标准号"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode("utf-8") if isinstance(sheet_xml, str) else sheet_xml
            out.writestr(info.filename, data)
    return path


def sheet(rows: str, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"<worksheet {_NS}>{dim}<sheetData>{rows}</sheetData></worksheet>"


HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>标准号</t></is></c></row>'


@pytest.mark.parametrize(("xml", "message"), [
    # A 5 KB file that says it is the whole of Excel's grid.
    (sheet(HEADER_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "A1:XFD1048576"),
     "声明的大小为 1048576 行 × 16384 列（A1:XFD1048576）"),
    (sheet(HEADER_ROW, f"A1:B{MAX_ROWS + 1}"), f"声明的大小为 {MAX_ROWS + 1} 行 × 2 列"),
    (sheet(HEADER_ROW, "A1:GS10"), f"声明的大小为 10 行 × {MAX_COLUMNS + 1} 列"),
    # No dimension: a row far below is found while reading, before the rows in between are kept.
    (sheet(HEADER_ROW + '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'), f"超过 {MAX_ROWS} 行"),
    (sheet(HEADER_ROW + '<row r="2"><c r="XFD2"><v>1</v></c></row>'), "第 2 行有第 16384 列的内容"),
])
def test_an_absurd_sheet_is_refused_in_little_memory(db: Path, tmp_path: Path, xml: str, message: str) -> None:
    crafted_xlsx(tmp_path / "big.xlsx", xml)
    before = snapshot(db)

    tracemalloc.start()
    try:
        result = run("big.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert result.exit_code == 1
    assert message in result.stderr and "超出导入的上限" in result.stderr and "未导入任何内容" in result.stderr
    assert peak < 32 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB"
    assert snapshot(db) == before


def test_a_zip_bomb_is_refused_before_reading(db: Path, tmp_path: Path) -> None:
    # 40 MB of XML (empty styled cells repeat well) in a file of a few hundred KB.
    rows = "".join(f'<row r="{r}">' + '<c s="0"/>' * 8 + "</row>" for r in range(2, 2000))
    padding = b"<!--" + b" " * (40 * 1024 * 1024) + b"-->"
    crafted_xlsx(tmp_path / "bomb.xlsx", sheet(HEADER_ROW + rows).encode("utf-8") + padding)
    assert (tmp_path / "bomb.xlsx").stat().st_size < 1024 * 1024

    tracemalloc.start()
    try:
        result = run("bomb.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert result.exit_code == 1
    assert "解压后却有 40." in result.stderr and "不像是正常的 Excel 文件" in result.stderr
    assert peak < 16 * 1024 * 1024


@pytest.mark.parametrize(("text", "message"), [
    ("标准号\n" + "GB/T 1-2020\n" * MAX_ROWS, f"表格超过 {MAX_ROWS} 行"),
    ("标准号" + "," * MAX_COLUMNS + "\n", f"第 1 行有 {MAX_COLUMNS + 1} 列"),
])
def test_an_absurd_csv_is_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(TableError, match=message):
        read_table(write_text(tmp_path / "big.csv", text))


def test_a_dimension_written_too_small_loses_no_rows(tmp_path: Path) -> None:
    cells = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>GB/T {r}-2020</t></is></c>'
                    f'<c r="C{r}"><v>{r}</v></c></row>' for r in range(2, 6))
    path = crafted_xlsx(tmp_path / "small.xlsx", sheet(HEADER_ROW + cells, "A1"))

    rows = read_table(path).rows

    assert rows == [(1, ["标准号"]), *((r, [f"GB/T {r}-2020", None, r]) for r in range(2, 6))]


def test_empty_rows_and_trailing_empty_cells_keep_excel_row_numbers(tmp_path: Path) -> None:
    cells = ('<row r="3"><c r="A3" t="inlineStr"><is><t>GB/T 1-2020</t></is></c><c r="Z3" s="0"/></row>'
             '<row r="7"><c r="B7"><v>2</v></c></row>')
    rows = read_table(crafted_xlsx(tmp_path / "gaps.xlsx", sheet(HEADER_ROW + cells))).rows

    assert [(n, cells) for n, cells in rows if cells] == [(1, ["标准号"]), (3, ["GB/T 1-2020"]), (7, [None, 2])]
    assert [n for n, _ in rows] == list(range(1, 8))


@pytest.mark.parametrize(("written", "text"), [
    ("第一行_x000D_\n第二行", "第一行\r\n第二行"),  # a line break pasted from Windows, as Excel writes it
    ("_x005F_x000D_", "_x000D_"),  # that spelling typed as text
    ("a_x005F_x005F_b x005F_", "a_x005F_b x005F_"),  # openpyxl alone read a_b
    ("甲_x0009_乙_xD83D_", "甲\t乙_xD83D_"),  # half a UTF-16 pair is no character: left as written
])
def test_a_sheets_spelled_characters_read_as_the_cell_shows_them(tmp_path: Path, written: str, text: str) -> None:
    """The same text in a shared cell (where Excel puts it) and an inline one."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet().write_string(0, 0, "placeholder")
    book.close()
    shared = f'<t xml:space="preserve">{written}</t>'
    inline = f'<row r="2"><c r="A2" t="inlineStr"><is>{shared}</is></c></row>'
    path = tmp_path / "spelled.xlsx"
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/sharedStrings.xml":
                data = data.replace(b"<t>placeholder</t>", shared.encode("utf-8"))
            elif info.filename == "xl/worksheets/sheet1.xml":
                data = sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + inline).encode("utf-8")
            out.writestr(info.filename, data)

    assert read_table(path).rows == [(1, [text]), (2, [text])]


@pytest.mark.parametrize(("link", "message"), [
    # A folder of the database linked to one outside it: check does not read it, so import does not write there.
    ("local", "standards/local 是指向数据库文件夹以外"),
    # A link in a record's place, to a file not there yet.
    ("local/DB37-T-5001-2023.yaml", "standards/local/DB37-T-5001-2023.yaml 是指向不存在的文件"),
])
def test_import_does_not_write_through_a_symbolic_link(db: Path, tmp_path: Path, link: str, message: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    if link == "local":
        (db / "local").symlink_to(outside, target_is_directory=True)
    else:
        (db / "local").mkdir()
        (db / link).symlink_to(outside / "record.yaml")
    write_text(tmp_path / "s.csv", SHEET)
    before = snapshot(db)

    result = run("s.csv")
    dry = run("s.csv", "--dry-run")

    assert result.exit_code == 1 and dry.exit_code == 1
    assert message in result.stderr and message in dry.stderr
    assert "导入不会经由链接写入文件，未导入任何内容，数据库中的文件都保持原样" in result.stderr
    assert snapshot(db) == before and list(outside.iterdir()) == []  # not even the records in national/ and industry/


def test_a_normal_import_after_all_that_still_checks_clean(db: Path, tmp_path: Path) -> None:
    write_text(tmp_path / "s.csv", SHEET)
    assert run("s.csv").exit_code == 0
    assert [p for p in check(db) if p.severity.value == "错误"] == []


def _rewritten(source: Path, target: Path, part: str, change: Callable[[str], str]) -> Path:
    """A copy of an XLSX or DOCX with one part's XML changed."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item, change(data.decode("utf-8")).encode("utf-8") if item.filename == part else data)
    return target


def _xlsx(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.append(["标准号", "标准名称"])
    book.active.append(["GB/T 1-2020", "测试标准"])
    book.save(tmp_path / "base.xlsx")
    return tmp_path / "base.xlsx"


def _docx(tmp_path: Path) -> Path:
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    texts = ["标准号", "标准名称", "GB/T 1-2020", "测试标准"]
    for cell, text in zip([*table.rows[0].cells, *table.rows[1].cells], texts, strict=True):
        cell.text = text
    document.save(str(tmp_path / "base.docx"))
    return tmp_path / "base.docx"


_SHEET = "xl/worksheets/sheet1.xml"
_DOC = "word/document.xml"
BROKEN_PARTS = [
    ("xlsx", _SHEET, lambda x: x[:-50]),  # cut short
    ("xlsx", _SHEET, lambda x: x.replace("<worksheet", '<!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/hostname">]>'
                                          "<worksheet", 1).replace(
        "</sheetData>", '<row r="9"><c r="A9" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData>')),
    ("xlsx", _SHEET, lambda x: x.replace('r="A2"', 'r="ZZZZZZ2"', 1)),  # no such column
    ("docx", _DOC, lambda x: x.replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="abc"/>', 1)),
    ("docx", _DOC, lambda x: x.replace("<w:tcPr>", '<w:tcPr><w:vMerge w:val="continue"/>', 1)),  # no row above
    ("docx", _DOC, lambda x: x.replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="1000000000"/>', 1)),  # 10⁹ columns
]


@pytest.mark.parametrize(("kind", "part", "change"), BROKEN_PARTS, ids=["cut", "doctype", "column", "span", "merge",
                                                                        "huge-span"])
def test_a_file_broken_inside_is_refused_in_words(db: Path, tmp_path: Path, kind: str, part: str,
                                                 change: Callable[[str], str]) -> None:
    """Parts that break only once their rows are read: a message naming the file, never a traceback, nothing
    written, and no memory spent on a span of a billion columns."""
    base = _xlsx(tmp_path) if kind == "xlsx" else _docx(tmp_path)
    broken = _rewritten(base, tmp_path / f"broken.{kind}", part, change)
    before = snapshot(db)
    tracemalloc.start()
    try:
        with pytest.raises(TableError, match=f"^broken.{kind}: ") as refused:
            read_table(broken)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "Traceback" not in str(refused.value) and peak < 200 * 1024 * 1024
    result = run(str(broken))
    assert result.exit_code == 1 and "broken." in result.stderr and snapshot(db) == before
