"""Each field kind's rules agree wherever they are applied: `stdportal check`, the JSON Schema an editor uses,
the cell reader of `stdportal import`, and export → import.

The table holds, per kind, values all of them accept, values all of them refuse, values only the checker can
refuse (it knows the vocabularies and the record; the schema cannot), and the cell spellings only the importer
accepts. Samples stand for classes: full-width digits, padding, line breaks, calendar days, quotes in URLs …
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from support import VOCABULARIES

from generator.fields import FIELD_BY_KEY, FIELDS, Field
from generator.importer import convert_cell
from generator.kinds import KINDS, CellError, guard_formula, kind_of, unguard_formula
from generator.kinds.lists import Texts
from generator.load import RawRecord
from generator.problems import Severity
from generator.scaffold import record_text
from generator.schema import json_schema
from generator.validate import validate
from generator.vocab import load_vocabulary
from generator.yamlpos import parse_yaml

VOCAB, _ = load_vocabulary(VOCABULARIES.parent)
SCHEMA = jsonschema.Draft202012Validator(json_schema())
PATH = Path("standards/local/DB37-T-1-2020.yaml")
BASE = {"标准号": "DB37/T 1-2020", "中文标准名称": "测试标准"}

# field key → (accepted by all, refused by all, refused by the checker alone, {cell: plain value} leniencies)
Samples = tuple[list[Any], list[Any], list[Any], dict[Any, Any]]
TABLE: dict[str, Samples] = {
    # A title: a cell may wrap it over lines and quote it in book-title marks, a record may do neither.
    "英文标准名称": (["Community services", " padded ", "", "a: b # c", "《Guide》 to 《Guides》"],
                     ["line\nbreak", "a\r\nb", "《Terminology》", " 《Terminology》 ", ["list"], {"k": "v"}], [],
                     {"line\nbreak": "line break", "a\r\nb": "a b", "《Terminology》": "Terminology",
                      " 《Terminology》 ": "Terminology", "《Community\nservices》": "Community services"}),
    # A Chinese name has a Chinese character: what a failed lookup formula leaves in a sheet (#N/A, 0) is none.
    # (stdportal check only warns of one; the importer does not take it from a sheet: tests/test_import_layouts.py)
    "中文标准名称": (["养老服务 术语", " 养老机构服务规范 ", "a: b 养老", "《标准化工作导则》编写规则"],
                     ["《养老服务 术语》", "养老\n服务", ["list"], {"k": "v"}], [],
                     {"养老\n服务": "养老服务", "服务规范\n第1部分：总则": "服务规范 第1部分：总则",
                      "服务规范 \n第十二部分：评价": "服务规范 第十二部分：评价",
                      "《养老服务 术语》": "养老服务 术语"}),
    # A body's name: two lines are two bodies, never joined.
    "发布单位": (["民政部", " padded ", "", "a: b # c"], ["甲单位\n乙单位", "a\r\nb", ["list"], {"k": "v"}], [], {}),
    "适用范围": (["第一段\n第二段", "一行"], [["list"]], [], {}),
    "维护备注": (["两个来源的日期不同\n待核实", "一行"], [["list"], {"k": "v"}], [], {}),
    # The record is DB37/T 1-2020: another spelling of it is accepted, another standard's number is not.
    "原文标准号": (["DB 37/T 1—2020", "DB37/T1-2020", "ＤＢ３７／Ｔ １-２０２０", " DB37/T 1-2020 "],
                   ["DB37/T 1-2020\nx", ["DB37/T 1-2020"]], ["GB/T 1-2020", "DB37/T 1-2021", "不是标准号"], {}),
    "起草单位": (["甲", ["甲", "乙"], ["甲", None, " 乙 "], []], [["甲\n乙"], [["x"]], [{"k": "v"}], {"k": "v"}], [],
                 {"甲；乙;丙、丁\n戊": ["甲", "乙", "丙", "丁", "戊"]}),
    "发布日期": (["2017-12-29", "2020-02-29", "2000-02-29", " 2017-01-31 "],
                 ["2017-13-01", "2017-02-30", "2019-02-29", "1900-02-29", "2017-04-31", "0000-01-01", "2017-1-2",
                  "２０１７-１２-２９", "17-12-29", "2017-12-29x", "2017-12-29\n2018-01-01", ["2017-12-29"]], [],
                 {"2017/12/29": "2017-12-29", "2017年12月29日": "2017-12-29", "二〇一七年十二月二十九日": "2017-12-29",
                  "二〇二一年四月九日": "2021-04-09", "2017.1.2": "2017-01-02",
                  "20171229": "2017-12-29", 20171229: "2017-12-29", "43098": "2017-12-29", 43098: "2017-12-29",
                  43098.75: "2017-12-29",
                  "２０１７-１２-２９": "2017-12-29", "2017-12-29 00:00:00": "2017-12-29", "2017-1-2": "2017-01-02"}),
    "标准性质": (["推荐性", "强制性", "指导性技术文件"], ["推荐", "recommended", ["推荐性"]], [],
                 {"推荐": "推荐性", "强制": "强制性", "指导": "指导性技术文件", "推荐性标准": "推荐性",
                  "强制性国家标准": "强制性", "推荐性地方标准": "推荐性"}),
    "标准状态": (["现行", "废止", "现行\n", " 被代替"], ["有效", "现\n行"], [],
                 {"现行有效": "现行", "有效": "现行", "作废": "废止", "已作废": "废止", "被替代": "被代替",
                  "尚未实施": "即将实施"}),
    "代替标准": (["GB/T 1-2000", ["GB/T 1-2000", "DB37/T 5-2019"], ["GB 2-1999(2009年版)"], ["JGJ 12-99"]],
                 ["GBT 1-2000", ["GB/T 1—2000"], ["ＧＢ/Ｔ 1-2000"], ["not a number"], ["GB/T 1"]],
                 [], {"GBT 1-2000，GB/T 2-2001": ["GB/T 1-2000", "GB/T 2-2001"], "ＧＢ／Ｔ 3-2002": ["GB/T 3-2002"],
                      "GBT 1-2000": ["GB/T 1-2000"], "GB/T 1—2000": ["GB/T 1-2000"],
                      "ＧＢ/Ｔ 1-2000": ["GB/T 1-2000"], "GB/T 1−2000": ["GB/T 1-2000"],
                      "GB 50003-2011 GB 50203-2011": ["GB 50003-2011", "GB 50203-2011"],
                      "GB/T 1.1-2020 GB/T 2-2010、DB37/T 5-2019": ["GB/T 1.1-2020", "GB/T 2-2010", "DB37/T 5-2019"]}),
    "中国标准分类号": (["A12", ["A12", "C50"]], ["a12", "A1", "A123", "Ａ12", ["12A"]], [],
                       {"a12, c50": ["A12", "C50"], "a12": ["A12"], "Ａ12": ["A12"]}),
    "国际标准分类号": (["03", "03.080", "03.080.30", ["03.080.30", "11.020"]],
                       ["3.080", "03.80", "03.080.3", "03-080", "０３.080"], [],
                       {"03.080 11.020": ["03.080", "11.020"], "０３.080": ["03.080"]}),
    "全文链接": (["https://std.samr.gov.cn/gb/search?q=1&p=2", "http://example.org/a_(b)", " https://x.cn "],
                 ["ftp://example.org", "example.org", "https://", 'https://a.cn/"x"', "https://a.cn/<b>",
                  "https://a.cn/a b", "https://a.cn/\nb", "ｈｔｔｐｓ://a.cn"], [], {}),
    "领域": (["幼有所育", ["幼有所育", "学有所教"]], [["幼有所育\n学有所教"], {"k": "v"}], ["不存在的领域"], {}),
    "类别": (["优孕优生服务"], [[["x"]]], ["不存在的大类"], {}),
    "服务项目": (["农村免费孕前优生健康检查"], [["a\nb"]], ["不存在的项目"], {}),
    "体系位置": (["服务提供标准"], ["服务\n提供标准", ["服务提供标准"]], ["不存在的位置"], {}),
    # The record is DB37/T 1-2020: its region is Shandong's, 370000; 济南 370100 is a real code but not its own.
    "地区": (["370000", " 370000 "], ["37000", "3700000", "３７００００", "37000a", ["370000"]], ["370100", "999999"],
             {370000: "370000"}),
    "来源": ([["https://std.samr.gov.cn/"], ["只有说明"], [{"链接": "https://a.cn/", "说明": "平台"}], [{"说明": "x"}],
              [{"链接": None, "说明": "x"}], [{}]],
             ["https://a.cn/", [{"链接": "ftp://a.cn"}], [{"网址": "https://a.cn/"}], [None], [{"说明": ["x"]}],
              [{"链接": 'https://a.cn/"'}]], [],
             {"全国标准信息公共服务平台 https://std.samr.gov.cn/": [{"链接": "https://std.samr.gov.cn/",
                                                                      "说明": "全国标准信息公共服务平台"}],
              # in running text the address ends at full-width punctuation, a closing bracket or a full stop
              "江苏省市场监管局网站https://scjgj.jiangsu.gov.cn/art/2023/1/1/art_1.html，2023年第5号公告": [
                  {"链接": "https://scjgj.jiangsu.gov.cn/art/2023/1/1/art_1.html",
                   "说明": "江苏省市场监管局网站，2023年第5号公告"}],
              "地方标准目录（https://dbba.sacinfo.org.cn/stdList?key=DB32）": [
                  {"链接": "https://dbba.sacinfo.org.cn/stdList?key=DB32", "说明": "地方标准目录"}],
              "目录(https://a.cn/list?id=1).": [{"链接": "https://a.cn/list?id=1", "说明": "目录"}],
              "https://a.cn/wiki/A_(b)": [{"链接": "https://a.cn/wiki/A_(b)"}],
              "“https://a.cn/list”中的公告": [{"链接": "https://a.cn/list", "说明": "中的公告"}],
              "见 http://": [{"说明": "见 http://"}],
              "http://mbji.cn/mbji/专用校车安全技术条件/56050367": [
                  {"链接": "http://mbji.cn/mbji/专用校车安全技术条件/56050367"}]}),
    "意见反馈": ([{"邮箱": "a@b.cn"}, {"链接": "https://a.cn/form?t={title}&u={url}"}, {"邮箱": " a@b.cn "}],
                 [{"邮箱": "a@b"}, {"邮箱": "a b@c.cn"}, {"邮箱": None}, {"链接": None}, {"链接": "mailto:a@b.cn"},
                  {"邮箱": "a@b.cn", "链接": "https://a.cn/"}, {}, "a@b.cn", {"电话": "123"}], [],
                 {"a@b.cn": {"邮箱": "a@b.cn"}, "https://a.cn/f": {"链接": "https://a.cn/f"},
                  "mailto:a@b.cn": {"邮箱": "a@b.cn"}, "MAILTO:a@b.cn": {"邮箱": "a@b.cn"}}),
}


def record_data(field: Field, value: Any) -> dict[str, Any]:
    return {**BASE, field.key: value}


def checker_accepts(data: dict[str, Any]) -> tuple[bool, Any]:
    """Whether `stdportal check` accepts the record, and the typed value of the field."""
    text = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in data.items()) + "\n"
    parsed = parse_yaml(text)
    assert parsed.data == data and not parsed.issues  # the YAML text says exactly the sample
    standards, problems = validate([RawRecord(PATH, parsed)], VOCAB)
    ok = not any(p.severity is Severity.ERROR for p in problems)
    return ok, standards[0] if standards else None


def schema_accepts(data: dict[str, Any]) -> bool:
    return not list(SCHEMA.iter_errors(data))


def as_cell(field: Field, value: Any) -> str | None:
    """What a person types into a cell for the value, where a cell can say it: a text, texts joined for a
    list, the address for a feedback channel. (Any text in a 来源 cell is a note, so it cannot be wrong.)"""
    kind = kind_of(field)
    if isinstance(kind, Texts) and isinstance(value, list):
        fits = value and all(isinstance(v, str) and not re.search("[；;、,，\r\n]", v) for v in value)
        return "；".join(value) if fits else None
    if field.kind == "feedback":
        return next(iter(value.values())) if isinstance(value, dict) and len(value) == 1 else None
    return value if isinstance(value, str) and field.kind != "sources" else None


def importer_accepts(field: Field, cell: str) -> bool:
    try:
        plain = convert_cell(field, cell)
    except CellError:
        return False
    return checker_accepts(record_data(field, plain))[0] if plain is not None else True


CASES = [(key, value, verdict) for key, (good, bad, _, _) in TABLE.items()
         for value, verdict in [*((v, True) for v in good), *((v, False) for v in bad)]]


def test_the_table_covers_every_kind() -> None:
    assert {FIELD_BY_KEY[key].kind for key in TABLE} == set(KINDS) == {f.kind for f in FIELDS}


@pytest.mark.parametrize(("key", "value", "verdict"), CASES, ids=[f"{k}-{v!r}" for k, v, _ in CASES])
def test_checker_schema_and_importer_agree(key: str, value: Any, verdict: bool) -> None:
    field = FIELD_BY_KEY[key]
    data = record_data(field, value)

    assert checker_accepts(data)[0] is verdict
    assert schema_accepts(data) is verdict
    cell = as_cell(field, value)
    if cell is not None and cell not in TABLE[key][3]:  # the importer's leniencies are listed in the table
        assert importer_accepts(field, cell) is verdict


@pytest.mark.parametrize(("key", "value"), [(k, v) for k, (_, _, beyond, _) in TABLE.items() for v in beyond])
def test_what_only_the_checker_knows(key: str, value: Any) -> None:
    """Vocabularies and the record's own number are beyond a schema: it lets the value pass, check does not."""
    data = record_data(FIELD_BY_KEY[key], value)
    assert schema_accepts(data) and not checker_accepts(data)[0]


@pytest.mark.parametrize(("key", "cell", "plain"),
                         [(k, c, p) for k, (_, _, _, cells) in TABLE.items() for c, p in cells.items()])
def test_cell_leniencies_give_checked_values(key: str, cell: Any, plain: Any) -> None:
    field = FIELD_BY_KEY[key]
    assert convert_cell(field, cell) == plain
    assert checker_accepts(record_data(field, plain))[0]


@pytest.mark.parametrize(("key", "value"), [(k, v) for k, (good, _, _, _) in TABLE.items() for v in good])
def test_export_then_import_gives_the_same_value(key: str, value: Any) -> None:
    field = FIELD_BY_KEY[key]
    kind = kind_of(field)
    ok, standard = checker_accepts(record_data(field, value))
    typed = getattr(standard, field.attr)
    if not ok or typed in (None, ()) or not kind.exported:
        return
    cell = guard_formula(kind.csv(kind.export(typed)))

    again = convert_cell(field, unguard_formula(cell))

    ok, standard = checker_accepts(record_data(field, again))
    assert ok and getattr(standard, field.attr) == typed


def test_yaml_written_for_a_value_reads_back_as_it() -> None:
    for key, (good, _, _, cells) in TABLE.items():
        field = FIELD_BY_KEY[key]
        for value in [*good, *cells.values()]:
            text = record_text(record_data(field, value), None, all_fields=False, comments=False)
            ok, standard = checker_accepts(parse_yaml(text).data)
            assert ok and getattr(standard, field.attr) == getattr(checker_accepts(record_data(field, value))[1],
                                                                   field.attr), text


def _patterns(schema: Any) -> list[str]:
    if isinstance(schema, dict):
        own = [schema["pattern"]] if "pattern" in schema else []
        return own + [p for v in schema.values() for p in _patterns(v)]
    return [p for v in schema for p in _patterns(v)] if isinstance(schema, list) else []


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return [s for v in value for s in _strings(v)] if isinstance(value, list) else []


@pytest.mark.skipif(not shutil.which("node"), reason="node is not installed")
def test_schema_patterns_mean_the_same_to_editors() -> None:
    """Editors run the schema's patterns as JavaScript (ECMA, unicode mode) regexes; jsonschema as Python's.
    Both must compile them and match every sample string alike."""
    properties = json_schema()["properties"]
    pairs = [(p, s) for key, (good, bad, beyond, _) in TABLE.items() for p in _patterns(properties[key])
             for value in [*good, *bad, *beyond] for s in _strings(value)]
    script = ("const pairs = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "console.log(JSON.stringify(pairs.map(([p, s]) => new RegExp(p, 'u').test(s))));")
    result = subprocess.run(["node", "-e", script], input=json.dumps(pairs), capture_output=True, text=True,
                            check=True, timeout=60)
    assert json.loads(result.stdout) == [re.search(p, s) is not None for p, s in pairs]


@pytest.mark.parametrize(("cell", "said"), [
    (2021, "只有年份"), (2021.0, "只有年份"), (2021.5, "只有年份"), (2021.03, "只有年份"), ("2021", "只有年份"),
    ("2021.3", "只有年份"), ("2021年", "只有年份"), ("2021年3月", "只有年份"),
    (100, "不是日期"), (5000, "不是日期"), (18000, "不是日期"), (0, "不是日期"), (-3, "不是日期"), (1e12, "不是日期"),
    (20201301, "不是有效日期"),
    # a year typed into a date-formatted cell: openpyxl gives the day that many days after 1899-12-30
    (dt.datetime(1905, 7, 13), "只填了年份 2021"), (dt.date(1900, 3, 1), "不像标准的日期"),
])
def test_a_number_that_is_not_a_day_makes_no_date(cell: Any, said: str) -> None:
    """A year, a year and month, or some other number typed into a date column is refused with what is wrong:
    read as an Excel day count it would give a date nobody wrote (2021 → 1905-07-13)."""
    with pytest.raises(CellError, match=said):
        convert_cell(FIELD_BY_KEY["发布日期"], cell)
