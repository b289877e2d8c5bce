"""Likely duplicate records (warnings of `stdportal check`) and the related standards on each standard's page."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import AS_OF, BUNDLED_DB, record

from generator.cli import main
from generator.feedback import FeedbackConfig
from generator.pipeline import check, load_catalog
from generator.problems import Severity
from generator.records import Feedback
from generator.render import RenderOptions, render
from generator.search.similar import related, title_similarity


def run_check(db: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, list[str]]:
    monkeypatch.chdir(db.parent)
    result = CliRunner().invoke(main, ["check", "--db", db.name, *args])
    return result.exit_code, result.stdout.splitlines()


# --- the same number in another spelling -----------------------------------------------------------------


def test_leading_zeros_in_the_serial(make_db, monkeypatch) -> None:
    db = make_db({
        "local/DB2301-T-39-2023.yaml": record("DB2301/T 39-2023", "居家和社区养老服务规范"),
        "local/DB2301-T-0039-2023.yaml": record("DB2301/T 0039-2023", "居家和社区养老服务规范"),
    })
    code, lines = run_check(db, monkeypatch)
    assert code == 0  # a warning does not fail without --strict
    assert lines == [
        "standards/local/DB2301-T-39-2023.yaml:1:6: 警告: 标准号: DB2301/T 39-2023 与 "
        "standards/local/DB2301-T-0039-2023.yaml 的 DB2301/T 0039-2023 可能是同一标准（顺序号仅前导零不同），"
        "请核对后只保留一个文件",
    ]  # and no second warning for their equal titles
    assert run_check(db, monkeypatch, "--strict")[0] == 1


def test_a_warning_across_records_keeps_its_line_when_the_checks_are_remembered(make_db, monkeypatch) -> None:
    """A checked record keeps no parse tree: a problem across records reads the file again for its position, on
    the first run and on one that takes every record's checks from the store (.stdportal/records.pickle)."""
    db = make_db({
        "local/DB2301-T-39-2023.yaml": "# 由表格导入\n\n" + record("DB2301/T 39-2023", "居家和社区养老服务规范"),
        "local/DB2301-T-0039-2023.yaml": record("DB2301/T 0039-2023", "居家和社区养老服务规范"),
    })
    first = run_check(db, monkeypatch)[1]
    assert (db.parent / ".stdportal" / "records.pickle").is_file()
    assert run_check(db, monkeypatch)[1] == first
    assert [line.split(": ", 1)[0] for line in first] == ["standards/local/DB2301-T-39-2023.yaml:3:6"]


def test_two_digit_year_and_missing_kind(make_db, monkeypatch) -> None:
    db = make_db({
        "national/GB-T-123-1998.yaml": record("GB/T 123-1998", "甲"),
        "national/GB-T-123-98.yaml": record("GB/T 123-98", "乙"),
        "national/GB-5000-2020.yaml": record("GB 5000-2020", "丙"),
        "national/GB-T-5000-2020.yaml": record("GB/T 5000-2020", "丁"),
    })
    assert run_check(db, monkeypatch)[1] == [
        "standards/national/GB-T-123-98.yaml:1:6: 警告: 标准号: GB/T 123-98 与 standards/national/GB-T-123-1998.yaml "
        "的 GB/T 123-1998 可能是同一标准（年代号仅位数不同），请核对后只保留一个文件",
        "standards/national/GB-T-5000-2020.yaml:1:6: 警告: 标准号: GB/T 5000-2020 与 "
        "standards/national/GB-5000-2020.yaml 的 GB 5000-2020 可能是同一标准（代号后的 /T、/Z 不同），"
        "请核对后只保留一个文件",
    ]


def test_editions_and_parts_are_not_the_same_number(make_db) -> None:
    db = make_db({
        "local/DB2301-T-39-2023.yaml": record("DB2301/T 39-2023", "居家养老服务规范", 代替标准=["DB2301/T 0039-2017"]),
        "local/DB2301-T-0039-2017.yaml": record("DB2301/T 0039-2017", "居家养老服务规范"),
        "national/GB-T-40987.1-2021.yaml": record("GB/T 40987.1-2021", "公共图书馆业务规范 第1部分：省级公共图书馆"),
        "national/GB-T-40987.2-2021.yaml": record("GB/T 40987.2-2021", "公共图书馆业务规范 第2部分：市级公共图书馆"),
    })
    assert [p for p in check(db) if p.severity is Severity.WARNING] == []


# --- near-identical titles --------------------------------------------------------------------------------


def test_identical_titles_in_one_region_and_level(make_db, monkeypatch) -> None:
    db = make_db({
        "local/DB37-T-1-2020.yaml": record("DB37/T 1-2020", "养老机构服务安全规范"),
        "local/DB37-T-2-2021.yaml": record("DB37/T 2-2021", "养老机构服务安全规范"),
        "local/DB32-T-3-2021.yaml": record("DB32/T 3-2021", "养老机构服务安全规范"),  # another region
        "industry/MZ-T-4-2021.yaml": record("MZ/T 4-2021", "养老机构服务安全规范"),  # another level
    })
    # One is newer and neither names the other: the likely missed replacement (reported once, not also as a
    # near-identical title).
    assert run_check(db, monkeypatch)[1] == [
        "standards/local/DB37-T-2-2021.yaml:2:9: 警告: 中文标准名称: 与 standards/local/DB37-T-1-2020.yaml 的 "
        "DB37/T 1-2020 同名，本标准较新，但两者都未在 代替标准 或 被代替标准 中写明对方，可能漏填了代替关系；"
        "若本标准代替了它，请在 代替标准 中填写 DB37/T 1-2020",
    ]


def test_near_identical_titles_at_the_threshold(make_db, monkeypatch) -> None:
    similar, base = "城市社区居家养老服务质量评价规范", "社区居家养老服务质量评价规范"
    assert title_similarity(similar, base) == pytest.approx(13 / 15)  # two bigrams more: 城市 市社
    assert title_similarity(base, "社区居家养老服务质量评估规范") < 0.85
    db = make_db({
        "national/GB-T-1-2020.yaml": record("GB/T 1-2020", "社区居家养老服务质量评价规范"),
        "national/GB-T-2-2021.yaml": record("GB/T 2-2021", "城市社区居家养老服务质量评价规范"),
        "national/GB-T-3-2021.yaml": record("GB/T 3-2021", "社区居家养老服务质量评估规范"),
    })
    assert run_check(db, monkeypatch)[1] == [
        "standards/national/GB-T-2-2021.yaml:2:9: 警告: 中文标准名称: 与 standards/national/GB-T-1-2020.yaml 的 "
        "GB/T 1-2020“社区居家养老服务质量评价规范”几乎相同（相似度 0.87，同为国家标准），可能重复收录；"
        "若一个代替另一个，请填写 代替标准",
    ]


def test_a_cluster_warns_once_per_later_record(make_db) -> None:
    db = make_db({f"national/GB-T-{n}-2020.yaml": record(f"GB/T {n}-2020", "农家书屋服务规范") for n in (1, 2, 3)})
    warnings = [p for p in check(db) if p.severity is Severity.WARNING]
    assert [(p.path.name, p.message.split(" 的 ")[1][:11]) for p in warnings] == [
        ("GB-T-2-2020.yaml", "GB/T 1-2020"), ("GB-T-3-2020.yaml", "GB/T 1-2020")]


def test_editions_under_another_number_are_not_duplicates(make_db) -> None:
    db = make_db({
        "national/GB-T-1-2010.yaml": record("GB/T 1-2010", "公共图书馆服务规范"),
        "national/GB-T-2-2015.yaml": record("GB/T 2-2015", "公共图书馆服务规范", 代替标准=["GB/T 1-2010"]),
        "national/GB-T-3-2023.yaml": record("GB/T 3-2023", "公共图书馆服务规范", 代替标准=["GB/T 2-2015"]),
        "national/GB-T-4-2011.yaml": record("GB/T 4-2011", "公共文化服务规范", 被代替标准=["GB/T 4-2023"]),
        "national/GB-T-4-2023.yaml": record("GB/T 4-2023", "公共文化服务规范"),  # same number, another year
    })
    assert [p for p in check(db) if p.severity is Severity.WARNING] == []


def test_the_bundled_database_has_no_likely_duplicates() -> None:
    assert [p.message for p in check(BUNDLED_DB) if p.severity is Severity.WARNING] == []


# --- related standards ------------------------------------------------------------------------------------


@pytest.fixture
def library_db(make_db) -> Path:
    culture = {"领域": ["文体服务保障"], "类别": ["公共文化服务"]}
    return make_db({
        "national/GB-T-28220-2011.yaml": record("GB/T 28220-2011", "公共图书馆服务规范", **culture),
        "national/GB-T-28220-2023.yaml": record("GB/T 28220-2023", "公共图书馆服务规范", 实施日期="2023-07-01",
                                                代替标准=["GB/T 28220-2011"], **culture),
        "national/GB-T-40987.1-2021.yaml": record("GB/T 40987.1-2021", "公共图书馆业务规范 第1部分：省级公共图书馆",
                                                  **culture),
        "industry/WH-T-1-2020.yaml": record("WH/T 1-2020", "文化馆服务规范", **culture),
        "industry/WH-T-2-2020.yaml": record("WH/T 2-2020", "博物馆讲解服务规范", **culture),
        # same domain, another category: after the category's own standards
        "industry/TY-T-3-2020.yaml": record("TY/T 3-2020", "公共体育场馆服务规范", 领域=["文体服务保障"],
                                            类别=["公共体育服务"]),
        # another domain: never related
        "industry/MZ-T-4-2020.yaml": record("MZ/T 4-2020", "公共图书馆服务规范", 领域=["老有所养"]),
    })


def test_related_same_category_first_then_by_similarity(library_db: Path) -> None:
    catalog, _ = load_catalog(library_db, AS_OF)
    result = related(catalog, count=5)
    # Its own older edition is left out; the category's standards (by cosine) come before the domain's.
    category = {"GB/T 40987.1-2021", "WH/T 1-2020", "WH/T 2-2020"}
    assert set(result["GB/T 28220-2023"][:3]) == category and result["GB/T 28220-2023"][3:] == ["TY/T 3-2020"]
    assert result["GB/T 28220-2011"][0] in category
    assert "GB/T 28220-2023" not in result["GB/T 28220-2011"]
    assert result["MZ/T 4-2020"] == []
    assert related(catalog, count=2)["GB/T 28220-2023"] == result["GB/T 28220-2023"][:2]
    assert set(result) == {s.number for s in catalog.standards}


def test_related_without_category_uses_the_domain(make_db) -> None:
    db = make_db({
        "national/GB-T-1-2020.yaml": record("GB/T 1-2020", "养老机构服务规范", 领域=["老有所养"]),
        "national/GB-T-2-2020.yaml": record("GB/T 2-2020", "托育机构服务规范", 领域=["幼有所育"]),
        "industry/MZ-T-3-2020.yaml": record("MZ/T 3-2020", "养老机构膳食服务规范", 领域=["老有所养"]),
        "industry/MZ-T-4-2020.yaml": record("MZ/T 4-2020", "老年人能力评估", 领域=["老有所养"], 类别=["养老助老服务"]),
    })
    catalog, _ = load_catalog(db, AS_OF)
    result = related(catalog)
    # Same domain, most similar first; a member of the domain sharing no term still belongs.
    assert result["GB/T 1-2020"] == ["MZ/T 3-2020", "MZ/T 4-2020"]
    # With a category: its category's standards (none but itself), then its domain's, by similarity.
    assert result["MZ/T 4-2020"] == ["GB/T 1-2020", "MZ/T 3-2020"]
    assert result["GB/T 2-2020"] == []


def test_the_standard_page_lists_related_standards(library_db: Path) -> None:
    catalog, _ = load_catalog(library_db, AS_OF)
    outputs = {o.path: o for o in render(catalog, RenderOptions(FeedbackConfig(Feedback(mail="a@example.org"))))}
    page = outputs["standards/national/GB-T-28220-2023.md"].content
    section = page[page.index('<h2 id="related">相关标准</h2>'):]
    assert page.index('<h2 id="chain">代替关系</h2>') < page.index('<h2 id="related">相关标准</h2>')
    assert "WH/T 1-2020" in section and "TY/T 3-2020" in section
    assert ('<li><a href="../GB-T-40987.1-2021/">GB/T 40987.1-2021</a> 公共图书馆业务规范 第1部分：省级公共图书馆 '
            '<span class="sp-status sp-status--unknown">状态未收录</span></li>') in section
    assert '<h2 id="related">' not in outputs["standards/industry/MZ-T-4-2020.md"].content


@pytest.mark.parametrize("jobs", ["2", "1"])
def test_a_build_warns_of_the_likely_duplicates_check_finds(make_db, monkeypatch, jobs: str) -> None:
    """A build looks for likely duplicates in a second process while the site renders (with one process, after
    the rest): it reports the very warnings `check` gives, at the same lines."""
    from generator.pipeline import run

    monkeypatch.setenv("STDPORTAL_JOBS", jobs)
    monkeypatch.setenv("STDPORTAL_NO_CACHE", "1")
    db = make_db({
        "local/DB2301-T-39-2023.yaml": "# 由表格导入\n\n" + record("DB2301/T 39-2023", "居家和社区养老服务规范"),
        "local/DB2301-T-0039-2023.yaml": record("DB2301/T 0039-2023", "居家和社区养老服务规范"),
        "national/GB-T-1-2020.yaml": record("GB/T 1-2020", "养老机构服务质量基本规范"),
        "national/GB-T-2-2021.yaml": record("GB/T 2-2021", "养老机构服务质量基本规范"),
        "national/GB-T-5-2020.yaml": record("GB/T 5-2020", "社区居家养老服务质量评价规范"),
        "national/GB-T-6-2021.yaml": record("GB/T 6-2021", "城市社区居家养老服务质量评价规范"),
    })
    warned = [p for p in check(db) if p.severity == Severity.WARNING]
    # the spelling of one number, a replacement not written down, a near-identical title
    assert len(warned) == 3 and ["几乎相同" in p.message for p in warned].count(True) == 1
    _, problems = run(db, AS_OF, RenderOptions(FeedbackConfig(Feedback(mail="a@example.org"))))
    assert [p for p in problems if p.severity == Severity.WARNING] == warned
    # What the build froze for the collector is unfrozen again: `serve` builds again and again in one process.
    assert gc.get_freeze_count() == 0
