"""The region choice of the search page: search-index/regions.json lists every region of the vocabulary below the
provinces under its parent, whether it has standards or not."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from generator.feedback import FeedbackConfig
from generator.pipeline import load_catalog
from generator.records import Feedback
from generator.render.base import RenderOptions
from generator.render.search_index import place_shard, region_tree, render_search_index
from generator.search.documents import places_of

ROOT = Path(__file__).resolve().parents[1]


def catalog():  # type: ignore[no-untyped-def]
    found, _ = load_catalog(ROOT / "standards", dt.date(2025, 1, 1))
    return found


def test_every_region_below_a_province_is_listed_once_under_its_parent() -> None:
    cat = catalog()
    tree = region_tree(cat)
    listed = [code for kids in tree.values() for code, _ in kids]
    assert len(listed) == len(set(listed))
    below = {code for code, r in cat.vocab.regions.items() if r.parent is not None}
    assert set(listed) == below
    for parent, kids in tree.items():
        assert [k[0] for k in kids] == sorted(k[0] for k in kids)
        for code, name in kids:
            assert cat.vocab.regions[code].parent == parent and cat.vocab.regions[code].name == name
    with_standards = {s.region for s in cat.standards if s.region}
    assert any(code not in with_standards for code in listed if cat.vocab.regions[code].rank == "county")


def test_municipal_districts_and_province_direct_counties_sit_under_the_province() -> None:
    tree = region_tree(catalog())
    assert ["110108", "海淀区"] in tree["110000"]
    assert ["429004", "仙桃市"] in tree["420000"]
    assert ["320115", "江宁区"] in tree["320100"]
    assert "320115" not in {code for code, _ in tree["320000"]}


def test_the_page_lists_the_provinces_and_the_file_the_rest() -> None:
    cat = catalog()
    options = RenderOptions(FeedbackConfig(Feedback(mail="feedback@example.org")))
    outputs = {o.path: o for o in render_search_index(cat, options)}
    page = next(o for path, o in outputs.items() if path.startswith("search/"))
    provinces = [r for r in cat.vocab.regions.values() if r.parent is None]
    for r in provinces:
        assert f'<option value="{r.code}">{r.name}</option>' in page.content
    assert page.content.count('<option value="') - page.content.count('<option value="">') < len(provinces) + 100
    assert json.loads(outputs["search-index/regions.json"].content) == region_tree(cat)


def test_each_region_name_is_in_the_place_shard_of_a_word_it_begins() -> None:
    """search.js fetches the place shard of each query word's first two characters: every name must be there, the
    shards together hold the whole table once, and none is large (a query fetches one per word)."""
    cat = catalog()
    options = RenderOptions(FeedbackConfig(Feedback(mail="feedback@example.org")))
    outputs = {o.path: o for o in render_search_index(cat, options)}
    manifest = json.loads(outputs["search-index/manifest.json"].content)
    count = manifest["places"]
    shards = [json.loads(outputs[f"search-index/p/{n}.json"].content) for n in range(count)]
    assert f"search-index/p/{count}.json" not in outputs
    table = places_of(cat.vocab, (s.title or "" for s in cat.standards))
    assert sum(len(shard) for shard in shards) == len(table) and count > 1
    for name, code in table.items():
        assert shards[place_shard(f"{name}养老机构", count)][name] == code, name
    assert max(len(outputs[f"search-index/p/{n}.json"].content.encode()) for n in range(count)) < 8_000


@pytest.mark.parametrize(("said", "region"), [
    ("雄安", "河北雄安新区"), ("雄安新区", "河北雄安新区"), ("浦东", "浦东新区"), ("延边", "延边朝鲜族自治州"),
    ("西双版纳", "西双版纳傣族自治州"), ("湘西", "湘西土家族苗族自治州"), ("伊犁", "伊犁哈萨克自治州"),
    ("新疆", "新疆维吾尔自治区"), ("广西", "广西壮族自治区"), ("内蒙古", "内蒙古自治区"), ("镇江", "镇江市"),
    ("海南", "海南省"),  # not 海南藏族自治州: a province named alike is meant
    ("吉林", "吉林省"), ("恩施", "恩施土家族苗族自治州"),  # the region that holds the other of the name
    ("碑林", "碑林区"), ("清新", "清新区"),  # 林区 and 新区 are kinds of region, but not these names' ends
])
def test_a_region_is_found_by_the_name_people_say(said: str, region: str) -> None:
    """The short names of regions, as people say them: without 市 or 新区, without the nationalities of an
    autonomous area, without the province a name begins with."""
    vocab = catalog().vocab
    code = places_of(vocab)[said]
    assert vocab.regions[code].name == region


def test_a_name_of_a_prefecture_and_of_counties_names_the_prefecture() -> None:
    """西安 is 西安市, not the two districts named 西安区 (吉林, 黑龙江); a county is named in full (朝阳区)."""
    vocab = catalog().vocab
    table = places_of(vocab)
    for said, region in [("西安", "西安市"), ("中山", "中山市"), ("大同", "大同市"), ("朝阳", "朝阳市"),
                         ("甘南", "甘南藏族自治州")]:
        assert vocab.regions[table[said]].name == region
    assert "朝阳区" not in table and vocab.regions[table["朝阳县"]].name == "朝阳县"  # two 朝阳区 (北京, 长春)


def test_a_short_name_the_titles_use_as_a_word_is_no_place() -> None:
    """互助 (互助土族自治县) is a word in 农村互助养老场所建设指南: a query with it is no query about the county.
    The full name still names the county, and a title that has a place's full name (西安市…) takes nothing away."""
    vocab = catalog().vocab
    titles = ["农村互助养老场所建设指南", "西安市老年助餐服务规范", "吉林市居家养老服务规范", "恩施市托育服务规范",
              "海南藏族自治州殡葬服务规范"]
    table = places_of(vocab, titles)
    assert "互助" not in table and vocab.regions[table["互助土族自治县"]].name == "互助土族自治县"
    # A short name inside another region's full name (吉林市 of 吉林省, 恩施市 of 恩施州) is a place, not a word.
    for said, region in [("西安", "西安市"), ("吉林", "吉林省"), ("恩施", "恩施土家族苗族自治州"), ("海南", "海南省")]:
        assert vocab.regions[table[said]].name == region
    assert "互助" in places_of(vocab)


@pytest.mark.parametrize("word", ["藏族", "藏族自治州", "蒙古族", "蒙古族自治县", "回族"])
def test_a_nationality_is_no_place(word: str) -> None:
    """海南藏族自治州 and 河南蒙古族自治县 begin with a province's name: what is left is a people, not a region."""
    assert word not in places_of(catalog().vocab)
