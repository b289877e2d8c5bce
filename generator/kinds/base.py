"""What every field kind shares: the Kind interface, the regex sources, and the small text helpers.

A regex here is written once, as the *core* of a whole value, in the syntax Python's `re` and JSON Schema's
ECMA regexes read alike: `[0-9]`, not `\\d` (Python's matches every script's digits), no `\\Z`, no named groups.
The checker fullmatches the core against the value with its surrounding spaces taken off; the schema
allows those spaces around it (`schema_pattern`), as the checker does. `\\s` and `\\S` differ between the two
only on characters generator.chars forbids in every record.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Protocol

from ..fields import Field
from ..numbers import ascii_fold
from ..search.analyzer import HAN
from ..vocab import Vocabulary

URL = r'https?://[^\s"<>]+'
MAIL = r"[^@\s]+@[^@\s]+\.[^@\s]+"
ONE_LINE = r"(?:[^\r\n]*\S)?"
"""A text with no line break once the spaces around it are taken off."""
LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")
# Characters JSON leaves raw but YAML reads as line breaks or refuses in a stream.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def schema_pattern(core: str) -> str:
    return rf"^\s*(?:{core})\s*$"


class Context(Protocol):
    """Where a kind reports a problem with a value: the validator's record checker."""

    vocab: Vocabulary

    def fail(self, path: tuple[Any, ...], message: str) -> None: ...


class CellError(ValueError):
    """A spreadsheet cell that cannot become a field value; the message is the import report's reason."""


class Kind:
    """The rules of one kind of field. Values come in three forms: *plain* (what a record file holds: str,
    list, dict, None), *typed* (what the checker makes of it: str, date, tuple, Source …) and *exported*
    (JSON values)."""

    cell_lines = False
    """A spreadsheet cell of this kind may hold line breaks (they separate the items of a list)."""
    wraps = False
    """A spreadsheet cell of this kind may wrap its one line over several (`unwrapped` joins them). Not so for
    a body's name: 甲单位 and 乙单位 on two lines are two bodies, not 甲单位乙单位."""
    exported = True
    """A column of `stdportal export`."""
    table_type = "string"
    """The Frictionless Table Schema type of its CSV and XLSX column (generator.datapackage)."""

    def check(self, c: Context, field: Field, value: Any) -> Any:
        """The typed value of a plain one, or None after reporting every problem to `c`."""
        raise NotImplementedError

    def schema(self, field: Field) -> dict[str, Any]:
        """The JSON Schema of the value (without its description)."""
        raise NotImplementedError

    def cell(self, field: Field, cell: Any) -> Any:
        """A non-empty spreadsheet cell as a plain value (None when it holds nothing); CellError if it cannot be
        one. The checker still judges the value."""
        return cell_str(cell) or None

    def lines(self, field: Field, value: Any, indent: str = "  ") -> list[str]:
        """`key: value` lines of a non-empty plain value: text quoted, lists as block lists."""
        if isinstance(value, dict):
            return [f"{field.key}:", *(f"{indent}{k}: {quote(str(v))}" for k, v in value.items())]
        if isinstance(value, list):
            return [f"{field.key}:", *(line for item in value for line in self.item_lines(item, indent))]
        return [f"{field.key}: {self.scalar(value)}"]

    def item_lines(self, item: Any, indent: str) -> list[str]:
        return [f"{indent}-" if item is None else f"{indent}- {quote(str(item))}"]

    def scalar(self, value: Any) -> str:
        return quote(str(value))

    def plain(self, field: Field, value: Any) -> Any:
        """A comparison form of a non-empty plain value, however it is written."""
        return value.strip() if isinstance(value, str) else repr(value)

    def export(self, value: Any) -> Any:
        """A typed value as JSON."""
        return value.isoformat() if isinstance(value, dt.date) else value

    def csv(self, exported: Any) -> str:
        """An exported value as one CSV cell's text (before the formula guard)."""
        return "" if exported is None else str(exported)


def text(c: Context, field: Field, value: Any) -> str | None:
    """A one-value text, stripped; None (reported) when it is not text, None (silently) when empty."""
    if not isinstance(value, str):
        c.fail((field.key,), f"{field.key}: 应为一段文字，不是{kind_name(value)}")
        return None
    return one_line(c, field, (field.key,), value.strip()) or None


def one_line(c: Context, field: Field, where: tuple[Any, ...], value: str) -> str:
    """The text, reported and joined into one line when a single-line field has a line break; a multi-line
    field's line breaks all become LF."""
    if field.multiline:
        return lf(value)
    if not LINE_BREAK.search(value):
        return value
    c.fail(where, f"{field.key}: 不能换行，请写成一行")
    return LINE_BREAK.sub(" ", value)


def kind_name(value: Any) -> str:
    names: dict[type, str] = {dict: "“字段: 值”结构", list: "列表"}
    return names.get(type(value), "文字")


def width_note(value: str) -> str:
    """Why a number, date or code that looks right is refused: its letters or digits are not ASCII."""
    return "（字母或数字是全角或其他文字的，请用半角）" if ascii_fold(value) != value else ""


def cell_str(cell: Any) -> str:
    """A cell's text: whole floats without .0, dates as ISO dates, line breaks as LF, no spaces around."""
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return lf(str(cell)).strip()


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_GUARDED = (*_FORMULA_STARTS, "'")


def guard_formula(text: str) -> str:
    """A CSV cell a spreadsheet will not run: a leading ' before a text starting with = + - @ tab CR, and before
    one starting with ' itself, so that unguard_formula gives back exactly the text."""
    return "'" + text if text[:1] in _GUARDED else text


def unguard_formula(text: str) -> str:
    """The text guard_formula guarded: one leading ' taken off when a guarded character follows it."""
    return text[1:] if text[:1] == "'" and text[1:2] and text[1:2] in _GUARDED else text


CELL_UNITS = 32_767
"""The most text one spreadsheet cell holds, in UTF-16 code units (Excel's limit: a character beyond the
Basic Multilingual Plane, such as an emoji, counts two). XlsxWriter cuts a longer text short without a word."""


def cell_overflow(kind: Kind, typed: Any) -> int:
    """How many UTF-16 code units the cell of a typed value holds (the downloads' CSV and XLSX and the sheets
    `stdportal import` reads back) when that is more than CELL_UNITS; else 0."""
    cell = kind.csv(kind.export(typed))
    if len(cell) < CELL_UNITS // 2:  # each character is one or two units
        return 0
    units = len(guard_formula(cell).encode("utf-16-le")) // 2
    return units if units > CELL_UNITS else 0


def lf(text: str) -> str:
    """Every line break as LF: CRLF (Windows) and a lone CR (old Mac files, a YAML "\\r") alike, so that a text
    reads the same in every format it is written to (a CSV reader ends a row at a lone CR)."""
    return _LINE_ENDS.sub("\n", text)


_LINE_ENDS = re.compile(r"\r\n?")


def unwrapped(text: str) -> str:
    """A one-line value as a spreadsheet or Word cell may wrap it: a line break between two Chinese characters
    is the cell's layout and goes; one between two Latin words or numbers becomes a space, and so does one before
    the part's element of a name (第1部分：…), which the name spells after a space. A break between a Chinese and
    a Latin line stays (a cell can hold a Chinese and an English title): the importer refuses it."""
    return _WRAPPED_LATIN.sub(" ", _WRAPPED_CHINESE.sub("", _WRAPPED_SPACED.sub(" ", text)))


_WIDE = f"{HAN}\u3000-\u303f\uff00-\uffef"
"""Han characters and the punctuation set among them (、。《》（）): text that runs on without spaces."""
_WRAPPED_SPACED = re.compile(f"(?<=[{_WIDE}])[ \t\u3000]*\n[ \t\u3000]*(?=第[0-9０-９一二三四五六七八九十]+部分)")
"""A break before a part's element of a name (GB/T 1.1: 第1部分：…), which the name spells after a space."""
_WRAPPED_CHINESE = re.compile(f"(?<=[{_WIDE}])[ \t]*\n[ \t]*(?=[{_WIDE}])")
_WRAPPED_LATIN = re.compile(f"(?<=[^\\s{_WIDE}])[ \t]*\n[ \t]*(?=[^\\s{_WIDE}])")


def quote(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(value, ensure_ascii=False))


def string(pattern: str | None = None) -> dict[str, Any]:
    return {"type": "string", **({"pattern": schema_pattern(pattern)} if pattern else {})}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def is_empty(value: Any) -> bool:
    """A plain value that says nothing: the field reads as not known."""
    return value is None or value == "" or value == [] or value == {} or value == ()
