"""What applies where, in a browser: a county without any local standard of its own still shows the national
and industry layer and its province's standards; the province's standard system shows its structure diagram,
and its 明细表 downloads (XLSX, CSV, JSON) hold the rows the page counts."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from generator.pipeline import load_catalog, resolve_as_of
from generator.system import NATIONAL, TABLE_COLUMNS, SystemView

from .test_monitor import download, expect, svg_of, workbook_rows

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]


def _county_without_standards() -> tuple[str, str, str, int, int]:
    """(county code, its name, its province's code, national and industry count, the province's own count),
    chosen from the bundled data: a county of a province with local standards, with none of its own."""
    catalog, _ = load_catalog(REPO / "standards", resolve_as_of())
    view = SystemView(catalog)
    for code, region in sorted(catalog.vocab.regions.items()):
        chain = catalog.vocab.region_chain(code)
        if len(chain) == 3 and not catalog.in_region(code) and view.own(chain[0].code):
            return code, region.name, chain[0].code, len(view.national), len(view.own(chain[0].code))
    raise AssertionError("the bundled data has no province with local standards")


def test_a_county_without_local_standards_sees_what_applies_there(page, server: str) -> None:  # type: ignore[no-untyped-def]
    code, name, province, national, own = _county_without_standards()
    page.goto(f"{server}regions/{code}/")
    expect(page.locator("h1")).to_have_text(name)
    layers = page.locator(".sp-layers li").all_inner_texts()
    assert re.search(rf"国家标准和行业标准 {national} 项（全国范围）", layers[0]), layers
    assert any(f"发布的地方标准 {own} 项" in text for text in layers[1:]), layers
    assert "发布的地方标准 0 项" in layers[-1], layers  # its own: none
    page.locator(".sp-layers li").first.get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("国家标准和行业标准")
    assert page.url.rstrip("/").endswith(f"system/{NATIONAL}")


def test_a_system_shows_its_diagram_and_downloads_its_table(page, server: str) -> None:  # type: ignore[no-untyped-def]
    _, _, province, _, own = _county_without_standards()
    page.goto(f"{server}system/{province}/")
    diagram = svg_of(page, page.locator("figure.sp-diagram img"))
    assert diagram.find("{http://www.w3.org/2000/svg}title") is not None
    total = int(re.search(r"全部 (\d+) 行", page.locator("body").inner_text()).group(1))  # type: ignore[union-attr]
    assert total >= own
    sheet = workbook_rows(download(page, page.get_by_role("link", name="Excel（XLSX）")))
    assert sheet[0] == list(TABLE_COLUMNS) and len(sheet) == total + 1
    text = download(page, page.get_by_role("link", name="CSV", exact=True)).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(TABLE_COLUMNS) and len(rows) == total + 1
    data = json.loads(download(page, page.get_by_role("link", name="JSON", exact=True)).read_text(encoding="utf-8"))
    assert data["行数"] == total and [r["标准号"] for r in data["数据"]] == [r[2] for r in rows[1:]]
