"""generator.chars: which characters a record may not hold, and where a maintainer finds them."""

from __future__ import annotations

import unicodedata

import pytest

from generator.chars import describe, forbidden_chars, has_forbidden, text_problem

# One or more of each class the module refuses, named by what it is.
FORBIDDEN_SAMPLES = {
    "C0 controls": ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f"],
    "DEL": ["\x7f"],
    "C1 controls": ["\x80", "\x85", "\x9b", "\x9f"],
    "line and paragraph separators": ["\u2028", "\u2029"],
    "bidi embeddings, overrides, isolates and marks": [
        "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
        "\u200e", "\u200f", "\u061c"],
    "noncharacters": ["\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0001ffff", "\U0010fffe",
                      "\U0010ffff"],
    "byte order mark": ["\ufeff"],
    "invisible format characters": ["\u200b", "\u2060", "\u2064", "\ufff9"],
    "lone surrogates": ["\ud800", "\udbff", "\udc00", "\udfff"],
}
ALLOWED = ["\t", "\n", "\r", " ", "\u3000", "\u00a0", "\u200c", "\u200d", "é", "社", "Ａ", "٣", "\ue000", "😀",
           "\ufffd", "\ufdcf", "\ufdf0", "\U0001fffd"]


@pytest.mark.parametrize(("kind", "char"), [(k, c) for k, cs in FORBIDDEN_SAMPLES.items() for c in cs])
def test_every_class_is_refused_with_its_code_point(kind: str, char: str) -> None:
    text = f"社区{char}服务"
    found = forbidden_chars(text)
    assert [(b.index, b.line, b.column, b.char) for b in found] == [(2, 1, 3, char)], kind
    assert found[0].code == f"U+{ord(char):04X}"
    assert found[0].code in found[0].message and found[0].message.endswith("，请删除")
    assert has_forbidden(text)


@pytest.mark.parametrize("char", ALLOWED)
def test_text_people_write_is_allowed(char: str) -> None:
    assert forbidden_chars(f"社区{char}服务") == []
    assert not has_forbidden(char)


def test_every_noncharacter_of_every_plane_is_refused() -> None:
    nonchars = [chr(c) for c in range(0xFDD0, 0xFDF0)]
    nonchars += [chr(plane * 0x10000 + low) for plane in range(17) for low in (0xFFFE, 0xFFFF)]
    assert all(has_forbidden(c) for c in nonchars)
    assert len(forbidden_chars("".join(nonchars))) == 66


def test_every_c0_and_c1_control_but_tab_lf_cr_is_refused() -> None:
    controls = [chr(c) for c in range(0x100) if unicodedata.category(chr(c)) == "Cc"]
    assert [c for c in controls if not has_forbidden(c)] == ["\t", "\n", "\r"]


def test_lines_and_columns_count_lf_crlf_and_cr_as_editors_do() -> None:
    text = "a\r\nbb\x07\rc\nd\u202e\n\n  \x85"
    assert [(b.line, b.column) for b in forbidden_chars(text)] == [(2, 3), (4, 2), (6, 3)]


def test_a_byte_order_mark_may_start_a_file_only() -> None:
    assert forbidden_chars("\ufeffa: b", bom_at_start=True) == []
    assert [b.index for b in forbidden_chars("\ufeffa\ufeff", bom_at_start=True)] == [2]
    assert [b.index for b in forbidden_chars("\ufeffa")] == [0]


def test_describe_names_the_kind_in_chinese() -> None:
    assert describe("\u202e") == "改变文字显示方向的控制字符 U+202E（从右到左强制 RLO，会让文字倒序或错位显示）"
    assert describe("\x85") == "不可见的控制字符 U+0085（下一行 NEL）"
    assert describe("\u2028") == "特殊换行符 U+2028（行分隔符）"
    assert describe("\ud800").startswith("无效的代理码位 U+D800")
    assert describe("\U0010ffff").startswith("非字符 U+10FFFF")


def test_text_problem_for_cells_and_arguments() -> None:
    assert text_problem("中文标准名称", "社区服务指南") is None
    message = text_problem("中文标准名称", "社区\u202e服务\x07")
    assert message is not None
    assert message.startswith("中文标准名称第 3 个字符处有改变文字显示方向的控制字符 U+202E")
    assert message.endswith("请删除（共 2 处）")
