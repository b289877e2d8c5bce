"""Read YAML text into plain values plus the position of every key and value.

PyYAML's loaders keep the last of two equal keys and turn `2017-13-01` into an exception; a maintainer needs
both reported with a line and a column instead. So the text is only *composed* into nodes here, and the nodes
are walked by hand: every scalar stays a string (the validator gives it a type), duplicate keys are problems,
and positions are kept in a side table keyed by the path of the value, e.g. ("代替标准", 0).

Composing uses libyaml (`yaml.CSafeLoader`) when PyYAML was built with it: it is several times faster and
marks the same lines and columns. A text libyaml refuses is composed again by the pure-Python loader, whose
error strings the Chinese hints below are written for, so every message is the same with or without libyaml.

Hostile text gets problems too, never an exception: characters generator.chars forbids are reported before
parsing (the parser would give an English error for some and silently keep the others), nesting deeper than
MAX_DEPTH and values longer than MAX_VALUE_CHARS are refused, and aliases are refused (no alias bombs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .chars import FORBIDDEN, BadChar, describe, forbidden_chars

__all__ = ["MAX_DEPTH", "MAX_VALUE_CHARS", "Parsed", "Pos", "YamlIssue", "parse_yaml"]

MAX_DEPTH = 32
"""Nesting levels allowed; a record needs 3 (来源 → entry → 链接), a vocabulary 8."""
MAX_VALUE_CHARS = 20_000
"""Characters allowed in one value; the longest 适用范围 or 备注 of a real standard is far shorter."""
_LISTED_CHARS = 10
"""Forbidden characters listed one by one per text; the rest are counted in one more problem."""
_C_SAFE_DEPTH = 5_000
"""libyaml's composer recurses in C without a limit and crashes the interpreter near 100,000 levels. A text
whose nesting could exceed this (see _nesting_bound) goes to the depth-limited pure-Python composer instead."""
_CLoader = getattr(yaml, "CSafeLoader", None)

_YAML_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {
    yaml.ScalarNode: {f"{_YAML_TAG}{name}" for name in ("str", "null", "bool", "int", "float", "timestamp", "merge",
                                                        "value")} | {"!"},
    yaml.MappingNode: {f"{_YAML_TAG}map"},
    yaml.SequenceNode: {f"{_YAML_TAG}seq"},
}
"""The tags a node may carry: those YAML gives plain text, a list and a table by itself. A value is kept as the
text written whatever its tag says, so a tag that would make it something else (!!binary: base64 decoded to
bytes, !!set, !!omap, any !custom) is refused rather than silently read as its text."""

Pos = tuple[int, int]  # line, column; both from 1
Path = tuple[Any, ...]

_NULLS = {"", "~", "null", "Null", "NULL"}

_HINTS = {
    "mapping values are not allowed here": "冒号后的文字里又有“: ”，请给整段文字加上英文双引号",
    "could not find expected ':'": "这一行缺少“字段: 值”中的英文冒号，或缩进与上一行不一致",
    "found character '\\t' that cannot start any token": "不能用 Tab 键缩进，请改用空格",
    "found unexpected end of stream": "引号没有成对闭合",
    "did not find expected key": "缩进不一致，同一层的字段要左对齐",
    "found undefined alias": "用到了未定义的 * 引用",
    "expected <block end>, but found '-'": "列表项“- ”的缩进与上一项不一致",
    "expected <block end>, but found '<scalar>'": "引号后面还有文字，或缩进不对：请把整个值放在一对英文双引号里",
    "found character": "这个字符不能作为值的开头，请给整个值加上英文双引号",
    "found unknown escape character": "双引号里的反斜杠“\\”开始了无效的转义，请去掉反斜杠，或改用单引号",
    "expected '<document start>'": "一个文件只能写一项标准，“...”或“---”后面不能再有内容",
    "but found another document": "一个文件只能写一项标准，请删除“---”后面的另一份内容",
}
_GENERAL_HINT = "写法不对，请对照其他标准文件检查这一行的引号、冒号和缩进"
"""For a problem with no hint of its own: every message says in Chinese what to look at."""


@dataclass(frozen=True)
class YamlIssue:
    line: int
    column: int
    message: str


@dataclass
class Parsed:
    """The document as plain Python values, with where each key and value stands."""

    data: Any
    key_pos: dict[Path, Pos] = field(default_factory=dict)
    value_pos: dict[Path, Pos] = field(default_factory=dict)
    issues: list[YamlIssue] = field(default_factory=list)

    def pos(self, path: Path) -> Pos:
        """Where the value at `path` stands, else its key, else its nearest parent, else line 1."""
        while True:
            if path in self.value_pos:
                return self.value_pos[path]
            if path in self.key_pos:
                return self.key_pos[path]
            if not path:
                return (1, 1)
            path = path[:-1]


def parse_yaml(text: str) -> Parsed:
    """Compose `text` and walk it; forbidden characters and syntax errors come back as issues, never as
    exceptions. A byte order mark may start the text."""
    bad = forbidden_chars(text, bom_at_start=True)
    if bad:
        return Parsed(None, issues=_char_issues(bad))
    try:
        node = _compose(text)
        parsed = Parsed(None)
        if node is not None:
            parsed.data = _walk(node, (), parsed, {})
        return parsed
    except _TooDeep as exc:
        line, col = _mark(exc.node) if exc.node is not None else (1, 1)
        message = f"嵌套超过 {MAX_DEPTH} 层，请检查括号 [ ] {{ }} 是否成对、缩进是否正确"
        return Parsed(None, issues=[YamlIssue(line, col, message)])
    except yaml.MarkedYAMLError as exc:
        return Parsed(None, issues=[_syntax_issue(exc, text)])
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML parse error carries a mark
        return Parsed(None, issues=[YamlIssue(1, 1, f"YAML 语法错误：{exc}")])


def _compose(text: str) -> yaml.Node | None:
    if _CLoader is not None and _nesting_bound(text) <= _C_SAFE_DEPTH:
        try:
            return yaml.compose(text, Loader=_CLoader)
        except yaml.YAMLError:
            pass  # composed again below, for the messages the hints are written for
    return yaml.compose(text, Loader=_DepthLimitedLoader)


def _nesting_bound(text: str) -> int:
    """An upper bound of the nesting depth: every collection needs an indicator of its own ([ { - : ?)."""
    return sum(text.count(c) for c in "[{-:?")


class _TooDeep(yaml.YAMLError):
    def __init__(self, node: yaml.Node | None) -> None:
        super().__init__("too deep")
        self.node = node


class _DepthLimitedLoader(yaml.SafeLoader):
    """The pure-Python composer, which recurses once per level, stopped at MAX_DEPTH."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                event = self.peek_event()
                raise _TooDeep(yaml.ScalarNode("", "", event.start_mark, event.end_mark))
            return super().compose_node(parent, index)  # type: ignore[no-untyped-call]
        finally:
            self._depth -= 1


def _char_issues(bad: list[BadChar]) -> list[YamlIssue]:
    issues = [YamlIssue(b.line, b.column, b.message) for b in bad[:_LISTED_CHARS]]
    if len(bad) > _LISTED_CHARS:
        more = bad[_LISTED_CHARS]
        issues.append(YamlIssue(more.line, more.column,
                                f"从这里起还有 {len(bad) - _LISTED_CHARS} 个同类的不该出现的字符，请一并删除"))
    return issues


def _walk(node: yaml.Node, path: Path, parsed: Parsed, seen: dict[int, bool]) -> Any:
    # An alias (*name) makes the composer hand back a node already seen: refuse it, which also stops
    # self-referencing and exponentially nested documents.
    if id(node) in seen:
        if not seen[id(node)]:  # once per anchor: an alias bomb repeats the same alias many times
            line, col = _mark(node)
            parsed.issues.append(YamlIssue(line, col, "不支持 YAML 引用（& 与 *），请把内容直接写出"))
            seen[id(node)] = True
        return None
    seen[id(node)] = False  # seen, its aliases not reported yet
    if len(path) >= MAX_DEPTH:
        raise _TooDeep(node)
    parsed.value_pos[path] = _mark(node)
    if node.tag not in _PLAIN_TAGS[type(node)]:
        line, col = _mark(node)
        tag = node.tag.replace(_YAML_TAG, "!!", 1)
        parsed.issues.append(YamlIssue(line, col, f"不支持的 YAML 标签 {tag}：请去掉这个标签，直接写出内容"))
        return None
    if isinstance(node, yaml.MappingNode):
        return _walk_mapping(node, path, parsed, seen)
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, (*path, i), parsed, seen) for i, item in enumerate(node.value)]
    return _scalar(node, parsed)


def _walk_mapping(node: yaml.MappingNode, path: Path, parsed: Parsed, seen: dict[int, bool]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        line, col = _mark(key_node)
        if not isinstance(key_node, yaml.ScalarNode):
            parsed.issues.append(YamlIssue(line, col, "字段名必须是一段文字"))
            continue
        key = _checked_text(key_node, str(key_node.value), parsed).strip()
        key_path = (*path, key)  # built apart: mypy misreads `x[(*a, b)]` as 3.11-only `x[*a, b]`
        if key in out:
            first = parsed.key_pos[key_path]
            parsed.issues.append(YamlIssue(line, col, f"{key}: 字段重复（第 {first[0]} 行已经写过），请只保留一个"))
            continue
        parsed.key_pos[key_path] = (line, col)
        out[key] = _walk(value_node, (*path, key), parsed, seen)
    return out


def _scalar(node: yaml.Node, parsed: Parsed) -> str | None:
    value = str(node.value)
    if not node.style and value.strip() in _NULLS:  # plain: None from PyYAML, "" from libyaml
        return None
    return _checked_text(node, value, parsed)


def _checked_text(node: yaml.Node, value: str, parsed: Parsed) -> str:
    r"""The scalar's text after reporting what no value may hold: a length over the limit, or a forbidden
    character spelled with an escape (\x85, \u202e …; only double quotes have escapes). Such characters are
    replaced by U+FFFD so that no later message prints them to a terminal."""
    if len(value) > MAX_VALUE_CHARS:
        line, col = _mark(node)
        message = f"内容过长（{len(value)} 个字符），一项最多 {MAX_VALUE_CHARS} 个字符，请检查是否误粘贴了其他内容"
        parsed.issues.append(YamlIssue(line, col, message))
    found = FORBIDDEN.search(value) if node.style == '"' else None
    if found:
        line, col = _mark(node)
        parsed.issues.append(YamlIssue(line, col, f"引号中的转义写出了{describe(found.group())}，请删除"))
        value = FORBIDDEN.sub("\ufffd", value)
    return value


def _mark(node: yaml.Node) -> Pos:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _syntax_issue(exc: yaml.MarkedYAMLError, text: str) -> YamlIssue:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or exc.context or "无法解析"
    # Some problems end with the name at fault ("found undefined alias 'x'"): match on the start.
    hint = next((h for start, h in _HINTS.items() if problem.startswith(start)), "")
    colon_line = _full_width_colon_line(text, line)
    if colon_line and "\\t" not in problem:
        line, col = colon_line, text.splitlines()[colon_line - 1].index("：") + 1
        hint = "字段名后应使用英文冒号加空格“: ”，这里用了中文冒号“：”"
    message = f"YAML 语法错误：{hint or _GENERAL_HINT}（{problem}）"
    return YamlIssue(line, col, message)


def _full_width_colon_line(text: str, line: int) -> int | None:
    """The line at or just above an error that uses a full-width colon, the commonest typo with a Chinese IME."""
    lines = text.splitlines()
    for candidate in (line, line - 1):
        if 0 < candidate <= len(lines):
            # Only a full-width colon where the key ends; `名称: 第1部分：总则` is a value with a colon.
            before, colon, _ = lines[candidate - 1].split("#")[0].partition("：")
            if colon and ":" not in before:
                return candidate
    return None
