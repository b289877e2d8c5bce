"""Importing a real published list (not written by this project): tests/data/engineering-standards-by-province.csv,
60 rows of local and engineering-construction standards of 13 provinces as a public list spells them (see
tests/data/README.md). Every row whose number is a standard number in any published spelling is imported; the
others (a regulation, a document number, an atlas number) are skipped with the reason, and nothing else is.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from generator.importer import import_table
from generator.numbers import read_number
from generator.pipeline import check, load_catalog
from generator.problems import Severity

LIST = Path(__file__).parent / "data" / "engineering-standards-by-province.csv"


def offered() -> list[dict[str, str]]:
    with open(LIST, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_standard_number_of_the_list_is_imported(make_db: Callable[..., Path]) -> None:
    db = make_db({})
    rows = offered()

    report = import_table(LIST, db)

    actions = Counter(r.action for r in report.rows)
    skipped = {r.number: r.reason for r in report.rows if r.action == "skip"}
    # What a person can see is not a standard number is skipped, and only that.
    assert set(skipped) == {"江苏省地方性法规", "云建科〔1988〕524号", "滇20G9-1", "云南省人民政府令第202号"}
    assert all(reason.startswith("标准号格式不对") for reason in skipped.values())
    assert actions == {"new": len(rows) - len(skipped), "skip": len(skipped)}
    assert len(rows) == 60 and actions["new"] == 56
    # No cell was left out: the list's titles and addresses are all good values.
    assert report.omitted == 0
    assert [p for p in check(db) if p.severity is Severity.ERROR] == []


def test_each_record_has_its_canonical_number_region_and_the_list_spelling(make_db: Callable[..., Path]) -> None:
    db = make_db({})
    import_table(LIST, db)
    catalog, _ = load_catalog(db, dt.date(2026, 1, 1))
    by_number = {s.number: s for s in catalog.standards}

    for row in offered():
        number = read_number(row["标准号"])
        if number is None:
            continue
        standard = by_number[number.text]
        assert standard.title == row["中文标准名称"]
        assert standard.level.key == "local"
        assert standard.region == number.region_code and standard.region in catalog.vocab.regions
        assert standard.source_number == (row["标准号"] if row["标准号"] != number.text else None)
        assert [s.url for s in standard.sources] == [row["来源链接"]]
    xiongan = [r.name for r in catalog.vocab.region_chain(by_number["DB1331/T 025.1-2022"].region or "")]
    assert xiongan == ["河北省", "河北雄安新区"]
    assert by_number["DBJ/T 15-92-2021"].region == "440000"  # Guangdong's engineering numbers: DBJ/T 15
    assert by_number["DBJ04/T 312-2015"].region == "140000"  # Shanxi's: DBJ04, not a division code


def test_a_second_import_of_the_list_writes_nothing(make_db: Callable[..., Path]) -> None:
    db = make_db({})
    import_table(LIST, db)
    before = {p: p.read_bytes() for p in db.rglob("*.yaml")}

    second = import_table(LIST, db)

    assert second.writes == {}
    assert Counter(r.action for r in second.rows) == {"same": 56, "skip": 4}
    assert {p: p.read_bytes() for p in db.rglob("*.yaml")} == before
