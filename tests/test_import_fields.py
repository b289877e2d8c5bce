"""`stdportal import`: a bad cell costs its field, not the row; the report names each field left out and why.

Each row stands for a class: a value the field's kind refuses (TC291 in a list of numbers), an order the
checker refuses across fields (废止日期 before 实施日期), a relation to itself, a value outside a vocabulary, an
unreadable cell. Every sheet is made by the test in tmp_path; the records are synthetic.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from support import record

from generator.importer import import_table
from generator.pipeline import check
from generator.problems import Severity
from generator.yamlpos import parse_yaml

HEADER = ["标准号", "中文标准名称", "发布日期", "实施日期", "废止日期", "被代替标准", "代替标准", "领域", "归口单位"]
ROWS = [
    # 被代替标准 holds a technical-committee code, not a number.
    ["GB/T 30001-2020", "甲", "2020-01-01", "2020-07-01", "", "TC291", "", "", "全国某标准化技术委员会"],
    # 废止日期 before 实施日期.
    ["GB/T 30002-2020", "乙", "2020-01-01", "2020-07-01", "2020-03-01", "", "", "", ""],
    # Replaced by itself (in another spelling), and a domain that does not exist.
    ["GB/T 30003-2020", "丙", "", "", "", "GB/T30003—2020", "", "不存在的领域", "某单位"],
    # A date no calendar has, and a good list of numbers beside it.
    ["GB/T 30004-2020", "丁", "2020-02-30", "", "", "", "GB/T 30004-2010", "", ""],
    # Nothing wrong.
    ["GB/T 30005-2020", "戊", "2020-01-01", "2020-07-01", "", "", "", "幼有所育", ""],
    # Only a bad number or title skips the row.
    ["GB/T 3000X-2020", "己", "", "", "", "", "", "", ""],
    ["GB/T 30006-2020", "", "", "", "", "TC291", "", "", ""],
]

REPORT = [
    "第 2 行 GB/T 30001-2020：新增；未导入：被代替标准: \"TC291\" 不是有效的标准号",
    "第 3 行 GB/T 30002-2020：新增；未导入：废止日期: 2020-03-01 早于实施日期 2020-07-01",
    "第 4 行 GB/T 30003-2020：新增；未导入：被代替标准: 不能引用本标准自己 GB/T 30003-2020；"
    "领域: 未知的领域 \"不存在的领域\"（见 standards/vocabularies/）",
    "第 5 行 GB/T 30004-2020：新增；未导入：发布日期: 不是有效日期 \"2020-02-30\"",
    "第 6 行 GB/T 30005-2020：新增",
    "第 7 行 GB/T 3000X-2020：跳过：标准号格式不对 \"GB/T 3000X-2020\"，应形如 GB/T 35796-2017、MZ/T 133-2019 或 "
    "DB37/T 4591-2023",
    "第 8 行 GB/T 30006-2020：跳过：缺少 中文标准名称（没有中文名称时至少填写 英文标准名称）",
]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


@pytest.fixture
def db(make_db: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_db({"national/GB-T-30009-2020.yaml": record("GB/T 30009-2020", "已有的标准")})


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fields_of(db: Path, name: str) -> dict:
    return parse_yaml((db / "national" / name).read_text(encoding="utf-8")).data


def test_a_bad_cell_costs_its_field_and_the_report_says_which_and_why(db: Path, tmp_path: Path) -> None:
    report = import_table(write_csv(tmp_path / "s.csv", [HEADER, *ROWS]), db)

    assert [r.line for r in report.rows] == REPORT
    assert report.summary == ("共 7 行：新增 5 项，更新 0 项，无变化 0 项，跳过 2 行。"
                              "有 5 个单元格未导入（见各行说明）。已写入 5 个文件。")
    # The rest of each row is written: what was good stays, what was bad is not in the file.
    first = fields_of(db, "GB-T-30001-2020.yaml")
    assert first["实施日期"] == "2020-07-01" and first["归口单位"] == "全国某标准化技术委员会"
    assert "被代替标准" not in first
    assert "废止日期" not in fields_of(db, "GB-T-30002-2020.yaml")
    third = fields_of(db, "GB-T-30003-2020.yaml")
    assert "被代替标准" not in third and "领域" not in third and third["归口单位"] == "某单位"
    fourth = fields_of(db, "GB-T-30004-2020.yaml")
    assert "发布日期" not in fourth and fourth["代替标准"] == ["GB/T 30004-2010"]
    assert not (db / "national/GB-T-30006-2020.yaml").exists()
    # What was written passes `stdportal check`.
    assert [p for p in check(db) if p.severity is Severity.ERROR] == []


def test_dry_run_reports_the_same_and_writes_nothing(db: Path, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "s.csv", [HEADER, *ROWS])
    before = snapshot(db)

    dry = import_table(sheet, db, dry_run=True)

    assert [r.line for r in dry.rows] == REPORT
    assert snapshot(db) == before
    real = import_table(sheet, db)
    assert [r.line for r in real.rows] == REPORT
    assert set(dry.writes) == set(real.writes) and dry.writes == real.writes


def test_a_second_import_of_the_same_sheet_changes_nothing(db: Path, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "s.csv", [HEADER, *ROWS])
    import_table(sheet, db)
    after_first = snapshot(db)

    second = import_table(sheet, db)

    assert second.writes == {}
    assert snapshot(db) == after_first
    assert [r.action for r in second.rows] == ["same"] * 5 + ["skip"] * 2
    # The cells left out are still named: the sheet still holds them.
    assert second.rows[0].line == "第 2 行 GB/T 30001-2020：无变化；未导入：被代替标准: \"TC291\" 不是有效的标准号"


def test_an_update_keeps_the_good_cells_and_leaves_out_the_bad(db: Path, tmp_path: Path) -> None:
    rows = [["标准号", "实施日期", "废止日期", "被代替标准", "归口单位"],
            ["GB/T 30009-2020", "2020-07-01", "2019-01-01", "GB/T 30009-2020", "某委员会"]]

    report = import_table(write_csv(tmp_path / "u.csv", rows), db)

    assert [r.line for r in report.rows] == [
        "第 2 行 GB/T 30009-2020：更新（实施日期、归口单位）；未导入：废止日期: 2019-01-01 早于实施日期 2020-07-01；"
        "被代替标准: 不能引用本标准自己 GB/T 30009-2020"]
    data = fields_of(db, "GB-T-30009-2020.yaml")
    assert data["实施日期"] == "2020-07-01" and data["归口单位"] == "某委员会"
    assert "废止日期" not in data and "被代替标准" not in data


def test_a_cell_at_odds_with_the_file_is_left_out(make_db: Callable[..., Path], tmp_path: Path) -> None:
    # The sheet's 实施日期 is before the file's 发布日期: the sheet's cell is what is left out.
    db = make_db({"national/GB-T-30010-2020.yaml": record("GB/T 30010-2020", "某标准", 发布日期="2020-09-01")})
    rows = [["标准号", "实施日期"], ["GB/T 30010-2020", "2020-07-01"]]
    before = snapshot(db)

    report = import_table(write_csv(tmp_path / "f.csv", rows), db)

    assert [r.line for r in report.rows] == [
        "第 2 行 GB/T 30010-2020：无变化；未导入：实施日期: 2020-07-01 早于发布日期 2020-09-01"]
    assert snapshot(db) == before


def test_a_problem_the_file_had_already_skips_the_row(make_db: Callable[..., Path], tmp_path: Path) -> None:
    # The file's own 领域 is unknown: leaving the sheet's cells out cannot mend it, so the row is skipped with the
    # checker's reason rather than written with the error kept.
    db = make_db({"national/GB-T-30011-2020.yaml": record("GB/T 30011-2020", "某标准", 领域=["不存在的领域"])})
    rows = [["标准号", "归口单位"], ["GB/T 30011-2020", "某委员会"]]
    before = snapshot(db)

    report = import_table(write_csv(tmp_path / "f.csv", rows), db)

    assert [r.line for r in report.rows] == [
        "第 2 行 GB/T 30011-2020：跳过：领域: 未知的领域 \"不存在的领域\"（见 standards/vocabularies/）"]
    assert snapshot(db) == before


@pytest.mark.parametrize(("typed", "stored", "name"), [
    ("DB 37/T 2904—2019", "DB37/T 2904-2019", "local/DB37-T-2904-2019.yaml"),
    ("DB12/ 684-2016", "DB12/ 684-2016", "local/DB12-684-2016.yaml"),
    ("DB32/3920-2020", "DB32/ 3920-2020", "local/DB32-3920-2020.yaml"),
    ("DBJ/T15-20-2016", "DBJ/T 15-20-2016", "local/DBJ-T-15-20-2016.yaml"),
    ("DG/TJ08-2291B-2022", "DG/TJ08-2291B-2022", "local/DG-TJ08-2291B-2022.yaml"),
    ("DB1331/T 025.1-2022", "DB1331/T 025.1-2022", "local/DB1331-T-025.1-2022.yaml"),
])
def test_every_published_spelling_is_imported_in_its_canonical_form(make_db: Callable[..., Path], tmp_path: Path,
                                                                  typed: str, stored: str, name: str) -> None:
    db = make_db({})
    report = import_table(write_csv(tmp_path / "n.csv", [["标准号", "中文标准名称"], [typed, "某标准"]]), db)

    assert [r.action for r in report.rows] == ["new"], report.rows[0].line
    data = parse_yaml((db / name).read_text(encoding="utf-8")).data
    assert data["标准号"] == stored
    assert data.get("原文标准号") == (typed if typed != stored else None)
    assert [p for p in check(db) if p.severity is Severity.ERROR] == []


@pytest.mark.parametrize(("typed", "stored"), [
    ("《养老机构服务质量基本规范》", "养老机构服务质量基本规范"),
    (" 《 老年人能力评估规范 》 ", "老年人能力评估规范"),
    ("《标准化工作导则》编写规则", "《标准化工作导则》编写规则"),  # marks inside a name are part of it
    ("《甲》和《乙》的衔接", "《甲》和《乙》的衔接"),
])
def test_a_title_quoted_in_book_title_marks_is_the_title(make_db: Callable[..., Path], tmp_path: Path,
                                                          typed: str, stored: str) -> None:
    """Notices and published lists quote a standard's name as 《…》: the record stores the name, and a list that
    quotes a name the database has already is no change to it."""
    db = make_db({"national/GB-T-30009-2020.yaml": record("GB/T 30009-2020", stored)})
    rows = [["标准号", "中文标准名称", "英文标准名称"], ["GB/T 30009-2020", typed, ""],
            ["GB/T 30008-2020", typed, "《Terminology》"]]
    report = import_table(write_csv(tmp_path / "quoted.csv", rows), db)

    assert [r.action for r in report.rows] == ["same", "new"], [r.line for r in report.rows]
    assert fields_of(db, "GB-T-30008-2020.yaml")["中文标准名称"] == stored
    assert fields_of(db, "GB-T-30008-2020.yaml")["英文标准名称"] == "Terminology"
    assert [p for p in check(db) if p.severity is Severity.ERROR] == []


def test_a_column_of_numbers_and_names_together_is_split(make_db: Callable[..., Path], tmp_path: Path) -> None:
    """Some lists give a standard's number and name in one cell, either way round, the name quoted or not, the
    number in brackets or not, an edition with the number; a cell with no number is a row without one."""
    db = make_db({"national/GB-T-30009-2020.yaml": record("GB/T 30009-2020", "已有的标准")})
    rows = [["序号", "标准编号及名称", "发布日期"],
            ["1", "GB/T 30009-2020 已有的标准", ""],
            ["2", "GB/T30008—2020《第二个标准》", "2020-03-01"],
            ["3", "第三个标准 第2部分：术语（GB/T 30007.2-2020）", ""],
            ["4", "第四个标准 JGJ 39-2016（2019年版）", ""],
            ["5", "只有名称", ""]]
    report = import_table(write_csv(tmp_path / "both.csv", rows), db)

    assert "“标准编号及名称”列拆分为 标准号 和 中文标准名称" in report.notes
    assert [(r.number, r.action) for r in report.rows] == [
        ("GB/T 30009-2020", "same"), ("GB/T 30008-2020", "new"), ("GB/T 30007.2-2020", "new"),
        ("JGJ 39-2016(2019年版)", "new"), ("只有名称", "skip")]
    assert fields_of(db, "GB-T-30008-2020.yaml")["中文标准名称"] == "第二个标准"
    assert fields_of(db, "GB-T-30008-2020.yaml")["原文标准号"] == "GB/T30008—2020"
    assert fields_of(db, "GB-T-30007.2-2020.yaml")["中文标准名称"] == "第三个标准 第2部分：术语"
    assert [p for p in check(db) if p.severity is Severity.ERROR] == []


def test_a_column_of_both_beside_a_number_column_is_not_read(make_db: Callable[..., Path], tmp_path: Path) -> None:
    db = make_db({})
    rows = [["标准号", "标准名称及编号", "标准名称"], ["GB/T 30008-2020", "别的 GB/T 1-2020", "第二个标准"]]
    report = import_table(write_csv(tmp_path / "both.csv", rows), db)

    assert "忽略“标准名称及编号”列：表格另有标准号列" in report.notes
    assert [(r.number, r.action) for r in report.rows] == [("GB/T 30008-2020", "new")]
    assert fields_of(db, "GB-T-30008-2020.yaml")["中文标准名称"] == "第二个标准"


def test_a_column_of_english_names_beside_the_chinese_is_the_english_title(make_db: Callable[..., Path],
                                                                            tmp_path: Path) -> None:
    """标准名称（英文） first and 标准名称（中文） second: the English names must not become the Chinese titles."""
    db = make_db({})
    rows = [["标准号", "标准名称（英文）", "标准名称（中文）"], ["GB/T 30008-2020", "Terminology", "术语"]]
    report = import_table(write_csv(tmp_path / "names.csv", rows), db)

    assert [(r.number, r.action) for r in report.rows] == [("GB/T 30008-2020", "new")]
    assert fields_of(db, "GB-T-30008-2020.yaml")["中文标准名称"] == "术语"
    assert fields_of(db, "GB-T-30008-2020.yaml")["英文标准名称"] == "Terminology"


def test_a_number_in_a_date_column_is_read_as_an_excel_date_only_when_it_can_be_one_and_the_report_says_so(
        db: Path, tmp_path: Path) -> None:
    """A date typed into a General cell stays Excel's day count (45000 is 2023-03-15): it is read, and the row
    says how. A number that would be a date generations ahead (99999: 2173) or before any standard (12345) is
    some other number: its cell is left out, no date is made up."""
    sheet = write_csv(tmp_path / "q.csv", [["标准号", "中文标准名称", "实施日期", "发布日期"],
                                           ["GB/T 39916-2020", "甲", "99999", "12345"],
                                           ["GB/T 39917-2020", "乙", "45000", ""],
                                           ["GB/T 39918-2020", "丙", "20230315", "2023-01-01"]])
    report = import_table(sheet, db)
    lines = [r.line for r in report.rows]
    assert lines[0].startswith("第 2 行 GB/T 39916-2020：新增；未导入：")
    assert "数字 99999 不是日期" in lines[0] and "数字 12345 不是日期" in lines[0]
    assert lines[1] == "第 3 行 GB/T 39917-2020：新增（实施日期 45000 按 Excel 日期序号读作 2023-03-15，请核对）"
    assert lines[2] == "第 4 行 GB/T 39918-2020：新增"  # a date written as digits is a date, not a day count
    assert "实施日期" not in fields_of(db, "GB-T-39916-2020.yaml")
    assert fields_of(db, "GB-T-39917-2020.yaml")["实施日期"] == "2023-03-15"
    assert fields_of(db, "GB-T-39918-2020.yaml")["实施日期"] == "2023-03-15"
