"""The validator: typed values from raw records, which records are valid, and problems across records."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from support import record

from generator.fields import FIELDS
from generator.kinds import CELL_UNITS
from generator.load import load_records
from generator.problems import Severity
from generator.records import Feedback, Source, Standard
from generator.validate import validate
from generator.vocab import load_vocabulary

FULL = """\
标准号: "DB37/T 4591-2023"
原文标准号: "DB 37/T 4591—2023"
中文标准名称: "养老服务站点建设规范"
英文标准名称: "Specification for elderly care service stations"
标准性质: "推荐性"
标准状态: "现行"
发布日期: 2023-01-17
实施日期: 2023-02-17
废止日期: 2030-01-01
代替标准:
  - "DB37/T 4591-2015"
被代替标准: "DB37/T 4591-2030"
中国标准分类号: [A12, C07]
国际标准分类号: ["03.080.30", "11.020"]
主管部门: "山东省民政厅"
归口单位: "山东省民政标准化技术委员会"
发布单位: "山东省市场监督管理局"
提出单位: "山东省民政厅"
起草单位:
  - "山东省标准化研究院"
  - "济南市民政局"
起草人: 张三
备案号: "12345-2023"
适用范围: "适用于社区养老服务站点的建设。"
全文链接: "https://dbba.sacinfo.org.cn/stdDetail/abc"
领域: [老有所养, 基础通用]
类别: [养老助老服务]
服务项目: []
体系位置: 服务提供标准
地区: "370000"
来源:
  - 链接: "https://dbba.sacinfo.org.cn/"
    说明: "地方标准信息服务平台"
  - "https://example.org/news"
  - "编者整理"
备注: |-
  第一行
  第二行
维护备注: |-
  两个来源的发布日期不同，取备案公告所载
意见反馈:
  邮箱: bzk@example.org
"""


def run_validate(db_dir: Path) -> tuple[list[Standard], list]:
    vocab, vocab_problems = load_vocabulary(db_dir)
    assert vocab_problems == []
    raws, load_problems = load_records(db_dir)
    standards, problems = validate(raws, vocab)
    return standards, [*load_problems, *problems]


def only(db_dir: Path) -> Standard:
    standards, problems = run_validate(db_dir)
    assert [p for p in problems if p.severity is Severity.ERROR] == []
    assert len(standards) == 1
    return standards[0]


def test_the_full_record_uses_every_field_and_gets_typed_values(make_db) -> None:
    assert {line.split(":")[0] for line in FULL.splitlines() if line and line[0] not in " -"} == {
        f.key for f in FIELDS}
    s = only(make_db({"local/DB37-T-4591-2023.yaml": FULL}))

    assert s.number == "DB37/T 4591-2023"
    assert s.level.key == "local"
    assert (s.issued, s.effective, s.withdrawn) == (dt.date(2023, 1, 17), dt.date(2023, 2, 17), dt.date(2030, 1, 1))
    assert s.replaces == ("DB37/T 4591-2015",)
    assert s.replaced_by_stated == ("DB37/T 4591-2030",)  # a single text is a list of one
    assert s.ccs == ("A12", "C07")
    assert s.ics == ("03.080.30", "11.020")
    assert s.drafters == ("山东省标准化研究院", "济南市民政局")
    assert s.drafting_people == ("张三",)
    assert s.domains == ("老有所养", "基础通用")
    assert s.categories == ("养老助老服务",)
    assert s.items == ()
    assert s.slot == "服务提供标准"
    assert s.region == "370000"
    assert s.nature == "推荐性" and s.stated_status == "现行"
    assert s.sources == (
        Source("https://dbba.sacinfo.org.cn/", "地方标准信息服务平台"),
        Source("https://example.org/news", None),
        Source(None, "编者整理"),
    )
    assert s.notes == "第一行\n第二行"
    assert s.source_number == "DB 37/T 4591—2023"
    assert s.maintainer_notes == "两个来源的发布日期不同，取备案公告所载"
    assert s.feedback == Feedback(mail="bzk@example.org")
    assert s.full_text == "https://dbba.sacinfo.org.cn/stdDetail/abc"
    assert s.display_title == "养老服务站点建设规范"


def test_a_minimal_record_is_valid(make_db) -> None:
    s = only(make_db({"national/GB-T-35796-2017.yaml":
                      "标准号: GB/T 35796-2017\n中文标准名称: 养老机构服务质量基本规范\n"}))
    assert (s.number, s.title) == ("GB/T 35796-2017", "养老机构服务质量基本规范")
    # Everything not written stays unknown rather than invented.
    for field in FIELDS:
        if field.attr not in ("number", "title"):
            assert getattr(s, field.attr) in (None, ()), field.key


def test_an_english_only_title_is_valid(make_db) -> None:
    s = only(make_db({"industry/MZ-T-133-2019.yaml": "标准号: MZ/T 133-2019\n英文标准名称: Elderly care\n"}))
    assert s.title is None
    assert s.display_title == "Elderly care"


def test_a_blank_title_counts_as_missing(make_db) -> None:
    db = make_db({"national/GB-T-1-2020.yaml": '标准号: "GB/T 1-2020"\n中文标准名称: "  "\n'})
    standards, problems = run_validate(db)
    assert standards == []
    assert [p.message for p in problems] == ["缺少 中文标准名称（没有中文名称时至少填写 英文标准名称）"]


def test_a_local_standard_gets_its_region_from_the_number(make_db) -> None:
    db = make_db({
        "local/DB3211-T-1035-2022.yaml": record("DB3211/T 1035-2022"),
        "local/DB659001-T-1-2020.yaml": record("DB659001/T 1-2020"),
    })
    standards, problems = run_validate(db)
    assert problems == []
    assert {s.number: s.region for s in standards} == {"DB3211/T 1035-2022": "321100", "DB659001/T 1-2020": "659001"}


def test_a_record_with_an_error_is_left_out_and_the_others_stay(make_db) -> None:
    db = make_db({
        "national/GB-T-1-2020.yaml": record("GB/T 1-2020", 发布日期="2020-02-30"),
        "national/GB-T-2-2020.yaml": record("GB/T 2-2020"),
    })
    standards, problems = run_validate(db)
    assert [s.number for s in standards] == ["GB/T 2-2020"]
    assert [(p.path.name, p.line, p.message) for p in problems] == [
        ("GB-T-1-2020.yaml", 3, '发布日期: 不是有效日期 "2020-02-30"')]


def test_every_problem_of_one_record_is_reported(make_db) -> None:
    text = record("GB/T 1-2020", 发布日期="2020-13-01", 实施日期="2020/1/1", 领域=["无此领域"], 全文链接="ftp://x")
    db = make_db({"national/GB-T-1-2020.yaml": text + "作者: 某人\n"})
    _, problems = run_validate(db)
    assert len(problems) == 5
    assert len({(p.line, p.column) for p in problems}) == 5  # each at its own place


def test_references_between_records(make_db) -> None:
    db = make_db({
        "national/GB-T-1-2020.yaml": record("GB/T 1-2020", 代替标准=["GB/T 1-2010", "GB/T 1-2000"]),
        "national/GB-T-1-2010.yaml": record("GB/T 1-2010", 被代替标准=["GB/T 1-2020"]),
    })
    standards, problems = run_validate(db)
    assert len(standards) == 2
    # A reference to a record in the database is fine; one to a missing record is only a notice.
    assert [(p.path.name, p.line, p.severity, p.message) for p in problems] == [
        ("GB-T-1-2020.yaml", 5, Severity.NOTICE, "代替标准: GB/T 1-2000 未收录于数据库，页面上不会链接到它")]


def test_a_loose_reference_is_an_error_with_the_canonical_spelling(make_db) -> None:
    db = make_db({"national/GB-T-1-2010.yaml": record("GB/T 1-2010", 被代替标准=["gb/t 1—2020"])})
    standards, problems = run_validate(db)
    assert standards == []
    assert [(p.line, p.column, p.message) for p in problems] == [
        (4, 5, '被代替标准: "gb/t 1—2020" 不是有效的标准号，应写作 GB/T 1-2020')]


def test_a_chain_of_references_inside_the_database_raises_nothing(make_db) -> None:
    db = make_db({
        "national/GB-T-1-2020.yaml": record("GB/T 1-2020", 代替标准=["GB/T 1-2010"]),
        "national/GB-T-1-2010.yaml": record("GB/T 1-2010"),
        "national/GB-T-2-2020.yaml": record("GB/T 2-2020", 代替标准=["GB/T 1-2020"]),
    })
    _, problems = run_validate(db)
    assert problems == []


def warnings(problems: list) -> list[tuple[str, int, str]]:
    return [(p.path.name, p.line, p.message) for p in problems if p.severity is Severity.WARNING]


def test_ordinary_replacements_are_not_warned_of(make_db) -> None:
    db = make_db({
        # A new edition replacing its older one, stated on both sides, with dates.
        "national/GB-T-1-2017.yaml": record("GB/T 1-2017", "养老机构服务质量基本规范", 发布日期="2017-12-29",
                                            被代替标准=["GB/T 1-2024"]),
        "national/GB-T-1-2024.yaml": record("GB/T 1-2024", "养老机构服务质量基本规范", 发布日期="2024-03-15",
                                            代替标准=["GB/T 1-2017"]),
        # A national standard replacing local ones, stated on either side.
        "national/GB-T-2-2022.yaml": record("GB/T 2-2022", "社区助餐服务规范", 代替标准=["DB32/T 2-2018"]),
        "local/DB32-T-2-2018.yaml": record("DB32/T 2-2018", "社区老年助餐服务规范", 被代替标准=["GB/T 2-2022"]),
        "local/DB37-T-3-2019.yaml": record("DB37/T 3-2019", "农村幸福院运营规范", 被代替标准=["GB/T 2-2022"]),
        # An industry standard replaced by a national one.
        "industry/MZ-T-4-2016.yaml": record("MZ/T 4-2016", "殡葬服务机构服务规范", 被代替标准=["GB/T 4-2021"]),
        # Records without dates, numbered in the same year or in order; a two-digit year is of the 1900s.
        "local/DB32-T-5-2020.yaml": record("DB32/T 5-2020", "公共文化场馆开放规范", 代替标准=["DB32/T 6-2020"]),
        "local/DB32-T-6-2020.yaml": record("DB32/T 6-2020", "文化馆免费开放服务规范"),
        "industry/JGJ-7-2001.yaml": record("JGJ 7-2001", "无障碍设计规范", 代替标准=["JGJ 7-98"]),
        # A local standard replacing a city's standard of its own province, or a city's old code outside the
        # database (SZDB/Z, Shenzhen's before DB4403, reads as an industry code).
        "local/DB32-T-8-2021.yaml": record("DB32/T 8-2021", "社区卫生服务站建设规范", 代替标准=["DB3201/T 8-2016"]),
        "local/DB4403-T-9-2023.yaml": record("DB4403/T 9-2023", "养老服务信息平台规范", 代替标准=["SZDB/Z 9-2007"]),
    })
    standards, problems = run_validate(db)
    assert len(standards) == 11
    assert warnings(problems) == []


def test_the_issue_dates_decide_before_the_years_of_the_numbers(make_db) -> None:
    db = make_db({
        # Numbered in one year, but the replacing one was issued first.
        "local/DB32-T-1-2020.yaml": record("DB32/T 1-2020", "托育机构服务规范", 发布日期="2020-03-01",
                                          代替标准=["DB32/T 2-2020"]),
        "local/DB32-T-2-2020.yaml": record("DB32/T 2-2020", "托育机构保育规范", 发布日期="2020-09-01"),
        # Numbered 2019 but issued in 2020, after the edition of 2019 it replaces: no warning.
        "local/DB32-T-3-2019.yaml": record("DB32/T 3-2019", "社区康复服务规范", 发布日期="2020-01-06",
                                          代替标准=["DB32/T 4-2019"]),
        "local/DB32-T-4-2019.yaml": record("DB32/T 4-2019", "残疾人社区康复规范", 发布日期="2019-12-30"),
        # Only one of the two has a date: the years of the numbers decide.
        "local/DB32-T-5-2018.yaml": record("DB32/T 5-2018", "公共就业服务规范", 发布日期="2018-05-01",
                                          代替标准=["DB32/T 6-2019"]),
        "local/DB32-T-6-2019.yaml": record("DB32/T 6-2019", "人力资源市场服务规范"),
    })
    _, problems = run_validate(db)
    assert warnings(problems) == [
        ("DB32-T-1-2020.yaml", 5, "代替标准: DB32/T 2-2020（发布日期 2020-09-01）比本标准（发布日期 2020-03-01）晚，"
                                  "被代替的标准应早于代替它的标准；请核对标准号是否写错，或是否应填在 被代替标准 中"),
        ("DB32-T-5-2018.yaml", 5, "代替标准: DB32/T 6-2019（标准号年份 2019）比本标准（标准号年份 2018）晚，"
                                  "被代替的标准应早于代替它的标准；请核对标准号是否写错，或是否应填在 被代替标准 中"),
    ]


def test_a_cycle_is_told_once_per_statement_not_by_the_other_rules(make_db) -> None:
    db = make_db({
        # A replaces B on A's side and B replaces A on A's side too: two statements, one cycle.
        "local/DB32-T-1-2021.yaml": record("DB32/T 1-2021", "社区养老服务规范", 代替标准=["DB32/T 1-2019"],
                                          被代替标准=["DB32/T 1-2019"]),
        "local/DB32-T-1-2019.yaml": record("DB32/T 1-2019", "社区养老服务规范"),
        # Stated once on each side, the same relation: no cycle.
        "local/DB32-T-2-2022.yaml": record("DB32/T 2-2022", "居家养老服务规范", 代替标准=["DB32/T 2-2015"]),
        "local/DB32-T-2-2015.yaml": record("DB32/T 2-2015", "居家养老服务规范", 被代替标准=["DB32/T 2-2022"]),
    })
    _, problems = run_validate(db)
    loop = "DB32/T 1-2021 代替 DB32/T 1-2019，DB32/T 1-2019 代替 DB32/T 1-2021"
    back = "DB32/T 1-2019 代替 DB32/T 1-2021，DB32/T 1-2021 代替 DB32/T 1-2019"
    tail = "；循环中的标准都会被算作被代替，请核对哪一项是新版，改正写反或写错的标准号"
    assert warnings(problems) == [
        ("DB32-T-1-2021.yaml", 4, f"代替标准: 代替关系成了循环：{loop}{tail}"),
        ("DB32-T-1-2021.yaml", 6, f"被代替标准: 代替关系成了循环：{back}{tail}"),
    ]


def test_a_long_chain_is_no_cycle_and_a_long_loop_is_one(make_db) -> None:
    # 1,200 editions in a row (more than Python's recursion limit: checked without recursion) ...
    files = {f"national/GB-T-1-{1000 + i}.yaml": record(f"GB/T 1-{1000 + i}", "长链测试标准",
                                                         代替标准=[f"GB/T 1-{999 + i}"]) for i in range(1, 1200)}
    files["national/GB-T-1-1000.yaml"] = record("GB/T 1-1000", "长链测试标准")
    _, problems = run_validate(make_db(files))
    assert warnings(problems) == []
    # ... then the first says it replaces the last: every statement is on the loop, told by its size.
    files["national/GB-T-1-1000.yaml"] = record("GB/T 1-1000", "长链测试标准", 代替标准=["GB/T 1-2199"])
    _, problems = run_validate(make_db(files, name="looped"))
    assert len(warnings(problems)) == 1200
    assert ("GB-T-1-1000.yaml", 4, "代替标准: 代替关系成了循环：GB/T 1-1000 代替 GB/T 1-2199，GB/T 1-2199 又直接或"
            "间接代替了 GB/T 1-1000（循环涉及 1200 项标准）；循环中的标准都会被算作被代替，请核对哪一项是新版，"
            "改正写反或写错的标准号") in warnings(problems)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("标准性质", "自愿", '标准性质: 应为 强制性、推荐性、指导性技术文件 之一，不是 "自愿"'),
        ("标准状态", "有效", '标准状态: 应为 现行、即将实施、废止、被代替 之一，不是 "有效"'),
        ("中国标准分类号", "a12", '中国标准分类号: "a12" 格式不对，应形如 A12'),
        ("国际标准分类号", "3.080", '国际标准分类号: "3.080" 格式不对，应形如 03.080.30'),
        ("服务项目", "不存在的项目", '服务项目: 未知的服务项目 "不存在的项目"（见 standards/vocabularies/）'),
    ],
)
def test_controlled_values(make_db, key, value, message) -> None:
    db = make_db({"national/GB-T-1-2020.yaml": record("GB/T 1-2020", **{key: value})})
    standards, problems = run_validate(db)
    assert standards == []
    assert [(p.line, p.message) for p in problems] == [(3, message)]


@pytest.mark.parametrize("scope", ["第一行\r第二行", "第一行\r\n第二行", "第一行\n第二行", "第一行\r\r第二行"])
def test_a_multi_line_text_has_lf_line_breaks_however_they_were_written(make_db, scope: str) -> None:
    """A lone CR (a YAML "\\r", an old Mac file) or CRLF in a multi-line field is read as LF: the CSV download
    would otherwise end its row at a lone CR, and an import would read CRLF back as a change."""
    text = record("GB/T 1-2020", 备注="甲") + "适用范围: " + json.dumps(scope, ensure_ascii=False) + "\n"
    standard = only(make_db({"national/GB-T-1-2020.yaml": text}))
    assert standard.scope == scope.replace("\r\n", "\n").replace("\r", "\n")


def test_a_source_note_must_be_one_line(make_db) -> None:
    text = record("GB/T 1-2020") + '来源:\n  - 说明: "官网\\r首页"\n  - 说明: "编者整理"\n'
    standards, problems = run_validate(make_db({"national/GB-T-1-2020.yaml": text}))
    assert standards == []
    assert [p.message for p in problems] == ["来源: 第 1 项的说明不能换行，请写成一行；几个来源请分成几项"]


@pytest.mark.parametrize(("fields", "message"), [
    # Eight drafting units, each within a value's limit, make one cell too long for Excel.
    ({"起草单位": [f"{'甲' * 19_000}{i}" for i in range(2)]},
     f"起草单位: 各项合起来过长，写进表格的一格有 38003 个字符，Excel 每格最多 {CELL_UNITS} 个"),
    # An emoji counts two: 17,000 of them are 34,000 of Excel's characters.
    ({"备注": "😀" * 17_000}, "备注: 内容过长，写进表格的一格有 34000 个字符"),
    # A leading = gets the formula guard ' in the cell, one character more.
    ({"备注": "=" + "😀" * 16_383}, f"备注: 内容过长，写进表格的一格有 {CELL_UNITS + 1} 个字符"),
])
def test_a_field_must_fit_in_one_spreadsheet_cell(make_db, fields: dict[str, object], message: str) -> None:
    standards, problems = run_validate(make_db({"national/GB-T-1-2020.yaml": record("GB/T 1-2020", **fields)}))
    assert standards == []
    assert len(problems) == 1 and problems[0].message.startswith(message)


def test_a_field_that_just_fits_in_a_cell_passes(make_db) -> None:
    db = make_db({"national/GB-T-1-2020.yaml": record("GB/T 1-2020", 备注="=" + "😀" * 16_382 + "好")})
    assert only(db).notes is not None


def test_the_slot_must_be_a_part_of_gbt43507(make_db) -> None:
    db = make_db({"national/GB-T-1-2020.yaml": record("GB/T 1-2020", 体系位置="服务标准")})
    _, problems = run_validate(db)
    assert len(problems) == 1
    assert problems[0].message.startswith("体系位置: 应为 GB/T 43507 体系中的 基础通用标准、")
    assert problems[0].message.endswith('之一，不是 "服务标准"')


def test_categories_without_a_domain_bring_their_domain(make_db) -> None:
    db = make_db({"national/GB-T-9-2020.yaml": record("GB/T 9-2020", 类别=["养老助老服务"])})
    assert only(db).domains == ("老有所养",)
