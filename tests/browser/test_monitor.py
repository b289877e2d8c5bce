"""The monitoring pages in a browser: the coverage heat map with its table, the statistics charts each with its
table, and the tables' downloads (clicked, then read back and compared with the table on the page)."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import openpyxl
import pytest

pytestmark = pytest.mark.browser

SVG = "{http://www.w3.org/2000/svg}"


def expect(target):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect as pw_expect

    return pw_expect(target)


def table_cells(table) -> tuple[list[str], list[list[str]]]:  # type: ignore[no-untyped-def]
    """(column heads, rows of cell texts with the row head first) of a table on the page."""
    heads = [t.strip() for t in table.locator("thead th").all_inner_texts()]
    rows = table.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.children).map(c => c.innerText.trim()))")
    return heads, rows


def download(page, link) -> Path:  # type: ignore[no-untyped-def]
    with page.expect_download() as started:
        link.click()
    return Path(started.value.path())


def workbook_rows(path: Path) -> list[list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True)
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def svg_of(page, img) -> ET.Element:  # type: ignore[no-untyped-def]
    """The SVG an <img> shows, as the server sends it."""
    assert img.evaluate("img => img.complete && img.naturalWidth > 0"), "the chart did not load"
    response = page.request.get(urljoin(page.url, img.get_attribute("src")))
    assert response.ok and "svg" in response.headers.get("content-type", "")
    return ET.fromstring(response.body())


def test_coverage_heat_map_with_its_title_and_table(page, server: str, shot) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "monitor/")
    expect(page.locator("h1")).to_have_text("监测统计")
    table = page.locator("table.sp-coverage")
    caption = table.locator("caption").inner_text()
    heads, rows = table_cells(table)
    assert heads[:2] == ["领域", "国家和行业"] and len(heads) > 30  # every province has its column
    svg = svg_of(page, page.locator("figure.sp-diagram img").first)
    title = svg.find(f"{SVG}title")
    assert title is not None and title.text and caption.startswith(title.text)
    assert svg.find(f"{SVG}desc") is not None
    # The heat map's numbers are the table's, in its order.
    numbers = [t.text for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "middle"]
    assert numbers == [cell for row in rows for cell in row[1:]]
    assert sum(int(n) for n in numbers) > 0
    shot(page, "monitor-coverage")


def test_coverage_csv_downloads_as_the_table(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "monitor/")
    heads, rows = table_cells(page.locator("table.sp-coverage"))
    link = page.locator(".sp-table-downloads").first.get_by_role("link", name="CSV")
    text = download(page, link).read_text(encoding="utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [heads, *rows]


def test_province_rows_of_the_unit_coverage_file_are_its_table(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "monitor/320000/")
    expect(page.locator("h1")).to_have_text("江苏省标准监测")
    heads, rows = table_cells(page.locator("table.sp-coverage"))
    note = page.locator(".sp-table-downloads").first
    expect(note).to_contain_text("筛选 320000")
    sheet = workbook_rows(download(page, note.get_by_role("link", name="Excel（XLSX）")))
    file_heads, body = sheet[0], [r for r in sheet[1:] if r[0] == "320000"]
    categories = [row[0] for row in rows]
    assert file_heads[4:] == categories
    assert [r[3] for r in body] == heads[1:]  # one row per column of the page's table
    assert [[str(r[4 + i]) for r in body] for i in range(len(categories))] == [row[1:] for row in rows]


def test_statistics_charts_each_with_its_table(page, server: str, shot) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "monitor/statistics/")
    expect(page.locator("h1")).to_have_text("标准统计")
    total = int(re.search(r"本库共收录标准 (\d+) 项", page.locator("main").inner_text()).group(1))
    charts = page.locator(".sp-chart")
    assert charts.count() == 3
    for i, heading in enumerate(page.locator("h2").all_inner_texts()[:3]):
        chart = charts.nth(i)
        svg = svg_of(page, chart.locator("figure img"))
        assert svg.find(f"{SVG}title").text == heading  # type: ignore[union-attr]
        heads, rows = table_cells(chart.locator("table"))
        assert rows, heading
        # Each bar's number (written after it) is its row's count or total in the table.
        written = [t.text for t in svg.iter(f"{SVG}text") if t.get("text-anchor") is None and t.text
                   and t.text.isdigit()]
        counts = [row[-1] if heads[-1] == "合计" else row[1] for row in rows]
        assert written == counts, heading
    years = table_cells(charts.nth(0).locator("table"))[1]
    assert sum(int(row[-1]) for row in years) == total
    shot(page, "monitor-statistics")


def test_statistics_table_downloads_as_xlsx(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "monitor/statistics/")
    heads, rows = table_cells(page.locator(".sp-chart").nth(2).locator("table"))
    link = page.locator(".sp-table-downloads").nth(2).get_by_role("link", name="Excel（XLSX）")
    sheet = workbook_rows(download(page, link))
    assert sheet[0] == ["状态", "项数", "占比（%）"] and heads == ["状态", "项数", "占比"]
    assert [[name, str(count), f"{share:.1f}%"] for name, count, share in sheet[1:]] == rows
    assert all(isinstance(count, int) for _, count, _ in sheet[1:])  # numbers stay numbers


def test_change_list_downloads_hold_its_rows(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "monitor/review/")
    shown = page.locator("table tbody th[scope=row] a").all_inner_texts()
    assert shown
    link = page.locator(".sp-table-downloads").get_by_role("link", name="JSON")
    document = json.loads(download(page, link).read_text(encoding="utf-8"))
    numbers = [r["标准号"] for r in document["数据"]]
    assert numbers[:len(shown)] == shown and document["行数"] == len(numbers)
    total = int(re.search(r"共 (\d+) 项", page.locator("main").inner_text()).group(1))
    assert len(numbers) == total
