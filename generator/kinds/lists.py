"""Kinds of a list of texts: texts, numbers, ccs, ics, domains, categories, items.

A record may give a single text where a list is meant (a list of one). A spreadsheet cell holds the list in
one text: items separated by ；; 、 or line breaks (codes also by commas and spaces), as officials write them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from ..fields import Field
from ..numbers import NUMBER_PATTERN, parse_number, read_number
from ..vocab import Vocabulary
from .base import ONE_LINE, Context, Kind, cell_str, kind_name, nullable, one_line, string, width_note

__all__ = ["CCS", "ICS", "NUMBER", "Codes", "Numbers", "Texts", "VocabList"]

NUMBER = re.sub(r"\(\?P<\w+>", "(?:", NUMBER_PATTERN)
"""A canonical standard number (generator.numbers) without its group names, which ECMA spells otherwise."""
CCS = r"[A-Z][0-9]{2}"
ICS = r"[0-9]{2}(?:\.[0-9]{3}(?:\.[0-9]{2})?)?"
_SPLIT = re.compile(r"[；;、\r\n]+")
_NUMBER_SPLIT = re.compile(r"[；;、，,\r\n]+")
_CODE_SPLIT = re.compile(r"[；;、，,\s]+")


def list_of(item: dict[str, Any]) -> dict[str, Any]:
    """A list, or a single value standing for a list of one (the checker accepts both)."""
    return {"anyOf": [{"type": "array", "items": nullable(item)}, item, {"type": "null"}]}


class Texts(Kind):
    cell_lines = True
    item_pattern: str | None = ONE_LINE

    def check(self, c: Context, field: Field, value: Any) -> tuple[str, ...] | None:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            c.fail((field.key,), f"{field.key}: 应为文字列表，不是{kind_name(value)}")
            return None
        out = []
        for i, item in enumerate(items):
            if item is None:
                continue
            if not isinstance(item, str):
                c.fail((field.key, i), f"{field.key}: 第 {i + 1} 项应为一段文字，不是{kind_name(item)}")
                continue
            if item.strip():
                out.append(one_line(c, field, (field.key, i), item.strip()))
        return tuple(out)

    def schema(self, field: Field) -> dict[str, Any]:
        return list_of(string(self.item_pattern))

    def cell(self, field: Field, cell: Any) -> list[str] | None:
        return [self.cell_item(p.strip()) for p in self.split(cell_str(cell)) if p.strip()] or None

    def split(self, text: str) -> list[str]:
        return _SPLIT.split(text)

    def cell_item(self, text: str) -> str:
        return text

    def plain(self, field: Field, value: Any) -> Any:
        if not isinstance(value, (list, str)):
            return repr(value)
        items = [value] if isinstance(value, str) else value
        texts = [str(i).strip() for i in items if i is not None and str(i).strip()]
        return tuple(self.cell_item(t) for t in texts) or None

    def export(self, value: Any) -> Any:
        return list(value)

    def csv(self, exported: Any) -> str:
        return "；".join(str(v) for v in exported or ())


class Numbers(Texts):
    item_pattern = NUMBER

    def check(self, c: Context, field: Field, value: Any) -> tuple[str, ...] | None:
        items = super().check(c, field, value)
        if items is None:
            return None
        out = []
        for i, given in enumerate(items):
            number, suggestion = parse_number(given)
            if number is None:
                hint = f"，应写作 {suggestion}" if suggestion else ""
                c.fail((field.key, i), f"{field.key}: \"{given}\" 不是有效的标准号{width_note(given)}{hint}")
            else:
                out.append(number.text)
        return tuple(out)

    def split(self, text: str) -> list[str]:
        parts = _NUMBER_SPLIT.split(unicodedata.normalize("NFKC", text))
        return [number for part in parts for number in _spaced_numbers(part) or [part]]

    def cell_item(self, text: str) -> str:
        """The canonical spelling of a recognisable number; anything else as given (the checker says)."""
        number, suggestion = parse_number(text)
        return number.text if number else (suggestion or text)


class Codes(Texts):
    """Classification codes of one pattern (CCS A12, ICS 03.080.30)."""

    def __init__(self, pattern: str, example: str) -> None:
        self.pattern = self.item_pattern = pattern
        self.example = example

    def check(self, c: Context, field: Field, value: Any) -> tuple[str, ...] | None:
        items = super().check(c, field, value)
        for i, code in enumerate(items or ()):
            if not re.fullmatch(self.pattern, code):
                c.fail((field.key, i), f"{field.key}: \"{code}\" 格式不对{width_note(code)}，应形如 {self.example}")
        return items

    def split(self, text: str) -> list[str]:
        return _CODE_SPLIT.split(unicodedata.normalize("NFKC", text))

    def cell(self, field: Field, cell: Any) -> list[str] | None:
        return [p.upper() for p in super().cell(field, cell) or ()] or None


class VocabList(Texts):
    """Names from a vocabulary of the database, which the schema cannot know."""

    def __init__(self, lookup: Callable[[Vocabulary, str], Any], what: str) -> None:
        self.lookup = lookup
        self.what = what

    def check(self, c: Context, field: Field, value: Any) -> tuple[str, ...] | None:
        items = super().check(c, field, value)
        for i, name in enumerate(items or ()):
            if self.lookup(c.vocab, name) is None:
                c.fail((field.key, i), f"{field.key}: 未知的{self.what} \"{name}\"（见 standards/vocabularies/）")
        return items


def _spaced_numbers(text: str) -> list[str] | None:
    """Numbers a cell separates by spaces only (`GB 50003-2011 GB 50203-2011`), when the text is no number as a
    whole and every piece is one: a piece starts at a word beginning with a letter after a word with a digit."""
    words = text.split()
    if len(words) < 2 or read_number(text) is not None:
        return None
    pieces: list[list[str]] = [[]]
    for word in words:
        if pieces[-1] and word[:1].isalpha() and any(ch.isdigit() for w in pieces[-1] for ch in w):
            pieces.append([])
        pieces[-1].append(word)
    numbers = [" ".join(piece) for piece in pieces]
    return numbers if len(numbers) > 1 and all(read_number(n) is not None for n in numbers) else None
