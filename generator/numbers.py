"""Standard numbers: parse `GB/T 35796-2017`, tell its level, its region and its file name.

A number has a code (GB, MZ, DB37, DB3211 …), an optional kind after a slash (/T recommended, /Z guidance,
/J for some broadcasting standards), a serial (35796, 31596.1), a year (2017, or two digits on old standards)
and, rarely, an edition remark `(2019年版)`. Maintainers type numbers in many spellings; `number_key` folds
them so that `gbt35796—2017` and `GB/T 35796-2017` are recognised as the same standard.

Only ASCII letters and digits make a canonical number. Full-width forms (`ＧＢ／Ｔ ３５７９６-２０１７`) and
other scripts' decimal digits (Arabic-Indic `٣٥٧٩٦`) are folded to ASCII by `ascii_fold`: `parse_number`
suggests the ASCII spelling for them and `number_key` compares them equal, so such a number can never become a
second page beside the ASCII one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["LEVELS", "NUMBER_PATTERN", "Level", "StdNumber", "ascii_fold", "number_key", "parse_number", "slug"]

NUMBER_PATTERN = (
    r"(?!GBT[ /])(?P<code>[A-Z]{1,6}[0-9]{0,6})(?:/(?P<kind>[TZJ]))? (?P<serial>[0-9]+(?:\.[0-9]+)*)"
    r"-(?P<year>[0-9]{4}|[0-9]{2})(?:\((?P<edition>[0-9]{4}年版)\))?"
)
"""A canonical number, whole. [0-9], not \\d, so that `３５７９６` is not canonical; written in the syntax
Python's and JSON Schema's (ECMA) regexes share but for the group names (generator.kinds drops them).
GBT is GB/T with the slash left out: parse_number suggests GB/T."""
_CANONICAL = re.compile(NUMBER_PATTERN)
_DASHES = str.maketrans({"—": "-", "－": "-", "–": "-", "―": "-", "／": "/", "（": "(", "）": ")", "　": " "})
_LOOSE = re.compile(
    r"^(?P<head>(?:DB\d{2,6}|[A-Z]{1,6})(?:\s*/\s*[TZJ])?[TZ]?)\s*(?P<serial>\d+(?:\.\d+)*)\s*-\s*"
    r"(?P<year>\d{4}|\d{2})\s*(?:\((?P<edition>\d{4}年版)\))?$",
    re.ASCII,
)



@dataclass(frozen=True)
class Level:
    """A level of standard; `key` is also the folder name under standards/."""

    key: str
    name: str


LEVELS = (Level("national", "国家标准"), Level("industry", "行业标准"), Level("local", "地方标准"))
_LEVEL = {level.key: level for level in LEVELS}
_NATURE = {"T": "推荐性", "Z": "指导性技术文件", "": "强制性"}


@dataclass(frozen=True)
class StdNumber:
    code: str
    kind: str
    serial: str
    year: str
    edition: str

    @property
    def text(self) -> str:
        """The canonical spelling."""
        kind = f"/{self.kind}" if self.kind else ""
        edition = f"({self.edition})" if self.edition else ""
        return f"{self.code}{kind} {self.serial}-{self.year}{edition}"

    @property
    def level(self) -> Level:
        if self.code in ("GB", "GBJ", "GBZ"):
            return _LEVEL["national"]
        if re.fullmatch(r"DB\d+", self.code):
            return _LEVEL["local"]
        return _LEVEL["industry"]

    @property
    def region_code(self) -> str | None:
        """The 6-digit division code a local standard's number names (DB37 → 370000), else None."""
        digits = self.code[2:] if self.level.key == "local" else ""
        return digits.ljust(6, "0") if len(digits) in (2, 4, 6) else None

    @property
    def nature(self) -> str | None:
        """What the numbering rules say the standard is (/T 推荐性, /Z 指导性技术文件, none 强制性)."""
        return _NATURE.get(self.kind)


def parse_number(text: str) -> tuple[StdNumber | None, str | None]:
    """Return (number, None) for a canonical number, (None, suggestion) for a recognisable other spelling,
    (None, None) for text that is not a standard number at all."""
    match = _CANONICAL.fullmatch(text)
    if match:
        return _from_match(match), None
    loose = _LOOSE.match(ascii_fold(text).translate(_DASHES).strip().upper())
    if not loose:
        return None, None
    code, kind = _split_head(loose.group("head"))
    guess = StdNumber(code, kind, loose.group("serial"), loose.group("year"), loose.group("edition") or "")
    return None, guess.text


def number_key(text: str) -> str:
    """Fold a number to a comparison key: ASCII letters and digits, upper case, no spaces or slashes, ASCII
    dashes."""
    folded = ascii_fold(text).translate(_DASHES).upper()
    return re.sub(r"[\s/]+", "", folded)


def ascii_fold(text: str) -> str:
    """Full-width letters, digits and signs (NFKC) and every script's decimal digits to ASCII; the rest is kept.

    `ＧＢ／Ｔ ３５７９６－２０１７` → `GB/T 35796-2017`, `٢٠١٧` → `2017`."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def slug(number: str) -> str:
    """The file and URL name of a standard: `GB/T 35796-2017` → `GB-T-35796-2017`."""
    return re.sub(r"[^0-9A-Za-z.\u4e00-\u9fff]+", "-", number).strip("-")


def _split_head(head: str) -> tuple[str, str]:
    """`GB/T`, `GBT`, `DB37T` → (code, kind); a trailing T or Z without a slash is a kind only after a
    region number or a code of two letters or more (JGJ keeps its J)."""
    head = re.sub(r"\s+", "", head)
    if "/" in head:
        code, kind = head.split("/", 1)
        return code, kind
    letters = re.match(r"[A-Z]+", head)
    if head[-1] in "TZ" and (head[-2].isdigit() or (letters and len(letters.group(0)) >= 3)):
        return head[:-1], head[-1]
    return head, ""


def _from_match(match: re.Match[str]) -> StdNumber:
    return StdNumber(
        code=match.group("code"),
        kind=match.group("kind") or "",
        serial=match.group("serial"),
        year=match.group("year"),
        edition=match.group("edition") or "",
    )
