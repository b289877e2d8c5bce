"""Property tests over the loader, the validator and the number key (hypothesis).

- any text, as a whole file or as the value of any field, gives problems and never raises;
- a record that passes has no forbidden character in any value;
- `number_key` is the same for a number however its digits and letters are written (full-width, other scripts).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import VOCABULARIES

from generator.chars import has_forbidden
from generator.fields import FIELDS
from generator.kinds import quote
from generator.load import RawRecord
from generator.numbers import number_key, parse_number
from generator.problems import Problem, Severity
from generator.validate import validate
from generator.vocab import load_vocabulary
from generator.yamlpos import YamlIssue, parse_yaml

VOCAB, _ = load_vocabulary(VOCABULARIES.parent)
PATH = Path("/db/national/GB-T-35796-2017.yaml")
HEAD = '标准号: "GB/T 35796-2017"\n中文标准名称: "养老机构服务质量基本规范"\n'
KEYS = [f.key for f in FIELDS]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any code point, surrogates included (they reach us from argv and from \ud800 escapes).
any_text = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=60)
# Text that stresses YAML: its indicators, quotes, breaks and the characters generator.chars forbids.
_PIECES = [*":-?[]{}#&*!|>'\"%@`,\\ \t\n\r\x85\u2028\u202e\ufeff\x00\x1b社Ａ٣", "a", "1", "GB/T ", "2020-01-01", "http://"]
yamlish = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


def run(text: str) -> tuple[list[YamlIssue], list[Problem], list]:
    parsed = parse_yaml(text)
    assert all(isinstance(i, YamlIssue) and i.line >= 1 and i.column >= 1 for i in parsed.issues)
    if parsed.data is None:
        return parsed.issues, [], []
    standards, problems = validate([RawRecord(PATH, parsed)], VOCAB)
    assert all(isinstance(p, Problem) and p.message for p in problems)
    return parsed.issues, problems, standards


@SETTINGS
@given(st.one_of(any_text, yamlish))
def test_any_file_text_gives_problems_not_exceptions(text: str) -> None:
    run(text)


@SETTINGS
@given(st.sampled_from(KEYS), st.one_of(any_text, yamlish), st.booleans())
def test_any_value_in_any_field_gives_problems_not_exceptions(key: str, value: str, quoted: bool) -> None:
    run(f"{HEAD}{key}: {quote(value) if quoted else value}\n")


@SETTINGS
@given(st.sampled_from(KEYS), st.one_of(any_text, yamlish), st.booleans())
def test_a_record_that_passes_holds_no_forbidden_character(key: str, value: str, quoted: bool) -> None:
    issues, problems, standards = run(f"{HEAD}{key}: {quote(value) if quoted else value}\n")
    if issues or any(p.severity is Severity.ERROR for p in problems):
        return
    for standard in standards:
        for name, held in dataclasses.asdict(standard).items():
            assert not has_forbidden(str(held)), (name, held)


# --- number_key under digit and width folding -----------------------------------------------------------

DIGIT_ZEROS = [0x30, 0xFF10, 0x660, 0x6F0, 0x966, 0x9E6, 0xE50, 0x1D7CE, 0x1040]  # ASCII, full-width, Arabic …


@st.composite
def numbers(draw: st.DrawFn) -> str:
    code = draw(st.sampled_from(["GB", "GB/T", "GB/Z", "MZ/T", "WS/T", "DB37/T", "DB3211/T", "JGJ"]))
    serial = draw(st.from_regex(r"[1-9][0-9]{0,4}(\.[1-9])?", fullmatch=True))
    year = draw(st.sampled_from(["2017", "2023", "99"]))
    return f"{code} {serial}-{year}"


@st.composite
def respelled(draw: st.DrawFn, number: str) -> str:
    out = []
    for ch in number:
        if ch.isdigit():
            out.append(chr(draw(st.sampled_from(DIGIT_ZEROS)) + int(ch)))
        elif ch.isascii() and ch.isalpha() or ch in "/-.":
            out.append(draw(st.sampled_from([ch, chr(ord(ch) + 0xFEE0)])))
        elif ch == " ":
            out.append(draw(st.sampled_from([" ", "\u3000"])))
        else:
            out.append(ch)
    return "".join(out)


@SETTINGS
@given(st.data())
def test_number_key_is_stable_under_digit_and_width_folding(data: st.DataObject) -> None:
    number = data.draw(numbers())
    other = data.draw(respelled(number))
    assert number_key(other) == number_key(number)
    canonical, _ = parse_number(number)
    assert canonical is not None and canonical.text == number
    parsed, suggestion = parse_number(other)
    if other != number:
        assert parsed is None and suggestion == number  # never a second canonical spelling
