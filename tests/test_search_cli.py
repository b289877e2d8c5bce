"""`stdportal search`: the bundled database answers by title words and by every spelling of a number, filters
narrow, the current edition ranks above the one it replaced, and the on-disk index follows edits file by file.

The bundled database is copied to a temporary folder once, so the index (<db>/../.stdportal/search/) is never
written inside the repository.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import AS_OF, BUNDLED_DB, record

from generator import pipeline
from generator.cli import main
from generator.numbers import LEVELS
from generator.pipeline import load_catalog, valid_catalog
from generator.search import local_index, ranking
from generator.search.analyzer import Variant
from generator.search.local_index import default_index_dir, search_database
from generator.status import STATUSES

STATUS_LABELS = {kind.label for kind in STATUSES}


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled database with its index already built."""
    db = tmp_path_factory.mktemp("bundled") / "standards"
    shutil.copytree(BUNDLED_DB, db)
    outcome = search_database(db, "索引", as_of=AS_OF)
    assert outcome.sync.rebuilt and outcome.sync.indexed > 200 and outcome.sync.invalid == 0
    return db


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["search", "--db", str(db), "--as-of", AS_OF.isoformat(), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def search_json(db: Path, *args: str) -> list[dict]:
    code, out, _ = run(db, *args, "--json")
    assert code == 0
    return json.loads(out)


# --- finding the right standard ---------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["GB/T 35796-2017", "GB/T35796", "gbt35796", "35796", "ＧＢ／Ｔ ３５７９６—２０１７"])
def test_every_spelling_of_a_number_finds_it_first(bundled: Path, query: str) -> None:
    results = search_json(bundled, query)
    assert results[0]["code"] == "GB/T 35796-2017"


def test_a_number_typed_as_separate_words_finds_it(bundled: Path) -> None:
    code, out, _ = run(bundled, "GB/T", "35796")  # stdportal search GB/T 35796, unquoted
    assert code == 0
    assert out.splitlines()[1].startswith("GB/T 35796-2017  养老机构服务质量基本规范  [")


@pytest.mark.parametrize(("query", "number"), [
    ("养老机构服务质量基本规范", "GB/T 35796-2017"),
    ("养老机构服务质量", "GB/T 35796-2017"),
    ("居家和社区养老服务规范", "DB2301/T 39-2023"),
])
def test_title_words_find_the_standard_first(bundled: Path, query: str, number: str) -> None:
    assert search_json(bundled, query)[0]["code"] == number


def test_the_current_edition_ranks_above_the_one_it_replaced(bundled: Path) -> None:
    codes = [r["code"] for r in search_json(bundled, "公共图书馆服务规范", "--limit", "100")]
    assert codes.index("GB/T 28220-2023") < codes.index("GB/T 28220-2011")
    by_code = {r["code"]: r for r in search_json(bundled, "公共图书馆服务规范", "--limit", "100")}
    assert by_code["GB/T 28220-2023"]["status"] == "现行"
    assert by_code["GB/T 28220-2011"]["status"] == "被代替"


def test_text_output_is_one_line_per_standard(bundled: Path) -> None:
    code, out, _ = run(bundled, "养老机构", "--limit", "3")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].startswith("找到 ") and lines[0].endswith("显示前 3 个（用 --limit 显示更多）：")
    assert len(lines) == 4
    levels = {level.name for level in LEVELS}
    for line in lines[1:]:
        number, title, rest = line.split("  ")
        label, level = rest[1:].split("] ")
        assert label in STATUS_LABELS and level in levels and title


def test_json_shape(bundled: Path) -> None:
    results = search_json(bundled, "托育", "--limit", "5")
    assert 0 < len(results) <= 5
    for r in results:
        assert {"code", "title", "status", "level", "url", "score"} <= set(r)
        assert r["status"] in STATUS_LABELS
        assert r["level"] in {level.name for level in LEVELS}
        assert r["url"].startswith("standards/") and r["url"].endswith("/")
        assert isinstance(r["score"], float) and r["score"] > 0
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)


# --- filters ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalog(bundled: Path):
    return load_catalog(bundled, AS_OF)[0]


def test_level_filter(bundled: Path) -> None:
    results = search_json(bundled, "服务规范", "--level", "local", "--limit", "50")
    assert results and {r["level"] for r in results} == {"地方标准"}


def test_status_filter(bundled: Path) -> None:
    results = search_json(bundled, "规范", "--status", "replaced", "--limit", "50")
    assert results and {r["status"] for r in results} == {"被代替"}


@pytest.mark.parametrize("domain", ["老有所养", "elderly"])
def test_domain_filter_by_name_or_url_code(bundled: Path, catalog, domain: str) -> None:
    results = search_json(bundled, "服务", "--domain", domain, "--limit", "100")
    assert results
    assert all("老有所养" in catalog.get(r["code"]).domains for r in results)
    everything = search_json(bundled, "服务", "--limit", "1000")
    assert len(results) < len(everything)


@pytest.mark.parametrize("region", ["370000", "山东省", "山东"])
def test_region_filter_keeps_what_applies_there(bundled: Path, region: str) -> None:
    """National and industry standards apply everywhere; of the local ones, only the region's (and those of its
    cities) do."""
    results = search_json(bundled, "服务规范", "--region", region, "--limit", "300")
    local = [r for r in results if r["level_key"] == "local"]
    assert local and all(r["region"].startswith("37") for r in local)
    assert {r["level_key"] for r in results} == {"national", "industry", "local"}
    only = search_json(bundled, "服务规范", "--region", region, "--local-only", "--limit", "300")
    assert [r["code"] for r in only] == [r["code"] for r in local]
    assert only == search_json(bundled, "服务规范", "--region", region, "--level", "local", "--limit", "300")


@pytest.mark.parametrize("region", ["321100", "镇江市", "镇江", "321102"])
def test_a_county_or_city_keeps_the_standards_of_the_regions_above_it(bundled: Path, region: str) -> None:
    """Zhenjiang (321100) and its district 京口区 (321102): Jiangsu's and Zhenjiang's own childcare standards,
    not Chongqing's."""
    codes = [r["code"] for r in search_json(bundled, "托育", "--region", region, "--limit", "50")]
    assert {"DB32/T 4663-2024", "DB3211/T 1048-2022"} <= set(codes)
    assert not any(c.startswith("DB50") for c in codes)
    funeral = [r["code"] for r in search_json(bundled, "殡葬服务", "--region", region, "--limit", "50")]
    assert funeral[:1] == ["GB/T 46853-2025"] and "DB23/T 3658-2023" not in funeral


def test_a_region_named_in_the_query_filters_like_the_option(bundled: Path) -> None:
    typed = search_json(bundled, "镇江 殡葬服务", "--limit", "50")
    assert typed[:1] and typed[0]["code"] == "GB/T 46853-2025"
    assert all(r["level_key"] != "local" or r["region"].startswith("32") for r in typed)
    assert "DB23/T 3658-2023" not in [r["code"] for r in typed]
    code, out, _ = run(bundled, "镇江", "殡葬服务")
    assert code == 0
    assert out.splitlines()[0] == "查询中有地区名称，只列出在镇江市适用的标准（国家标准、行业标准和当地的地方标准）。"
    assert "查询中有地区名称" not in run(bundled, "镇江", "殡葬服务", "--region", "321100")[1]


@pytest.mark.parametrize("region", ["火星市", "999999", "32"])
def test_an_unknown_region_is_a_clear_error(bundled: Path, region: str) -> None:
    code, out, err = run(bundled, "托育", "--region", region)
    assert code == 1 and f"不认识的地区“{region}”" in err and "Traceback" not in err + out


def test_filters_combine(bundled: Path) -> None:
    results = search_json(bundled, "养老", "--level", "national", "--status", "current", "--limit", "100")
    assert results and all(r["level"] == "国家标准" and r["status"] == "现行" for r in results)


# --- nothing found ----------------------------------------------------------------------------------------


def test_no_result_says_so_and_suggests(bundled: Path) -> None:
    code, out, _ = run(bundled, "量子引力")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "没有找到与“量子引力”相关的标准。可以试试："
    assert "  · 标准号只写代号和顺序号，不带年份，如 GB/T 35796 或 35796" in lines
    assert "  · 在网站上按层级、领域或地区浏览" in lines
    assert not any("筛选条件" in line for line in lines)


def test_no_result_with_filters_suggests_dropping_them(bundled: Path) -> None:
    code, out, _ = run(bundled, "托育", "--region", "370000", "--local-only")
    assert code == 0 and out.startswith("没有找到")
    assert "  · 去掉 --level、--status、--domain、--region 等筛选条件" in out.splitlines()


def test_no_result_in_json_is_an_empty_list(bundled: Path) -> None:
    assert search_json(bundled, "量子引力") == []


def test_a_query_without_words_is_refused(bundled: Path) -> None:
    code, _, err = run(bundled, "/", "——")
    assert code == 1
    assert "请输入标准号或标准名称中的词" in err


def test_a_missing_database_folder_is_reported(tmp_path: Path) -> None:
    code, _, err = run(tmp_path / "nowhere", "养老")
    assert code == 1
    assert "找不到标准数据库文件夹" in err


# --- keeping the index in step ----------------------------------------------------------------------------


def _db(make_db: Callable[..., Path]) -> Path:
    return make_db({
        "national/GB-T-1-2010.yaml": record("GB/T 1-2010", "养老机构服务规范", 实施日期="2010-06-01"),
        "national/GB-T-2-2020.yaml": record("GB/T 2-2020", "公共图书馆服务规范", 实施日期="2020-06-01"),
        "industry/MZ-T-3-2020.yaml": record("MZ/T 3-2020", "婴幼儿托育机构服务指南", 实施日期="2020-06-01"),
    })


def _search(db: Path, query: str, **kwargs):
    return search_database(db, query, as_of=AS_OF, **kwargs)


def test_first_search_builds_then_nothing_is_reindexed(make_db) -> None:
    db = _db(make_db)
    first = _search(db, "养老")
    assert first.sync.rebuilt and first.sync.indexed == 3
    assert default_index_dir(db) == db.parent / ".stdportal" / "search"
    assert (default_index_dir(db) / "state.json").is_file()
    again = _search(db, "养老")
    assert not again.sync.rebuilt and again.sync.indexed == 0 and again.sync.files == []
    assert [r.code for r in again.results] == [r.code for r in first.results] == ["GB/T 1-2010"]


def test_an_edited_record_is_reindexed_alone(make_db) -> None:
    db = _db(make_db)
    _search(db, "养老")
    path = db / "national/GB-T-2-2020.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("公共图书馆服务规范", "文化馆服务规范"), encoding="utf-8")
    outcome = _search(db, "文化馆")
    assert not outcome.sync.rebuilt
    assert outcome.sync.files == ["national/GB-T-2-2020.yaml"] and outcome.sync.indexed == 1
    assert [(r.code, r.title) for r in outcome.results] == [("GB/T 2-2020", "文化馆服务规范")]
    assert _search(db, "图书馆").results == []


def test_a_touched_but_unchanged_file_is_not_reindexed(make_db) -> None:
    db = _db(make_db)
    _search(db, "养老")
    path = db / "national/GB-T-1-2010.yaml"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert _search(db, "养老").sync.files == []
    assert _search(db, "养老").sync.files == []  # and the new mtime is remembered


def test_a_new_edition_reindexes_the_one_it_replaces(make_db) -> None:
    db = _db(make_db)
    assert [r.status for r in _search(db, "养老").results] == ["现行"]
    (db / "national/GB-T-1-2024.yaml").write_text(
        record("GB/T 1-2024", "养老机构服务规范", 实施日期="2024-06-01", 代替标准=["GB/T 1-2010"]), encoding="utf-8")
    outcome = _search(db, "养老机构服务规范")
    assert outcome.sync.files == ["national/GB-T-1-2010.yaml", "national/GB-T-1-2024.yaml"]
    ranked = [(r.code, r.status) for r in outcome.results]
    assert ranked[:2] == [("GB/T 1-2024", "现行"), ("GB/T 1-2010", "被代替")]
    # And back: without the new edition the old one is current again.
    (db / "national/GB-T-1-2024.yaml").unlink()
    outcome = _search(db, "养老机构服务规范")
    assert outcome.sync.files == ["national/GB-T-1-2010.yaml", "national/GB-T-1-2024.yaml"]
    assert [(r.code, r.status) for r in outcome.results][:1] == [("GB/T 1-2010", "现行")]


def test_a_replacement_stated_on_the_old_record_works_both_ways(make_db) -> None:
    db = _db(make_db)
    path = db / "national/GB-T-1-2010.yaml"
    path.write_text(record("GB/T 1-2010", "养老机构服务规范", 实施日期="2010-06-01", 被代替标准=["GB/T 1-2030"]),
                    encoding="utf-8")
    assert [r.status for r in _search(db, "养老").results] == ["被代替"]  # 记录载明已被 GB/T 1-2030 代替
    # The new edition arrives, not yet in force: the old one is current until it is.
    (db / "national/GB-T-1-2030.yaml").write_text(
        record("GB/T 1-2030", "养老机构服务规范", 实施日期="2030-06-01"), encoding="utf-8")
    outcome = _search(db, "养老")
    assert outcome.sync.files == ["national/GB-T-1-2010.yaml", "national/GB-T-1-2030.yaml"]
    assert {(r.code, r.status) for r in outcome.results} == {("GB/T 1-2010", "现行"), ("GB/T 1-2030", "即将实施")}


def test_an_updated_index_ranks_exactly_as_a_rebuilt_one(make_db, tmp_path: Path) -> None:
    db = _db(make_db)
    _search(db, "服务")
    (db / "industry/MZ-T-3-2020.yaml").unlink()
    (db / "national/GB-T-1-2024.yaml").write_text(
        record("GB/T 1-2024", "养老机构服务规范", 实施日期="2024-06-01", 代替标准=["GB/T 1-2010"]), encoding="utf-8")
    path = db / "national/GB-T-2-2020.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("公共图书馆", "养老服务"), encoding="utf-8")
    for query in ("服务规范", "养老机构", "GB/T 1", "托育"):
        updated = _search(db, query)
        rebuilt = _search(db, query, index_dir=tmp_path / "fresh")
        assert not updated.sync.rebuilt
        assert updated.results == rebuilt.results and updated.total == rebuilt.total


def test_a_deleted_record_leaves_the_index(make_db) -> None:
    db = _db(make_db)
    _search(db, "托育")
    (db / "industry/MZ-T-3-2020.yaml").unlink()
    outcome = _search(db, "托育")
    assert outcome.sync.files == ["industry/MZ-T-3-2020.yaml"] and outcome.sync.removed == 1
    assert outcome.results == []


def test_a_record_with_errors_is_left_out_and_counted(make_db) -> None:
    db = _db(make_db)
    _search(db, "托育")
    (db / "industry/MZ-T-3-2020.yaml").write_text('标准号: "MZ/T 3-2020"\n中文标准名称: [\n', encoding="utf-8")
    outcome = _search(db, "托育")
    assert outcome.results == [] and outcome.sync.invalid == 1 and outcome.sync.removed == 1
    code, _, err = run(db, "托育")
    assert "另有 1 个标准文件有错误，未收入搜索；运行 stdportal check 查看。" in err


def test_a_record_fixed_returns_to_the_index(make_db) -> None:
    db = _db(make_db)
    path = db / "industry/MZ-T-3-2020.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace('"婴幼儿托育机构服务指南"', "[\n"), encoding="utf-8")
    first = _search(db, "托育")
    assert first.sync.rebuilt and first.sync.indexed == 2 and first.sync.invalid == 1 and first.results == []
    path.write_text(good, encoding="utf-8")
    fixed = _search(db, "托育")
    assert fixed.sync.files == ["industry/MZ-T-3-2020.yaml"] and fixed.sync.invalid == 0
    assert [r.code for r in fixed.results] == ["MZ/T 3-2020"]


def test_a_record_with_an_error_of_its_own_is_left_out_and_the_rest_still_searches(make_db) -> None:
    db = _db(make_db)
    (db / "national/GB-T-7-2020.yaml").write_text(
        record("GB/T 7-2020", "养老服务评价", 实施日期="2020-13-01"), encoding="utf-8")  # no such month
    outcome = _search(db, "养老")
    assert outcome.sync.invalid == 1 and outcome.sync.indexed == 3
    assert [r.code for r in outcome.results] == ["GB/T 1-2010"]


def test_a_changed_vocabulary_reindexes_the_documents_it_changes(make_db) -> None:
    db = _db(make_db)
    _search(db, "养老", domain="elderly")
    domains = db / "vocabularies/domains.yaml"
    (db / "national/GB-T-1-2010.yaml").write_text(
        record("GB/T 1-2010", "养老机构服务规范", 实施日期="2010-06-01", 领域=["老有所养"]), encoding="utf-8")
    assert [r.code for r in _search(db, "养老", domain="elderly").results] == ["GB/T 1-2010"]
    domains.write_text(domains.read_text(encoding="utf-8").replace('"elderly"', '"old-age"'), encoding="utf-8")
    outcome = _search(db, "养老", domain="old-age")
    assert not outcome.sync.rebuilt and outcome.sync.files == ["national/GB-T-1-2010.yaml"]
    assert [r.code for r in outcome.results] == ["GB/T 1-2010"]
    assert _search(db, "养老", domain="elderly").results == []


def test_another_as_of_date_rebuilds(make_db) -> None:
    db = _db(make_db)
    _search(db, "养老")
    outcome = search_database(db, "养老", as_of=AS_OF.replace(year=AS_OF.year + 1))
    assert outcome.sync.rebuilt


def test_the_command_says_when_it_updated_the_index(make_db) -> None:
    db = _db(make_db)
    assert "已建立搜索索引（3 个标准）。" in run(db, "养老")[2]
    assert run(db, "养老")[2] == ""
    path = db / "industry/MZ-T-3-2020.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("指南", "规范"), encoding="utf-8")
    assert "已更新搜索索引：1 个标准文件有改动。" in run(db, "养老")[2]


# --- the fast path: nothing changed, nothing read ---------------------------------------------------------


def _quiet_db(make_db) -> Path:
    """A database whose files were last written an hour ago (a search trusts only a settled listing)."""
    db = make_db({
        "national/GB-T-1-2010.yaml": record("GB/T 1-2010", "养老机构服务规范", 实施日期="2010-06-01",
                                            领域=["老有所养"]),
        "national/GB-T-2-2020.yaml": record("GB/T 2-2020", "公共图书馆服务规范", 实施日期="2020-06-01"),
        "industry/MZ-T-3-2020.yaml": record("MZ/T 3-2020", "婴幼儿托育机构服务指南", 实施日期="2020-06-01"),
        "local/DB3211-T-1-2020.yaml": record("DB3211/T 1-2020", "养老服务站服务规范", 实施日期="2020-06-01"),
        "local/DB23-T-2-2020.yaml": '标准号: "DB23/T 2-2020"\n中文标准名称: [\n',  # an error: left out, counted
    })
    _settle(db)
    return db


def _settle(db: Path) -> None:
    hour_ago = time.time_ns() - 3600 * 10**9
    for path in db.rglob("*"):
        os.utime(path, ns=(hour_ago, hour_ago), follow_symlinks=False)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The database folders the search took the catalogue of, one per time."""
    calls: list[Path] = []

    def spy(db_dir: Path, as_of):  # type: ignore[no-untyped-def]
        calls.append(db_dir)
        return valid_catalog(db_dir, as_of)

    monkeypatch.setattr(pipeline, "valid_catalog", spy)  # the search imports it when it needs it
    return calls


QUERIES = [("养老", {}), ("服务规范", {}), ("托育", {}), ("图书馆", {}), ("养老", {"domain": "elderly"}),
           ("服务", {"region": "镇江市"}), ("服务", {"local_only": True}), ("服务", {"status": "replaced"}),
           ("镇江 养老服务", {})]


def _same_as_a_fresh_index(db: Path, tmp_path: Path, as_of: dt.date = AS_OF) -> None:
    fresh = tmp_path / f"fresh-{time.time_ns()}"
    for query, filters in QUERIES:
        kept = search_database(db, query, as_of=as_of, **filters)
        made = search_database(db, query, as_of=as_of, index_dir=fresh, **filters)
        assert (kept.results, kept.total, kept.region) == (made.results, made.total, made.region), (query, filters)
        assert kept.sync.invalid == made.sync.invalid


def test_an_unchanged_database_is_searched_without_taking_the_catalogue(make_db, loads: list[Path]) -> None:
    db = _quiet_db(make_db)
    first = _search(db, "养老")
    assert first.sync.rebuilt and first.sync.invalid == 1 and loads == [db.resolve()]
    for query, filters in QUERIES:
        again = _search(db, query, **filters)
        assert not again.sync.rebuilt and again.sync.files == [] and again.sync.invalid == 1
    assert len(loads) == 1
    assert [r.code for r in _search(db, "养老").results] == [r.code for r in first.results]
    # The command says the same as after a full look: nothing updated, one file left out.
    code, out, err = run(db, "镇江 养老")
    assert code == 0 and "DB3211/T 1-2020" in out and len(loads) == 1
    assert err == "另有 1 个标准文件有错误，未收入搜索；运行 stdportal check 查看。\n"
    # Synonyms are the vocabulary's of now, though no record is read (养老院 is a synonym of 养老机构).
    assert [r.code for r in _search(db, "养老院").results][:1] == ["GB/T 1-2010"] and len(loads) == 1


def _edit(db: Path) -> None:
    path = db / "national/GB-T-2-2020.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("公共图书馆", "养老服务"), encoding="utf-8")


def _same_size_edit(db: Path) -> None:
    path = db / "industry/MZ-T-3-2020.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("指南", "规范"), encoding="utf-8")


def _new_edition(db: Path) -> None:
    (db / "national/GB-T-1-2024.yaml").write_text(
        record("GB/T 1-2024", "养老机构服务规范", 实施日期="2024-06-01", 代替标准=["GB/T 1-2010"]), encoding="utf-8")


def _delete(db: Path) -> None:
    (db / "industry/MZ-T-3-2020.yaml").unlink()


def _delete_a_region_s_last(db: Path) -> None:
    (db / "local/DB3211-T-1-2020.yaml").unlink()  # 镇江 in a query no longer names a region with standards


def _turn_invalid(db: Path) -> None:
    (db / "local/DB3211-T-1-2020.yaml").write_text(
        record("DB3211/T 1-2020", "养老服务站服务规范", 实施日期="2020-13-01"), encoding="utf-8")


def _fix(db: Path) -> None:
    (db / "local/DB23-T-2-2020.yaml").write_text(
        record("DB23/T 2-2020", "养老服务站服务规范", 实施日期="2020-06-01"), encoding="utf-8")


def _rename(db: Path) -> None:
    (db / "national/GB-T-2-2020.yaml").rename(db / "national/GB-T-2-2020-copy.yaml")


def _vocabulary(db: Path) -> None:
    domains = db / "vocabularies/domains.yaml"
    domains.write_text(domains.read_text(encoding="utf-8").replace('"elderly"', '"old-age"'), encoding="utf-8")


def _replaced_whole(db: Path) -> None:
    """Saved the way many editors save: a new file put in place of the old, same size, same time stamp."""
    path = db / "industry/MZ-T-3-2020.yaml"
    info = path.stat()
    temp = path.with_suffix(".tmp")
    temp.write_text(path.read_text(encoding="utf-8").replace("指南", "规范"), encoding="utf-8")
    os.utime(temp, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(temp, path)


CHANGES = {"edited": _edit, "edited, same size": _same_size_edit, "new edition": _new_edition, "deleted": _delete,
           "a region's last deleted": _delete_a_region_s_last,
           "turned invalid": _turn_invalid, "fixed": _fix, "renamed": _rename, "vocabulary": _vocabulary,
           "replaced whole": _replaced_whole}


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_change_takes_the_catalogue_again(make_db, loads: list[Path], tmp_path: Path, change: str) -> None:
    db = _quiet_db(make_db)
    _search(db, "养老")
    _search(db, "养老")
    assert len(loads) == 1
    CHANGES[change](db)
    outcome = _search(db, "养老")
    assert len(loads) == 2 and not outcome.sync.rebuilt
    _same_as_a_fresh_index(db, tmp_path)
    # Settled again, the next search looks once more (time stamps moved) and then trusts the listing.
    _settle(db)
    _search(db, "养老")
    count = len(loads)
    _same_as_a_fresh_index(db, tmp_path)
    assert len(loads) == count + 1  # the fresh index's own first look only


def test_the_statuses_a_change_moves_are_seen(make_db, loads: list[Path]) -> None:
    db = _quiet_db(make_db)
    assert [(r.code, r.status) for r in _search(db, "养老机构服务规范").results][:1] == [("GB/T 1-2010", "现行")]
    _new_edition(db)
    ranked = [(r.code, r.status) for r in _search(db, "养老机构服务规范").results]
    assert ranked[:2] == [("GB/T 1-2024", "现行"), ("GB/T 1-2010", "被代替")]
    _settle(db)
    _search(db, "养老")
    _delete_new = db / "national/GB-T-1-2024.yaml"
    _delete_new.unlink()
    assert [(r.code, r.status) for r in _search(db, "养老机构服务规范").results][:1] == [("GB/T 1-2010", "现行")]


def test_another_as_of_date_is_not_served_from_the_fast_path(make_db, loads: list[Path], tmp_path: Path) -> None:
    db = _quiet_db(make_db)
    (db / "national/GB-T-5-2030.yaml").write_text(
        record("GB/T 5-2030", "养老服务质量评价", 实施日期="2030-06-01"), encoding="utf-8")
    _settle(db)
    assert [r.status for r in _search(db, "养老服务质量评价").results][:1] == ["即将实施"]
    _search(db, "养老")
    later = dt.date(2031, 1, 1)
    outcome = search_database(db, "养老服务质量评价", as_of=later)
    assert outcome.sync.rebuilt and [r.status for r in outcome.results][:1] == ["现行"] and len(loads) == 2
    _same_as_a_fresh_index(db, tmp_path, later)


def test_another_version_of_the_generator_looks_again(make_db, loads: list[Path],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    db = _quiet_db(make_db)
    _search(db, "养老")
    _search(db, "养老")
    monkeypatch.setattr(local_index, "code_digest", lambda: "another version")
    outcome = _search(db, "养老")
    assert len(loads) == 2 and outcome.sync.files == []


def test_a_listing_just_written_is_not_trusted(make_db, loads: list[Path], tmp_path: Path) -> None:
    """A file saved twice in one clock tick keeps its size and time stamp: a listing with a time stamp that
    recent does not vouch for the next search."""
    db = _quiet_db(make_db)
    path = db / "industry/MZ-T-3-2020.yaml"
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")  # saved now
    _search(db, "托育")
    info = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("指南", "规范"), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # the same tick
    assert path.stat().st_size == info.st_size and path.stat().st_ino == info.st_ino
    outcome = _search(db, "托育")
    assert len(loads) == 2 and outcome.sync.files == ["industry/MZ-T-3-2020.yaml"]
    assert [r.title for r in outcome.results] == ["婴幼儿托育机构服务规范"]
    _same_as_a_fresh_index(db, tmp_path)


def test_a_lost_state_file_means_a_full_look(make_db, loads: list[Path], tmp_path: Path) -> None:
    db = _quiet_db(make_db)
    _search(db, "养老")
    (default_index_dir(db) / "documents.json").unlink()
    _edit(db)
    assert _search(db, "养老").sync.rebuilt and len(loads) == 2
    (default_index_dir(db) / "state.json").write_text("{", encoding="utf-8")
    assert _search(db, "养老").sync.rebuilt and len(loads) == 3
    _same_as_a_fresh_index(db, tmp_path)


# --- the ranking formula ----------------------------------------------------------------------------------


def test_score_follows_the_formula() -> None:
    df = {"养老": 2, "机构": 4}
    typed = Variant(["养老", "机构", "缺席"], 1.0, [])
    value = ranking.score([typed], {"养老": 30, "机构": 10, "其他": 5}, df, n_docs=10)
    idf = [math.log(1 + 10 / 2), math.log(1 + 10 / 4)]
    assert value == pytest.approx((idf[0] * 30 + idf[1] * 10) * (2 / 3) ** 2 / 3)  # per term of the variant
    # Fewer than half of the terms: not shown at all, unless one of them is a standard number.
    assert ranking.score([typed], {"养老": 30}, df, n_docs=10) is None
    numbered = Variant(["养老", "机构", "缺席"], 1.0, ["养老"])
    assert ranking.score([numbered], {"养老": 30}, df, n_docs=10) == pytest.approx(idf[0] * 30 / 9 / 3)
    # The best variant counts; a rewritten one scores its factor's share.
    synonym = Variant(["养老", "其他"], 0.8, [])
    both = ranking.score([typed, synonym], {"养老": 30, "其他": 5}, {**df, "其他": 1}, n_docs=10)
    assert both == pytest.approx(0.8 * (idf[0] * 30 + math.log(11) * 5) / 2)
    # A region's name adds to the sum but not to the terms matched: alone, it makes no result.
    placed = Variant(["镇江", "殡葬"], 1.0, [], ["镇江"])
    assert ranking.score([placed], {"镇江": 20}, {"镇江": 1, "殡葬": 1}, n_docs=10) is None
    assert ranking.score([placed], {"镇江": 20, "殡葬": 10}, {"镇江": 1, "殡葬": 1}, n_docs=10) == pytest.approx(
        math.log(11) * 30 / 2)


@pytest.mark.parametrize("variants", [
    [Variant(["养老", "机构", "服务", "缺席"], 1.0, [])],
    [Variant(["养老", "机构", "服务", "缺席"], 1.0, ["缺席"]), Variant(["养老", "服务"], 0.8, [])],
    [Variant(["服务"], 1.0, []), Variant(["机构", "服务", "缺席"], 0.8, ["机构"])],
    [Variant(["养老", "机构", "服务"], 1.0, [], ["养老"]), Variant(["养老", "缺席"], 0.8, [], ["养老"])],
])
def test_score_postings_gives_the_same_floats_as_score(variants: list[Variant]) -> None:
    terms = list(dict.fromkeys(t for v in variants for t in v.terms))
    docs = {1: {"养老": 30, "服务": 15}, 2: {"机构": 30, "服务": 45, "养老": 10}, 3: {"服务": 5}, 4: {"机构": 7}}
    postings = {t: {d: w[t] for d, w in docs.items() if t in w} for t in terms if any(t in w for w in docs.values())}
    df = {t: len(p) for t, p in postings.items()}
    batch = ranking.score_postings(postings, df, n_docs=4, variants=variants)
    single = {d: ranking.score(variants, w, df, 4) for d, w in docs.items()}
    assert batch == {d: v for d, v in single.items() if v is not None}


def test_ties_are_broken_by_number() -> None:
    ordered = sorted([(1.0, "GB/T 2-2020"), (1.0 + 1e-12, "GB/T 10-2020"), (2.0, "MZ/T 1-2020")],
                     key=lambda item: ranking.rank_key(*item))
    assert [n for _, n in ordered] == ["MZ/T 1-2020", "GB/T 10-2020", "GB/T 2-2020"]


# --- ties, synonyms and honest counts on synthetic records (issue 12) ----------------------------------------


def _tie_db(make_db) -> Path:
    return make_db({
        "local/DB3211-T-1-2020.yaml": record("DB3211/T 1-2020", "殡葬服务规范", 实施日期="2020-06-01"),
        "national/GB-T-9-2020.yaml": record("GB/T 9-2020", "殡葬服务规范", 实施日期="2020-06-01"),
        "local/DB23-T-2-2020.yaml": record("DB23/T 2-2020", "殡葬服务规范", 实施日期="2020-06-01"),
        "industry/MZ-T-5-2020.yaml": record("MZ/T 5-2020", "养老机构服务规范", 实施日期="2020-06-01"),
        "industry/MZ-T-6-2020.yaml": record("MZ/T 6-2020", "养老院服务规范", 实施日期="2020-06-01"),
        "industry/MZ-T-7-2020.yaml": record("MZ/T 7-2020", "公共图书馆服务规范", 实施日期="2020-06-01"),
    })


def test_a_national_standard_wins_a_tie_unless_the_query_names_a_region(make_db) -> None:
    db = _tie_db(make_db)
    assert [r.code for r in _search(db, "殡葬服务规范").results][:3] == ["GB/T 9-2020", "DB23/T 2-2020",
                                                                    "DB3211/T 1-2020"]
    named = [r.code for r in _search(db, "镇江 殡葬服务").results]
    assert named == ["DB3211/T 1-2020", "GB/T 9-2020"]  # Heilongjiang's does not apply in Zhenjiang


def test_a_standard_that_shares_only_the_places_name_is_not_found(make_db) -> None:
    """镇江 in the issuing body of a Zhenjiang standard on housing: a search for funerals in 镇江 does not list it
    (it used to come first, matching one of the two words)."""
    db = make_db({"local/DB3211-T-2-2020.yaml": record("DB3211/T 2-2020", "住房保障租赁补贴计算指南",
                                                       发布单位="镇江市市场监督管理局"),
                  "national/GB-T-9-2020.yaml": record("GB/T 9-2020", "殡葬术语")})
    assert [r.code for r in _search(db, "镇江 殡葬").results] == ["GB/T 9-2020"]
    assert [r.code for r in _search(db, "镇江市殡葬").results] == ["GB/T 9-2020"]
    assert [r.code for r in _search(db, "镇江").results] == ["DB3211/T 2-2020"]  # nothing but the place: its words
    assert [r.code for r in _search(db, "丹阳市 殡葬").results] == ["GB/T 9-2020"]  # a county of Zhenjiang


def test_of_two_words_typed_apart_one_common_word_alone_finds_nothing(make_db) -> None:
    """托育 服务: a standard sharing only 服务 is no result (it was, as half of two words); one holding 托育 is."""
    db = make_db({"national/GB-T-1-2020.yaml": record("GB/T 1-2020", "托育机构服务规范"),
                  "national/GB-T-2-2020.yaml": record("GB/T 2-2020", "公共图书馆服务规范"),
                  "national/GB-T-3-2020.yaml": record("GB/T 3-2020", "托育机构设置标准")})
    assert sorted(r.code for r in _search(db, "托育 服务").results) == ["GB/T 1-2020"]
    assert sorted(r.code for r in _search(db, "托育服务").results) == ["GB/T 1-2020"]
    assert sorted(r.code for r in _search(db, "托育").results) == ["GB/T 1-2020", "GB/T 3-2020"]


def test_a_filter_narrows_the_results_and_never_adds_one(make_db) -> None:
    """Which words a result must hold is decided over the whole index, as in the browser: a filter that leaves out
    every standard holding one of two words does not make the other word enough. (Found together by nothing, the
    words are then searched one at a time, and the answer says so: `alone` is set only after that.)"""
    db = make_db({"national/GB-T-1-2020.yaml": record("GB/T 1-2020", "殡葬服务规范"),
                  "local/DB32-T-2-2020.yaml": record("DB32/T 2-2020", "托育机构服务规范")})
    for filters in ({}, {"level": "national"}):
        found = _search(db, "殡葬 托育", **filters)
        assert (found.alone, found.apart, [r.code for r in found.results]) == ("殡葬", ["殡葬", "托育"],
                                                                              ["GB/T 1-2020"]), filters
    assert _search(db, "托育 殡葬", level="local").alone == "托育"


def test_words_found_together_by_nothing_are_searched_one_at_a_time_and_the_reader_is_told(make_db) -> None:
    """The word with the fewest results but none is shown (the most telling), and the command says so."""
    db = make_db({"national/GB-T-1-2020.yaml": record("GB/T 1-2020", "专用校车安全技术条件"),
                  "national/GB-T-2-2020.yaml": record("GB/T 2-2020", "学校卫生综合评价"),
                  "national/GB-T-3-2020.yaml": record("GB/T 3-2020", "中小学校教室采光和照明卫生标准")})
    found = _search(db, "学校 校车")
    assert (found.alone, found.total, [r.code for r in found.results]) == ("校车", 1, ["GB/T 1-2020"])
    assert _search(db, "学校 卫生").alone is None  # found together
    result = CliRunner().invoke(main, ["search", "--db", str(db), "--as-of", "2026-01-01", "学校", "校车"])
    assert result.exit_code == 0, result.output
    assert "没有同时与“学校”“校车”相关的标准，下面列出的是与“校车”相关的标准。" in result.output
    assert "GB/T 1-2020" in result.output and "GB/T 2-2020" not in result.output


def test_a_word_the_words_together_would_drop_is_not_dropped(make_db) -> None:
    """殡葬 图书馆: a title holding 图书馆 holds two of the query's three terms, enough to be shown, so together the
    words list only 图书馆's standards; the word they drop finds standards alone, so the fewer word's are shown."""
    db = make_db({"national/GB-T-1-2020.yaml": record("GB/T 1-2020", "公共图书馆服务规范"),
                  "national/GB-T-2-2020.yaml": record("GB/T 2-2020", "图书馆总分馆制管理服务规范"),
                  "national/GB-T-3-2020.yaml": record("GB/T 3-2020", "殡葬服务机构服务规范")})
    found = _search(db, "殡葬 图书馆")
    assert (found.alone, found.apart, [r.code for r in found.results]) == ("殡葬", ["殡葬", "图书馆"], ["GB/T 3-2020"])
    assert _search(db, "图书馆 服务").alone is None  # every result holds both
    assert _search(db, "殡葬 火星").alone is None  # 火星 finds nothing alone: nothing is dropped, and it is named
    assert _search(db, "殡葬 火星").missing == ["火星"] and _search(db, "殡葬 图书馆").missing == []
    result = CliRunner().invoke(main, ["search", "--db", str(db), "--as-of", "2026-01-01", "殡葬", "火星"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == ["没有与“火星”相关的标准，下面列出的是按其余的词找到的标准。",
                                              "找到 1 个标准："], result.output


def test_an_exact_word_ranks_above_its_synonym(make_db) -> None:
    db = _tie_db(make_db)
    assert [r.code for r in _search(db, "养老院服务规范").results][:2] == ["MZ/T 6-2020", "MZ/T 5-2020"]
    assert [r.code for r in _search(db, "养老机构服务规范").results][:1] == ["MZ/T 5-2020"]


def test_the_reader_is_told_which_official_words_were_searched_too(make_db) -> None:
    db = _tie_db(make_db)
    assert _search(db, "养老院服务").widened == ["养老机构"]
    assert _search(db, "养老机构服务").widened == []
    lines = run(db, "养老院服务")[1].splitlines()
    assert lines[0] == "同时按标准中的用语“养老机构”查找。" and lines[1].startswith("找到 2 个标准"), lines


def test_the_count_is_what_matches_well_enough(make_db) -> None:
    db = _tie_db(make_db)
    outcome = _search(db, "养老院服务")
    # Every record says 服务; only the two nursing-home titles hold half of the query's terms (养老机构 as a synonym).
    assert outcome.total == len(outcome.results) == 2
    # Half of the terms is enough: 服务 务规 规范 of 养老院服务规范's six.
    assert _search(db, "养老院服务规范").total == 6
    assert _search(db, "服务").total == 6


def test_a_short_place_name_the_titles_use_as_a_word_is_searched_as_the_word(make_db: Callable[..., Path]) -> None:
    """互助 is 互助土族自治县's short name and a word of 农村互助养老场所建设指南: the query 互助养老 looks for the word
    (as the site does: the place tables of both come from documents.places_of), the first time and when the index
    is read again without the records; the county's full name still names it."""
    db = make_db({"local/DB4104-T-142-2025.yaml": record("DB4104/T 142-2025", "农村互助养老场所建设指南"),
                  "national/GB-T-1-2020.yaml": record("GB/T 1-2020", "养老机构服务规范")})
    for _ in range(2):
        outcome = search_database(db, "互助养老", as_of=AS_OF)
        assert outcome.region is None and [r.code for r in outcome.results][:1] == ["DB4104/T 142-2025"]
    assert search_database(db, "互助土族自治县 养老", as_of=AS_OF).region == "630223"


def test_a_query_in_traditional_characters_is_searched_in_simplified_ones(bundled: Path) -> None:
    """養老機構 is 养老机构: the same results, and the outcome says which simplified query was searched."""
    simple = search_database(bundled, "养老机构 服务", as_of=AS_OF)
    traditional = search_database(bundled, "養老機構 服務", as_of=AS_OF)
    assert traditional.simplified == "养老机构 服务" and simple.simplified is None
    assert [r.code for r in traditional.results] == [r.code for r in simple.results] and simple.results
    code, out, _ = run(bundled, "殯葬")
    assert code == 0 and "按简体字“殡葬”查找。" in out and "GB/T 23287-2023" in out


def test_the_table_of_traditional_characters_leaves_what_the_index_holds() -> None:
    from generator.search.analyzer import simplified, simplified_table

    table = simplified_table("养老机构乾隆干")
    assert simplified("養老機構", table) == "养老机构"
    assert table.get("乾") is None  # the index holds 乾 itself (乾隆): not read as 干
    assert "養" not in simplified_table("老机构")  # no 养 in the index: nothing to find by it
