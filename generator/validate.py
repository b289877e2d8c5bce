"""Check raw records against the fields table and each other; return typed standards and every problem.

Each check adds a Problem with the file, line and column of the value at fault and goes on: a maintainer sees
all that is wrong in one run. A record with an error is left out of the typed result.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .fields import FIELD_BY_KEY, FIELDS, Field
from .kinds import CELL_UNITS, Kind, cell_overflow, kind_of, width_note
from .load import RawRecord
from .numbers import number_key, parse_number, read_number, slug
from .problems import Problem, Severity, shown_path
from .records import Standard
from .search.similar import likely_duplicates
from .vocab import Vocabulary
from .yamlpos import Parsed

__all__ = ["Checked", "check_across", "check_record", "validate"]


class _Checker:
    """Checks one record, collecting problems against its positions."""

    def __init__(self, raw: RawRecord, vocab: Vocabulary) -> None:
        self.raw = raw
        self.vocab = vocab
        self.problems: list[Problem] = []

    def fail(self, path: tuple[Any, ...], message: str, severity: Severity = Severity.ERROR) -> None:
        line, column = self.raw.parsed.pos(path)
        self.problems.append(Problem(self.raw.path, line, column, message, severity))

    def fail_key(self, key: str, message: str) -> None:
        line, column = self.raw.parsed.key_pos.get((key,), (1, 1))
        self.problems.append(Problem(self.raw.path, line, column, message))


@dataclass(frozen=True)
class Checked:
    """One record file after the checks that look at it alone. It keeps no parse tree, only the positions the
    checks across records may need (at 100,000 records the trees were most of the memory a build held; positions
    are for messages)."""

    path: Path
    standard: Standard | None
    """The typed record when its number parses (with errors or not: the duplicate check counts it)."""
    problems: tuple[Problem, ...]
    valid: bool
    """No error of its own: it goes into the catalogue unless a check across records finds one."""
    positions: Parsed
    """Where the fields the checks across records speak of stand (`_ACROSS`), without values."""


_ACROSS = frozenset({"标准号", "中文标准名称", "代替标准", "被代替标准"})
"""The fields a check across records points at (duplicates, references, likely duplicates)."""


def _across_positions(parsed: Parsed) -> Parsed:
    def kept(positions: dict[tuple[Any, ...], tuple[int, int]]) -> dict[tuple[Any, ...], tuple[int, int]]:
        return {path: pos for path, pos in positions.items() if not path or path[0] in _ACROSS}

    return Parsed(None, kept(parsed.key_pos), kept(parsed.value_pos))


def validate(raws: list[RawRecord], vocab: Vocabulary) -> tuple[list[Standard], list[Problem]]:
    return check_across([check_record(raw, vocab) for raw in raws])


def check_record(raw: RawRecord, vocab: Vocabulary) -> Checked:
    """The checks of one record on its own; what it says depends only on the file and the vocabularies."""
    checker = _Checker(raw, vocab)
    standard = _check_record(checker)
    # A YAML issue (duplicate key, forbidden character, too long …) is an error the loader reported.
    valid = standard is not None and not raw.parsed.issues and not any(
        p.severity is Severity.ERROR for p in checker.problems)
    return Checked(raw.path, standard, tuple(checker.problems), valid, _across_positions(raw.parsed))


def check_across(records: list[Checked]) -> tuple[list[Standard], list[Problem]]:
    """The valid standards, and every problem: each record's own and those across records (duplicates,
    references, likely duplicates)."""
    problems = [p for c in records for p in c.problems]
    numbered = [c.standard for c in records if c.standard is not None]
    standards = [c.standard for c in records if c.valid and c.standard is not None]
    positions = {c.path: c.positions for c in records}

    def at(standard: Standard, where: tuple[Any, ...], message: str, severity: Severity = Severity.ERROR) -> Problem:
        line, column = positions[standard.path].pos(where)
        return Problem(standard.path, line, column, message, severity)

    problems.extend(_check_duplicates(numbered, at))
    problems.extend(_check_references(standards, at))
    problems.extend(likely_duplicates(standards, at))
    return standards, problems


def _check_record(c: _Checker) -> Standard | None:
    data = c.raw.parsed.data
    if not isinstance(data, dict):
        c.fail((), "文件内容应为“字段: 值”的形式（每行一个字段，英文冒号后加空格）")
        return None
    for key in data:
        if key not in FIELD_BY_KEY:
            c.fail_key(key, _unknown_field_message(key))
    values: dict[str, Any] = {}
    for field in FIELDS:
        if data.get(field.key) is not None:
            kind = kind_of(field)
            values[field.attr] = kind.check(c, field, data[field.key])
            if values[field.attr] is not None and kind.exported:
                _check_cell(c, field, kind, values[field.attr])
    number = _check_number(c, values.get("number"))
    if not values.get("title") and not values.get("title_en"):
        c.fail((), "缺少 中文标准名称（没有中文名称时至少填写 英文标准名称）")
    if number is None:
        return None
    _check_source_number(c, number, values)
    _check_dates(c, values)
    _check_region(c, number, values)
    _check_categories(c, values)
    fields = {k: v for k, v in values.items() if v is not None}
    fields["number"] = number.text
    return Standard(path=c.raw.path, parsed_number=number, **fields)


def _check_cell(c: _Checker, field: Field, kind: Kind, typed: Any) -> None:
    """A field fits in one spreadsheet cell: the downloads' XLSX and the sheets maintainers import hold it whole."""
    units = cell_overflow(kind, typed)
    if units:
        what = "各项合起来" if isinstance(typed, tuple | list) else "内容"
        c.fail((field.key,), f"{field.key}: {what}过长，写进表格的一格有 {units} 个字符，Excel 每格最多 "
                             f"{CELL_UNITS} 个（表情等符号每个算 2 个），请删减")


def _unknown_field_message(key: str) -> str:
    close = difflib.get_close_matches(key, FIELD_BY_KEY, n=1, cutoff=0.4)
    hint = f"，是不是“{close[0]}”？" if close else "；可用字段见维护指南"
    return f"{key}: 未知字段{hint}"


def _check_number(c: _Checker, text: str | None):  # -> StdNumber | None
    if not text:
        c.fail((), "缺少必填字段 标准号")
        return None
    number, suggestion = parse_number(text)
    if number is None:
        hint = f"，应写作 {suggestion}" if suggestion else "，应形如 GB/T 35796-2017、MZ/T 133-2019 或 DB37/T 4591-2023"
        c.fail(("标准号",), f"标准号: 格式不对 \"{text}\"{width_note(text)}{hint}")
        return None
    folder, expected = c.raw.path.parent.name, f"{slug(number.text)}.yaml"
    if folder != number.level.key:
        c.fail(("标准号",), f"标准号: {number.text} 是{number.level.name}，文件应放在 {number.level.key}/ 文件夹中")
    if c.raw.path.name != expected:
        c.fail(("标准号",), f"标准号: 与文件名不符，按标准号 {number.text} 文件应命名为 {expected}")
    if number.level.key == "local" and number.region_code is None:
        c.fail(("标准号",), f"标准号: 地方标准代号 {number.code} 应为 DB 加 2、4 或 6 位行政区划代码")
    return number


def _check_source_number(c: _Checker, number, values: dict[str, Any]) -> None:
    """原文标准号 is another spelling of this record's own number, not of some other standard."""
    given = values.get("source_number")
    read = read_number(given) if given else None
    if read is not None and read.text != number.text:
        c.fail(("原文标准号",), f"原文标准号: \"{given}\" 是 {read.text}，与标准号 {number.text} 不是同一标准")


def _check_dates(c: _Checker, values: dict[str, Any]) -> None:
    issued, effective, withdrawn = values.get("issued"), values.get("effective"), values.get("withdrawn")
    if issued and effective and effective < issued:
        c.fail(("实施日期",), f"实施日期: {effective} 早于发布日期 {issued}")
    if effective and withdrawn and withdrawn < effective:
        c.fail(("废止日期",), f"废止日期: {withdrawn} 早于实施日期 {effective}")


def _check_region(c: _Checker, number, values: dict[str, Any]) -> None:
    derived = number.region_code
    if number.level.key != "local":
        if values.get("region"):
            c.fail(("地区",), "地区: 只有地方标准填写地区")
        return
    if derived and derived not in c.vocab.regions:
        c.fail(("标准号",), f"标准号: 代号 {number.code} 对应的行政区划 {derived} 不存在")
        return
    given = values.get("region")
    if given and derived and given != derived:
        name = c.vocab.regions[derived].name if derived in c.vocab.regions else derived
        c.fail(("地区",), f"地区: {given} 与标准号的代号 {number.code}（{derived} {name}）不符")
    values["region"] = given or derived


def _check_categories(c: _Checker, values: dict[str, Any]) -> None:
    """A category must sit in one of the record's domains; with no domain given, its categories' are taken."""
    if not values.get("domains") and values.get("categories"):
        found = [c.vocab.category(name) for name in values["categories"]]
        values["domains"] = tuple(dict.fromkeys(cat.domain for cat in found if cat))
    domains = set(values.get("domains") or ())
    for i, name in enumerate(values.get("categories") or ()):
        category = c.vocab.category(name)
        if category and domains and category.domain not in domains:
            c.fail(("类别", i), f"类别: “{name}”属于领域“{category.domain}”，请在 领域 中也填上它")


# --- across records -----------------------------------------------------------------------------------


_At = Callable[..., Problem]


def _check_duplicates(standards: list[Standard], at: _At) -> list[Problem]:
    seen: dict[str, Standard] = {}
    problems = []
    for standard in sorted(standards, key=lambda s: str(s.path)):
        key = number_key(standard.number)
        if key in seen:
            first = seen[key]
            problems.append(at(standard, ("标准号",), f"标准号: {standard.number} 与 {shown_path(first.path)} 重复"))
        else:
            seen[key] = standard
    return problems




def _check_references(standards: list[Standard], at: _At) -> list[Problem]:
    known = {number_key(s.number) for s in standards}
    problems = []
    for standard in standards:
        for label, refs in (("代替标准", standard.replaces), ("被代替标准", standard.replaced_by_stated)):
            for i, ref in enumerate(refs):
                if number_key(ref) == number_key(standard.number):
                    problems.append(at(standard, (label, i), f"{label}: 不能引用本标准自己 {ref}"))
                elif number_key(ref) not in known:
                    message = f"{label}: {ref} 未收录于数据库，页面上不会链接到它"
                    problems.append(at(standard, (label, i), message, Severity.NOTICE))
    return problems
