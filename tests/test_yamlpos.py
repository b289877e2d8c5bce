"""Positioned YAML: plain values, the line and column of every key and value, problems instead of exceptions."""

from __future__ import annotations

import pytest

from generator.yamlpos import parse_yaml

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
