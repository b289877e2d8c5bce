"""What a standard page says of each field, for every record of the bundled database and for records made to
differ from what their number implies: the value the record states, or what is inferred and said to be."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from support import AS_OF, BUNDLED_DB, record

from generator.feedback import FeedbackConfig
from generator.model import Catalog
from generator.pipeline import load_catalog
from generator.records import Feedback
from generator.render import RenderOptions
from generator.render.standard_page import render_standard_pages

OPTIONS = RenderOptions(FeedbackConfig(Feedback(mail="feedback@example.org")))
INFERRED = "（按标准号代号推知）"


def shown_fields(catalog: Catalog) -> dict[str, dict[str, str]]:
    """number → {field label: the text its <dd> shows, tags and spaces folded}"""
    pages = render_standard_pages(catalog, OPTIONS)
    shown = {}
    for standard, page in zip(catalog.standards, pages, strict=True):
        pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page.text, re.S)
        shown[standard.number] = {dt: " ".join(html.unescape(re.sub(r"<[^>]+>", "", dd)).split()) for dt, dd in pairs}
    return shown


@pytest.fixture(scope="module")
def bundled() -> tuple[Catalog, dict[str, dict[str, str]]]:
    catalog, _ = load_catalog(BUNDLED_DB, AS_OF)
    return catalog, shown_fields(catalog)


def test_no_field_of_a_bundled_standard_shows_a_programs_word(bundled) -> None:
    """A flag, nothing, or a list as Python writes it, where a reader expects the value."""
    _, shown = bundled
    odd = {(number, label, text) for number, fields in shown.items() for label, text in fields.items()
           if text in ("True", "False", "None", "") or re.fullmatch(r"[\[(]'.*'[,)\]]+", text)}
    assert odd == set()


def test_the_nature_a_record_states_is_shown_else_the_inferred_one_said_so(bundled) -> None:
    catalog, shown = bundled
    stated = [s for s in catalog.standards if s.nature]
    assert stated, "the bundled database states 标准性质 in some records"
    for s in catalog.standards:
        text = shown[s.number].get("标准性质")
        if s.nature:
            assert text == s.nature, s.number
        elif s.parsed_number.nature:
            assert text == f"{s.parsed_number.nature} {INFERRED}", s.number
        else:
            assert text is None, s.number


@pytest.mark.parametrize(("number", "stated", "shown"), [
    ("GB 1-2020", "强制性", "强制性"),  # stated, and what the number says too
    ("WH/T 2-2020", "推荐性", "推荐性"),
    ("GB/Z 3-2020", "指导性技术文件", "指导性技术文件"),
    ("GB/T 4-2020", None, f"推荐性 {INFERRED}"),
    ("DB37/T 5-2020", None, f"推荐性 {INFERRED}"),
])
def test_a_records_nature(make_db: Callable[..., Path], number: str, stated: str | None, shown: str) -> None:
    fields = {"标准性质": stated} if stated else {}
    folder = "local" if number.startswith("DB") else "industry" if number.startswith("WH") else "national"
    name = number.replace("/", "-").replace(" ", "-")
    catalog, problems = load_catalog(make_db({f"{folder}/{name}.yaml": record(number, "测试标准", **fields)}), AS_OF)
    assert [p for p in problems if p.severity.value == "错误"] == []
    assert shown_fields(catalog)[number]["标准性质"] == shown


def test_a_stated_status_the_page_overrides_says_so_and_one_it_agrees_with_does_not(bundled) -> None:
    """A source's 现行 for a standard its new edition has replaced since: the field says it is the source's and
    which status the page gives, so that a reader does not see 被代替 above and 现行 below unexplained."""
    catalog, shown = bundled
    differing = [s for s in catalog.standards if s.stated_status and s.stated_status != catalog.status[s.number].label]
    agreeing = [s for s in catalog.standards if s.stated_status and s.stated_status == catalog.status[s.number].label]
    assert differing and agreeing, "the bundled database has both (WH/T 70.4-2015: 现行 at the source, replaced)"
    for s in differing:
        status = catalog.status[s.number]
        assert shown[s.number]["标准状态"] == (f"{s.stated_status} （来源采集时所示，未经官方核实；"
                                               f"现在的状态是本页上方的“{status.label}”：{status.basis}）")
    for s in agreeing:
        assert shown[s.number]["标准状态"] == f"{s.stated_status} （来源所示，采集时，未经官方核实）"


@pytest.mark.parametrize("fields", [
    {"发布日期": "2026-06-01"},  # issued after the status date, no 实施日期
    {"标准状态": "即将实施"},  # said to be upcoming, no date at all
])
def test_an_upcoming_standard_without_its_date_says_the_date_is_missing(make_db: Callable[..., Path],
                                                                       fields: dict[str, str]) -> None:
    catalog, _ = load_catalog(make_db({"national/GB-T-99953-2020.yaml": record("GB/T 99953-2020", **fields)}), AS_OF)
    assert catalog.status["GB/T 99953-2020"].kind.slug == "upcoming"
    page = render_standard_pages(catalog, OPTIONS)[0].text
    assert "尚未实施（实施日期未收录）" in page
    assert "None" not in page


def test_a_missing_value_prints_nothing_in_any_template(tmp_path: Path) -> None:
    """The class of the case above: whatever a template prints, None never reaches a page as a word."""
    from generator.render.base import _environment

    (tmp_path / "probe.html").write_text("[{{ value }}][{{ value | default('x', true) }}]", encoding="utf-8")
    assert _environment((tmp_path,)).get_template("probe.html").render(value=None) == "[][x]"
