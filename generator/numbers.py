"""Standard numbers: parse `GB/T 35796-2017`, tell its level, its region and its file name.

A number has a code (GB, MZ, DB37, DB3211 …), an optional kind after a slash (/T recommended, /Z guidance,
/J for some broadcasting standards), a serial (35796, 31596.1), a year (2017, or two digits on old standards)
and, rarely, an edition remark `(2019年版)`. A mandatory local standard keeps the slash of its code with no
kind after it: `DB31/ 890-2015`.

Local engineering-construction standards, numbered by the provinces' housing and construction departments,
follow their own patterns (`DG/TJ08-2291B-2022`, `DBJ/T 15-92-2021`, `DBJ50/T-047-2024` …): each is a
`Family` of `ENGINEERING_FAMILIES`, with its canonical spelling and its region, taken from published lists.

Documents and portals write numbers in many spellings (`DB 37/T 2904-2019`, `GB/T 35796—2017`, `DBJ/T15-20-2016`,
full-width `ＧＢ／Ｔ ３５７９６-２０１７`). `read_number` takes every spelling it recognises to its one
canonical form; `parse_number` says whether a text *is* that canonical form (what a record file must hold)
and otherwise suggests it; `number_key` folds spellings to a comparison key.

Only ASCII letters and digits make a canonical number. Full-width forms and other scripts' decimal digits
(Arabic-Indic `٣٥٧٩٦`) are folded to ASCII by `ascii_fold`, so such a number can never become a second page
beside the ASCII one.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["ENGINEERING_FAMILIES", "LEVELS", "NUMBER_PATTERN", "Family", "Level", "StdNumber", "ascii_fold",
           "number_key", "parse_number", "read_number", "slug"]


@dataclass(frozen=True)
class Family:
    """A numbering of local engineering-construction standards: `{code}{joiner}{serial}-{year}`."""

    code: str
    """The code as the issuing department prints it: DG/TJ08, DBJ/T 15, DBJ50/T …"""
    joiner: str
    """What stands between code and serial in the canonical spelling: "-", " " or nothing."""
    region: str
    """The 6-digit division code of the issuing province (or municipality)."""
    area: str
    """Where the pattern was seen: the name of the issuing area, for docs and messages."""

    @property
    def nature(self) -> str | None:
        return "推荐性" if "/T" in self.code else None

    @property
    def key(self) -> str:
        return re.sub(r"[^0-9A-Z]", "", self.code)


# Each family is the spelling used on the issuing department's own pages, as quoted (with the address of each
# page) in public lists of these standards; the sources are listed in docs/maintainers.md (“地方工程建设标准的编号”).
ENGINEERING_FAMILIES: tuple[Family, ...] = (
    Family("DGJ08", "-", "310000", "上海市"),        # DGJ08-20-2019 (zjw.sh.gov.cn)
    Family("DG/TJ08", "-", "310000", "上海市"),      # DG/TJ08-2291B-2022, DG/TJ08-015-2018 (zjw.sh.gov.cn)
    Family("DBJ/T 15", "-", "440000", "广东省"),     # DBJ/T 15-92-2021 (zfcxjst.gd.gov.cn)
    Family("DBJ 15", "-", "440000", "广东省"),       # DBJ 15-92-2013 (zfcxjst.gd.gov.cn)
    Family("DBJ/T 13", "-", "350000", "福建省"),     # DBJ/T 13-200-2025 (zjt.fujian.gov.cn)
    Family("DBJ/T 36", "-", "360000", "江西省"),     # DBJ/T 36-061-2021
    Family("DBJ50/T", "-", "500000", "重庆市"),      # DBJ50/T-047-2024 (zfcxjw.cq.gov.cn)
    Family("DBJ50", "-", "500000", "重庆市"),        # DBJ50-047-2016 (zfcxjw.cq.gov.cn)
    Family("DBJ53/T", "-", "530000", "云南省"),      # DBJ53/T-67-2014, DBJ 53/T-83-2017 (zfcxjst.yn.gov.cn)
    Family("DBJ46", "-", "460000", "海南省"),        # DBJ46-008-2016 (zjt.hainan.gov.cn)
    Family("DBJ33/T", " ", "330000", "浙江省"),      # DBJ33/T 1318-2024 (jst.zj.gov.cn)
    Family("DBJ61/T", " ", "610000", "陕西省"),      # DBJ61/T 101-2015
    Family("DBJ51/T", " ", "510000", "四川省"),      # DBJ51/T 014-2013
    Family("DBJ04/T", " ", "140000", "山西省"),      # DBJ04/T 312-2015
    Family("DGJ32/TJ", "", "320000", "江苏省"),     # DGJ32/TJ186-2015 (jsszfhcxjst.jiangsu.gov.cn)
    Family("DGJ32/J", "", "320000", "江苏省"),      # DGJ32/J189-2015 (jsszfhcxjst.jiangsu.gov.cn)
    Family("DB13(J)/T", " ", "130000", "河北省"),    # DB13(J)/T 8422-2021
)
_FAMILY = {f.code: f for f in ENGINEERING_FAMILIES}
_SERIAL = r"[0-9]+(?:\.[0-9]+)*"
_FAMILY_SERIAL = r"[0-9]+[A-Z]?(?:\.[0-9]+)*"  # DG/TJ08-2291B-2022: a letter names one volume of a set


def _escaped(code: str) -> str:
    return re.sub(r"([().])", r"\\\1", code)


_FAMILY_CODES = "|".join(_escaped(f.code) for f in sorted(ENGINEERING_FAMILIES, key=lambda f: -len(f.code)))
NUMBER_PATTERN = (
    rf"(?P<family>{_FAMILY_CODES})[- ]?(?P<fserial>{_FAMILY_SERIAL})-(?P<fyear>[0-9]{{4}}|[0-9]{{2}})"
    rf"|(?!GBT[ /])(?P<code>DB[0-9]{{2,6}}|[A-Z]{{1,6}})(?:/(?P<kind>[TZJ])?)? (?P<serial>{_SERIAL})"
    r"-(?P<year>[0-9]{4}|[0-9]{2})(?:\((?P<edition>[0-9]{4}年版)\))?"
)
"""A canonical number, whole (parse_number also asks that the text be the one canonical spelling of what it
matches: `DB31/ 890-2015`, not `DB31 890-2015`). [0-9], not \\d, so that `３５７９６` is not canonical; written
in the syntax Python's and JSON Schema's (ECMA) regexes share but for the group names (generator.kinds drops
them). GBT is GB/T with the slash left out: parse_number suggests GB/T."""
_CANONICAL = re.compile(NUMBER_PATTERN)
_DASHES = str.maketrans({"—": "-", "－": "-", "–": "-", "―": "-", "‐": "-", "‑": "-", "⁃": "-", "／": "/",
                         "\u2212": "-", "\u2012": "-", "\u2500": "-", "\u2501": "-", "\ufe63": "-", "\u2e3a": "-",
                         "（": "(", "）": ")", "　": " "})
_LOOSE = re.compile(
    r"^(?P<head>(?:DB\s*\d{2,6}|[A-Z]{1,6})(?:\s*/\s*[TZJ]?)?[TZ]?)\s*(?P<serial>\d+(?:\.\d+)*)\s*-\s*"
    r"(?P<year>\d{4}|\d{2})\s*(?:\((?P<edition>\d{4}年版)\))?$",
    re.ASCII,
)


def _family_loose(family: Family) -> re.Pattern[str]:
    """Any spelling of a family's number: spaces, slashes and brackets anywhere in the code (`DBJ 53/T-83-2017`,
    `DBJ/T15-20-2016`, `DBJ61/T93-2014`), a dash or a space or nothing before the serial."""
    code = r"[\s/()]*".join(re.escape(ch) for ch in family.key)
    return re.compile(rf"^{code}[\s/]*-?\s*(?P<serial>{_FAMILY_SERIAL})\s*-\s*(?P<year>\d{{4}}|\d{{2}})$", re.ASCII)


_FAMILY_LOOSE = tuple((f, _family_loose(f)) for f in sorted(ENGINEERING_FAMILIES, key=lambda f: -len(f.key)))


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
    family: Family | None = None
    """The engineering-construction family, for numbers such as DG/TJ08-2291B-2022 (code is the family's)."""

    @property
    def text(self) -> str:
        """The canonical spelling."""
        if self.family is not None:
            return f"{self.family.code}{self.family.joiner}{self.serial}-{self.year}"
        kind = f"/{self.kind}" if self.kind else ("/" if self._is_local_code else "")
        edition = f"({self.edition})" if self.edition else ""
        return f"{self.code}{kind} {self.serial}-{self.year}{edition}"

    @property
    def _is_local_code(self) -> bool:
        digits = self.code[2:]
        return self.code.startswith("DB") and digits.isascii() and digits.isdigit()

    @functools.cached_property
    def level(self) -> Level:  # asked for often (every list, count and filter): worked out once
        if self.family is not None or self._is_local_code:
            return _LEVEL["local"]
        if self.code in ("GB", "GBJ", "GBZ"):
            return _LEVEL["national"]
        return _LEVEL["industry"]

    @property
    def full_year(self) -> int:
        """The year of the number in four digits: a two-digit year is of the 1900s from 50 on (`GBJ 99-86` is
        1986), of the 2000s below (`JGJ 125-99` 1999, `XX 1-05` 2005)."""
        year = int(self.year)
        if len(self.year) == 2:
            return year + (1900 if year >= 50 else 2000)
        return year

    @property
    def region_code(self) -> str | None:
        """The 6-digit division code a local standard's number names (DB37 → 370000, DBJ50/T → 500000)."""
        if self.family is not None:
            return self.family.region
        digits = self.code[2:] if self._is_local_code else ""
        return digits.ljust(6, "0") if len(digits) in (2, 4, 6) else None

    @property
    def nature(self) -> str | None:
        """What the numbering rules say the standard is (/T 推荐性, /Z 指导性技术文件, none 强制性)."""
        if self.family is not None:
            return self.family.nature
        return _NATURE.get(self.kind)


def parse_number(text: str) -> tuple[StdNumber | None, str | None]:
    """Return (number, None) for a canonical number, (None, suggestion) for a recognisable other spelling,
    (None, None) for text that is not a standard number at all."""
    match = _CANONICAL.fullmatch(text)
    if match:
        number = _from_match(match)
        if number.text == text:
            return number, None
        return None, number.text
    recognised = read_number(text)
    return None, recognised.text if recognised else None


def read_number(text: str) -> StdNumber | None:
    """The number any recognised spelling names (canonical or not), or None: what a sheet's cell or a typed
    number becomes. Its `text` is the canonical spelling."""
    match = _CANONICAL.fullmatch(text)
    if match:
        return _from_match(match)
    folded = ascii_fold(text).translate(_DASHES).strip().upper()
    folded = re.sub(r"\s+", " ", folded)
    for family, pattern in _FAMILY_LOOSE:
        found = pattern.match(folded)
        if found:
            return StdNumber(family.code, "", found.group("serial"), found.group("year"), "", family)
    loose = _LOOSE.match(folded)
    if not loose:
        return None
    code, kind = _split_head(loose.group("head"))
    return StdNumber(code, kind, loose.group("serial"), loose.group("year"), loose.group("edition") or "")


@functools.lru_cache(maxsize=1 << 18)
def number_key(text: str) -> str:
    """Fold a number to a comparison key: ASCII letters and digits, upper case, no spaces, slashes or brackets
    of a code, ASCII dashes. A recognised number is folded from its canonical spelling, so `DBJ50/T-047-2024`
    and `DBJ 50/T 047-2024` have one key. Remembered: catalogue lookups fold the same numbers many times."""
    number = read_number(text)
    if number is not None and number.family is not None:
        text = f"{number.family.key}-{number.serial}-{number.year}"
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
    """`GB/T`, `GBT`, `DB37T`, `DB12/` → (code, kind); a trailing T or Z without a slash is a kind only after a
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
    if match.group("family"):
        family = _FAMILY[match.group("family")]
        return StdNumber(family.code, "", match.group("fserial"), match.group("fyear"), "", family)
    return StdNumber(
        code=match.group("code"),
        kind=match.group("kind") or "",
        serial=match.group("serial"),
        year=match.group("year"),
        edition=match.group("edition") or "",
    )
