"""Region pages, inferred positions, region system files and the GB/T 13016 documents, on a small database
with a made-up region tree (a fixture vocabulary) and one system file. Goldens in tests/golden_regions/."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from support import AS_OF, VOCABULARIES, page_text, record

from generator.feedback import FeedbackConfig
from generator.kinds import unguard_formula
from generator.pipeline import check, load_catalog
from generator.problems import Severity, format_problem
from generator.records import Feedback
from generator.render import Output, RenderOptions, render
from generator.system import NATIONAL, TABLE_COLUMNS, SystemView, statistics

GOLDEN = Path(__file__).parent / "golden_regions"
GOLDENS = ["regions/919102.md", "regions/919103.md", "regions/910000.md", "system/919102.md",
           "system/national.md", "system/919102.svg", "system/919102.csv"]

REGIONS = """\
910000 测试省
910100 甲市
910102 城东区
910121 乙县
919102 丙县
919103 丁县
920000 另一省
"""
# 919102 and 919103 have no prefecture: their parent is the province (a province-direct county-level unit).

SYSTEM = """\
体系名称: "丙县基本公共服务标准体系 <b>&"
编制单位: "丙县市场监督管理局"
版本日期: 2025-06-30
采用标准:
  - 标准号: "GB/T 20001-2020"
    体系位置: "服务保障标准"
  - 标准号: "DB91/T 3-2023"
不采用标准:
  - 标准号: "DB919102/T 9-2022"
    理由: "已由新版代替"
拟制定标准:
  - 标准名称: "=1+2 丙县托育机构服务规范"
    体系位置: "服务提供标准"
    领域: "幼有所育"
    负责单位: "丙县卫生健康局"
    计划年份: 2026
  - 标准名称: "丙县社区助餐点评价规范"
    体系位置: "评估评价标准"
    状态: "制定中"
"""

FILES: dict[str, str] = {
    "national/GB-T-20001-2020.yaml": record("GB/T 20001-2020", "养老机构服务质量基本规范", 体系位置="服务提供标准",
                                            领域=["老有所养"], 实施日期="2020-06-01"),
    "national/GB-T-20002-2021.yaml": record("GB/T 20002-2021", "公共服务满意度评价指南", 领域=["基础通用"],
                                            发布日期="2021-01-05"),
    "industry/MZ-T-20003-2019.yaml": record("MZ/T 20003-2019", "殡葬车辆", 领域=["弱有所扶"]),
    "local/DB91-T-3-2023.yaml": record("DB91/T 3-2023", "养老服务设施建设规范", 领域=["老有所养"],
                                       发布日期="2023-03-01"),
    "local/DB91-T-4-2024.yaml": record("DB91/T 4-2024", "公共文化数据平台建设指南", 领域=["文体服务保障"]),
    "local/DB9101-T-5-2024.yaml": record("DB9101/T 5-2024", "社区托育服务规范", 领域=["幼有所育"]),
    "local/DB919102-T-8-2024.yaml": record("DB919102/T 8-2024", "丙县社区助餐点评价规范", 领域=["老有所养"]),
    "local/DB919102-T-9-2022.yaml": record("DB919102/T 9-2022", "丙县旧规范"),
    "systems/919102.yaml": SYSTEM,
}


def _db(make_db: Callable[..., Path], files: dict[str, str] | None = None) -> Path:
    db = make_db(FILES if files is None else files)
    (db / "vocabularies" / "regions-mca2024.txt").write_text(REGIONS, encoding="utf-8")
    return db


@pytest.fixture
def db(make_db: Callable[..., Path]) -> Path:
    return _db(make_db)


def _outputs(db: Path) -> dict[str, Output]:
    catalog, _ = load_catalog(db, AS_OF)
    return {o.path: o for o in render(catalog, RenderOptions(FeedbackConfig(Feedback(mail="f@example.org"))))}


@pytest.fixture
def outputs(db: Path) -> dict[str, Output]:
    return _outputs(db)


@pytest.mark.parametrize("path", GOLDENS)
def test_golden(path: str, outputs: dict[str, Output], update_goldens: bool) -> None:
    golden = GOLDEN / path
    content = page_text(outputs[path])
    if update_goldens:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(content, encoding="utf-8", newline="\n")
        pytest.skip(f"已更新 {golden}")
    assert content == golden.read_text(encoding="utf-8")


def test_no_stale_goldens() -> None:
    assert {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()} == set(GOLDENS)


def test_every_region_has_a_page(outputs: dict[str, Output]) -> None:
    codes = [line.split()[0] for line in REGIONS.splitlines()]
    assert {f"regions/{c}.md" for c in codes} <= set(outputs)
    assert all(outputs[f"regions/{c}.md"].meta is not None for c in codes)
    # Shell-ready: plain metadata and an <h1> (the adapter fills these into one theme render per folder).
    for c in codes:
        page = outputs[f"regions/{c}.md"]
        assert set(page.meta or ()) == {"title", "stdportal_title", "stdportal_feedback", "stdportal_title_lang"} \
            and "<h1>" in page.content
    # Documents for regions with own local standards or a system file, and for the national layer only.
    documents = {p.split("/")[1].split(".")[0] for p in outputs if p.startswith("system/") and p.endswith(".svg")}
    assert documents == {"national", "910000", "910100", "919102"}


def test_bundled_vocabulary_gives_every_division_a_page(make_db: Callable[..., Path]) -> None:
    mca = (VOCABULARIES / "regions-mca2024.txt").read_text(encoding="utf-8").splitlines()
    extra = [line for line in (VOCABULARIES / "regions-extra.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    outputs = _outputs(make_db({"national/GB-T-1-2020.yaml": record("GB/T 1-2020")}))
    region_pages = {p for p in outputs if p.startswith("regions/") and p != "regions/index.md"}
    # Every division of the MCA list (3,213) and every sourced extra area (河北雄安新区) has its page.
    assert len(mca) == 3213
    assert region_pages == {f"regions/{line.split()[0]}.md" for line in mca + extra}


def test_a_national_count_leads_to_exactly_the_standards_it_counts(outputs: dict[str, Output]) -> None:
    """A region's domain table counts the national and industry standards of each domain; the count leads to a list
    of exactly those, never to the domain's page, which lists other regions' local standards too (DB91/T 3-2023
    is 老有所养's, and applies in 测试省 only)."""
    page = outputs["regions/919103.md"].content
    links = re.findall(r'<a class="sp-count" href="\.\./\.\./domains/([a-z-]+)/national/">(\d+)</a>', page)
    assert {slug for slug, _ in links} == {"general", "elderly", "assistance"}
    for slug, count in links:
        listed = outputs[f"domains/{slug}/national.md"].content
        assert f"共 {count} 项" in listed and "国家标准和行业标准在全国适用" in listed
        assert "DB91" not in listed and listed.count('class="sp-number"') == int(count)


def test_county_without_local_standards_sees_every_layer(outputs: dict[str, Output]) -> None:
    page = outputs["regions/919103.md"].content
    assert "国家标准和行业标准</a> 3 项" in page
    assert "测试省</a>发布的地方标准 2 项" in page
    assert "本地区尚无收录的地方标准" in page
    assert "DB91/T 3-2023" in page  # the province's standards, previewed


def test_region_page_does_not_grow_with_national_standards(make_db: Callable[..., Path]) -> None:
    few = _outputs(_db(make_db, FILES))["regions/919103.md"].content
    many_files = dict(FILES)
    for n in range(30):
        many_files[f"national/GB-T-3{n:04d}-2020.yaml"] = record(f"GB/T 3{n:04d}-2020", f"服务规范{n}",
                                                                     领域=["老有所养"])
    many_outputs = _outputs(_db(make_db, many_files))
    many = many_outputs["regions/919103.md"].content
    assert "GB/T 30000-2020" not in many
    # Only the counts differ (and a count that was 0 becomes a link): the page is the same size otherwise.
    def shape(html: str) -> str:
        return re.sub(r"\d+", "N", re.sub(r'<a href="[^"]*">|</a>', "", html))

    assert shape(many) == shape(few)
    assert "GB/T 30000-2020" in many_outputs["system/national.md"].content  # the shared national pages list them


def test_inferred_positions_are_marked(outputs: dict[str, Output]) -> None:
    table = outputs["system/national.md"].content
    assert "评估评价标准 <span class=\"sp-inferred\"" in table  # 满意度评价 → 评估评价标准, inferred
    rows = list(csv.reader(io.StringIO(outputs["system/national.csv"].content.lstrip("\ufeff"))))
    by_number = {r[2]: r for r in rows[1:]}
    assert by_number["GB/T 20001-2020"][1] == "服务提供标准"  # the record's own statement: no mark
    assert by_number["GB/T 20002-2021"][1] == "评估评价标准（推断）"
    assert by_number["MZ/T 20003-2019"][1] == "体系位置未确定"


def test_system_file_shapes_the_region_system(db: Path) -> None:
    catalog, problems = load_catalog(db, AS_OF)
    view = SystemView(catalog)
    rows = view.rows("919102")
    numbers = [r.number for r in rows if r.number]
    assert "DB919102/T 9-2022" not in numbers  # excluded
    assert {"GB/T 20001-2020", "DB91/T 3-2023", "DB919102/T 8-2024"} <= set(numbers)
    adopted = next(r for r in rows if r.number == "GB/T 20001-2020")
    assert adopted.position.name == "服务保障标准" and adopted.position.source == "system"
    planned = [r for r in rows if r.planned]
    assert [r.status for r in planned] == ["拟制定", "制定中"]
    # The planned 助餐点评价规范 exists already: a notice at its line and column.
    notices = [format_problem(p, db) for p in problems if p.severity is Severity.NOTICE]
    assert any("systems/919102.yaml:17:11:" in n and "DB919102/T 8-2024" in n for n in notices), notices


def test_statistics_count_the_rows_behind_them(db: Path) -> None:
    catalog, _ = load_catalog(db, AS_OF)
    view = SystemView(catalog)
    for key in [NATIONAL, "910000", "919102"]:
        rows = view.rows(key)
        stats = statistics(view, rows)
        assert stats.total == len(rows)
        assert sum(n for _, n in stats.by_level) == len(rows)
        assert sum(p[2] for p in stats.by_position) == len(rows)
        assert sum(n for _, n in stats.by_status) == len(rows)
        assert sum(n for _, n in stats.by_year) == len(rows)
        assert stats.planned == sum(r.planned is not None for r in rows)
        domains = Counter(d for r in rows for d in (r.domains or ("未归入领域",)))
        assert dict(stats.by_domain) == dict(domains)
    national = view.rows(NATIONAL)
    assert len(national) == sum(s.level.key != "local" for s in catalog.standards)
    assert len(view.rows("910000")) == sum(s.region == "910000" for s in catalog.standards)


def test_csv_and_xlsx_read_back_equal_the_table(db: Path, outputs: dict[str, Output]) -> None:
    catalog, _ = load_catalog(db, AS_OF)
    view = SystemView(catalog)
    for key in [NATIONAL, "919102"]:
        expected = [list(TABLE_COLUMNS), *([*r.cells(i)] for i, r in enumerate(view.rows(key), start=1))]
        text = outputs[f"system/{key}.csv"].content
        assert text.startswith("\ufeff")
        from_csv = [[unguard_formula(c) for c in row] for row in csv.reader(io.StringIO(text[1:]))]
        assert from_csv == expected
        book = openpyxl.load_workbook(io.BytesIO(outputs[f"system/{key}.xlsx"].content))  # type: ignore[arg-type]
        sheet = book.active
        from_xlsx = [[unguard_formula(c.value or "") for c in row] for row in sheet.iter_rows()]
        assert from_xlsx == expected
        assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row if c.value)
        from_json = json.loads(outputs[f"system/{key}.json"].content)["数据"]
        assert [[row[name] for name in TABLE_COLUMNS] for row in from_json] == expected[1:]
    guarded = outputs["system/919102.csv"].content
    assert ",'=1+2 丙县托育机构服务规范," in guarded  # a formula-like cell stays text


def test_every_detail_table_is_described_and_validates(db: Path, outputs: dict[str, Output],
                                                       tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    for path, output in outputs.items():
        if path.startswith("system/") and not path.endswith((".md", ".svg")):
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_bytes(output.data)
    folder = tmp_path / "system"
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    files = {p.name for p in folder.iterdir()} - {"datapackage.json", "schema.json"}
    assert {r["path"] for r in package["resources"]} == files
    view = SystemView(load_catalog(db, AS_OF)[0])
    assert {f.rsplit(".", 1)[0] for f in files} == {NATIONAL, *view.document_regions()}  # every system, and only
    schema = json.loads((folder / "schema.json").read_text(encoding="utf-8"))
    assert [f["name"] for f in schema["fields"]] == list(TABLE_COLUMNS)
    assert all(f["title"] and f["description"] for f in schema["fields"])
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    rows = {t.name: t.stats.get("rows") for t in report.tasks}
    for resource in package["resources"]:
        if resource["format"] != "json":
            stem = resource["path"].rsplit(".", 1)[0]
            assert rows[resource["name"]] == json.loads((folder / f"{stem}.json").read_text("utf-8"))["行数"]


def test_xlsx_is_the_same_on_every_build(db: Path) -> None:
    assert _outputs(db)["system/919102.xlsx"].content == _outputs(db)["system/919102.xlsx"].content


def test_svg_is_well_formed_titled_and_escaped(outputs: dict[str, Output]) -> None:
    svg = outputs["system/919102.svg"].content
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title").text == "丙县基本公共服务标准体系 <b>&"  # type: ignore[union-attr]
    assert "共 5 项" in (root.find(f"{ns}desc").text or "")  # type: ignore[union-attr]
    assert "<b>" not in svg and "<script" not in svg


BAD_SYSTEMS = [
    ('体系名称: "x"\n', ":1:1: 缺少 版本日期"),
    ('体系名称: "x"\n版本日期: 2025-13-01\n', ":2:7: 版本日期: 不是有效日期"),
    ('体系名称: "x"\n版本日期: 2025-01-01\n采用标准:\n  - 标准号: "GB/T 1-2099"\n',
     ":4:10: 警告: 采用标准第 1 项: 标准 GB/T 1-2099 未收录"),
    ('体系名称: "x"\n版本日期: 2025-01-01\n采用标准:\n  - 标准号: "GB/T 20001-2020"\n    体系位置: "服务标准"\n',
     ":5:11: 采用标准第 1 项: 体系位置应为"),
    ('体系名称: "x"\n版本日期: 2025-01-01\n拟制定标准:\n  - 标准名称: "y"\n    体系位置: "服务提供标准"\n'
     '    计划年份: 26\n', ":6:11: 拟制定标准第 1 项: 计划年份应为 4 位年份"),
    ('体系名称: "x"\n版本日期: 2025-01-01\n拟制定标准:\n  - 标准名称: "y"\n', ":4:5: 缺少 体系位置"),
    ('体系名称: "x"\n版本日期: 2025-01-01\n名称: "z"\n', ":3:1: 标准体系文件: 未知的字段 \"名称\""),
    ('体系名称: "x"\n版本日期: 2025-01-01\n不采用标准:\n  - 标准号: "GB/T 20001-2020"\n', ":4:5: 缺少 理由"),
]


@pytest.mark.parametrize(("text", "message"), BAD_SYSTEMS)
def test_bad_system_files(make_db: Callable[..., Path], text: str, message: str) -> None:
    files = {k: v for k, v in FILES.items() if not k.startswith("systems/")}
    db = _db(make_db, {**files, "systems/919103.yaml": text})
    lines = [format_problem(p, db) for p in check(db)]
    assert any(line.startswith("systems/919103.yaml") and message in line for line in lines), lines


def test_system_file_for_an_unknown_region(make_db: Callable[..., Path]) -> None:
    db = _db(make_db, {**FILES, "systems/999999.yaml": SYSTEM})
    lines = [format_problem(p, db) for p in check(db)]
    assert any(line.startswith("systems/999999.yaml: 文件名 999999 不是") for line in lines), lines


BAD_RULES = [
    ('规则:\n  - 体系位置: "服务标准"\n    名称含: ["x"]\n', ":2:11: 规则第 1 项: 体系位置应为"),
    ('规则:\n  - 体系位置: "服务提供标准"\n', ":2:5: 规则第 1 项: 至少要写"),
    ('规则:\n  - 体系位置: "服务提供标准"\n    领域: ["不存在"]\n', ":3:10: 规则第 1 项: 未知的领域 \"不存在\""),
    ('规则: []\n逐条指定:\n  "GB/T 20001-2020": "别的"\n', ":3:22: 逐条指定 GB/T 20001-2020: 体系位置应为"),
    ('规则: []\n逐条指定:\n  "GB/T 9-2000": "服务提供标准"\n', ":3:3: 提示: 逐条指定的标准 GB/T 9-2000 未收录"),
    ('规则: []\n其他: 1\n', ":2:1: 未知的字段 \"其他\""),
]


@pytest.mark.parametrize(("text", "message"), BAD_RULES)
def test_bad_position_rules(make_db: Callable[..., Path], text: str, message: str) -> None:
    db = _db(make_db)
    (db / "vocabularies" / "position-rules.yaml").write_text(text, encoding="utf-8")
    lines = [format_problem(p, db) for p in check(db)]
    assert any(line.startswith("vocabularies/position-rules.yaml") and message in line for line in lines), lines


def test_rules_override_per_standard(make_db: Callable[..., Path]) -> None:
    db = _db(make_db)
    rules = db / "vocabularies" / "position-rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "逐条指定: {}", '逐条指定:\n  "GB/T 20002-2021": "监测预警标准"\n  "DB91/T 3-2023": null'), encoding="utf-8")
    catalog, _ = load_catalog(db, AS_OF)
    view = SystemView(catalog)
    assert view.position(catalog.get("GB/T 20002-2021")).label == "监测预警标准（推断）"  # type: ignore[arg-type]
    assert view.position(catalog.get("DB91/T 3-2023")).name is None  # type: ignore[arg-type]
    assert view.position(catalog.get("GB/T 20001-2020")).source == "stated"  # type: ignore[arg-type]


def test_bundled_rules_are_clean() -> None:
    assert [p for p in check(VOCABULARIES.parent) if "position-rules" in str(p.path)] == []
