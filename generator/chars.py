"""Characters that have no business in a record, and where they stand.

A record is text a person reads. Control characters, line separators YAML and JavaScript read as line
breaks, Unicode noncharacters, byte order marks in mid-text, lone surrogates and the bidirectional controls
that make text display in another order than it is stored (the "Trojan Source" trick) all hide in what a
maintainer sees and can change what a browser does with the page. This module is the one definition of them:
the YAML reader checks every file with it, the importer and `stdportal new` check cell and argument text.

Tab, line feed and carriage return are allowed: YAML needs them. Zero-width joiners are allowed: emoji and
some scripts need them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["FORBIDDEN", "BadChar", "describe", "forbidden_chars", "has_forbidden", "text_problem"]

_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_SEPARATORS = "\u2028\u2029"
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVISIBLE = "\u200b\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb"
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
_SURROGATES = "\ud800-\udfff"

FORBIDDEN = re.compile(f"[{_CONTROL}{_SEPARATORS}{_BIDI}{_INVISIBLE}{_NONCHARACTERS}{_SURROGATES}]")
"""One forbidden character; search with it to test a text quickly."""

_NAMES = {
    "\x00": "空字符 NUL", "\x0b": "垂直制表符", "\x0c": "换页符", "\x1b": "转义符 ESC",
    "\x7f": "删除符 DEL", "\x85": "下一行 NEL",
    "\u2028": "行分隔符", "\u2029": "段落分隔符",
    "\u061c": "阿拉伯字母标记 ALM", "\u200e": "从左到右标记 LRM", "\u200f": "从右到左标记 RLM",
    "\u202a": "从左到右嵌入 LRE", "\u202b": "从右到左嵌入 RLE", "\u202c": "方向格式结束 PDF",
    "\u202d": "从左到右强制 LRO", "\u202e": "从右到左强制 RLO", "\u2066": "从左到右隔离 LRI",
    "\u2067": "从右到左隔离 RLI", "\u2068": "第一强方向隔离 FSI", "\u2069": "方向隔离结束 PDI",
    "\u200b": "零宽空格", "\u2060": "零宽不换行", "\ufeff": "字节顺序标记 BOM",
}


@dataclass(frozen=True)
class BadChar:
    """One forbidden character in a text: its offset, line and column (both from 1) and the character."""

    index: int
    line: int
    column: int
    char: str

    @property
    def code(self) -> str:
        return f"U+{ord(self.char):04X}"

    @property
    def message(self) -> str:
        """What a maintainer reads: `有不可见的控制字符 U+0085（下一行 NEL），请删除`."""
        return f"有{describe(self.char)}，请删除"


def describe(char: str) -> str:
    """A forbidden character in Chinese: its kind, code point and, for the common ones, its name."""
    code = ord(char)
    notes = [_NAMES[char]] if char in _NAMES else []
    if re.match(f"[{_BIDI}]", char):
        kind = "改变文字显示方向的控制字符"
        notes.append("会让文字倒序或错位显示")
    elif char in _SEPARATORS:
        kind = "特殊换行符"
    elif 0xD800 <= code <= 0xDFFF:
        kind = "无效的代理码位"
        notes.append("文字编码已损坏")
    elif re.match(f"[{_NONCHARACTERS}]", char):
        kind = "非字符"
        notes.append("Unicode 保留不用的码位")
    elif re.match(f"[{_INVISIBLE}]", char):
        kind = "不可见的格式字符"
    else:
        kind = "不可见的控制字符"
    note = f"（{'，'.join(notes)}）" if notes else ""
    return f"{kind} U+{code:04X}{note}"


def has_forbidden(text: str) -> bool:
    return FORBIDDEN.search(text) is not None


def forbidden_chars(text: str, *, bom_at_start: bool = False) -> list[BadChar]:
    """Every forbidden character of `text` with its place; [] for clean text.

    Lines are counted the way editors count them (LF, CRLF or CR ends a line), not the way YAML does: YAML
    also breaks lines at U+0085, U+2028 and U+2029, which are among the characters reported here.
    `bom_at_start` allows one byte order mark as the very first character, as a file may start with one.
    """
    found: list[BadChar] = []
    line, line_start, scanned = 1, 0, 0
    for match in FORBIDDEN.finditer(text):
        index = match.start()
        if index == 0 and bom_at_start and match.group() == "\ufeff":
            continue
        breaks = [m.end() for m in _BREAK.finditer(text, scanned, index)]
        if breaks:
            line, line_start = line + len(breaks), breaks[-1]
        scanned = index
        found.append(BadChar(index, line, index - line_start + 1, match.group()))
    return found


def text_problem(label: str, text: str) -> str | None:
    """For one-line input outside a file (a spreadsheet cell, a command argument): a Chinese message naming
    the first forbidden character and where it stands, or None for clean text.

    `text_problem("中文标准名称", "社区\u202e服务")` → `中文标准名称第 3 个字符处有改变文字显示方向的……，请删除`."""
    bad = forbidden_chars(text)
    if not bad:
        return None
    more = f"（共 {len(bad)} 处）" if len(bad) > 1 else ""
    return f"{label}第 {bad[0].index + 1} 个字符处{bad[0].message}{more}"


_BREAK = re.compile(r"\r\n|\r|\n")
