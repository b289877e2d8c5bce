"""The catalogue: replacements both ways, regions (incl. province-direct counties), bodies, ordering."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from support import AS_OF, record

from generator.feedback import FeedbackConfig
from generator.model import body_slug
from generator.numbers import LEVELS
from generator.pipeline import load_catalog
from generator.records import Feedback
from generator.render import RenderOptions, render
from generator.render.standard_page import replacement_chain


@pytest.fixture
def replacements(make_db):
    db = make_db({
        # The oldest edition says who replaced it; the newest says whom it replaces.
        "national/GB-T-1-2000.yaml": record("GB/T 1-2000", 被代替标准=["GB/T 1-2010"]),
        "national/GB-T-1-2010.yaml": record("GB/T 1-2010", 实施日期="2010-06-01", 被代替标准=["GB/T 1-2020"]),
        "national/GB-T-1-2020.yaml": record("GB/T 1-2020", 实施日期="2020-06-01", 代替标准=["GB/T 1-2010"]),
        # not in the database; a title of its own, or `check` warns of a likely duplicate of GB/T 1-2000
        "national/GB-T-2-2020.yaml": record("GB/T 2-2020", "另一项测试标准", 被代替标准=["GB/T 2-2030"]),
    })
    catalog, problems = load_catalog(db, AS_OF)
    assert [p.message for p in problems] == ["被代替标准: GB/T 2-2030 未收录于数据库，页面上不会链接到它"]
    return catalog


def test_replaced_by_is_computed_from_both_directions(replacements) -> None:
    assert replacements.replaced_by == {
        "GB/T 1-2000": ["GB/T 1-2010"],  # stated by the old record
        "GB/T 1-2010": ["GB/T 1-2020"],  # stated both ways, listed once
        "GB/T 1-2020": [],
        "GB/T 2-2020": ["GB/T 2-2030"],
    }


def test_replacement_status_and_chain(replacements) -> None:
    status = {number: s.label for number, s in replacements.status.items()}
    assert status == {"GB/T 1-2000": "被代替", "GB/T 1-2010": "被代替", "GB/T 1-2020": "现行",
                      "GB/T 2-2020": "被代替"}
    oldest = replacements.get("GB/T 1-2000")
    newest = replacements.get("GB/T 1-2020")
    assert replacement_chain(replacements, oldest) == ["GB/T 1-2000", "GB/T 1-2010", "GB/T 1-2020"]
    assert replacement_chain(replacements, newest)[-2:] == ["GB/T 1-2010", "GB/T 1-2020"]


def test_get_accepts_any_spelling_of_a_number(replacements) -> None:
    assert replacements.get("gb/t 1—2020").number == "GB/T 1-2020"
    assert replacements.get("GB/T 1-2030") is None


@pytest.fixture
def regions(make_db):
    db = make_db({
        "local/DB659001-T-1-2020.yaml": record("DB659001/T 1-2020"),  # 石河子市, directly under the region
        "local/DB110101-T-2-2020.yaml": record("DB110101/T 2-2020"),  # 东城区, a municipal district
        "local/DB3205-T-3-2020.yaml": record("DB3205/T 3-2020"),
        "local/DB320506-T-4-2020.yaml": record("DB320506/T 4-2020"),
        "local/DB32-T-5-2020.yaml": record("DB32/T 5-2020"),
        "national/GB-T-6-2020.yaml": record("GB/T 6-2020"),
    })
    catalog, problems = load_catalog(db, AS_OF)
    assert problems == []
    return catalog


def test_region_chains_skip_missing_prefectures(regions) -> None:
    def chain(code: str) -> list[tuple[str, str, str]]:
        return [(r.code, r.name, r.rank) for r in regions.vocab.region_chain(code)]

    assert chain("659001") == [("650000", "新疆维吾尔自治区", "province"), ("659001", "石河子市", "county")]
    assert chain("110101") == [("110000", "北京市", "province"), ("110101", "东城区", "county")]
    assert chain("320506") == [("320000", "江苏省", "province"), ("320500", "苏州市", "prefecture"),
                               ("320506", "吴中区", "county")]


def test_standards_are_grouped_under_every_ancestor(regions) -> None:
    def numbers(code: str) -> list[str]:
        return [s.number for s in regions.in_region(code)]

    assert [r.code for r in regions.regions_with_standards()] == [
        "110000", "110101", "320000", "320500", "320506", "650000", "659001"]
    assert numbers("650000") == numbers("659001") == ["DB659001/T 1-2020"]
    assert numbers("110000") == ["DB110101/T 2-2020"]
    assert numbers("320000") == ["DB32/T 5-2020", "DB3205/T 3-2020", "DB320506/T 4-2020"]
    assert numbers("320500") == ["DB3205/T 3-2020", "DB320506/T 4-2020"]
    assert "GB/T 6-2020" not in {s.number for code in ("110000", "320000", "650000") for s in regions.in_region(code)}


def test_region_pages_link_parents_to_children(regions) -> None:
    pages = {o.path: o.content for o in render(regions, RenderOptions(FeedbackConfig(Feedback(mail="a@b.org"))))}
    # Every division has a page, with local standards or without (the national layer applies everywhere).
    assert {p for p in pages if p.startswith("regions/")} == {
        "regions/index.md", *(f"regions/{c}.md" for c in regions.vocab.regions)}
    assert {"110000", "110101", "320000", "320500", "320506", "650000", "659001"} <= set(regions.vocab.regions)
    # The province page lists the county directly; the county page's crumbs lead back to the province.
    assert 'href="../659001/"' in pages["regions/650000.md"] and "石河子市" in pages["regions/650000.md"]
    assert 'href="../650000/"' in pages["regions/659001.md"]
    assert 'href="../110101/"' in pages["regions/110000.md"]
    # 吴中区 is under 苏州市, not listed directly under 江苏省.
    assert 'href="../320506/"' not in pages["regions/320000.md"]
    assert 'href="../320506/"' in pages["regions/320500.md"]


def test_bodies_group_by_issuer_as_written(make_db) -> None:
    db = make_db({
        "national/GB-T-1-2020.yaml": record("GB/T 1-2020", 发布单位="国家市场监督管理总局"),
        "national/GB-T-2-2020.yaml": record("GB/T 2-2020", 发布单位="国家市场监督管理总局"),
        "industry/MZ-T-3-2020.yaml": record("MZ/T 3-2020", 发布单位="民政部"),
        "industry/MZ-T-4-2020.yaml": record("MZ/T 4-2020"),
    })
    catalog, _ = load_catalog(db, AS_OF)
    bodies = {name: [s.number for s in standards] for name, standards in catalog.bodies().items()}
    assert bodies == {"国家市场监督管理总局": ["GB/T 1-2020", "GB/T 2-2020"], "民政部": ["MZ/T 3-2020"]}
    assert list(bodies) == sorted(bodies)


def test_body_slug_is_short_stable_and_distinct() -> None:
    names = ["国家市场监督管理总局", "国家市场监督管理总局、国家标准化管理委员会", "民政部", "<b>x</b>"]
    slugs = [body_slug(n) for n in names]
    assert len(set(slugs)) == len(names)
    assert all(re.fullmatch(r"[0-9a-f]{10}", s) for s in slugs)
    assert body_slug("民政部") == slugs[2]


def test_order_by_level_then_number_and_newest_first(make_db) -> None:
    db = make_db({
        "local/DB37-T-1-2021.yaml": record("DB37/T 1-2021", 发布日期="2021-05-01"),
        "industry/MZ-T-1-2019.yaml": record("MZ/T 1-2019", 发布日期="2019-05-01"),
        "national/GB-T-2-2018.yaml": record("GB/T 2-2018", 发布日期="2018-05-01"),
        "national/GB-T-1-2022.yaml": record("GB/T 1-2022", 发布日期="2022-05-01"),
        "national/GB-1-2023.yaml": record("GB 1-2023"),
    })
    catalog, _ = load_catalog(db, AS_OF)
    assert [s.level.key for s in catalog.standards] == ["national"] * 3 + ["industry", "local"]
    assert [s.number for s in catalog.by_level(LEVELS[0])] == ["GB 1-2023", "GB/T 1-2022", "GB/T 2-2018"]
    assert [s.number for s in catalog.newest(3)] == ["GB/T 1-2022", "DB37/T 1-2021", "MZ/T 1-2019"]
    assert all(s.issued <= dt.date(2022, 5, 1) for s in catalog.newest(10))
    assert catalog.as_of == AS_OF


def test_replaces_is_computed_from_both_directions(replacements) -> None:
    # GB/T 1-2010 says nothing of 2000, but 2000 says 2010 replaced it: 2010's page must list it.
    assert replacements.replaces["GB/T 1-2010"] == ["GB/T 1-2000"]
    assert replacements.replaces["GB/T 1-2020"] == ["GB/T 1-2010"]
    chain = replacement_chain(replacements, replacements.get("GB/T 1-2010"))
    assert chain == ["GB/T 1-2000", "GB/T 1-2010", "GB/T 1-2020"]


def test_a_stated_replacement_not_yet_in_force_keeps_the_old_edition_current(make_db) -> None:
    db = make_db({
        "national/GB-T-3-2020.yaml": record("GB/T 3-2020", 实施日期="2020-06-01", 被代替标准=["GB/T 3-2026"]),
        "national/GB-T-3-2026.yaml": record("GB/T 3-2026", 实施日期="2026-12-01"),
    })
    catalog, _ = load_catalog(db, dt.date(2026, 11, 1))
    assert catalog.status["GB/T 3-2020"].label == "现行"  # its successor is not in force yet
    assert catalog.status["GB/T 3-2026"].label == "即将实施"
    later, _ = load_catalog(db, dt.date(2026, 12, 1))
    assert later.status["GB/T 3-2020"].label == "被代替"
    assert later.status["GB/T 3-2026"].label == "现行"


def test_a_replacement_cycle_neither_loops_nor_crashes(make_db) -> None:
    """A cycle is a typo `check` warns of; the catalogue, the chains and the pages must still come out."""
    db = make_db({
        # Two records replacing each other, both in force: each shows the other as its replacement.
        "local/DB32-T-3883-2020.yaml": record("DB32/T 3883-2020", "社区助餐点服务规范", 实施日期="2020-10-20",
                                             代替标准=["DB32/T 3884-2020"]),
        "local/DB32-T-3884-2020.yaml": record("DB32/T 3884-2020", "婴幼儿照护服务机构管理规范", 实施日期="2020-10-20",
                                             代替标准=["DB32/T 3883-2020"]),
        # A loop of three, one link stated by 被代替标准, without dates.
        "national/GB-T-7-2022.yaml": record("GB/T 7-2022", "公共图书馆服务规范", 代替标准=["GB/T 7-2021"],
                                            被代替标准=["GB/T 7-2020"]),
        "national/GB-T-7-2021.yaml": record("GB/T 7-2021", "公共图书馆服务规范", 代替标准=["GB/T 7-2020"]),
        "national/GB-T-7-2020.yaml": record("GB/T 7-2020", "公共图书馆服务规范"),
    })
    catalog, problems = load_catalog(db, AS_OF)
    assert sum("代替关系成了循环" in p.message for p in problems) == 5
    assert {n: s.basis for n, s in catalog.status.items()} == {
        "DB32/T 3883-2020": "已被 DB32/T 3884-2020 代替", "DB32/T 3884-2020": "已被 DB32/T 3883-2020 代替",
        "GB/T 7-2022": "已被 GB/T 7-2020 代替", "GB/T 7-2021": "已被 GB/T 7-2022 代替",
        "GB/T 7-2020": "已被 GB/T 7-2021 代替"}
    assert replacement_chain(catalog, catalog.get("DB32/T 3883-2020")) == ["DB32/T 3884-2020", "DB32/T 3883-2020"]
    assert sorted(replacement_chain(catalog, catalog.get("GB/T 7-2021"))) == ["GB/T 7-2020", "GB/T 7-2021",
                                                                             "GB/T 7-2022"]
    pages = {o.path: o.content for o in render(catalog, RenderOptions(FeedbackConfig(Feedback(mail="a@b.org"))))}
    assert "DB32/T 3884-2020" in pages["standards/local/DB32-T-3883-2020.md"]
