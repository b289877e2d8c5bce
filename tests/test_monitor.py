"""Monitoring (coverage, gaps, change lists and their feeds, statistics) and open data (JSON, CSV, XLSX,
datapackage.json, one JSON per standard), on a small database with a made-up region tree.
Goldens in tests/golden_monitor/ (`pytest --update-goldens` rewrites them)."""

from __future__ import annotations

import csv
import io
import json
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import feedparser
import openpyxl
import pytest
from support import AS_OF, page_text, record

from generator.export import EXPORT_KEYS, cell_text
from generator.feedback import FeedbackConfig
from generator.fields import ENGLISH
from generator.kinds import unguard_formula
from generator.model import Catalog
from generator.pipeline import load_catalog
from generator.records import Feedback
from generator.render import Output, RenderOptions, render
from generator.render.monitor import FEED_ENTRIES
from generator.status import CURRENT

GOLDEN = Path(__file__).parent / "golden_monitor"
GOLDENS = ["monitor/index.md", "monitor/910000.md", "monitor/910000.svg"]

REGIONS = """\
910000 测试省
910100 甲市
910102 城东区
910121 乙县
919102 丙县
920000 另一省
"""

FILES: dict[str, str] = {
    # Current for more than five years (review list), national layer.
    "national/GB-T-30001-2019.yaml": record("GB/T 30001-2019", "养老机构服务规范", 领域=["老有所养"],
                                            类别=["养老助老服务"], 发布日期="2019-01-01", 实施日期="2019-06-01"),
    # Comes into force within 180 days / after 180 days.
    "national/GB-T-30002-2025.yaml": record("GB/T 30002-2025", "=HYPERLINK(x) 托育服务规范",
                                            领域=["幼有所育"], 类别=["儿童健康服务"], 发布日期="2025-09-01",
                                            实施日期="2026-03-01"),
    "national/GB-T-30003-2025.yaml": record("GB/T 30003-2025", "-1 远期标准", 领域=["学有所教"],
                                            发布日期="2025-10-01", 实施日期="2026-12-01"),
    "industry/MZ-T-30004-2020.yaml": record("MZ/T 30004-2020", "@救助 服务", 领域=["弱有所扶"],
                                            类别=["社会救助服务"], 发布日期="2020-05-01", 实施日期="2020-08-01"),
    # Abolished within the last 365 days, and long ago.
    "local/DB91-T-1-2020.yaml": record("DB91/T 1-2020", "旧养老规范", 领域=["老有所养"], 类别=["养老助老服务"],
                                       发布日期="2020-01-01", 实施日期="2020-02-01", 废止日期="2025-06-01"),
    "local/DB91-T-9-2015.yaml": record("DB91/T 9-2015", "更旧规范", 发布日期="2015-01-01", 实施日期="2015-02-01",
                                       废止日期="2018-06-01"),
    # Replaced in the last 365 days: the new edition came into force 2025-09-01.
    "local/DB91-T-2-2018.yaml": record("DB91/T 2-2018", "社区助餐 旧版", 领域=["老有所养"], 类别=["养老助老服务"],
                                       发布日期="2018-01-01", 实施日期="2018-03-01"),
    "local/DB91-T-2-2025.yaml": record("DB91/T 2-2025", "社区助餐", 领域=["老有所养"], 类别=["养老助老服务"],
                                       发布日期="2025-06-01", 实施日期="2025-09-01", 代替标准=["DB91/T 2-2018"]),
    "local/DB9101-T-5-2024.yaml": record("DB9101/T 5-2024", "社区托育服务规范", 领域=["幼有所育"],
                                         类别=["儿童关爱服务"], 发布日期="2024-01-01", 实施日期="2024-03-01"),
    "local/DB919102-T-8-2024.yaml": record("DB919102/T 8-2024", "丙县公共文化服务", 领域=["文体服务保障"],
                                           类别=["公共文化服务"], 发布日期="2024-02-01", 实施日期="2024-04-01"),
    "local/DB919102-T-7-2020.yaml": record("DB919102/T 7-2020", "丙县助残", 领域=["弱有所扶"],
                                           类别=["扶残助残服务"], 发布日期="2020-02-01", 实施日期="2020-04-01"),
}


def _db(make_db: Callable[..., Path], files: dict[str, str]) -> Path:
    db = make_db(files)
    (db / "vocabularies" / "regions-mca2024.txt").write_text(REGIONS, encoding="utf-8")
    return db


def _render(db: Path) -> tuple[Catalog, dict[str, Output]]:
    catalog, problems = load_catalog(db, AS_OF)
    outputs = render(catalog, RenderOptions(FeedbackConfig(Feedback(mail="f@example.org"))))
    return catalog, {o.path: o for o in outputs}


@pytest.fixture
def built(make_db: Callable[..., Path]) -> tuple[Catalog, dict[str, Output]]:
    return _render(_db(make_db, FILES))


@pytest.mark.parametrize("path", GOLDENS)
def test_golden(path: str, built: tuple[Catalog, dict[str, Output]], update_goldens: bool) -> None:
    golden = GOLDEN / path
    content = page_text(built[1][path])
    if update_goldens:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(content, encoding="utf-8", newline="\n")
        pytest.skip(f"已更新 {golden}")
    assert content == golden.read_text(encoding="utf-8")


def test_no_stale_goldens() -> None:
    assert {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()} == set(GOLDENS)


# --- counts equal the records behind them ---------------------------------------------------------------

def _table(html: str, caption_or_head: str) -> tuple[list[str], dict[str, list[str]]]:
    """The first table whose text contains `caption_or_head`: (column heads, row head → its <td> texts)."""
    def plain(cell: str) -> str:
        return re.sub(r"<[^>]+>", "", cell)

    for table in re.findall(r"<table.*?</table>", html, re.S):
        if caption_or_head in table:
            heads = [plain(h) for h in re.findall(r"<th scope=\"col\">(.*?)</th>", table)]
            rows = {plain(re.findall(r"<th scope=\"row\"[^>]*>(.*?)</th>", row)[0]):
                    [plain(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
                    for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)}
            return heads, rows
    raise AssertionError(f"no table with {caption_or_head}")


def _current(catalog: Catalog) -> list:  # type: ignore[type-arg]
    return [s for s in catalog.standards if catalog.status[s.number].kind == CURRENT]


def _below(code: str, region: str | None, catalog: Catalog) -> bool:
    """Whether `region` is `code` or below it, walking the parents of the division list."""
    while region:
        if region == code:
            return True
        region = catalog.vocab.regions[region].parent
    return False


def test_domain_coverage_counts_are_the_records(built: tuple[Catalog, dict[str, Output]]) -> None:
    catalog, outputs = built
    heads, rows = _table(outputs["monitor/index.md"].content, "各领域现行标准覆盖")
    assert heads == ["领域", "国家和行业", "测试省", "另一省"]
    current = _current(catalog)
    assert list(rows) == [d.name for d in catalog.vocab.domains]
    for domain, cells in rows.items():
        national = [s for s in current if s.level.key != "local" and domain in s.domains]
        province = [s for s in current if s.level.key == "local" and domain in s.domains
                    and _below("910000", s.region, catalog)]
        assert [int(c) for c in cells] == [len(national), len(province), 0], domain
    # The fixture makes the numbers non-trivial: the abolished and the replaced editions are not counted.
    assert rows["老有所养"] == ["1", "1", "0"] and rows["文体服务保障"] == ["0", "1", "0"]
    assert sum(int(c) for cells in rows.values() for c in cells) == sum(len(s.domains) for s in current)


def test_province_coverage_counts_are_the_records(built: tuple[Catalog, dict[str, Output]]) -> None:
    catalog, outputs = built
    heads, rows = _table(outputs["monitor/910000.md"].content, "各大类现行地方标准覆盖")
    assert heads == ["大类", "测试省（省级）", "甲市", "丙县"]
    current = [s for s in _current(catalog) if s.level.key == "local"]
    for category, cells in rows.items():
        own = [s for s in current if s.region == "910000" and category in s.categories]
        below = [[s for s in current if category in s.categories and _below(code, s.region, catalog)]
                 for code in ("910100", "919102")]
        assert [int(c) for c in cells] == [len(own), *map(len, below)], category
    assert rows["养老助老服务"] == ["1", "0", "0"] and rows["儿童关爱服务"] == ["0", "1", "0"]
    # The SVG shows the same numbers, in the same order, as the table.
    svg = ET.fromstring(outputs["monitor/910000.svg"].text)
    ns = "{http://www.w3.org/2000/svg}"
    numbers = [t.text for t in svg.iter(f"{ns}text") if t.get("text-anchor") == "middle"]
    assert numbers == [c for cells in rows.values() for c in cells]
    assert svg.find(f"{ns}title") is not None and svg.find(f"{ns}desc") is not None


def test_statistics_counts_are_the_records(built: tuple[Catalog, dict[str, Output]]) -> None:
    catalog, outputs = built
    page = outputs["monitor/statistics.md"].content
    _, years = _table(page, "发布年份")
    for year, cells in years.items():
        dated = [s for s in catalog.standards if s.issued and str(s.issued.year) == year]
        assert [int(c) for c in cells] == [sum(s.level.key == k for s in dated) for k in
                                           ("national", "industry", "local")] + [len(dated)]
    assert sum(int(cells[-1]) for cells in years.values()) == len(catalog.standards)
    _, statuses = _table(page, "占比")
    for label, (count, share) in statuses.items():
        matching = [s for s in catalog.standards if catalog.status[s.number].label == label]
        assert int(count) == len(matching)
        assert share == f"{len(matching) * 100 / len(catalog.standards):.1f}%"
    _, domains = _table(page, "<th scope=\"col\">领域</th><th scope=\"col\">项数</th>")
    for domain, (count,) in domains.items():
        assert int(count) == sum(domain in s.domains if domain != "未归入领域" else not s.domains
                                 for s in catalog.standards)
    assert "未归入领域" in domains
    for chart in ("years", "domains", "status"):
        svg = ET.fromstring(outputs[f"monitor/stat-{chart}.svg"].text)
        assert svg.find("{http://www.w3.org/2000/svg}desc") is not None


# --- gaps and change lists ------------------------------------------------------------------------------

def test_gaps(built: tuple[Catalog, dict[str, Output]]) -> None:
    catalog, outputs = built
    named = {c for s in _current(catalog) for c in s.categories}
    _, rows = _table(outputs["monitor/gaps.md"].content, "尚无标准的服务项目")
    every = [c.name for d in catalog.vocab.domains for c in d.categories]
    assert list(rows) == [c for c in every if c not in named]
    assert "养老助老服务" not in rows and "公共体育服务" in rows
    # In the province: 社会救助服务 has a national standard but no local one.
    _, province = _table(outputs["monitor/910000.md"].content, "全国适用的现行国家、行业标准")
    assert province["社会救助服务"][:2] == ["弱有所扶", "1 项"]
    assert "公共文化服务" not in province and "扶残助残服务" not in province


def _listed(outputs: dict[str, Output], src: str) -> list[str]:
    return re.findall(r"<th scope=\"row\"[^>]*><a [^>]*>(.*?)</a></th>", outputs[src].content)


def test_change_lists(built: tuple[Catalog, dict[str, Output]]) -> None:
    _, outputs = built
    assert _listed(outputs, "monitor/upcoming.md") == ["GB/T 30002-2025"]
    assert _listed(outputs, "monitor/ended.md") == ["DB91/T 2-2018", "DB91/T 1-2020"]  # newest first
    assert _listed(outputs, "monitor/review.md") == ["GB/T 30001-2019", "DB919102/T 7-2020", "MZ/T 30004-2020"]
    assert _listed(outputs, "monitor/910000/review.md") == ["DB919102/T 7-2020"]
    assert _listed(outputs, "monitor/910000/upcoming.md") == []
    assert _listed(outputs, "monitor/920000/ended.md") == []
    feed = feedparser.parse(outputs["feeds/monitor/ended.xml"].text)
    assert not feed.bozo
    assert [e.title.split()[0] for e in feed.entries] == ["DB91/T", "DB91/T"]
    assert len({e.id for e in feed.entries}) == 2
    # The province's region page links to its monitoring page.
    assert 'href="../../monitor/910000/"' in outputs["regions/910000.md"].content


def test_change_lists_are_paginated_and_feeds_capped(make_db: Callable[..., Path]) -> None:
    files = {f"national/GB-T-{40000 + i}-2025.yaml": record(f"GB/T {40000 + i}-2025", f"标准{i}",
                                                             发布日期="2025-10-01", 实施日期="2026-02-01")
             for i in range(230)}
    _, outputs = _render(_db(make_db, files))
    pages = ["monitor/upcoming.md", "monitor/upcoming/2.md", "monitor/upcoming/3.md"]
    assert [len(_listed(outputs, p)) for p in pages] == [100, 100, 30]
    assert "monitor/upcoming/4.md" not in outputs
    assert len(feedparser.parse(outputs["feeds/monitor/upcoming.xml"].text).entries) == FEED_ENTRIES
    # The pages that are not lists do not grow with the database.
    assert len(outputs["monitor/index.md"].content) < 20_000
    assert len(outputs["monitor/statistics.md"].content) < 20_000


def test_hostile_titles_are_escaped_in_feeds(built: tuple[Catalog, dict[str, Output]]) -> None:
    _, outputs = built
    feed = ET.fromstring(outputs["feeds/monitor/upcoming.xml"].text)
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert 'GB/T 30002-2025 =HYPERLINK(x) 托育服务规范' in titles


# --- open data ------------------------------------------------------------------------------------------

def _json_records(outputs: dict[str, Output]) -> list[dict[str, object]]:
    return json.loads(outputs["downloads/standards.json"].text)["标准"]  # type: ignore[no-any-return]


def _expected_cells(outputs: dict[str, Output]) -> list[list[str]]:
    return [[cell_text(k, r[k]) for k in EXPORT_KEYS] for r in _json_records(outputs)]


def test_csv_and_xlsx_read_back_as_the_json(built: tuple[Catalog, dict[str, Output]]) -> None:
    _, outputs = built
    expected = _expected_cells(outputs)
    rows = list(csv.reader(io.StringIO(outputs["downloads/standards.csv"].text.removeprefix("\ufeff"))))
    assert rows[0] == list(EXPORT_KEYS)
    assert [[unguard_formula(c) for c in row] for row in rows[1:]] == expected
    book = openpyxl.load_workbook(io.BytesIO(outputs["downloads/standards.xlsx"].data))
    sheet = book.worksheets[0]
    cells = [[c.value if c.value is not None else "" for c in row] for row in sheet.iter_rows()]
    assert cells[0] == list(EXPORT_KEYS)
    assert [[unguard_formula(str(c)) for c in row] for row in cells[1:]] == expected
    # Formula-like titles stay text: guarded in both, and no XLSX cell is a formula.
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    titles = {row[EXPORT_KEYS.index("中文标准名称")] for row in cells[1:]}
    assert {"'=HYPERLINK(x) 托育服务规范", "'-1 远期标准", "'@救助 服务"} <= titles
    assert titles == {row[EXPORT_KEYS.index("中文标准名称")] for row in rows[1:]}


def test_datapackage_validates(built: tuple[Catalog, dict[str, Output]], tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    _, outputs = built
    for path, output in outputs.items():
        if path.startswith("downloads/") and not path.endswith(".md"):
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_bytes(output.data)
    tmp_path = tmp_path / "downloads"
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"][:2]:
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == list(EXPORT_KEYS)
        assert all(f["title"] == ENGLISH[f["name"]] and f["description"] for f in fields)
    # Every file under downloads/ but the page is described, and every description has its file.
    files = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    described = {r["path"] for r in package["resources"]}
    assert described == files - {"datapackage.json"}
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    rows = {t.name: t.stats.get("rows") for t in report.tasks if not t.name.endswith("-json")}
    assert rows.pop("standards-csv") == rows.pop("standards-xlsx") == len(FILES)
    for resource in package["resources"][3:]:  # the monitoring tables: every row is read, as many as the JSON's
        if not resource["name"].endswith("-json"):
            stem = resource["path"].rsplit(".", 1)[0]
            assert rows[resource["name"]] == json.loads((tmp_path / f"{stem}.json").read_text("utf-8"))["行数"]
    assert len(rows) == 2 * len(MONITOR_TABLES)
    # The validation reads the data: a date that is not a date fails it.
    text = (tmp_path / "standards.csv").read_text(encoding="utf-8-sig").replace("2019-06-01", "2019-06-xx")
    (tmp_path / "standards.csv").write_text(text, encoding="utf-8-sig")
    assert not frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_one_json_per_standard_beside_its_page(built: tuple[Catalog, dict[str, Output]],
                                               make_db: Callable[..., Path]) -> None:
    catalog, outputs = built
    records = {r["标准号"]: r for r in _json_records(outputs)}
    for s in catalog.standards:
        page = next(p for p in outputs if p.endswith(".md") and p.startswith("standards/")
                    and p.removesuffix(".md").endswith("/" + s.number.replace("/", "-").replace(" ", "-")))
        own = json.loads(outputs[page.removesuffix(".md") + ".json"].text)
        assert own == {"状态计算日期": AS_OF.isoformat(), "标准": records[s.number]}
        # The page links to it, plainly labelled; the link resolves from the page's address (page/ with
        # directory URLs) to the JSON file.
        links = re.findall(r'<a href="([^"]+)" type="application/json">本标准数据（JSON）</a>', outputs[page].content)
        assert len(links) == 1
        assert posixpath.normpath(posixpath.join(page.removesuffix(".md") + "/", links[0])) == page.removesuffix(
            ".md") + ".json"
    assert "standards/national/GB-T-30001-2019.json" in outputs
    # Addresses survive rebuilds and other records coming and going.
    fewer = {k: v for k, v in FILES.items() if "30003" not in k}
    _, again = _render(_db(lambda f: make_db(f, name="again"), fewer))
    assert again["standards/national/GB-T-30001-2019.json"].text == outputs[
        "standards/national/GB-T-30001-2019.json"].text


# --- the monitoring tables as open data -----------------------------------------------------------------

MONITOR_TABLES = ["coverage", "province-coverage", "gaps", "upcoming", "ended", "review", "stat-years",
                  "stat-domains", "stat-status"]


def _data(outputs: dict[str, Output], stem: str) -> list[dict[str, object]]:
    document = json.loads(outputs[f"downloads/monitor/{stem}.json"].text)
    assert document["行数"] == len(document["数据"]) and document["状态计算日期"] == AS_OF.isoformat()
    return document["数据"]  # type: ignore[no-any-return]


def _cell(value: object) -> str:
    """A JSON value as the CSV's cell text (before the formula guard)."""
    if value is None:
        return ""
    return "；".join(value) if isinstance(value, list) else str(value)


def test_monitor_tables_read_back_as_the_json(built: tuple[Catalog, dict[str, Output]]) -> None:
    for stem in MONITOR_TABLES:
        _read_back(built[1], stem)


def _read_back(outputs: dict[str, Output], stem: str) -> None:
    records = _data(outputs, stem)
    assert records, stem  # the fixture gives every table rows
    heads = list(records[0])
    rows = list(csv.reader(io.StringIO(outputs[f"downloads/monitor/{stem}.csv"].text.removeprefix("\ufeff"))))
    assert rows[0] == heads
    assert [[unguard_formula(c) for c in row] for row in rows[1:]] == [[_cell(r[h]) for h in heads] for r in records]
    sheet = openpyxl.load_workbook(io.BytesIO(outputs[f"downloads/monitor/{stem}.xlsx"].data)).worksheets[0]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0] == heads
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    for one, row in zip(records, cells[1:], strict=True):
        for head, value in zip(heads, row, strict=True):
            expected = one[head]
            if isinstance(expected, int | float):
                assert value == expected, (stem, head)  # a number stays a number
            else:
                assert unguard_formula(value or "") == _cell(expected), (stem, head)


def test_monitor_tables_keep_formula_like_text_as_text(built: tuple[Catalog, dict[str, Output]]) -> None:
    _, outputs = built
    assert [r["标准名称"] for r in _data(outputs, "upcoming")] == ["=HYPERLINK(x) 托育服务规范"]
    assert "\n2026-03-01,GB/T 30002-2025,'=HYPERLINK(x) 托育服务规范," in outputs["downloads/monitor/upcoming.csv"].text
    sheet = openpyxl.load_workbook(io.BytesIO(outputs["downloads/monitor/upcoming.xlsx"].data)).worksheets[0]
    assert sheet["C2"].value == "'=HYPERLINK(x) 托育服务规范" and sheet["C2"].data_type == "s"


def test_monitor_tables_are_the_pages(built: tuple[Catalog, dict[str, Output]]) -> None:
    """Each file holds the numbers and rows of the page that shows it (and the pages' counts are the records,
    tested above); a province's rows of a national file are its page's."""
    catalog, outputs = built
    heads, rows = _table(outputs["monitor/index.md"].content, "各领域现行标准覆盖")
    coverage = _data(outputs, "coverage")
    assert list(coverage[0]) == heads
    assert {r["领域"]: [str(r[h]) for h in heads[1:]] for r in coverage} == rows

    by_unit = _data(outputs, "province-coverage")
    for code in ("910000", "920000"):
        page_heads, page_rows = _table(outputs[f"monitor/{code}.md"].content, "各大类现行地方标准覆盖")
        mine = [r for r in by_unit if r["省级地区代码"] == code]
        assert [r["地区"] for r in mine] == page_heads[1:]
        assert {cat: [str(r[cat]) for r in mine] for cat in page_rows} == page_rows
    # Directly against the records too: a unit's count is its current local standards of the category.
    current = [s for s in _current(catalog) if s.level.key == "local"]
    for r in by_unit:
        for category in page_rows:
            own = r["地区代码"] == r["省级地区代码"]  # the province's own column: standards issued for it as a whole
            expected = [s for s in current if category in s.categories and (
                s.region == r["地区代码"] if own else _below(str(r["地区代码"]), s.region, catalog))]
            assert r[category] == len(expected), (r["地区"], category)

    gap_rows = _data(outputs, "gaps")
    _, national = _table(outputs["monitor/gaps.md"].content, "尚无标准的服务项目")
    assert [r["大类"] for r in gap_rows if r["范围"] == "全国" and r["空白"] == "大类"] == list(national)
    _, province = _table(outputs["monitor/910000.md"].content, "全国适用的现行国家、行业标准")
    mine = [r for r in gap_rows if r["范围代码"] == "910000" and r["空白"] == "大类"]
    assert [r["大类"] for r in mine] == list(province)
    assert [f"{r['全国适用的现行国家和行业标准']} 项" for r in mine] == [cells[1] for cells in province.values()]

    for kind in ("upcoming", "ended", "review"):
        listed = _data(outputs, kind)
        assert [r["标准号"] for r in listed] == _listed(outputs, f"monitor/{kind}.md")
        for code in ("910000", "920000"):
            assert [r["标准号"] for r in listed if r["省级地区代码"] == code] == _listed(
                outputs, f"monitor/{code}/{kind}.md")
    assert [(r["变化"], r["废止或被代替日期"]) for r in _data(outputs, "ended")] == [
        ("被代替", "2025-09-01"), ("废止", "2025-06-01")]

    page = outputs["monitor/statistics.md"].content
    _, years = _table(page, "发布年份")
    assert {str(r["发布年份"]): [str(v) for k, v in r.items() if k != "发布年份"]
            for r in _data(outputs, "stat-years")} == years
    _, statuses = _table(page, "占比")
    assert {r["状态"]: [str(r["项数"]), f"{r['占比（%）']:.1f}%"] for r in _data(outputs, "stat-status")} == statuses
    _, domains = _table(page, "<th scope=\"col\">领域</th><th scope=\"col\">项数</th>")
    assert {r["领域"]: [str(r["项数"])] for r in _data(outputs, "stat-domains")} == domains


def test_every_monitor_table_is_linked_from_its_page(built: tuple[Catalog, dict[str, Output]]) -> None:
    _, outputs = built
    shown_on = {"coverage": "monitor/index.md", "province-coverage": "monitor/910000.md", "gaps": "monitor/gaps.md",
                "upcoming": "monitor/upcoming.md", "ended": "monitor/910000/ended.md",
                "review": "monitor/review.md", "stat-years": "monitor/statistics.md",
                "stat-domains": "monitor/statistics.md", "stat-status": "monitor/statistics.md"}
    assert sorted(shown_on) == sorted(MONITOR_TABLES)
    for stem, src in shown_on.items():
        for fmt in ("json", "csv", "xlsx"):
            assert f'/downloads/monitor/{stem}.{fmt}" download>' in outputs[src].content, (stem, fmt)
    # Every link to a download on a monitoring page leads to a file that is there.
    for src, output in outputs.items():
        if src.startswith("monitor/") and output.is_page:
            for link in re.findall(r'href="((?:\.\./)+downloads/[^"]+)"', output.content):
                assert "downloads/" + link.split("downloads/", 1)[1] in outputs, (src, link)
    # The download page names every column of every table, a family of columns once.
    page = outputs["downloads/index.md"].content
    for stem in MONITOR_TABLES:
        assert f'<a href="monitor/{stem}.csv" download>' in page
    assert page.count("<td>各省级地区</td>") == 1 and "<td>北京市</td>" not in page
