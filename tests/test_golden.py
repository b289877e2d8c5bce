"""Rendered pages of the small fixture database against tests/golden/; `pytest --update-goldens` rewrites them.

A golden diff is a change a reviewer reads: the page a reader gets, not an implementation detail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import AS_OF, XSS_TITLE, check_golden, page_text

from generator.feedback import FeedbackConfig
from generator.pipeline import load_catalog
from generator.records import Feedback
from generator.render import Output, RenderOptions, render

GOLDEN = Path(__file__).parent / "golden"
PAGES = [
    "index.md",
    "standards/national/GB-T-10001-2020.md",  # a replacement pair, every kind of field
    "standards/national/GB-T-99999-2023.md",  # markup in the title
    "levels/national.md",
    "regions/370000.md",
    "domains/childcare.md",
    "status/index.md",
]


@pytest.fixture
def outputs(fixture_db: Path) -> dict[str, Output]:
    catalog, problems = load_catalog(fixture_db, AS_OF)
    assert problems == []
    options = RenderOptions(FeedbackConfig(Feedback(mail="feedback@example.org")))
    return {o.path: o for o in render(catalog, options)}


@pytest.mark.parametrize("page", PAGES)
def test_golden(page: str, outputs: dict[str, Output], update_goldens: bool) -> None:
    check_golden(GOLDEN / page, outputs[page], update_goldens)


def test_no_stale_goldens() -> None:
    files = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}
    assert files == set(PAGES)


def test_every_page_is_rendered_once(outputs: dict[str, Output]) -> None:
    # One page per standard, the browse pages, and nothing twice.
    standards = [p for p in outputs if p.startswith("standards/") and p.endswith(".md")]
    assert len(standards) == 5
    # Beside each page, the standard's own JSON file (open data).
    assert {p for p in outputs if p.startswith("standards/") and not p.endswith(".md")} == {
        p.removesuffix(".md") + ".json" for p in standards}
    assert {"index.md", "levels/index.md", "domains/index.md", "regions/index.md", "status/index.md",
            "bodies/index.md"} <= set(outputs)
    assert [o.path for o in outputs.values() if o.in_nav] == [
        "index.md", "levels/index.md", "domains/index.md", "regions/index.md", "status/index.md", "bodies/index.md",
        "search/index.md", "updates/index.md", "downloads/index.md", "monitor/index.md"]


def _front_and_body(content: str) -> tuple[str, str]:
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", content, re.S)
    assert match, "every page starts with YAML front matter"
    return match.group(1), match.group(2)


def test_markup_in_data_is_only_ever_text(outputs: dict[str, Output]) -> None:
    pages = [o for o in outputs.values() if o.path.endswith(".md")]
    assert pages and all(not o.in_nav for o in outputs.values() if not o.path.endswith(".md"))
    for output in outputs.values():
        if output.path.endswith((".csv", ".xlsx")):
            continue  # open data for spreadsheets, served as text/csv: the title as it is, never read as HTML
        if output.path.endswith(".svg"):
            # A diagram is markup; every text in it from data is escaped (test_regions checks the escaping).
            assert "<script" not in output.content and "alert(1)</script>" not in output.content, output.path
            continue
        if output.path.endswith(".xml"):
            assert "<script" not in output.content, output.path  # Atom feeds: markup only as &lt; (test_updates)
            continue
        if not output.path.endswith(".md"):
            assert "<" not in output.content, output.path  # JSON data carries markup only as \u003c escapes
            continue
        front, body = _front_and_body(page_text(output))
        # No page body carries a script tag (the search page's own come from overrides/main.html), none from data.
        assert "<script" not in body, output.path
        assert "alert(1)</script>" not in body and "<b>测试" not in body and "<i>x" not in body, output.path
    front, body = _front_and_body(page_text(outputs["standards/national/GB-T-99999-2023.md"]))
    assert "<h1>标准&lt;script&gt;alert(1)&lt;/script&gt; *markdown* [x](y)</h1>" in body
    # The title MkDocs shows is pre-escaped; the raw one is kept only for the feedback link (escaped there).
    assert 'title: "标准&lt;script&gt;alert(1)&lt;/script&gt; *markdown* [x](y)"' in front.splitlines()
    assert f'stdportal_title: "{XSS_TITLE}"' in front.splitlines()

