"""What `stdportal export` writes, `stdportal import` reads back to the same records.

The bundled database is copied into tmp_path; the hostile records are synthetic and made there too.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support import AS_OF, BUNDLED_DB, write_db

from generator.cli import main
from generator.export import CSV_NAME, XLSX_NAME, export_xlsx
from generator.kinds import guard_formula, unguard_formula
from generator.pipeline import load_catalog
from generator.scaffold import record_text


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def cli(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def export_then_import(db: Path, out: Path, sheet: str = CSV_NAME) -> tuple[Result, list[list[str]]]:
    """Export `db`, import the downloads' CSV (or XLSX: the one the site offers) back into it; the CSV's rows."""
    exported = cli("export", "--db", str(db), "--out", str(out), "--as-of", AS_OF.isoformat())
    assert exported.exit_code == 0, exported.output
    if sheet == XLSX_NAME:
        catalog, _ = load_catalog(db, AS_OF)
        (out / XLSX_NAME).write_bytes(export_xlsx(catalog))
    text = (out / CSV_NAME).read_text(encoding="utf-8-sig")
    imported = cli("import", str(out / sheet), "--db", str(db))  # with the csv module's own field limit
    limit = csv.field_size_limit(len(text))
    try:
        return imported, list(csv.reader(io.StringIO(text, newline="")))
    finally:
        csv.field_size_limit(limit)


SHEETS = pytest.mark.parametrize("sheet", [CSV_NAME, XLSX_NAME])


def assert_unchanged(result: Result, rows: list[list[str]]) -> None:
    lines = result.stdout.splitlines()
    assert result.exit_code == 0, result.output
    assert lines[0].startswith("注意：忽略“状态”列")
    assert lines[1:-1] == [f"第 {i} 行 {row[0]}：无变化" for i, row in enumerate(rows[1:], start=2)]
    count = len(rows) - 1
    assert lines[-1] == f"共 {count} 行：新增 0 项，更新 0 项，无变化 {count} 项，跳过 0 行。已写入 0 个文件。"


@SHEETS
def test_the_bundled_database_reads_back_unchanged(tmp_path: Path, sheet: str) -> None:
    db = tmp_path / "standards"
    shutil.copytree(BUNDLED_DB, db)
    before = snapshot(db)

    result, rows = export_then_import(db, tmp_path / "downloads", sheet)

    assert len(rows) > 200
    assert_unchanged(result, rows)
    assert snapshot(db) == before


def rec(**values: object) -> str:
    return record_text(values, None, all_fields=False, comments=False)


# Values a spreadsheet would run as formulas, quotes, commas, line breaks and ； inside values, relations stated
# on one side only, a region left to the number, dates and empty fields.
HOSTILE = {
    "national/GB-T-1-2020.yaml": rec(标准号="GB/T 1-2020", 中文标准名称='=HYPERLINK("http://example.org","点我")',
                                     英文标准名称="-1 minus first", 发布单位="@某单位", 提出单位="+86 单位",
                                     发布日期="2020-01-02", 实施日期="2020-07-01", 标准状态="现行",
                                     备注='第一行, 含逗号\n第二行 "引号"；含分号\n=第三行', 起草人=["张三", "=李四"]),
    "national/GB-T-2-2020.yaml": rec(标准号="GB/T 2-2020", 中文标准名称="'单引号开头", 英文标准名称="'=both",
                                     适用范围="\t制表符开头的范围", 中国标准分类号=["A12", "A16"],
                                     国际标准分类号=["03.080.30"], 领域=["幼有所育"], 全文链接="https://example.org/a?b=1,2"),
    "national/GB-T-3-2010.yaml": rec(标准号="GB/T 3-2010", 中文标准名称="旧版"),
    "national/GB-T-3-2020.yaml": rec(标准号="GB/T 3-2020", 中文标准名称="新版", 代替标准=["GB/T 3-2010"]),
    "national/GB-T-4-2010.yaml": rec(标准号="GB/T 4-2010", 中文标准名称="旧版二", 被代替标准=["GB/T 4-2020"]),
    "national/GB-T-4-2020.yaml": rec(标准号="GB/T 4-2020", 中文标准名称="新版二"),
    "national/GB-T-5-2020.yaml": rec(标准号="GB/T 5-2020", 中文标准名称="换行符", 适用范围="旧式换行\r第二行",
                                     备注="Windows 换行\r\n第二行\r\r第四行"),
    "local/DB37-T-1-2020.yaml": rec(标准号="DB37/T 1-2020", 中文标准名称="地方标准", 起草单位=["甲", "乙"],
                                    来源=[{"链接": "https://example.org/", "说明": "官网, 首页"},
                                        {"说明": "编者整理"}]),
    # What a sheet's XML spells with _xHHHH_ (a line break, an underscore before x005F_), and such spellings
    # typed as text. (Two that share an underscore, _x005F_x000A_, XlsxWriter writes as a line break.)
    "national/GB-T-7-2020.yaml": rec(标准号="GB/T 7-2020", 中文标准名称="名称a_x005F_b x005F_ _x000D_ _x0041_",
                                     备注="第一行\r\n_x000D_第二行", 起草单位=["x005F_x000A_", "甲_x0009_乙"]),
}
AMBIGUOUS = {
    # ； inside one list item or one source note: the sheet cannot tell it from two; only an unchanged cell reads
    # back to the same record.
    "industry/MZ-T-1-2020.yaml": rec(标准号="MZ/T 1-2020", 中文标准名称="分号", 起草单位=["甲；乙联合体"],
                                     来源=[{"说明": "来源一；来源二 (备注)", "链接": "https://example.org/x"}]),
}


@SHEETS
def test_hostile_values_read_back_unchanged(make_db: Callable[..., Path], tmp_path: Path, sheet: str) -> None:
    db = make_db({**HOSTILE, **AMBIGUOUS})
    before = snapshot(db)

    result, rows = export_then_import(db, tmp_path / "downloads", sheet)

    by_number = {row[0]: row for row in rows[1:]}
    assert by_number["GB/T 1-2020"][1] == '\'=HYPERLINK("http://example.org","点我")'
    assert by_number["GB/T 2-2020"][1] == "''单引号开头" and by_number["GB/T 2-2020"][2] == "''=both"
    assert len(rows) == len(HOSTILE) + len(AMBIGUOUS) + 1  # a line break inside a cell never ends its row
    assert "旧式换行\n第二行" in by_number["GB/T 5-2020"] and "\r" not in "".join(by_number["GB/T 5-2020"])
    assert_unchanged(result, rows)
    assert snapshot(db) == before


def test_a_cell_longer_than_the_csv_modules_default_is_read_and_judged_by_its_field(make_db: Callable[..., Path],
                                                                                     tmp_path: Path) -> None:
    """A list cell of 152,015 characters (each item within a value's limit): more than the csv module reads by
    default (131,072), so it used to be reported as an unpaired quote. It is read, and refused for what it is:
    more than a spreadsheet cell holds (so no export could write it)."""
    db = make_db({})
    cell = "；".join(f"{'甲' * 19_000}{i}" for i in range(8))
    sheet = tmp_path / "long.csv"
    sheet.write_text(f"标准号,中文标准名称,起草单位\nGB/T 6-2020,很长的单元格,{cell}\n", encoding="utf-8")
    assert len(cell) > csv.field_size_limit()

    result = cli("import", str(sheet), "--db", str(db))

    assert result.exit_code == 1, result.output  # a cell left out: the report asks for a fix
    assert (f"第 2 行 GB/T 6-2020：新增；未导入：起草单位: 各项合起来过长，写进表格的一格有 {len(cell)} 个字符"
            in result.stdout)
    assert "引号" not in result.output
    assert "起草单位" not in (db / "national" / "GB-T-6-2020.yaml").read_text(encoding="utf-8")


def test_an_export_imported_into_an_empty_database_exports_the_same(make_db: Callable[..., Path],
                                                                    tmp_path: Path) -> None:
    source = make_db(HOSTILE)
    cli("export", "--db", str(source), "--out", str(tmp_path / "a"), "--as-of", AS_OF.isoformat())
    empty = write_db(tmp_path / "empty", {})

    imported = cli("import", str(tmp_path / "a" / CSV_NAME), "--db", str(empty))
    again = cli("export", "--db", str(empty), "--out", str(tmp_path / "b"), "--as-of", AS_OF.isoformat())

    assert imported.exit_code == 0, imported.output
    assert f"新增 {len(HOSTILE)} 项" in imported.stdout
    assert again.exit_code == 0, again.output
    assert (tmp_path / "b" / CSV_NAME).read_text(encoding="utf-8") == (tmp_path / "a" / CSV_NAME).read_text(
        encoding="utf-8")


def test_an_edited_export_changes_only_what_was_edited(make_db: Callable[..., Path], tmp_path: Path) -> None:
    db = make_db(HOSTILE)
    out = tmp_path / "downloads"
    cli("export", "--db", str(db), "--out", str(out), "--as-of", AS_OF.isoformat())
    rows = list(csv.reader(io.StringIO((out / CSV_NAME).read_text(encoding="utf-8-sig"), newline="")))
    header = rows[0]
    old = next(row for row in rows if row[0] == "GB/T 3-2010")
    old[header.index("被代替标准")] += "；GB/T 3-2030"  # one more, beside the one GB/T 3-2020 implies
    old[header.index("状态")] = "废止"  # the computed status: ignored
    with open(out / "edited.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)

    result = cli("import", str(out / "edited.csv"), "--db", str(db))

    assert "第 4 行 GB/T 3-2010：更新（被代替标准）" in result.stdout.splitlines()
    assert sum("：更新" in line for line in result.stdout.splitlines()) == 1
    text = (db / "national/GB-T-3-2010.yaml").read_text(encoding="utf-8")
    assert text.endswith('被代替标准:\n  - "GB/T 3-2030"\n')  # the implied relation is not written again


@pytest.mark.parametrize(("text", "cell"), [
    ("=1+1", "'=1+1"), ("+86", "'+86"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("'x", "''x"), ("'=x", "''=x"), ("''", "'''"), ("'", "''"), ("x=1", "x=1"), ("", ""), ("甲", "甲"),
])
def test_the_formula_guard_is_undone_exactly(text: str, cell: str) -> None:
    assert guard_formula(text) == cell
    assert unguard_formula(cell) == text


@pytest.mark.parametrize("cell", ["'x", "'", "x'=", "'甲"])
def test_a_quote_the_guard_did_not_add_stays(cell: str) -> None:
    assert unguard_formula(cell) == cell
