"""What published lists do that a maintainer's own sheet seldom does, and what the importer makes of it: a date
merged over the rows it applies to, a formula's error value, "无" for none, a number spelled with other dashes or
other leading zeros, a column of replacements in the sense of a notice, a name cut over two rows when a table is
copied from a PDF, and the invisible characters copying from a web page leaves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pytest
from support import record

from generator.importer import ImportReport, import_table
from generator.pipeline import load_catalog
from generator.yamlpos import parse_yaml


def lines(report: ImportReport) -> list[str]:
    return [*(f"注意：{note}" for note in report.notes), *(row.line for row in report.rows)]


def data(db: Path, level: str, name: str) -> dict:
    return parse_yaml((db / level / name).read_text(encoding="utf-8")).data


def csv_file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


ROWS = [("GB 55001-2021", "工程结构通用规范"), ("GB 55002-2021", "建筑与市政工程抗震通用规范"),
        ("GB 55003-2021", "建筑与市政地基基础通用规范")]


def merged_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["住房和城乡建设部发布的全文强制性工程建设规范"])
    sheet.merge_cells("A1:D1")  # a title merged across: no value to give to other rows
    sheet.append(["序号", "标准编号", "标准名称", "实施日期"])
    for i, (number, title) in enumerate(ROWS, start=1):
        sheet.append([i, number, title, None])
    sheet["D3"] = dt.datetime(2022, 1, 1)
    sheet.merge_cells("D3:D5")
    book.save(path)
    return path


def merged_docx(path: Path) -> Path:
    document = docx.Document()
    table = document.add_table(rows=len(ROWS) + 1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["序号", "标准编号", "标准名称", "实施日期"], strict=True):
        cell.text = text
    for i, (number, title) in enumerate(ROWS, start=1):
        table.cell(i, 0).text, table.cell(i, 1).text, table.cell(i, 2).text = str(i), number, title
    table.cell(1, 3).merge(table.cell(len(ROWS), 3)).text = "2022-01-01"
    document.save(str(path))
    return path


def merged_html(path: Path) -> Path:
    rows = "".join(f"<tr><td>{i}</td><td>{n}</td><td>{t}</td>{'<td rowspan=3>2022-01-01</td>' if i == 1 else ''}</tr>"
                   for i, (n, t) in enumerate(ROWS, start=1))
    path.write_text(f"<html><body><table><tr><th>序号</th><th>标准编号</th><th>标准名称</th><th>实施日期</th></tr>"
                    f"{rows}</table></body></html>", encoding="utf-8")
    return path


@pytest.mark.parametrize("make", [merged_xlsx, merged_docx, merged_html], ids=["xlsx", "docx", "html-xls"])
def test_a_date_merged_over_rows_is_each_rows(make: Callable[[Path], Path], make_db: Callable[..., Path],
                                              tmp_path: Path) -> None:
    db = make_db({})
    sheet = make(tmp_path / f"list{'.xls' if make is merged_html else '.docx' if make is merged_docx else '.xlsx'}")

    report = import_table(sheet, db)

    assert [r.action for r in report.rows] == ["new"] * 3 and report.omitted == 0
    assert any(note.startswith("合并单元格的值按所覆盖的每一行导入：“实施日期”列 第") for note in report.notes)
    for number, _ in ROWS:
        assert str(data(db, "national", f"{number.replace(' ', '-')}.yaml")["实施日期"]) == "2022-01-01"


def test_an_error_value_is_no_value_and_never_replaces_one(make_db: Callable[..., Path], tmp_path: Path) -> None:
    db = make_db({"national/GB-55019-2021.yaml": record("GB 55019-2021", "建筑与市政工程无障碍通用规范")})
    before = (db / "national" / "GB-55019-2021.yaml").read_bytes()
    book = openpyxl.Workbook()
    book.active.append(["标准号", "标准名称", "实施日期"])
    book.active.append(["GB 55019-2021", "#N/A", "2022-04-01"])  # a lookup that found nothing
    book.active.append(["GB 50763-2012", "无障碍设计规范", "#N/A"])
    book.active.append(["GB 55031-2022", "0", ""])  # what a lookup of an empty cell gives
    book.save(tmp_path / "list.xlsx")

    report = import_table(tmp_path / "list.xlsx", db)

    assert [r.action for r in report.rows] == ["skip", "new", "skip"]
    assert "公式的错误值 #N/A" in report.rows[0].reason
    assert report.rows[1].omitted[0][0] == "实施日期" and "#N/A" in report.rows[1].omitted[0][1]
    assert "中没有汉字" in report.rows[2].reason
    assert (db / "national" / "GB-55019-2021.yaml").read_bytes() == before
    assert not (db / "national" / "GB-55031-2022.yaml").exists()


def test_a_placeholder_for_none_is_an_empty_cell(make_db: Callable[..., Path], tmp_path: Path) -> None:
    db = make_db({})
    sheet = csv_file(tmp_path / "list.csv", "标准号,标准名称,代替标准,废止日期,备注\n"
                     "GB 55001-2021,工程结构通用规范,无,—,/\n"
                     "GB 55002-2021,建筑与市政工程抗震通用规范,GB 50003-2011 GB 50203-2011,-,N/A\n")

    report = import_table(sheet, db)

    assert [r.action for r in report.rows] == ["new", "new"] and report.omitted == 0
    first, second = data(db, "national", "GB-55001-2021.yaml"), data(db, "national", "GB-55002-2021.yaml")
    assert not {"代替标准", "废止日期", "备注"} & (set(first) | {"废止日期", "备注"} & set(second))
    assert second["代替标准"] == ["GB 50003-2011", "GB 50203-2011"]


def test_a_number_spelled_with_other_leading_zeros_is_no_new_standard(make_db: Callable[..., Path],
                                                                      tmp_path: Path) -> None:
    db = make_db({"industry/MZ-T-052-2014.yaml": record("MZ/T 052-2014", "自然灾害避灾点管理规范")})
    sheet = csv_file(tmp_path / "list.csv", "标准号,标准名称\nMZ/T 52-2014,自然灾害避灾点管理规范\n"
                     "DB37/T 0039-2023,第一项\nDB37/T 39-2023,第一项\nGB 35796-2017,养老机构服务质量基本规范\n"
                     "GB/T 35796-2017,养老机构服务质量基本规范\n")

    dry = import_table(sheet, db, dry_run=True)
    report = import_table(sheet, db)

    assert lines(dry) == lines(report)
    assert [r.action for r in report.rows] == ["skip", "new", "skip", "new", "skip"]
    assert report.rows[0].reason.startswith("数据库中已有的 MZ/T 052-2014（MZ-T-052-2014.yaml）"
                                            "与 MZ/T 52-2014 可能是同一标准（顺序号仅前导零不同）")
    assert report.rows[2].reason.startswith("表格第 3 行的 DB37/T 0039-2023 与 DB37/T 39-2023 可能是同一标准")
    assert report.rows[4].reason.startswith("表格第 5 行的 GB 35796-2017 与 GB/T 35796-2017 可能是同一标准")
    assert sorted(p.name for p in db.rglob("*.yaml") if "vocabularies" not in p.parts) == [
        "DB37-T-0039-2023.yaml", "GB-35796-2017.yaml", "MZ-T-052-2014.yaml"]


def test_a_replacement_column_of_a_notice_goes_where_the_years_put_it(make_db: Callable[..., Path],
                                                                       tmp_path: Path) -> None:
    db = make_db({})
    sheet = csv_file(tmp_path / "list.csv", "标准号,标准名称,被代替标准号\n"
                     "GB/T 22373-2021,标准文献元数据,GB/T 22373-2008\n"     # a notice: the older one it replaces
                     "GB/T 20001-2010,标准编写规则,GB/T 20001-2023\n"        # a list of old standards: the newer one
                     "GB/T 20002-2015,标准编写规则 第2部分,GB/T 20002-2010、GB/T 20002-2024\n")  # both: not told

    report = import_table(sheet, db)

    assert any(note.startswith("“被代替标准号”列按年份读") for note in report.notes)
    assert [r.action for r in report.rows] == ["new", "new", "new"]
    assert data(db, "national", "GB-T-22373-2021.yaml")["代替标准"] == ["GB/T 22373-2008"]
    assert data(db, "national", "GB-T-20001-2010.yaml")["被代替标准"] == ["GB/T 20001-2023"]
    third = data(db, "national", "GB-T-20002-2015.yaml")
    assert "代替标准" not in third and "被代替标准" not in third
    assert "看不出其中的标准比本标准早还是晚" in report.rows[2].omitted[0][1]
    catalog, _ = load_catalog(db, dt.date(2026, 1, 1))
    assert not catalog.replaced_by["GB/T 22373-2021"]  # the site does not show it replaced


def test_a_name_cut_over_two_rows_is_not_imported_cut(make_db: Callable[..., Path], tmp_path: Path) -> None:
    title = "流浪乞讨人员救助管理与服务规范 第1部分：救助信息采集与发布"
    db = make_db({"local/DB37-T-4766.1-2024.yaml": record("DB37/T 4766.1-2024", title)})
    before = (db / "local" / "DB37-T-4766.1-2024.yaml").read_bytes()
    sheet = csv_file(tmp_path / "list.csv", "序号,标准编号,标准名称,实施日期\n"
                     "1,DB37/T 4766.1—2024,流浪乞讨人员救助管理与服务规范 第1部分：救助信息,2024-10-30\n"
                     ",,采集与发布,\n"
                     "二、养老服务,,,\n"
                     ",,（二）托育服务,\n"    # a heading in the name column is no piece of a name
                     "2,DB37/T 4964.1-2025,儿童福利机构安置服务规范 第1部分：代养,\n")

    report = import_table(sheet, db)

    assert [r.line for r in report.rows][:2] == [
        "第 2 行 DB37/T 4766.1—2024：跳过：下一行（第 3 行）只有标准名称“采集与发布”，像是本行标准名称的后半部分"
        "（从 PDF 复制的表格常见）：请把它并入本行的标准名称、删去那一行后再导入",
        "第 3 行是第 2 行标准名称的续行，未导入"]
    assert (db / "local" / "DB37-T-4766.1-2024.yaml").read_bytes() == before
    assert report.rows[-1].action == "new"


def test_what_copying_from_web_pages_and_documents_leaves(make_db: Callable[..., Path], tmp_path: Path) -> None:
    db = make_db({})
    sheet = csv_file(tmp_path / "list.csv", "标准号,标准名称,发布日期\n"
                     "GB\u00a055025-2022,宿舍、旅馆建筑项目规范,二〇二二年十月三十一日\n"
                     "GB/T 22373\u22122021,标准文献元数据,\n"
                     '"DB37/T 4964.1-2025","儿童福利机构安置服务规范\n第1部分：代养",\n')

    report = import_table(sheet, db)

    assert [r.action for r in report.rows] == ["new", "new", "new"] and report.omitted == 0
    first = data(db, "national", "GB-55025-2022.yaml")
    assert first["中文标准名称"] == "宿舍、旅馆建筑项目规范" and "原文标准号" not in first
    assert str(first["发布日期"]) == "2022-10-31"
    assert data(db, "national", "GB-T-22373-2021.yaml")["原文标准号"] == "GB/T 22373\u22122021"
    assert data(db, "local", "DB37-T-4964.1-2025.yaml")["中文标准名称"] == "儿童福利机构安置服务规范 第1部分：代养"


def test_a_changed_name_is_reported_with_the_name_it_replaces(make_db: Callable[..., Path], tmp_path: Path) -> None:
    """A list's typo would replace a recorded name: the report (a dry run's too) shows both, to be caught."""
    db = make_db({"industry/MZ-T-052-2014.yaml": record("MZ/T 052-2014", "自然灾害避灾点管理规范")})
    sheet = csv_file(tmp_path / "list.csv", "标准号,标准名称\nMZ/T 052-2014,自然灾避灾点管理规范\n")

    report = import_table(sheet, db, dry_run=True)

    assert report.rows[0].line == ("第 2 行 MZ/T 052-2014：更新（中文标准名称）"
                                   "（中文标准名称由“自然灾害避灾点管理规范”改为“自然灾避灾点管理规范”）")


def test_a_heading_merged_over_two_dates_names_them_with_the_row_below(make_db: Callable[..., Path],
                                                                       tmp_path: Path) -> None:
    """时间 merged over 发布 | 实施 (as announcements lay out a list): the columns are 发布时间 and 实施时间, that is
    发布日期 and 实施日期. A sheet of a chart beside the list is no trouble."""
    db = make_db({})
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "标准编号", "标准名称", "时间", None])
    sheet.append([None, None, None, "发布", "实施"])
    for cells in ("D1:E1", "A1:A2", "B1:B2", "C1:C2"):
        sheet.merge_cells(cells)
    sheet.append([1, "GB 55033-2022", "城市轨道交通工程项目规范", dt.date(2022, 7, 15), dt.date(2023, 3, 1)])
    book.create_chartsheet("统计图")  # a chart sheet without a chart: openpyxl alone cannot open the file
    book.save(tmp_path / "list.xlsx")

    report = import_table(tmp_path / "list.xlsx", db)

    assert [r.action for r in report.rows] == ["new"] and report.omitted == 0
    record_data = data(db, "national", "GB-55033-2022.yaml")
    assert (str(record_data["发布日期"]), str(record_data["实施日期"])) == ("2022-07-15", "2023-03-01")


def test_a_name_cut_over_two_rows_is_found_when_other_cells_are_merged_over_both(make_db: Callable[..., Path],
                                                                                 tmp_path: Path) -> None:
    """序号 and the date merged over the two rows the name was cut into (as a copied PDF table gives them)."""
    db = make_db({})
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "标准号", "标准名称", "实施日期"])
    sheet.append([1, "GB/T 1-2020", "养老机构服务质量", dt.datetime(2021, 1, 1)])
    sheet.append([None, None, "基本规范", None])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("D2:D3")
    book.save(tmp_path / "list.xlsx")

    report = import_table(tmp_path / "list.xlsx", db)

    assert [r.action for r in report.rows] == ["skip", "note"]
    assert "下一行（第 3 行）只有标准名称“基本规范”" in report.rows[0].reason and not report.writes


def test_a_repeated_row_that_says_the_other_replacement_is_a_conflict(make_db: Callable[..., Path],
                                                                      tmp_path: Path) -> None:
    db = make_db({})
    sheet = csv_file(tmp_path / "list.csv", "标准号,标准名称,被代替标准号\n"
                     "GB/T 22373-2021,标准文献元数据,GB/T 22373-2008\nGB/T 22373-2021,标准文献元数据,GB/T 22373-2030\n")

    report = import_table(sheet, db)

    assert [r.action for r in report.rows] == ["new", "skip"] and "与第 2 行不同" in report.rows[1].reason


def test_a_merge_claiming_a_million_rows_costs_only_the_rows_read(tmp_path: Path) -> None:
    import zipfile

    from generator.tabular import read_table

    book = openpyxl.Workbook()
    book.active.append(["标准号", "标准名称", "实施日期"])
    book.active.append(["GB/T 1-2020", "测试标准", "2021-01-01"])
    book.save(tmp_path / "small.xlsx")
    merges = "".join(f'<mergeCell ref="{c}2:{c}1048576"/>' for c in "ABCDEFGH")  # a few bytes, 8 million cells
    with zipfile.ZipFile(tmp_path / "small.xlsx") as old, zipfile.ZipFile(tmp_path / "list.xlsx", "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                tail = f'</sheetData><mergeCells count="8">{merges}</mergeCells>'
                data = data.replace(b"</sheetData>", tail.encode())
            new.writestr(item, data)

    table = read_table(tmp_path / "list.xlsx")

    assert len(table.rows) == 2 and table.continued == frozenset()  # no row read lies below a merge's first


def test_a_formula_that_gives_a_placeholder_is_no_unsaved_formula(make_db: Callable[..., Path],
                                                                  tmp_path: Path) -> None:
    """=IF(…,"—","") saved with its result —: the name says none; re-saving the file would not help."""
    import xlsxwriter

    db = make_db({})
    book = xlsxwriter.Workbook(str(tmp_path / "list.xlsx"))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["标准号", "标准名称"])
    sheet.write_string(1, 0, "GB/T 1-2020")
    sheet.write_formula(1, 1, '=IF(TRUE,"—","")', None, "—")
    book.close()

    report = import_table(tmp_path / "list.xlsx", db)

    assert report.rows[0].action == "skip" and "公式" not in report.rows[0].reason
