"""Check raw records against the fields table and each other; return typed standards and every problem.

Each check adds a Problem with the file, line and column of the value at fault and goes on: a maintainer sees
all that is wrong in one run. A record with an error is left out of the typed result.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .fields import FIELD_BY_KEY, FIELDS, Field
from .load import RawRecord
from .numbers import ascii_fold, number_key, parse_number, slug
from .problems import Problem, Severity, shown_path
from .records import Feedback, Source, Standard
from .search.similar import likely_duplicates
from .vocab import Vocabulary

__all__ = ["Checked", "check_across", "check_record", "validate"]

# re.ASCII throughout: \d is 0-9 only, so full-width and other scripts' digits get a message, not a pass.
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_LOOSE_DATE = re.compile(r"^(\d{4})\s*[./年-]\s*(\d{1,2})\s*[./月-]\s*(\d{1,2})\s*日?$", re.ASCII)
_CCS = re.compile(r"^[A-Z]\d{2}$", re.ASCII)
_ICS = re.compile(r"^\d{2}(\.\d{3}(\.\d{2})?)?$", re.ASCII)
_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")
_URL = re.compile(r"^https?://[^\s\"<>]+$")
_MAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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
    """One record file after the checks that look at it alone."""

    raw: RawRecord
    standard: Standard | None
    """The typed record when its number parses (with errors or not: the duplicate check counts it)."""
    problems: tuple[Problem, ...]
    valid: bool
    """No error of its own: it goes into the catalogue unless a check across records finds one."""


def validate(raws: list[RawRecord], vocab: Vocabulary) -> tuple[list[Standard], list[Problem]]:
    return check_across([check_record(raw, vocab) for raw in raws])


def check_record(raw: RawRecord, vocab: Vocabulary) -> Checked:
    """The checks of one record on its own; what it says depends only on the file and the vocabularies."""
    checker = _Checker(raw, vocab)
    standard = _check_record(checker)
    # A YAML issue (duplicate key, forbidden character, too long …) is an error the loader reported.
    valid = standard is not None and not raw.parsed.issues and not any(
        p.severity is Severity.ERROR for p in checker.problems)
    return Checked(raw, standard, tuple(checker.problems), valid)


def check_across(records: list[Checked]) -> tuple[list[Standard], list[Problem]]:
    """The valid standards, and every problem: each record's own and those across records (duplicates,
    references, likely duplicates)."""
    problems = [p for c in records for p in c.problems]
    numbered = [c.standard for c in records if c.standard is not None]
    standards = [c.standard for c in records if c.valid and c.standard is not None]
    positions = {c.raw.path: c.raw.parsed for c in records}

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
            values[field.attr] = _CONVERTERS[field.kind](c, field, data[field.key])
    number = _check_number(c, values.get("number"))
    if not values.get("title") and not values.get("title_en"):
        c.fail((), "缺少 中文标准名称（没有中文名称时至少填写 英文标准名称）")
    if number is None:
        return None
    _check_dates(c, values)
    _check_region(c, number, values)
    _check_categories(c, values)
    fields = {k: v for k, v in values.items() if v is not None}
    fields["number"] = number.text
    return Standard(path=c.raw.path, parsed_number=number, **fields)


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
        c.fail(("标准号",), f"标准号: 格式不对 \"{text}\"{_width_note(text)}{hint}")
        return None
    folder, expected = c.raw.path.parent.name, f"{slug(number.text)}.yaml"
    if folder != number.level.key:
        c.fail(("标准号",), f"标准号: {number.text} 是{number.level.name}，文件应放在 {number.level.key}/ 文件夹中")
    if c.raw.path.name != expected:
        c.fail(("标准号",), f"标准号: 与文件名不符，按标准号 {number.text} 文件应命名为 {expected}")
    if number.level.key == "local" and number.region_code is None:
        c.fail(("标准号",), f"标准号: 地方标准代号 {number.code} 应为 DB 加 2、4 或 6 位行政区划代码")
    return number


def _width_note(text: str) -> str:
    """Why a number or date that looks right is refused: its letters or digits are not ASCII."""
    return "（字母或数字是全角或其他文字的，请用半角）" if ascii_fold(text) != text else ""


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


# --- converters: one per field kind; each returns the typed value or None after reporting --------------


def _text(c: _Checker, field: Field, value: Any) -> str | None:
    if not isinstance(value, str):
        c.fail((field.key,), f"{field.key}: 应为一段文字，不是{_kind_name(value)}")
        return None
    return _one_line(c, field, (field.key,), value.strip()) or None


def _one_line(c: _Checker, field: Field, where: tuple[Any, ...], text: str) -> str:
    """The text, reported and joined into one line when a single-line field has a line break."""
    if field.multiline or not _LINE_BREAK.search(text):
        return text
    c.fail(where, f"{field.key}: 不能换行，请写成一行")
    return _LINE_BREAK.sub(" ", text)


def _texts(c: _Checker, field: Field, value: Any) -> tuple[str, ...] | None:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        c.fail((field.key,), f"{field.key}: 应为文字列表，不是{_kind_name(value)}")
        return None
    out = []
    for i, item in enumerate(items):
        if item is None:
            continue
        if not isinstance(item, str):
            c.fail((field.key, i), f"{field.key}: 第 {i + 1} 项应为一段文字，不是{_kind_name(item)}")
            continue
        if item.strip():
            out.append(_one_line(c, field, (field.key, i), item.strip()))
    return tuple(out)


def _date(c: _Checker, field: Field, value: Any) -> dt.date | None:
    text = _text(c, field, value)
    if text is None:
        return None
    match = _DATE.match(text)
    if not match:
        loose = _LOOSE_DATE.match(ascii_fold(text))
        hint = (f"，应写作 {int(loose[1]):04d}-{int(loose[2]):02d}-{int(loose[3]):02d}" if loose
                else "，应形如 2017-12-29")
        c.fail((field.key,), f"{field.key}: 日期格式不对 \"{text}\"{_width_note(text)}{hint}")
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        c.fail((field.key,), f"{field.key}: 不是有效日期 \"{text}\"")
        return None


def _choice(c: _Checker, field: Field, value: Any) -> str | None:
    text = _text(c, field, value)
    if text is not None and text not in field.choices:
        c.fail((field.key,), f"{field.key}: 应为 {'、'.join(field.choices)} 之一，不是 \"{text}\"")
        return None
    return text


def _numbers(c: _Checker, field: Field, value: Any) -> tuple[str, ...] | None:
    items = _texts(c, field, value)
    if items is None:
        return None
    out = []
    for i, text in enumerate(items):
        number, suggestion = parse_number(text)
        if number is None:
            hint = f"，应写作 {suggestion}" if suggestion else ""
            c.fail((field.key, i), f"{field.key}: \"{text}\" 不是有效的标准号{_width_note(text)}{hint}")
        else:
            out.append(number.text)
    return tuple(out)


def _url(c: _Checker, field: Field, value: Any) -> str | None:
    text = _text(c, field, value)
    if text is not None and not _URL.match(text):
        c.fail((field.key,), f"{field.key}: 应为以 http:// 或 https:// 开头的网址，不是 \"{text}\"")
        return None
    return text


def _pattern(pattern: re.Pattern[str], example: str) -> Callable[[_Checker, Field, Any], tuple[str, ...] | None]:
    def convert(c: _Checker, field: Field, value: Any) -> tuple[str, ...] | None:
        items = _texts(c, field, value)
        for i, code in enumerate(items or ()):
            if not pattern.match(code):
                c.fail((field.key, i), f"{field.key}: \"{code}\" 格式不对{_width_note(code)}，应形如 {example}")
        return items

    return convert


def _vocab_list(lookup: Callable[[Vocabulary, str], Any], what: str):
    def convert(c: _Checker, field: Field, value: Any) -> tuple[str, ...] | None:
        items = _texts(c, field, value)
        for i, name in enumerate(items or ()):
            if lookup(c.vocab, name) is None:
                c.fail((field.key, i), f"{field.key}: 未知的{what} \"{name}\"（见 standards/vocabularies/）")
        return items

    return convert


def _slot(c: _Checker, field: Field, value: Any) -> str | None:
    text = _text(c, field, value)
    if text is not None and text not in c.vocab.slots:
        choices = "、".join(c.vocab.slots)
        c.fail((field.key,), f"{field.key}: 应为 GB/T 43507 体系中的 {choices} 之一，不是 \"{text}\"")
        return None
    return text


def _region(c: _Checker, field: Field, value: Any) -> str | None:
    text = _text(c, field, value)
    if text is not None and text not in c.vocab.regions:
        c.fail((field.key,), f"{field.key}: 未知的行政区划代码 \"{text}\"，应为 6 位代码，如 370000")
        return None
    return text


def _sources(c: _Checker, field: Field, value: Any) -> tuple[Source, ...] | None:
    if not isinstance(value, list):
        c.fail((field.key,), f"{field.key}: 应为列表，每项写 链接 和/或 说明")
        return None
    out = []
    for i, entry in enumerate(value):
        if isinstance(entry, str):
            entry = {"链接": entry} if _URL.match(entry.strip()) else {"说明": entry}
        if not isinstance(entry, dict):
            c.fail((field.key, i), f"{field.key}: 第 {i + 1} 项应写 链接 和/或 说明")
            continue
        for key in entry:
            if key not in ("链接", "说明"):
                c.fail((field.key, i, key), f"{field.key}: 第 {i + 1} 项有未知字段 \"{key}\"，只能写 链接 和 说明")
        url, note = entry.get("链接"), entry.get("说明")
        if url is not None and not (isinstance(url, str) and _URL.match(url.strip())):
            c.fail((field.key, i, "链接"), f"{field.key}: 第 {i + 1} 项的链接应以 http:// 或 https:// 开头")
        elif url or note:
            out.append(Source(url.strip() if url else None, str(note).strip() if note else None))
    return tuple(out)


def _feedback(c: _Checker, field: Field, value: Any) -> Feedback | None:
    if not isinstance(value, dict) or len(value) != 1 or not set(value) <= {"邮箱", "链接"}:
        c.fail((field.key,), f"{field.key}: 应只写一项：邮箱: 地址 或 链接: 网址模板")
        return None
    mail, url = value.get("邮箱"), value.get("链接")
    if mail is not None and not (isinstance(mail, str) and _MAIL.match(mail.strip())):
        c.fail((field.key, "邮箱"), f"{field.key}: 邮箱地址格式不对 \"{mail}\"")
        return None
    if url is not None and not (isinstance(url, str) and _URL.match(url.strip())):
        c.fail((field.key, "链接"), f"{field.key}: 链接应以 http:// 或 https:// 开头")
        return None
    return Feedback(mail=mail.strip() if mail else None, url=url.strip() if url else None)


def _kind_name(value: Any) -> str:
    names: dict[type, str] = {dict: "“字段: 值”结构", list: "列表"}
    return names.get(type(value), "文字")


_CONVERTERS: dict[str, Callable[[_Checker, Field, Any], Any]] = {
    "text": _text,
    "texts": _texts,
    "date": _date,
    "choice": _choice,
    "numbers": _numbers,
    "url": _url,
    "ccs": _pattern(_CCS, "A12"),
    "ics": _pattern(_ICS, "03.080.30"),
    "domains": _vocab_list(Vocabulary.domain, "领域"),
    "categories": _vocab_list(Vocabulary.category, "大类"),
    "items": _vocab_list(Vocabulary.item, "服务项目"),
    "slot": _slot,
    "region": _region,
    "sources": _sources,
    "feedback": _feedback,
}


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
