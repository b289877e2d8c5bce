"""Every standard page links to the official place to verify it, built from the number (generator/verify.py);
and what is for maintainers (维护备注, 原文标准号) stays off the site and out of the exports."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from support import AS_OF, record

from generator.export import export_csv, export_json
from generator.feedback import FeedbackConfig
from generator.numbers import read_number
from generator.pipeline import load_catalog
from generator.records import Feedback
from generator.render import RenderOptions, render
from generator.verify import verify_links


def links(number: str) -> list[tuple[str, str]]:
    parsed = read_number(number)
    assert parsed is not None
    return [(link.name, link.url) for link in verify_links(parsed)]


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@pytest.mark.parametrize(("number", "hosts"), [
    ("GB/T 35796-2017", ["std.samr.gov.cn", "openstd.samr.gov.cn"]),
    ("GB 19272-2011", ["std.samr.gov.cn", "openstd.samr.gov.cn"]),
    ("GB/Z 43507-2023", ["std.samr.gov.cn", "openstd.samr.gov.cn"]),
    ("GB 50763-2012", ["std.samr.gov.cn"]),            # engineering construction: not in the full-text system
    ("GB/T 50378-2019", ["std.samr.gov.cn"]),
    ("MZ/T 133-2019", ["hbba.sacinfo.org.cn"]),
    ("JGJ 125-99(2004年版)", ["hbba.sacinfo.org.cn"]),
    ("DB37/T 4591-2023", ["dbba.sacinfo.org.cn"]),
    ("DB31/ 890-2015", ["dbba.sacinfo.org.cn"]),
    ("DG/TJ08-2291B-2022", ["dbba.sacinfo.org.cn"]),
    ("DB1331/T 025.1-2022", ["dbba.sacinfo.org.cn"]),
])
def test_each_level_links_to_its_platform_with_the_number_as_the_query(number: str, hosts: list[str]) -> None:
    found = links(number)

    assert [urlsplit(url).netloc for _, url in found] == hosts
    assert all(urlsplit(url).scheme == "https" for _, url in found)
    for _, url in found:
        # The query holds exactly the canonical number, whatever characters it has.
        values = [v for vs in query(url).values() for v in vs]
        assert number in values
        assert " " not in url and "/" not in urlsplit(url).query


def test_the_addresses_follow_the_documented_schemes() -> None:
    assert links("GB/T 35796-2017") == [
        ("全国标准信息公共服务平台", "https://std.samr.gov.cn/search/std?q=GB%2FT%2035796-2017"),
        ("国家标准全文公开系统", "https://openstd.samr.gov.cn/bzgk/gb/std_list?p.p1=0&p.p90=circulation_date"
                                 "&p.p91=desc&p.p2=GB%2FT%2035796-2017"),
    ]
    assert links("MZ/T 133-2019") == [("行业标准信息服务平台", "https://hbba.sacinfo.org.cn/stdList?key=MZ%2FT%20133-2019")]
    assert links("DB37/T 4591-2023") == [
        ("地方标准信息服务平台", "https://dbba.sacinfo.org.cn/stdList?key=DB37%2FT%204591-2023")]


@pytest.fixture
def site(make_db) -> dict[str, str]:
    db = make_db({
        "national/GB-T-30001-2020.yaml": record("GB/T 30001-2020", "社区服务指南", 维护备注="来源甲与来源乙的日期不同",
                                                原文标准号="GB/T 30001—2020", 备注="本标准已有新版征求意见稿"),
        "local/DBJ50-T-047-2024.yaml": record("DBJ50/T-047-2024", "建筑地基基础设计标准"),
        "industry/MZ-T-30-2019.yaml": record("MZ/T 30-2019", "养老服务"),
    })
    catalog, problems = load_catalog(db, AS_OF)
    assert problems == []
    outputs = render(catalog, RenderOptions(FeedbackConfig(Feedback(mail="a@example.org"))))
    pages = {o.path: o.content for o in outputs if isinstance(o.content, str)}
    pages["standards.json"] = export_json(catalog)
    pages["standards.csv"] = export_csv(catalog)
    return pages


def test_the_standard_page_shows_the_links_after_the_status(site: dict[str, str]) -> None:
    national = site["standards/national/GB-T-30001-2020.md"]
    local = site["standards/local/DBJ50-T-047-2024.md"]

    status_at, verify_at = national.index("sp-status-panel"), national.index("sp-verify")
    assert status_at < verify_at < national.index('id="fields"')
    assert 'href="https://std.samr.gov.cn/search/std?q=GB%2FT%2030001-2020" rel="noopener nofollow"' in national
    assert 'href="https://dbba.sacinfo.org.cn/stdList?key=DBJ50%2FT-047-2024"' in local
    assert "hbba.sacinfo.org.cn/stdList?key=MZ%2FT%2030-2019" in site["standards/industry/MZ-T-30-2019.md"]


def test_the_site_requests_nothing_from_the_platforms(site: dict[str, str]) -> None:
    # Only <a href>: no script, image, frame, style or form reaches another host.
    for text in site.values():
        for tag in re.findall(r"<(?:script|img|iframe|link|form|source|video|audio)\b[^>]*>", text):
            assert "samr.gov.cn" not in tag and "sacinfo.org.cn" not in tag, tag


def test_maintainers_notes_and_the_source_spelling_stay_off_the_site(site: dict[str, str]) -> None:
    page = site["standards/national/GB-T-30001-2020.md"]
    assert "本标准已有新版征求意见稿" in page  # 备注 is for readers
    assert not any("来源甲与来源乙" in text or "GB/T 30001—2020" in text for text in site.values())
    record_json = next(r for r in json.loads(site["standards.json"])["标准"] if r["标准号"] == "GB/T 30001-2020")
    assert "维护备注" not in record_json and "原文标准号" not in record_json
    assert "维护备注" not in site["standards.csv"] and "原文标准号" not in site["standards.csv"]


def test_every_page_of_the_bundled_database_gets_its_links() -> None:
    catalog, _ = load_catalog(Path(__file__).parent.parent / "standards", AS_OF)
    for standard in catalog.standards:
        found = verify_links(standard.parsed_number)
        assert found and found[0].name.endswith("平台"), standard.number
