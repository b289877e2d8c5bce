"""Positioned YAML: plain values, the line and column of every key and value, problems instead of exceptions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from support import BUNDLED_DB

import generator.yamlpos as yamlpos
from generator.yamlpos import MAX_DEPTH, MAX_VALUE_CHARS, parse_yaml

TESTS = Path(__file__).parent


@pytest.fixture(autouse=True, params=["libyaml", "python"])
def composer(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs with libyaml composing (when PyYAML has it) and with the pure-Python fallback."""
    if request.param == "python":
        monkeypatch.setattr(yamlpos, "_CLoader", None)
    elif getattr(yaml, "CSafeLoader", None) is None:
        pytest.skip("PyYAML built without libyaml")
    return str(request.param)

TEXT = """\
# 注释行
标准号: "GB/T 35796-2017"
发布日期: 2017-12-29
代替标准:
  - GB/T 35796-2010
  - "GB/T 35796-2000"
来源:
  - 链接: https://std.samr.gov.cn/
    说明: 全国标准信息公共服务平台
数字: 123
真假: true
空值:
波浪: ~
加引号的null: "null"
"""


def locate(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """Line and column (from 1) of the n-th occurrence of needle in text, found without YAML."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


def test_scalars_stay_text_and_nulls_are_none() -> None:
    parsed = parse_yaml(TEXT)
    assert parsed.issues == []
    assert parsed.data == {
        "标准号": "GB/T 35796-2017",
        "发布日期": "2017-12-29",  # not a datetime.date: the validator types it
        "代替标准": ["GB/T 35796-2010", "GB/T 35796-2000"],
        "来源": [{"链接": "https://std.samr.gov.cn/", "说明": "全国标准信息公共服务平台"}],
        "数字": "123",
        "真假": "true",
        "空值": None,
        "波浪": None,
        "加引号的null": "null",
    }


@pytest.mark.parametrize(
    ("path", "needle", "occurrence"),
    [
        (("标准号",), '"GB/T 35796-2017"', 0),
        (("发布日期",), "2017-12-29", 0),
        (("代替标准", 0), "GB/T 35796-2010", 0),
        (("代替标准", 1), '"GB/T 35796-2000"', 0),
        (("来源", 0, "链接"), "https://", 0),
        (("来源", 0, "说明"), "全国标准", 0),
        (("数字",), "123", 0),
    ],
)
def test_value_positions(path, needle, occurrence) -> None:
    assert parse_yaml(TEXT).value_pos[path] == locate(TEXT, needle, occurrence)


@pytest.mark.parametrize(
    ("path", "needle"),
    [(("标准号",), "标准号"), (("代替标准",), "代替标准"), (("来源", 0, "说明"), "说明"), (("真假",), "真假")],
)
def test_key_positions(path, needle) -> None:
    assert parse_yaml(TEXT).key_pos[path] == locate(TEXT, needle)


def test_pos_falls_back_to_the_nearest_known_parent() -> None:
    parsed = parse_yaml(TEXT)
    assert parsed.pos(("来源", 0, "说明")) == locate(TEXT, "全国标准")
    assert parsed.pos(("来源", 0, "没有的字段")) == parsed.value_pos[("来源", 0)]
    assert parsed.pos(("代替标准", 9)) == parsed.value_pos[("代替标准",)]
    # The document itself starts at its first key, after the comment.
    assert parsed.pos(("没有的字段",)) == locate(TEXT, "标准号")


def test_empty_text_is_no_data_and_no_issue() -> None:
    for text in ["", "\n\n", "# 只有注释\n"]:
        parsed = parse_yaml(text)
        assert (parsed.data, parsed.issues) == (None, [])
    assert parse_yaml("").pos(("标准号",)) == (1, 1)


def test_duplicate_keys_are_issues_and_the_first_value_is_kept() -> None:
    text = "标准号: A\n名称: 第一\n名称: 第二\n来源:\n  - 说明: x\n    说明: y\n"
    parsed = parse_yaml(text)
    assert parsed.data["名称"] == "第一"
    assert parsed.data["来源"] == [{"说明": "x"}]
    assert [(i.line, i.column) for i in parsed.issues] == [locate(text, "名称", 1), locate(text, "说明", 1)]
    assert parsed.issues[0].message == "名称: 字段重复（第 2 行已经写过），请只保留一个"
    assert parsed.issues[1].message == "说明: 字段重复（第 5 行已经写过），请只保留一个"


def test_a_key_that_is_not_text_is_an_issue() -> None:
    text = "标准号: A\n[列表]: 值\n"
    parsed = parse_yaml(text)
    assert [(i.line, i.column, i.message) for i in parsed.issues] == [(2, 1, "字段名必须是一段文字")]
    assert parsed.data == {"标准号": "A"}


def test_unsupported_tags_are_issues_not_objects() -> None:
    parsed = parse_yaml("标准号: !custom 值\n")
    assert [(i.line, i.column) for i in parsed.issues] == [(1, 6)]
    assert "不支持的 YAML 标签 !custom" in parsed.issues[0].message


@pytest.mark.parametrize(("text", "where", "tag"), [
    ('名称: !!binary "5YW75ZCI"\n', (1, 5), "!!binary"),  # base64 of 养老: must not be read as the text 5YW75ZCI
    ("代替标准: !!set {GB 1-2000: null}\n", (1, 7), "!!set"),
    ("来源: !!omap\n  - 链接: x\n", (1, 5), "!!omap"),
    ("来源: !!pairs\n  - 链接: x\n", (1, 5), "!!pairs"),
    ("来源:\n  - !!python/object:os.system {}\n", (2, 5), "!!python/object:os.system"),
    ("来源: !!str [x]\n", (1, 5), "!!str"),  # a text tag on a list
    ("名称: !!map 值\n", (1, 5), "!!map"),  # a table tag on a text
])
def test_a_tag_that_would_make_a_value_something_else_is_an_issue(text: str, where: tuple[int, int],
                                                                  tag: str) -> None:
    parsed = parse_yaml(text)
    assert [((i.line, i.column), i.message) for i in parsed.issues] == [
        (where, f"不支持的 YAML 标签 {tag}：请去掉这个标签，直接写出内容")]


def test_tags_that_say_what_plain_yaml_says_are_kept_as_the_text() -> None:
    parsed = parse_yaml('标准号: !!str GB/T 1-2000\n发布日期: !!timestamp 2020-01-01\n页数: !!int 12\n名称: ! "x"\n')
    assert parsed.issues == []
    assert parsed.data == {"标准号": "GB/T 1-2000", "发布日期": "2020-01-01", "页数": "12", "名称": "x"}


@pytest.mark.parametrize(
    ("text", "where", "hint"),
    [
        ("标准号: A\n名称: 社区: 总则\n", (2, 7), "冒号后的文字里又有“: ”"),
        ("标准号: A\n名称：社区\n日期: 1\n", (2, 3), "这里用了中文冒号“：”"),
        ("标准号：A\n名称: 社区\n", (1, 4), "这里用了中文冒号“：”"),
        ("标准号: A\n来源:\n\t- 说明: x\n", (3, 1), "不能用 Tab 键缩进"),
        ('标准号: A\n名称: "社区\n', (3, 1), "引号没有成对闭合"),
        ("标准号: A\n名称: *别名\n", None, "YAML 语法错误"),
        ("标准号: A\n名称: *alias\n", (2, 5), "用到了未定义的 * 引用"),
        ("标准号: A\n来源:\n   - a\n  - b\n", (4, 3), "YAML 语法错误"),
    ],
    ids=["colon-in-text", "full-width-colon", "full-width-colon-first-line", "tab", "unclosed-quote",
         "bad-alias-name", "undefined-alias", "list-indent"],
)
def test_syntax_errors_become_one_positioned_chinese_issue(text, where, hint) -> None:
    parsed = parse_yaml(text)
    assert parsed.data is None
    assert len(parsed.issues) == 1
    issue = parsed.issues[0]
    assert issue.message.startswith("YAML 语法错误")
    assert hint in issue.message
    if where:
        assert (issue.line, issue.column) == where


def test_a_full_width_colon_inside_a_value_is_not_blamed_for_the_next_line() -> None:
    # Titles such as “第1部分：总则” are common; the error here is the second “: ” on line 3.
    text = "标准号: A\n名称: 社区服务 第1部分：总则\n日期: 2020-01-01: 上午\n"
    issue = parse_yaml(text).issues[0]
    assert (issue.line, issue.column) == locate(text, ": 上午")
    assert "中文冒号" not in issue.message


def test_a_byte_order_mark_is_not_part_of_the_first_key() -> None:
    parsed = parse_yaml("\ufeff标准号: A\n")
    assert parsed.data == {"标准号": "A"}


# --- libyaml and the pure-Python loader agree ------------------------------------------------------------


def _corpus() -> list[Path]:
    files = [*BUNDLED_DB.rglob("*.yaml"), *(TESTS / "cases").rglob("*.yaml"), *(TESTS / "hostile").rglob("*.yaml")]
    return sorted(files)


def test_libyaml_and_python_give_the_same_values_positions_and_issues(
        composer: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if composer != "libyaml":
        pytest.skip("compares the two composers once")
    texts = [TEXT, "标准号: A\n名称: 社区: 总则\n", "a: [1, {b: c}]\n? 复杂\n: 值\n",
             "- |\n  多行\n  文字\n- >\n  折叠\n"]
    for path in _corpus():
        try:
            texts.append(path.read_bytes().decode("utf-8-sig"))
        except UnicodeDecodeError:
            continue
    assert len(texts) > 200
    for text in texts:
        fast = parse_yaml(text)
        monkeypatch.setattr(yamlpos, "_CLoader", None)
        slow = parse_yaml(text)
        monkeypatch.setattr(yamlpos, "_CLoader", yaml.CSafeLoader)
        assert (fast.data, fast.key_pos, fast.value_pos, fast.issues) == (
            slow.data, slow.key_pos, slow.value_pos, slow.issues), text[:200]


# --- hostile text: problems, never exceptions -------------------------------------------------------------


def _nested(depth: int) -> str:
    return "a: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n"


def test_nesting_up_to_the_limit_is_read_and_one_more_level_is_refused() -> None:
    assert parse_yaml(_nested(MAX_DEPTH)).issues == []
    issues = parse_yaml(_nested(MAX_DEPTH + 1)).issues
    assert [(i.line, i.column) for i in issues] == [(1, 3 + MAX_DEPTH)]
    assert issues[0].message.startswith(f"嵌套超过 {MAX_DEPTH} 层")


@pytest.mark.parametrize("text", [
    "a: " + "[" * 1_000_000,                                   # crashes libyaml's recursive composer
    "a: " + "[" * 200_000 + "]" * 200_000,
    "a: " + "{b: " * 100_000 + "}" * 100_000,
    "- " * 300_000 + "x\n",
    "".join("  " * i + f"k{i}:\n" for i in range(2000)),
    "".join(" " * i + "- \n" for i in range(2000)),
], ids=["unclosed-brackets", "brackets", "braces", "dashes-on-one-line", "block-mappings", "block-sequences"])
def test_deep_nesting_is_one_issue_not_a_crash(text: str) -> None:
    parsed = parse_yaml(text)
    assert parsed.data is None
    assert len(parsed.issues) == 1
    assert parsed.issues[0].message.startswith(("嵌套超过", "YAML 语法错误"))


def test_a_value_over_the_length_limit_is_an_issue_at_the_value() -> None:
    assert parse_yaml("a: " + "字" * MAX_VALUE_CHARS + "\n").issues == []
    parsed = parse_yaml("a: b\nc: '" + "字" * (MAX_VALUE_CHARS + 1) + "'\n")
    assert [(i.line, i.column) for i in parsed.issues] == [(2, 4)]
    assert f"{MAX_VALUE_CHARS + 1} 个字符" in parsed.issues[0].message


def test_an_alias_bomb_is_refused_once_per_anchor() -> None:
    text = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for name, prev in zip("bcdefghi", "abcdefgh", strict=True):
        text += f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
    parsed = parse_yaml(text)
    assert [i.line for i in parsed.issues] == list(range(1, 9))
    assert {i.message for i in parsed.issues} == {"不支持 YAML 引用（& 与 *），请把内容直接写出"}
    assert parsed.data["i"] == [None] * 9


def test_forbidden_characters_are_reported_before_parsing() -> None:
    # U+0085 and U+2028 are line breaks to YAML; \x07 is an English reader error. None reaches the parser.
    parsed = parse_yaml("标准号: A\n名称: 社区\x85\n英文: a\u2028b\x07\n")
    assert parsed.data is None
    assert [(i.line, i.column, i.message.split(" ")[1]) for i in parsed.issues] == [
        (2, 7, "U+0085（下一行"), (3, 6, "U+2028（行分隔符），请删除"), (3, 8, "U+0007，请删除")]


def test_forbidden_characters_are_listed_up_to_ten_then_counted() -> None:
    issues = parse_yaml("a: " + "\x01" * 25 + "\n").issues
    assert len(issues) == 11
    assert issues[-1].column == 14 and "还有 15 个" in issues[-1].message


@pytest.mark.parametrize(("escape", "code"), [
    ("\\x85", "U+0085"), ("\\u202e", "U+202E"), ("\\a", "U+0007"), ("\\e", "U+001B"), ("\\0", "U+0000"),
    ("\\L", "U+2028"), ("\\P", "U+2029"), ("\\N", "U+0085"), ("\\ud800", "U+D800"), ("\\U0010FFFF", "U+10FFFF"),
    ("\\ufeff", "U+FEFF"),
])
def test_escapes_that_spell_a_forbidden_character_are_issues(escape: str, code: str) -> None:
    parsed = parse_yaml(f'名称: "社区{escape}服务"\n"键{escape}": x\n')
    assert [(i.line, i.column) for i in parsed.issues] == [(1, 5), (2, 1)]
    assert all(code in i.message and i.message.startswith("引号中的转义写出了") for i in parsed.issues)
    # Replaced, so that no later message prints the character to a terminal.
    assert parsed.data == {"名称": "社区\ufffd服务", "键\ufffd": "x"}


def test_escapes_of_allowed_characters_stay() -> None:
    parsed = parse_yaml('a: "x\\ty\\nz \\u00e9 \\u200d"\n')
    assert parsed.issues == []
    assert parsed.data == {"a": "x\ty\nz é \u200d"}


_BROKEN = ["中文标准名称: @测试", '备注: "\\q"', '中文标准名称: "测试"x', "中文标准名称: 甲\n...\n备注: 乙",
           "中文标准名称: 甲\n---\n备注: 乙", "中文标准名称: [甲", "中文标准名称: {甲", "备注: `甲`",
           "中文标准名称: 甲\n  备注: 乙", "- 甲\n中文标准名称: 乙", "中文标准名称: '甲"]


@pytest.mark.parametrize("line", _BROKEN)
def test_every_syntax_error_says_in_chinese_what_to_look_at(line: str) -> None:
    """PyYAML's own words stay in brackets for whoever knows them; before them, a Chinese sentence says what to fix."""
    issues = parse_yaml(f'标准号: "GB/T 1-2020"\n{line}\n').issues
    assert issues
    for issue in issues:
        said = issue.message.split("（", 1)[0]
        assert said.startswith("YAML 语法错误："), issue.message
        assert re.search("[\u4e00-\u9fff]{4}", said.removeprefix("YAML 语法错误：")), issue.message
