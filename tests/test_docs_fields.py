"""The maintainers' guide lists every field with the help text of generator.fields, so it cannot drift."""

from __future__ import annotations

from pathlib import Path

from generator.fields import FIELDS
from generator.numbers import ENGINEERING_FAMILIES

GUIDE = Path(__file__).parent.parent / "docs" / "maintainers.md"


def test_the_field_table_is_the_fields_table() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index("| 字段 | 填写说明 |")
    rows = text[start:text.index("\n\n", start)].splitlines()[2:]
    assert rows == [f"| `{f.key}` | {f.help} |" for f in FIELDS]


def test_every_engineering_family_is_documented() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("### 地方工程建设标准的编号"):text.index("### 检查时发现的可能漏填的代替关系")]
    for family in ENGINEERING_FAMILIES:
        assert f"`{family.code}`" in section, family.code
        assert f"{family.area} {family.region}" in section, family.code
