"""`stdportal import`: sheets from Excel and WPS (XLSX, GBK and UTF-8 CSV) into the database, row by row.

Every sheet here is made by the test in tmp_path; the records it creates are synthetic and never leave it.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from support import record

from generator.cli import main
from generator.fields import FIELD_BY_KEY
from generator.importer import convert_cell, header_field, import_table, update_text
from generator.pipeline import check
from generator.problems import Severity
from generator.yamlpos import parse_yaml

# An existing record written by hand: comments, a flow list, and fields a sheet will not mention.
EXISTING = """\
# 社区公共服务 通用要求（手工录入）
标准号: "GB/T 10001-2020"
中文标准名称: "社区公共服务 通用要求"
英文标准名称: "Community public services - General requirements"
# 日期核对自全国标准信息公共服务平台
发布日期: 2020-03-06
实施日期: 2020-10-01  # 待核实
领域: [幼有所育]

来源:
  - 链接: "https://std.samr.gov.cn/"
    说明: "全国标准信息公共服务平台"
备注: "保留此行"
"""


@pytest.fixture
def db(make_db: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_db({"national/GB-T-10001-2020.yaml": EXISTING,
                    "industry/MZ-T-300-2019.yaml": record("MZ/T 300-2019", "老年人能力评估")})


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, ["import", *args, "--db", "standards"])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def make_xlsx(path: Path, rows: list[list[object]], *, sheet: str = "标准清单", other: str | None = None) -> Path:
    book = openpyxl.Workbook()
    if other:
        book.active.title = other
        book.active.append(["说明"])
        worksheet = book.create_sheet(sheet)
    else:
        worksheet = book.active
        worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    for cell in worksheet["D"]:  # a date-formatted column, as Excel shows dates
        if isinstance(cell.value, dt.datetime):
            cell.number_format = "yyyy-mm-dd"
    book.save(path)
    return path


XLSX_ROWS: list[list[object]] = [
    ["基本公共服务标准导入清单"],  # a title row above the header
    ["标准编号", "标准名称", "发 布 日 期", "实施日期", "技术归口", "中国标准分类号（CCS）", "ICS", "起草单位", "领域",
     "代替标准号", "页码"],
    # Excel serial dates (typed into General cells) and a datetime cell.
    ["GB/T 20001-2023", "托育机构服务规范", 45108, dt.datetime(2024, 1, 1), "全国服务标准化技术委员会", "A12",
     "03.080.30", "甲研究院；乙中心、丙大学", "幼有所育", "", 3],
    # An existing number in another spelling: only the differing, filled fields change.
    ["GB/T10001—2020", "社区公共服务 通用要求", "2020-03-06", 45292, "全国社区服务标准化技术委员会", "", "", "", "",
     "", 4],
    # 实施日期 before 发布日期.
    ["GB/T 20002-2023", "反例一", "2023-07-01", "2023-01-01", "", "", "", "", "", "", 5],
    [None, None, None, None],  # an empty row is passed over silently
    # A date that does not exist, and a domain not in the vocabulary.
    ["GB/T 20003-2023", "反例二", "2023-02-30", "", "", "", "", "", "", "", 6],
    ["GB/T 20004-2023", "反例三", "", "", "", "", "", "", "不存在的领域", "", 7],
    ["不是标准号", "反例四", "", "", "", "", "", "", "", "", 8],
    ["MZ/T 300-2019", "老年人能力评估", "", "", "", "", "", "", "", "", 9],
]

XLSX_REPORT = [
    "注意：忽略无法识别的列：页码",
    "第 3 行 GB/T 20001-2023：新增（发布日期 45108 按 Excel 日期序号读作 2023-07-01，请核对）",
    "第 4 行 GB/T 10001-2020：更新（原文标准号、实施日期、归口单位）（表格中写作 GB/T10001—2020）"
    "（实施日期 45292 按 Excel 日期序号读作 2024-01-01，请核对）",
    # A bad cell costs its field, not the row.
    "第 5 行 GB/T 20002-2023：新增；未导入：实施日期: 2023-01-01 早于发布日期 2023-07-01",
    '第 7 行 GB/T 20003-2023：新增；未导入：发布日期: 不是有效日期 "2023-02-30"',
    '第 8 行 GB/T 20004-2023：新增；未导入：领域: 未知的领域 "不存在的领域"（见 standards/vocabularies/）',
    '第 9 行 不是标准号：跳过：标准号格式不对 "不是标准号"，应形如 GB/T 35796-2017、MZ/T 133-2019 或 DB37/T 4591-2023',
    "第 10 行 MZ/T 300-2019：无变化",
]


def test_xlsx_import_reports_row_by_row(db: Path, tmp_path: Path) -> None:
    sheet = make_xlsx(tmp_path / "清单.xlsx", XLSX_ROWS)

    result = run(str(sheet))

    assert result.stdout.splitlines() == [
        *XLSX_REPORT,
        "共 7 行：新增 4 项，更新 1 项，无变化 1 项，跳过 1 行。有 3 个单元格未导入（见各行说明）。已写入 5 个文件。",
    ]
    assert result.exit_code == 1  # a row was skipped and cells left out: the maintainer has something to fix
    assert "有 1 行被跳过、3 个单元格未导入、0 个错误" in result.stderr
    new = (db / "national/GB-T-20001-2023.yaml").read_text(encoding="utf-8")
    assert new == """\
# yaml-language-server: $schema=../../schema/standard.schema.json
# 必填。如 GB/T 35796-2017、MZ/T 133-2019、DB37/T 4591-2023；文件名由它得出
标准号: "GB/T 20001-2023"
# 中文标准名称与英文标准名称至少填一个；不加书名号《》
中文标准名称: "托育机构服务规范"
# 形如 2017-12-29
发布日期: 2023-07-01
# 形如 2018-07-01；不能早于发布日期
实施日期: 2024-01-01
# CCS 分类号，如 A12，可填多个
中国标准分类号:
  - "A12"
# ICS 分类号，如 03.080.30，可填多个
国际标准分类号:
  - "03.080.30"
# 归口单位或技术委员会
归口单位: "全国服务标准化技术委员会"
# 起草单位列表
起草单位:
  - "甲研究院"
  - "乙中心"
  - "丙大学"
# 基本公共服务领域，取自 standards/vocabularies/domains.yaml
领域:
  - "幼有所育"
# 信息来源列表，每项含 链接 和/或 说明
来源:
  - 说明: "由 清单.xlsx 导入"
"""
    assert check(db) == []


def test_update_keeps_what_the_sheet_does_not_mention(db: Path, tmp_path: Path) -> None:
    make_xlsx(tmp_path / "清单.xlsx", XLSX_ROWS)

    run("清单.xlsx")

    # Only the changed line and the inserted field differ; comments, blank lines and the flow list stay.
    assert (db / "national/GB-T-10001-2020.yaml").read_text(encoding="utf-8") == """\
# 社区公共服务 通用要求（手工录入）
标准号: "GB/T 10001-2020"
原文标准号: "GB/T10001—2020"
中文标准名称: "社区公共服务 通用要求"
英文标准名称: "Community public services - General requirements"
# 日期核对自全国标准信息公共服务平台
发布日期: 2020-03-06
实施日期: 2024-01-01
归口单位: "全国社区服务标准化技术委员会"
领域: [幼有所育]

来源:
  - 链接: "https://std.samr.gov.cn/"
    说明: "全国标准信息公共服务平台"
  - 说明: "由 清单.xlsx 导入"
备注: "保留此行"
"""


def test_dry_run_writes_nothing_and_reports_the_same(db: Path, tmp_path: Path) -> None:
    make_xlsx(tmp_path / "清单.xlsx", XLSX_ROWS)
    before = snapshot(db)

    result = run("清单.xlsx", "--dry-run")

    assert result.stdout.splitlines() == [
        *XLSX_REPORT,
        "共 7 行：新增 4 项，更新 1 项，无变化 1 项，跳过 1 行。有 3 个单元格未导入（见各行说明）。"
        "（试运行：未写入任何文件）",
    ]
    assert snapshot(db) == before


def test_second_import_changes_nothing(db: Path, tmp_path: Path) -> None:
    rows = [row for row in XLSX_ROWS if not (isinstance(row[0], str) and row[0].startswith(("GB/T 2000", "不是")))
            or row[0] == "GB/T 20001-2023"]
    make_xlsx(tmp_path / "清单.xlsx", rows)
    first = run("清单.xlsx")
    assert first.exit_code == 0, first.output
    after_first = snapshot(db)

    second = run("清单.xlsx")

    assert second.exit_code == 0, second.output
    assert second.stdout.splitlines() == [
        "注意：忽略无法识别的列：页码",
        "第 3 行 GB/T 20001-2023：无变化",
        "第 4 行 GB/T 10001-2020：无变化",
        "第 6 行 MZ/T 300-2019：无变化",
        "共 3 行：新增 0 项，更新 0 项，无变化 3 项，跳过 0 行。已写入 0 个文件。",
    ]
    assert snapshot(db) == after_first


def test_sheet_option_picks_the_sheet(db: Path, tmp_path: Path) -> None:
    make_xlsx(tmp_path / "book.xlsx", [["标准号", "中文标准名称"], ["GB/T 20009-2023", "测试"]], other="封面")

    first = run("book.xlsx")  # the first sheet has no 标准号 column
    chosen = run("book.xlsx", "--sheet", "标准清单")
    missing = run("book.xlsx", "--sheet", "没有")

    assert first.exit_code == 1 and "找不到表头行" in first.stderr
    assert "读取工作表“封面”（另有：标准清单），可用 --sheet 指定其他工作表" in first.stderr
    assert chosen.stdout.splitlines()[:2] == ["注意：读取工作表“标准清单”（另有：封面）",
                                              "第 2 行 GB/T 20009-2023：新增"]
    assert missing.exit_code == 1 and "没有名为“没有”的工作表，可选：封面、标准清单" in missing.stderr


GBK_ROWS = [
    ["标准编号", "标准名称", "状态", "发布部门", "发布日期", "实施日期", "代替标准号", "起草人", "CCS"],
    ["DB37/T 5001-2023", "社区养老服务中心服务规范", "现行", "山东省市场监督管理局", "2023/7/1", "2023年8月1日",
     "DB37/T 5001-2015", "张三、李四\n王五", "A12"],
    ["GB/T 10001-2020", "", "", "国家市场监督管理总局", "2020年3月6日", "2020/10/1", "", "", ""],
    ["DB37T5002-2023", "农村幸福院建设规范", "", "", "2023.7.1", "2023-07-01", "", "", ""],
]


def write_csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    with open(path, "w", encoding=encoding, newline="") as out:
        csv.writer(out).writerows(rows)
    return path


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_from_excel_in_any_encoding(db: Path, tmp_path: Path, encoding: str) -> None:
    write_csv(tmp_path / "导入.csv", GBK_ROWS, encoding)

    result = run("导入.csv")

    assert result.stdout.splitlines() == [
        "第 2 行 DB37/T 5001-2023：新增",
        "第 3 行 GB/T 10001-2020：更新（发布单位）",  # the same dates in other spellings are no change
        # A run-in spelling of the number is taken in its canonical form; the sheet's goes into 原文标准号.
        "第 4 行 DB37/T 5002-2023：新增（表格中写作 DB37T5002-2023）",
        "共 3 行：新增 2 项，更新 1 项，无变化 0 项，跳过 0 行。已写入 3 个文件。",
        "检查写入的文件时发现以下问题：",
        "standards/local/DB37-T-5001-2023.yaml:14:5: 提示: 代替标准: DB37/T 5001-2015 未收录于数据库，"
        "页面上不会链接到它",
    ]
    assert result.exit_code == 0, result.output
    data = parse_yaml((db / "local/DB37-T-5001-2023.yaml").read_text(encoding="utf-8")).data
    assert data["发布日期"] == "2023-07-01" and data["实施日期"] == "2023-08-01"
    assert data["起草人"] == ["张三", "李四", "王五"]
    assert data["标准状态"] == "现行" and data["发布单位"] == "山东省市场监督管理局"
    assert data["来源"] == [{"说明": "由 导入.csv 导入"}]
    assert parse_yaml((db / "local/DB37-T-5002-2023.yaml").read_text(encoding="utf-8")).data["原文标准号"] \
        == "DB37T5002-2023"
    assert [p for p in check(db) if p.severity is Severity.ERROR] == []


def test_source_column_replaces_the_default_source(db: Path, tmp_path: Path) -> None:
    rows = [["标准号", "中文标准名称", "来源"],
            ["GB/T 20010-2023", "测试", "全国标准信息公共服务平台 https://std.samr.gov.cn/；编者整理"],
            ["GB/T 10001-2020", "", "https://std.samr.gov.cn/；地方标准信息服务平台"]]
    write_csv(tmp_path / "s.csv", rows, "utf-8")
    write_csv(tmp_path / "again.csv", [rows[0], ["GB/T 10001-2020", "", "https://std.samr.gov.cn/"]], "utf-8")

    result = run("s.csv")
    again = run("again.csv")

    assert result.stdout.splitlines()[:2] == ["第 2 行 GB/T 20010-2023：新增", "第 3 行 GB/T 10001-2020：更新（来源）"]
    assert again.stdout.splitlines()[0] == "第 2 行 GB/T 10001-2020：无变化"  # a source the record has already
    data = parse_yaml((db / "national/GB-T-20010-2023.yaml").read_text(encoding="utf-8")).data
    assert data["来源"] == [{"链接": "https://std.samr.gov.cn/", "说明": "全国标准信息公共服务平台"},
                          {"说明": "编者整理"}]
    # Only the source the record lacked is added, and no 由…导入 entry: the sheet names its sources.
    old = parse_yaml((db / "national/GB-T-10001-2020.yaml").read_text(encoding="utf-8")).data
    assert old["来源"] == [{"链接": "https://std.samr.gov.cn/", "说明": "全国标准信息公共服务平台"},
                         {"说明": "地方标准信息服务平台"}]


def test_a_sheet_without_a_number_column_is_refused(db: Path, tmp_path: Path) -> None:
    write_csv(tmp_path / "x.csv", [["名称", "日期"], ["a", "b"]], "utf-8")

    result = run("x.csv")

    assert result.exit_code == 1
    assert "在前 20 行中找不到表头行：表格中应有一列“标准号”" in result.stderr
    assert "文件是按逗号分隔读取的" in result.stderr


@pytest.mark.parametrize(("header", "key"), [
    ("标准名称", "中文标准名称"), ("标准编号", "标准号"), ("状态", "标准状态"), ("代替标准号", "代替标准"),
    ("被代替标准号", "被代替标准号"), ("被代替标准", "被代替标准"),
    ("发布部门", "发布单位"), ("批准发布部门", "发布单位"), ("技术归口", "归口单位"),
    ("归口", "归口单位"), ("CCS", "中国标准分类号"), ("ccs", "中国标准分类号"),
    ("中国标准分类号（CCS）", "中国标准分类号"),
    ("ICS", "国际标准分类号"), ("ＩＣＳ", "国际标准分类号"), (" 标准号* ", "标准号"), ("实　施　日　期", "实施日期"),
    ("国家标准编号", "标准号"), ("国家标准名称", "中文标准名称"), ("批准日期", "发布日期"), ("发布时间", "发布日期"),
    ("实施时间", "实施日期"), ("批准发布日期", "发布日期"), ("作废日期", "废止日期"), ("批准部门", "发布单位"),
    ("行政区划", "地区"), ("范围", "适用范围"), ("标准号/计划号", "标准号"),
    # A note that the names are English makes a column of names the English one.
    ("标准名称（中文）", "中文标准名称"), ("标准名称（英文）", "英文标准名称"), ("名称(English)", "英文标准名称"),
    ("标准名称\n（英文）", "英文标准名称"), ("标准号（英文）", "标准号"),
    ("页码", None), (None, None), ("发布年份", None),  # a year is not a date
])
def test_header_variants(header: str | None, key: str | None) -> None:
    assert header_field(header) == key


@pytest.mark.parametrize("cell", ["2023-07-01", "2023/7/1", "2023.7.1", "2023年7月1日", "2023 年 7 月 1 日", 45108,
                                  45108.0, "45108", "20230701", dt.datetime(2023, 7, 1), dt.date(2023, 7, 1),
                                  "2023-07-01 00:00:00"])
def test_date_cells(cell: object) -> None:
    assert convert_cell(FIELD_BY_KEY["发布日期"], cell) == "2023-07-01"


def test_list_cells_split_on_chinese_and_ascii_separators() -> None:
    assert convert_cell(FIELD_BY_KEY["起草单位"], "甲；乙;丙、丁\n戊") == ["甲", "乙", "丙", "丁", "戊"]
    assert convert_cell(FIELD_BY_KEY["代替标准"], "GB/T 1-2000；GBT 2-2001") == ["GB/T 1-2000", "GB/T 2-2001"]
    assert convert_cell(FIELD_BY_KEY["地区"], 370100) == "370100"
    assert convert_cell(FIELD_BY_KEY["起草单位"], "  ") is None


def test_update_text_falls_back_for_a_flow_mapping() -> None:
    assert update_text('{标准号: "GB/T 1-2020", 中文标准名称: a}\n', {"中文标准名称": "b"}) is None


def test_update_text_inserts_fields_in_table_order() -> None:
    text = '# 头注释\n标准号: "GB/T 1-2020"\n中文标准名称: "a"\n# 领域注释\n领域:\n  - "老有所养"\n'

    new = update_text(text, {"发布日期": "2020-01-01", "英文标准名称": "b", "备注": "c"})

    assert new == ('# 头注释\n标准号: "GB/T 1-2020"\n中文标准名称: "a"\n英文标准名称: "b"\n发布日期: 2020-01-01\n'
                   '# 领域注释\n领域:\n  - "老有所养"\n备注: "c"\n')


def test_import_into_a_scaffolded_record_fills_its_empty_fields(db: Path, tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["new", "--db", "standards", "-n", "GB/T 20011-2023", "-t", "测试"]).exit_code == 0
    path = db / "national/GB-T-20011-2023.yaml"
    before = path.read_text(encoding="utf-8").splitlines()
    write_csv(tmp_path / "s.csv", [["标准号", "英文标准名称", "实施日期"], ["GB/T 20011-2023", "Test", "2023-09-01"]],
              "utf-8")

    result = run("s.csv")

    assert result.stdout.splitlines()[0] == "第 2 行 GB/T 20011-2023：更新（英文标准名称、实施日期）"
    expected = []
    for line in before:
        expected.append({"英文标准名称:": '英文标准名称: "Test"', "实施日期:": "实施日期: 2023-09-01"}.get(line, line))
        if line == "来源:":
            expected.append('  - 说明: "由 s.csv 导入"')
    assert path.read_text(encoding="utf-8").splitlines() == expected
    assert check(db) == []


def test_import_api_dry_run(db: Path, tmp_path: Path) -> None:
    write_csv(tmp_path / "s.csv", [["标准号", "中文标准名称"], ["GB/T 20012-2023", "测试"]], "utf-8")

    report = import_table(tmp_path / "s.csv", db, dry_run=True)

    assert [r.line for r in report.rows] == ["第 2 行 GB/T 20012-2023：新增"]
    assert list(report.writes) == [db / "national/GB-T-20012-2023.yaml"]
    assert not (db / "national/GB-T-20012-2023.yaml").exists()


# --- lists as governments publish them ----------------------------------------------------------------------


def book_of(path: Path, sheets: dict[str, list[list[object]]], *, hidden: tuple[str, ...] = (),
            active: int = 0) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        worksheet = book.create_sheet(title)
        for row in rows:
            worksheet.append(row)
        if title in hidden:
            worksheet.sheet_state = "hidden"
    book.active = active  # an index: openpyxl lets a file name a hidden sheet active, as a crafted file may
    book.save(path)
    return path


OLD_AND_NEW = {"旧数据": [["标准号", "中文标准名称"], ["GB/T 20020-2023", "旧数据中的标准"]],
               "清单": [["标准号", "中文标准名称"], ["GB/T 20021-2023", "清单中的标准"]]}


@pytest.mark.parametrize("active", [1, 0])
def test_the_visible_active_sheet_is_read_never_a_hidden_one(db: Path, tmp_path: Path, active: int) -> None:
    book_of(tmp_path / "book.xlsx", OLD_AND_NEW, hidden=("旧数据",), active=active)

    result = run("book.xlsx")

    assert result.stdout.splitlines()[:2] == ["注意：读取工作表“清单”（另有：旧数据〔隐藏〕）",
                                              "第 2 行 GB/T 20021-2023：新增"]
    assert not (db / "national/GB-T-20020-2023.yaml").exists()
    named = run("book.xlsx", "--sheet", "旧数据")  # a hidden sheet is read when it is named
    assert named.stdout.splitlines()[:2] == ["注意：读取工作表“旧数据”（另有：清单）", "第 2 行 GB/T 20020-2023：新增"]


def test_the_active_sheet_is_read_and_a_single_sheet_is_not_named(db: Path, tmp_path: Path) -> None:
    book_of(tmp_path / "two.xlsx", {"封面": [["说明"]], **OLD_AND_NEW}, active=2)
    book_of(tmp_path / "one.xlsx", {"清单": OLD_AND_NEW["清单"]})

    assert run("two.xlsx", "--dry-run").stdout.splitlines()[:2] == [
        "注意：读取工作表“清单”（另有：封面、旧数据）", "第 2 行 GB/T 20021-2023：新增"]
    assert run("one.xlsx", "--dry-run").stdout.splitlines()[0] == "第 2 行 GB/T 20021-2023：新增"


def test_a_header_of_two_rows_with_merged_cells(db: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "标准号", "标准名称", "日期", None])
    sheet.append([None, None, None, "发布日期", "实施日期"])
    for merged in ("A1:A2", "B1:B2", "C1:C2", "D1:E1"):
        sheet.merge_cells(merged)
    sheet.append([1, "GB/T 20030-2023", "两行表头", dt.datetime(2023, 7, 1), "2023-10-01"])
    book.save(tmp_path / "merged.xlsx")

    result = run("merged.xlsx")

    assert result.stdout.splitlines() == ["注意：表头占两行（第 1、2 行）", "注意：忽略无法识别的列：序号",
                                          "第 3 行 GB/T 20030-2023：新增",
                                          "共 1 行：新增 1 项，更新 0 项，无变化 0 项，跳过 0 行。已写入 1 个文件。"]
    data = parse_yaml((db / "national/GB-T-20030-2023.yaml").read_text(encoding="utf-8")).data
    assert (data["发布日期"], data["实施日期"]) == ("2023-07-01", "2023-10-01")


@pytest.mark.parametrize("title_row", [False, True])
def test_a_header_of_two_rows_whose_upper_row_names_the_dates(db: Path, tmp_path: Path, title_row: bool) -> None:
    """标准 merged over 标准号 | 标准名称, the dates merged down: the names are in both rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    if title_row:
        sheet.append(["2023 年基本公共服务标准目录"])
    top = 2 if title_row else 1
    sheet.append(["序号", "标准", None, "发布日期", "实施日期"])
    sheet.append([None, "标准号", "标准名称", None, None])
    for merged in (f"A{top}:A{top + 1}", f"B{top}:C{top}", f"D{top}:D{top + 1}", f"E{top}:E{top + 1}"):
        sheet.merge_cells(merged)
    sheet.append([1, "GB/T 20031-2023", "上行表头", dt.datetime(2023, 7, 1), "2023-10-01"])
    book.save(tmp_path / "upper.xlsx")

    result = run("upper.xlsx")

    assert result.stdout.splitlines() == [f"注意：表头占两行（第 {top}、{top + 1} 行）", "注意：忽略无法识别的列：序号",
                                          f"第 {top + 2} 行 GB/T 20031-2023：新增",
                                          "共 1 行：新增 1 项，更新 0 项，无变化 0 项，跳过 0 行。已写入 1 个文件。"]
    data = parse_yaml((db / "national/GB-T-20031-2023.yaml").read_text(encoding="utf-8")).data
    assert (data["中文标准名称"], data["发布日期"], data["实施日期"]) == ("上行表头", "2023-07-01", "2023-10-01")


def test_section_headings_and_a_repeated_header_are_not_standards(db: Path, tmp_path: Path) -> None:
    """Published lists group their rows under headings (一、养老服务) and repeat the header on every page."""
    rows = [["序号", "标准号", "标准名称", "发布日期"], ["一、养老服务", "", "", ""],
            ["1", "GB/T 20060-2023", "分节的清单", "2023-07-01"], ["序号", "标准编号", "标准名称", "发布日期"],
            ["", "（二）托育服务", "", ""], ["2", "GB/T 20061-2023", "分节的清单二", "2023-07-01"],
            ["3", "", "没有标准号的一行", ""]]
    write_csv(tmp_path / "sections.csv", rows, "utf-8")

    result = run("sections.csv")

    assert result.stdout.splitlines() == [
        "注意：忽略无法识别的列：序号", "第 2 行是分类标题“一、养老服务”，未导入", "第 3 行 GB/T 20060-2023：新增",
        "第 4 行是重复的表头，未导入", "第 5 行是分类标题“（二）托育服务”，未导入", "第 6 行 GB/T 20061-2023：新增",
        "第 7 行 （无标准号）：跳过：缺少标准号",  # a row with more than a heading still needs its number
        "共 3 行：新增 2 项，更新 0 项，无变化 0 项，跳过 1 行。另有 3 行注释或标题。已写入 2 个文件。"]
    assert (db / "national/GB-T-20061-2023.yaml").is_file()


SHEETS = Path(__file__).parent / "data" / "sheets"


@pytest.mark.parametrize("suffix", [".xls", ".et"])
def test_an_excel_97_workbook_is_imported_like_an_xlsx(db: Path, tmp_path: Path, suffix: str) -> None:
    """Many sites still publish .xls (and WPS saves .et, the same format): the first visible sheet is read (such a
    file does not say which was active), its header of two rows under a title row, its date cells as dates."""
    book = tmp_path / f"list-2023{suffix}"
    book.write_bytes((SHEETS / "list-2023.xls").read_bytes())

    result = run(book.name)

    assert result.stdout.splitlines() == [
        "注意：读取工作表“目录”（另有：旧数据〔隐藏〕）", "注意：表头占两行（第 2、3 行）",
        "注意：忽略无法识别的列：序号", "第 4 行 GB/T 20050-2023：新增", "第 5 行 DB32/T 20051-2023：新增",
        "第 6 行是表格的注释，未导入",
        "共 2 行：新增 2 项，更新 0 项，无变化 0 项，跳过 0 行。另有 1 行注释。已写入 2 个文件。"]
    national = parse_yaml((db / "national/GB-T-20050-2023.yaml").read_text(encoding="utf-8")).data
    assert (national["中文标准名称"], national["发布日期"], national["实施日期"]) == (
        "旧格式表格中的国家标准", "2023-07-01", "2023-10-01")
    local = parse_yaml((db / "local/DB32-T-20051-2023.yaml").read_text(encoding="utf-8")).data
    assert local["发布日期"] == "2023-08-15" and "实施日期" not in local
    assert not [p for p in check(db) if p.severity is Severity.ERROR]
    hidden = run(book.name, "--sheet", "旧数据", "--dry-run")  # a hidden sheet, read when named
    assert hidden.stdout.splitlines()[:2] == ["注意：读取工作表“旧数据”（另有：目录）", "第 2 行 GB/T 20050-2010：新增"]


def _ods(path: Path, rows: list[list[tuple[str, str]]]) -> Path:
    """A minimal OpenDocument spreadsheet: each cell (type, value), type "string" or "date"."""
    import zipfile

    def cell(kind: str, value: str) -> str:
        if kind == "date":
            return f'<table:table-cell office:value-type="date" office:date-value="{value}"><text:p>{value}</text:p>' \
                   "</table:table-cell>"
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    body = "".join(f"<table:table-row>{''.join(cell(*c) for c in row)}</table:table-row>" for row in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               f'<office:spreadsheet><table:table table:name="清单">{body}</table:table></office:spreadsheet>'
               "</office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def test_an_opendocument_sheet_is_imported(db: Path, tmp_path: Path) -> None:
    _ods(tmp_path / "list.ods", [[("string", "标准号"), ("string", "中文标准名称"), ("string", "发布日期")],
                                 [("string", "GB/T 20052-2023"), ("string", "开放文档格式"), ("date", "2023-07-01")]])

    result = run("list.ods")

    assert result.stdout.splitlines() == ["第 2 行 GB/T 20052-2023：新增",
                                          "共 1 行：新增 1 项，更新 0 项，无变化 0 项，跳过 0 行。已写入 1 个文件。"]
    data = parse_yaml((db / "national/GB-T-20052-2023.yaml").read_text(encoding="utf-8")).data
    assert (data["中文标准名称"], data["发布日期"]) == ("开放文档格式", "2023-07-01")


def test_the_tables_of_a_word_notice_are_imported(db: Path, tmp_path: Path) -> None:
    """A notice publishing a list is often a Word file: its tables are read one after another (the list goes on
    over a page break in a second table with its header again), merged cells as in Excel."""
    import docx

    document = docx.Document()
    document.add_paragraph("关于发布 2023 年地方标准的公告")
    first = document.add_table(rows=3, cols=4)
    for i, text in enumerate(["序号", "标准", "", "发布日期"]):
        first.cell(0, i).text = text
    first.cell(1, 1).text, first.cell(1, 2).text = "标准号", "标准名称"
    first.cell(0, 1).merge(first.cell(0, 2))  # 标准 over 标准号 | 标准名称
    first.cell(0, 0).merge(first.cell(1, 0))
    first.cell(0, 3).merge(first.cell(1, 3))  # 发布日期 merged down
    for i, text in enumerate(["1", "DB32/T 20062-2023", "公告中的第一项", "2023-07-01"]):
        first.cell(2, i).text = text
    second = document.add_table(rows=2, cols=4)
    for i, text in enumerate(["序号", "标准号", "标准名称", "发布日期"]):
        second.cell(0, i).text = text
    for i, text in enumerate(["2", "DB32/T 20063-2023", "公告中的第二项", "2023年8月1日"]):
        second.cell(1, i).text = text
    document.save(str(tmp_path / "公告.docx"))

    result = run("公告.docx")

    assert result.stdout.splitlines() == [
        "注意：表头占两行（第 1、2 行）", "注意：忽略无法识别的列：序号", "第 3 行 DB32/T 20062-2023：新增",
        "第 4 行是重复的表头，未导入", "第 5 行 DB32/T 20063-2023：新增",
        "共 2 行：新增 2 项，更新 0 项，无变化 0 项，跳过 0 行。另有 1 行注释或标题。已写入 2 个文件。"]
    data = parse_yaml((db / "local/DB32-T-20063-2023.yaml").read_text(encoding="utf-8")).data
    assert (data["中文标准名称"], data["发布日期"]) == ("公告中的第二项", "2023-08-01")
    (tmp_path / "公告.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    refused = run("公告.doc")
    assert refused.exit_code != 0 and "不能读取 .doc 文件中的表格" in refused.output
    (tmp_path / "坏.docx").write_bytes(b"not a zip")
    broken = run("坏.docx")
    assert broken.exit_code != 0 and "坏.docx: 无法作为 Word 文件打开" in broken.output, broken.output


def test_a_workbook_is_read_by_what_it_holds_not_its_name(db: Path, tmp_path: Path) -> None:
    """Sites publish XLSX files named .xls, and web pages named .xls (their "export to Excel"): both are read; a
    page with no table and other bytes are named, and nothing is written."""
    make_xlsx(tmp_path / "real.xlsx", [["标准号", "中文标准名称"], ["GB/T 20053-2023", "扩展名不对的工作簿"]])
    (tmp_path / "named.xls").write_bytes((tmp_path / "real.xlsx").read_bytes())
    (tmp_path / "text.xls").write_text("<html><body><p>没有表格的网页</p></body></html>", encoding="utf-8")
    (tmp_path / "junk.xls").write_bytes(b"not a workbook at all" * 10)
    (tmp_path / "xml.xls").write_text('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:'
                                      'spreadsheet"></Workbook>', encoding="utf-8")
    before = snapshot(db)

    for name, message in (("text.xls", "text.xls: 是网页（HTML）文件，只是扩展名为 .xls，其中没有表格"),
                          ("xml.xls", "xml.xls: 是 Excel 2003 XML 表格（扩展名为 .xls）"),
                          ("junk.xls", "junk.xls: 不是 Excel、WPS 或 ODS 表格文件")):
        failed = run(name)
        assert failed.exit_code != 0 and message in failed.output, failed.output
    assert snapshot(db) == before
    assert run("named.xls").stdout.splitlines()[0] == "第 2 行 GB/T 20053-2023：新增"


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_a_web_page_named_xls_is_read_as_its_table(db: Path, tmp_path: Path, encoding: str) -> None:
    """A title row across the table, 标准 over 标准号 | 标准名称, dates spanning two rows, a number spanning two
    rows, entities and line breaks in cells; the page declares its encoding (GBK pages are common)."""
    charset = "gb2312" if encoding == "gbk" else "utf-8"
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"></head><body>
<table border="1"><tr><td colspan="4">2023 年地方标准目录</td></tr>
<tr><th rowspan="2">序号</th><th colspan="2">标准</th><th rowspan="2">发布日期</th></tr>
<tr><th>标准号</th><th>标准名称</th></tr>
<tr><td>1</td><td>DB32/T 20070-2023</td><td>网页格式的清单 &amp; 说明</td><td>2023-07-01</td></tr>
<tr><td rowspan="2">2</td><td>DB32/T 20071-2023</td><td>第二项</td><td>2023-08-01</td></tr>
<tr><td>DB32/T 20072-2023</td><td>第三项</td><td></td></tr></table></body></html>"""
    (tmp_path / "export.xls").write_bytes(page.encode(encoding))

    result = run("export.xls")

    assert result.stdout.splitlines() == [
        "注意：文件是网页（HTML）格式的表格，只是扩展名为 .xls，按其中的表格读取", "注意：表头占两行（第 2、3 行）",
        "注意：忽略无法识别的列：序号", "第 4 行 DB32/T 20070-2023：新增", "第 5 行 DB32/T 20071-2023：新增",
        "第 6 行 DB32/T 20072-2023：新增", "共 3 行：新增 3 项，更新 0 项，无变化 0 项，跳过 0 行。已写入 3 个文件。"]
    first = parse_yaml((db / "local/DB32-T-20070-2023.yaml").read_text(encoding="utf-8")).data
    assert (first["中文标准名称"], first["发布日期"]) == ("网页格式的清单 & 说明", "2023-07-01")
    third = parse_yaml((db / "local/DB32-T-20072-2023.yaml").read_text(encoding="utf-8")).data
    assert third["中文标准名称"] == "第三项" and "发布日期" not in third


def test_the_same_standard_twice_in_a_sheet(db: Path, tmp_path: Path) -> None:
    rows = [["标准号", "中文标准名称", "发布日期"],
            ["DB32/T 3838-2020", "重复行-第一次", "2020-08-01"],
            ["DB 32/T 3838—2020", "重复行-第二次", "2020-09-01"],  # the same number in another spelling
            ["DB32/T3838-2020", "", "2020-8-1"]]  # says nothing the first row does not
    write_csv(tmp_path / "twice.csv", rows, "utf-8")

    first = run("twice.csv")
    after = snapshot(db)
    second = run("twice.csv")

    assert first.stdout.splitlines() == [
        "第 2 行 DB32/T 3838-2020：新增",
        "第 3 行与第 2 行是同一标准（DB32/T 3838-2020）：跳过：中文标准名称、发布日期 与第 2 行不同",
        "第 4 行与第 2 行是同一标准（DB32/T 3838-2020）：无变化",
        "共 3 行：新增 1 项，更新 0 项，无变化 0 项，重复 1 行，跳过 1 行。已写入 1 个文件。",
    ]
    assert first.exit_code == 1 and "有 1 行被跳过" in first.stderr
    assert parse_yaml((db / "local/DB32-T-3838-2020.yaml").read_text(encoding="utf-8")).data["中文标准名称"] \
        == "重复行-第一次"
    assert second.stdout.splitlines() == [
        "第 2 行 DB32/T 3838-2020：无变化",
        "第 3 行与第 2 行是同一标准（DB32/T 3838-2020）：跳过：中文标准名称、发布日期 与第 2 行不同",
        "第 4 行与第 2 行是同一标准（DB32/T 3838-2020）：无变化",
        "共 3 行：新增 0 项，更新 0 项，无变化 1 项，重复 1 行，跳过 1 行。已写入 0 个文件。",
    ]
    assert snapshot(db) == after


def test_a_national_announcement_table(db: Path, tmp_path: Path) -> None:
    rows = [["序号", "国家标准编号", "国家标准名称", "代替标准号", "实施日期", "批准日期", "发布年份"],
            ["1", "GB/T 20040-2023", "公告中的标准", "GB/T 20040-2010", "2024-01-01", "2023-07-01", "2023"]]
    write_csv(tmp_path / "公告.csv", rows, "utf-8")

    result = run("公告.csv")

    assert result.stdout.splitlines()[:2] == ["注意：忽略无法识别的列：序号、发布年份", "第 2 行 GB/T 20040-2023：新增"]
    data = parse_yaml((db / "national/GB-T-20040-2023.yaml").read_text(encoding="utf-8")).data
    assert (data["中文标准名称"], data["代替标准"], data["发布日期"], data["实施日期"]) == (
        "公告中的标准", ["GB/T 20040-2010"], "2023-07-01", "2024-01-01")


def test_notes_under_the_list_are_not_standards(db: Path, tmp_path: Path) -> None:
    rows: list[list[object]] = [["标准号", "中文标准名称", "备注"],
                                ["GB/T 20041-2023", "注释之前的标准", ""],
                                ["注：以上标准均为推荐性", None, None],
                                [None, "说明：数据截至 2023 年底", None],
                                [None, None, "资料来源：某省市场监督管理局网站"],
                                [None, "说明书编写规范", None]]  # a title without its number is not a note
    make_xlsx(tmp_path / "notes.xlsx", rows)

    result = run("notes.xlsx")

    assert result.stdout.splitlines() == [
        "第 2 行 GB/T 20041-2023：新增",
        "第 3 行是表格的注释，未导入",
        "第 4 行是表格的注释，未导入",
        "第 5 行是表格的注释，未导入",
        "第 6 行 （无标准号）：跳过：缺少标准号",
        "共 2 行：新增 1 项，更新 0 项，无变化 0 项，跳过 1 行。另有 3 行注释。已写入 1 个文件。",
    ]
    assert "有 1 行被跳过" in result.stderr  # the notes are no failure, the row without a number is


def test_a_tab_separated_file_with_a_title_line(db: Path, tmp_path: Path) -> None:
    (tmp_path / "目录.txt").write_text("某省标准目录\n标准号\t中文标准名称\t发布日期\n"
                                       "GB/T 20042-2023\t制表符分隔, 含逗号\t2023-07-01\n", encoding="utf-8")
    (tmp_path / "无表头.txt").write_text("某省标准目录\n序号\t标题\n1\t甲\n", encoding="utf-8")

    result = run("目录.txt")
    refused = run("无表头.txt")

    assert result.stdout.splitlines()[0] == "第 3 行 GB/T 20042-2023：新增"
    assert parse_yaml((db / "national/GB-T-20042-2023.yaml").read_text(encoding="utf-8")).data["中文标准名称"] \
        == "制表符分隔, 含逗号"
    assert refused.exit_code == 1 and "文件是按制表符（Tab）分隔读取的" in refused.stderr


def test_a_formula_without_a_saved_result_is_named(db: Path, tmp_path: Path) -> None:
    # openpyxl, like most programs that write sheets, saves formulas without their results.
    make_xlsx(tmp_path / "formulas.xlsx", [["标准号", "标准名称"],
                                           ["GB/T 20043-2023", '="公式"&"标题"'],
                                           ['="GB/T "&"20044-2023"', "有标题"],
                                           ["GB/T 20045-2023", "普通标题"]])

    result = run("formulas.xlsx")

    help = ("列是公式，读到的结果为空：文件若是程序生成的（没有保存计算结果），请在 Excel 或 WPS 中打开并保存后再导入；"
            "否则请检查这个公式")
    assert result.stdout.splitlines()[:3] == [f"第 2 行 GB/T 20043-2023：跳过：“标准名称”{help}",
                                              f"第 3 行 （无标准号）：跳过：“标准号”{help}",
                                              "第 4 行 GB/T 20045-2023：新增"]
