"""Standard numbers: canonical and loose spellings, level, region code, nature, slug and comparison key."""

from __future__ import annotations

import pytest

from generator.numbers import LEVELS, ascii_fold, number_key, parse_number, slug


@pytest.mark.parametrize(
    ("text", "code", "kind", "serial", "year", "edition"),
    [
        ("GB/T 35796-2017", "GB", "T", "35796", "2017", ""),
        ("GB 19272-2011", "GB", "", "19272", "2011", ""),
        ("GB/Z 43507-2023", "GB", "Z", "43507", "2023", ""),
        ("MZ/T 133-2019", "MZ", "T", "133", "2019", ""),
        ("WS/T 364.2-2023", "WS", "T", "364.2", "2023", ""),
        ("GD/J 083-2018", "GD", "J", "083", "2018", ""),
        ("JGJ 125-99(2004年版)", "JGJ", "", "125", "99", "2004年版"),
        ("DB37/T 4591-2023", "DB37", "T", "4591", "2023", ""),
        ("DB3211/T 1035-2022", "DB3211", "T", "1035", "2022", ""),
        ("DB659001/T 1-2020", "DB659001", "T", "1", "2020", ""),
    ],
)
def test_canonical_numbers_parse_into_parts(text, code, kind, serial, year, edition) -> None:
    number, suggestion = parse_number(text)
    assert suggestion is None
    assert (number.code, number.kind, number.serial, number.year, number.edition) == (code, kind, serial, year, edition)
    assert number.text == text  # the canonical spelling round-trips


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("GB/T35796-2017", "GB/T 35796-2017"),
        ("gbt35796—2017", "GB/T 35796-2017"),
        ("GB／T 35796－2017", "GB/T 35796-2017"),
        ("GB/T 35796 - 2017", "GB/T 35796-2017"),
        ("DB37T 4591-2023", "DB37/T 4591-2023"),
        ("db37/t4591-2023", "DB37/T 4591-2023"),
        ("MZ/T133-2019", "MZ/T 133-2019"),
        ("jgj125-2016", "JGJ 125-2016"),  # JGJ keeps its J
        ("JGJ 125-99（2004年版）", "JGJ 125-99(2004年版)"),
        (" GB/T 35796-2017", "GB/T 35796-2017"),
    ],
)
def test_loose_spellings_are_not_accepted_but_get_the_canonical_suggestion(text, suggestion) -> None:
    number, hint = parse_number(text)
    assert number is None
    assert hint == suggestion
    # The suggestion itself is canonical and names the same standard.
    canonical, again = parse_number(hint)
    assert canonical is not None and again is None
    assert number_key(hint) == number_key(text.strip())


@pytest.mark.parametrize("text", ["", "养老机构服务质量基本规范", "GB/T", "35796-2017", "GB/T 35796", "GB/T 35796-17a"])
def test_text_that_is_no_number_has_no_suggestion(text) -> None:
    assert parse_number(text) == (None, None)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("GB/T 35796-2017", "national"),
        ("GB 19272-2011", "national"),
        ("GBZ 2.1-2019", "national"),
        ("MZ/T 133-2019", "industry"),
        ("WS 288-2017", "industry"),
        ("JGJ 125-99(2004年版)", "industry"),
        ("DB37/T 4591-2023", "local"),
        ("DB4403/T 236-2022", "local"),
    ],
)
def test_level(text, level) -> None:
    number = parse_number(text)[0]
    assert number.level.key == level
    assert number.level in LEVELS


def test_levels_are_the_three_database_folders() -> None:
    assert [(level.key, level.name) for level in LEVELS] == [
        ("national", "国家标准"), ("industry", "行业标准"), ("local", "地方标准")]


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("DB37/T 4591-2023", "370000"),
        ("DB3211/T 1035-2022", "321100"),
        ("DB659001/T 1-2020", "659001"),
        ("DB371/T 1-2020", None),  # three digits name no division
        ("GB/T 35796-2017", None),
        ("MZ/T 133-2019", None),
    ],
)
def test_region_code(text, region) -> None:
    assert parse_number(text)[0].region_code == region


@pytest.mark.parametrize(
    ("text", "nature"),
    [("GB/T 35796-2017", "推荐性"), ("GB 19272-2011", "强制性"), ("GB/Z 43507-2023", "指导性技术文件"),
     ("GD/J 083-2018", None)],
)
def test_nature_follows_the_kind(text, nature) -> None:
    assert parse_number(text)[0].nature == nature


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("GB/T 35796-2017", "GB-T-35796-2017"),
        ("DB37/T 4591-2023", "DB37-T-4591-2023"),
        ("WS/T 364.2-2023", "WS-T-364.2-2023"),
        ("JGJ 125-99(2004年版)", "JGJ-125-99-2004年版"),
    ],
)
def test_slug(number, expected) -> None:
    assert slug(number) == expected


def test_slug_is_safe_as_a_file_and_url_name() -> None:
    for text in ["GB/T 35796-2017", "JGJ 125-99(2004年版)", "SZDB/Z 6.3-2007", "A/B  C--D"]:
        name = slug(text)
        assert "/" not in name and " " not in name and not name.startswith("-") and not name.endswith("-")


def test_number_key_folds_spellings_of_the_same_number() -> None:
    same = ["GB/T 35796-2017", "gb/t 35796-2017", "GBT35796-2017", "GB/T 35796—2017", "GB／T　35796－2017"]
    assert len({number_key(text) for text in same}) == 1
    assert number_key("GB/T 35796-2017") != number_key("GB/T 35796-2018")
    assert number_key("GB/T 35796-2017") != number_key("GB/T 3579-2017")


@pytest.mark.parametrize(("typed", "suggested"), [("GBT 35796-2017", "GB/T 35796-2017"),
                                                   ("DB37T 4591-2023", "DB37/T 4591-2023")])
def test_a_code_with_its_slash_missing_is_not_taken_as_an_industry_code(typed, suggested) -> None:
    assert parse_number(typed) == (None, suggested)


@pytest.mark.parametrize(("typed", "suggested"), [
    ("GB/T ３５７９６-２０１７", "GB/T 35796-2017"),
    ("ＧＢ／Ｔ　３５７９６－２０１７", "GB/T 35796-2017"),
    ("ｇｂ／ｔ 35796-2017", "GB/T 35796-2017"),
    ("GB/T ٣٥٧٩٦-٢٠١٧", "GB/T 35796-2017"),          # Arabic-Indic
    ("GB/T ۳۵۷۹۶-۲۰۱۷", "GB/T 35796-2017"),          # Extended Arabic-Indic (Persian)
    ("GB/T ३५७९६-२०१७", "GB/T 35796-2017"),          # Devanagari
    ("DB３７/T 4591-2023", "DB37/T 4591-2023"),
    ("WS/T 364．2-2023", "WS/T 364.2-2023"),
    ("JGJ 125-99（２００４年版）", "JGJ 125-99(2004年版)"),
    ("GB/T 𝟑𝟓𝟕𝟗𝟔-2017", "GB/T 35796-2017"),           # mathematical bold digits
])
def test_non_ascii_letters_and_digits_are_never_canonical(typed: str, suggested: str) -> None:
    assert parse_number(typed) == (None, suggested)
    assert number_key(typed) == number_key(suggested)


def test_ascii_fold() -> None:
    assert ascii_fold("ＧＢ／Ｔ ３５７９６－２０１７") == "GB/T 35796-2017"
    assert ascii_fold("٢٠١٧年") == "2017年"
    assert ascii_fold("社区服务 第1部分") == "社区服务 第1部分"
