"""The analyzer: how text and queries are cut into terms. Mirrored line for line by
overrides/assets/stdportal/search.js (`analyze`, `queryTerms`); tests run both over the same strings.

Chinese has no spaces, so a run of Han characters becomes its overlapping character bigrams (养老机构 →
养老 老机 机构), which needs no dictionary in the browser; a run of one character stays a unigram. Latin
letters and digits become lower-case words. Standard numbers get extra terms so that every usual spelling
meets: `GB/T 35796-2017`, `GB/T35796`, `gbt 35796`, `35796` all find GB/T 35796-2017.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["HAN", "analyze", "fold", "has_han", "number_terms", "query_terms", "standard_number_terms", "unigrams"]

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""The Han character ranges, for a regular expression's character class (the same in search.js)."""
_TOKEN = re.compile(f"[{HAN}]+|[a-z0-9]+")  # ASCII digits only, as in JavaScript
_IS_HAN = re.compile(f"[{HAN}]")
# In a query with spaces and slashes removed: letters, maybe a region number and a kind letter, a serial,
# maybe a year — db37t4591-2023, gbt35796, mzt133-2019.
_NUMBER = re.compile(r"[a-z]+[0-9]*[a-z]?[0-9]+(?:\.[0-9]+)*(?:-[0-9]{2,4})?")
_DASHES = str.maketrans({"—": "-", "–": "-", "―": "-", "－": "-"})


def fold(text: str) -> str:
    """Full-width to half-width, lower case, one kind of dash."""
    return unicodedata.normalize("NFKC", text).lower().translate(_DASHES)


def has_han(text: str) -> bool:
    """Whether text holds a Han character anywhere."""
    return _IS_HAN.search(text) is not None


def analyze(text: str) -> list[str]:
    """Terms of ordinary text, in order, repeats kept (the index counts them)."""
    out: list[str] = []
    for token in _TOKEN.findall(fold(text)):
        if _IS_HAN.match(token) and len(token) > 1:
            out.extend(token[i : i + 2] for i in range(len(token) - 1))
        else:
            out.append(token)
    return out


def unigrams(text: str) -> list[str]:
    """Every Han character on its own: titles are indexed with these too, so a one-character query finds them."""
    return [ch for token in _TOKEN.findall(fold(text)) if _IS_HAN.match(token) for ch in token]


def number_terms(text: str) -> list[str]:
    """Standard-number terms found in a query: each compact number with and without its year."""
    compact = re.sub(r"[ \t\n\r\f\v/]+", "", fold(text))  # explicit: \s differs between Python and JS
    out: list[str] = []
    for match in _NUMBER.findall(compact):
        out.append(match)
        if "-" in match:
            out.append(match.split("-", 1)[0])
    return out


def query_terms(query: str) -> list[str]:
    """The distinct terms of a query: its words and bigrams, then any standard-number terms. The year of a number
    in the query is not a term of its own: GB/T 99999-2019 must not find every standard that mentions 2019."""
    numbers = number_terms(query)
    years = {n.split("-", 1)[1] for n in numbers if "-" in n}
    return list(dict.fromkeys(t for t in [*analyze(query), *numbers] if t not in years))


def standard_number_terms(code: str, kind: str, serial: str, year: str) -> list[str]:
    """The terms that index a standard's own number (code DB37, kind T, serial 4591.1, year 2023)."""
    head = f"{code}{kind}{serial}".lower()
    base = serial.split(".", 1)[0]
    return list(dict.fromkeys([f"{head}-{year}", head, serial, base]))
