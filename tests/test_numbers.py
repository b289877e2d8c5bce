"""Standard numbers: canonical and loose spellings, level, region code, nature, slug and comparison key."""

from __future__ import annotations

import pytest

from generator.numbers import ENGINEERING_FAMILIES, LEVELS, ascii_fold, number_key, parse_number, read_number, slug


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
    ("text", "year"),
    [("GB/T 35796-2017", 2017), ("JGJ 125-99(2004年版)", 1999), ("GBJ 99-86", 1986), ("GB/T 1-50", 1950),
     ("GB/T 1-49", 2049), ("GB/T 1-05", 2005), ("DBJ50/T-047-2024", 2024)],
)
def test_full_year_reads_two_digits_as_1950_to_2049(text, year) -> None:
    assert read_number(text).full_year == year


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


# --- published spellings ---------------------------------------------------------------------------------------
# Each spelling as it stands in a published list or on an issuing department's page (docs/maintainers.md,
# “标准号的写法”, names the sources); the canonical form is what a record holds, the region its division code.

PUBLISHED = [
    # Spaces and dashes as published.
    ("DB 37/T 2904-2019", "DB37/T 2904-2019", "370000"),
    ("GB/T 35796—2017", "GB/T 35796-2017", None),             # em dash
    ("DB15/T 2535–2025", "DB15/T 2535-2025", "150000"),       # en dash
    ("GB/T  35796-2017", "GB/T 35796-2017", None),            # a doubled space
    ("DB33/T1136-2017", "DB33/T 1136-2017", "330000"),        # no space after the code
    ("ＤＢ３７／Ｔ ４５９１－２０２３", "DB37/T 4591-2023", "370000"),  # full-width
    ("DB37/T　4591-2023", "DB37/T 4591-2023", "370000"),      # an ideographic space
    ("DBJ50/T-562⁃2026", "DBJ50/T-562-2026", "500000"),       # a hyphen bullet for the dash
    # Mandatory local standards: the slash of the code, no kind.
    ("DB12/ 684-2016", "DB12/ 684-2016", "120000"),
    ("DB31/ 890-2015", "DB31/ 890-2015", "310000"),
    ("DB32/3920-2020", "DB32/ 3920-2020", "320000"),
    ("DB34/1659-2022", "DB34/ 1659-2022", "340000"),
    ("DB12 684-2016", "DB12/ 684-2016", "120000"),
    # Areas outside the MCA list with a code of their own (standards/vocabularies/regions-extra.txt).
    ("DB1331/T 025.1-2022", "DB1331/T 025.1-2022", "133100"),
    # Local engineering-construction standards.
    ("DGJ08-20-2019", "DGJ08-20-2019", "310000"),                  # Shanghai
    ("DG/TJ08-2291B-2022", "DG/TJ08-2291B-2022", "310000"),
    ("DG/TJ08-015-2018", "DG/TJ08-015-2018", "310000"),
    ("DBJ/T 15-92-2021", "DBJ/T 15-92-2021", "440000"),            # Guangdong
    ("DBJ/T15-20-97", "DBJ/T 15-20-97", "440000"),
    ("DBJ 15-92-2013", "DBJ 15-92-2013", "440000"),
    ("DBJ/T 13-428-2023", "DBJ/T 13-428-2023", "350000"),          # Fujian
    ("DBJ/T 36-061-2021", "DBJ/T 36-061-2021", "360000"),          # Jiangxi
    ("DBJ50/T-047-2024", "DBJ50/T-047-2024", "500000"),            # Chongqing
    ("DBJ50-047-2016", "DBJ50-047-2016", "500000"),
    ("DBJ 53/T-83-2017", "DBJ53/T-83-2017", "530000"),             # Yunnan
    ("DBJ46-008-2016", "DBJ46-008-2016", "460000"),                # Hainan
    ("DBJ33/T 1318-2024", "DBJ33/T 1318-2024", "330000"),          # Zhejiang
    ("DBJ33/T1021-2023", "DBJ33/T 1021-2023", "330000"),
    ("DBJ61/T93-2014", "DBJ61/T 93-2014", "610000"),               # Shaanxi
    ("DBJ 61/T93-2014", "DBJ61/T 93-2014", "610000"),
    ("DBJ51/T 014-2013", "DBJ51/T 014-2013", "510000"),            # Sichuan
    ("DBJ04/T 312-2015", "DBJ04/T 312-2015", "140000"),            # Shanxi
    ("DGJ32/TJ186-2015", "DGJ32/TJ186-2015", "320000"),            # Jiangsu
    ("DGJ32/J189-2015", "DGJ32/J189-2015", "320000"),
    ("DB13(J)/T 8422-2021", "DB13(J)/T 8422-2021", "130000"),      # Hebei
]


@pytest.mark.parametrize(("spelled", "canonical", "region"), PUBLISHED)
def test_published_spellings_read_to_one_canonical_form(spelled: str, canonical: str, region: str | None) -> None:
    number = read_number(spelled)
    assert number is not None and number.text == canonical
    assert number.region_code == region
    assert number.level.key == ("local" if region else "national")
    # The canonical form is itself canonical, names the same standard and gives the file name.
    assert parse_number(canonical) == (number, None)
    assert parse_number(spelled) == ((number, None) if spelled == canonical else (None, canonical))
    assert number_key(spelled) == number_key(canonical)
    assert "/" not in slug(canonical) and " " not in slug(canonical)


def test_every_engineering_family_is_in_the_table_and_in_a_region_that_exists() -> None:
    from pathlib import Path

    from generator.vocab import load_vocabulary

    vocab, _ = load_vocabulary(Path(__file__).parent.parent / "standards")
    families = {read_number(spelled).family for spelled, _, _ in PUBLISHED} - {None}
    assert families == set(ENGINEERING_FAMILIES)
    assert all(f.region in vocab.regions and vocab.regions[f.region].name == f.area for f in ENGINEERING_FAMILIES)


@pytest.mark.parametrize("text", [
    "DBJ52/T 123-2020",    # a DBJ code no published list showed us: not guessed
    "DGJ09-20-2019",
    "DB13(X)/T 1-2020",
    "江苏省地方性法规", "云建科〔1988〕524号", "滇20G9-1",
])
def test_unknown_families_and_other_documents_are_not_numbers(text: str) -> None:
    assert read_number(text) is None
    assert parse_number(text) == (None, None)


def test_editions_of_one_engineering_standard_differ_and_its_spellings_do_not() -> None:
    assert number_key("DBJ50/T-047-2024") == number_key("DBJ 50/T 047-2024") == number_key("dbj50/t-047—2024")
    assert number_key("DBJ50/T-047-2024") != number_key("DBJ50-047-2024")  # recommended vs mandatory
    assert number_key("DG/TJ08-2291B-2022") != number_key("DG/TJ08-2291C-2022")  # volumes of a set
    assert number_key("DGJ08-20-2019") != number_key("DG/TJ08-20-2019")
