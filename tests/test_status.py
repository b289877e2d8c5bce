"""Status as of a date: each rule of generator/status.py, in the order the rules apply."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from support import AS_OF

from generator.fields import STATED_STATUSES
from generator.numbers import parse_number, slug
from generator.records import Standard
from generator.status import STATUSES, compute_status

D = dt.date


def std(number: str = "GB/T 1-2020", **fields) -> Standard:
    return Standard(path=Path(f"{slug(number)}.yaml"), parsed_number=parse_number(number)[0], number=number, **fields)


def status(standard: Standard, as_of: dt.date = AS_OF, replacements: list[Standard] | None = None) -> tuple[str, str]:
    result = compute_status(standard, as_of, replacements or [])
    assert result.label == result.kind.label
    return result.label, result.basis


def test_the_five_statuses() -> None:
    assert [(k.label, k.slug) for k in STATUSES] == [
        ("现行", "current"), ("即将实施", "upcoming"), ("被代替", "replaced"), ("废止", "withdrawn"),
        ("状态未收录", "unknown")]
    # Every status a record may state is one of them.
    assert set(STATED_STATUSES) <= {k.label for k in STATUSES}


def test_effective_date_before_and_after_as_of() -> None:
    s = std(issued=D(2025, 6, 1), effective=D(2026, 3, 1))
    assert status(s, D(2026, 2, 28)) == ("即将实施", "实施日期 2026-03-01 尚未到")
    assert status(s, D(2026, 3, 1)) == ("现行", "实施日期 2026-03-01 已到")  # in force on the day
    assert status(s, D(2027, 1, 1)) == ("现行", "实施日期 2026-03-01 已到")


def test_a_standard_not_yet_issued_is_upcoming_as_it_is_for_the_edition_it_replaces() -> None:
    """Without 实施日期, a 发布日期 still to come says the standard is not in force yet: its own page says 即将实施,
    as the edition it replaces stays 现行 meanwhile, whatever its source said when it was collected."""
    new = std("GB/T 1-2026", issued=D(2026, 12, 1), replaces=("GB/T 1-2020",))
    old = std("GB/T 1-2020", effective=D(2020, 6, 1))
    assert status(new, D(2026, 11, 30)) == ("即将实施", "发布日期 2026-12-01 尚未到")
    assert status(std("GB/T 1-2026", issued=D(2026, 12, 1), stated_status="现行"), D(2026, 11, 30))[0] == "即将实施"
    assert status(old, D(2026, 11, 30), [new])[0] == "现行"
    assert status(new, D(2026, 12, 1))[0] == "状态未收录"  # issued, and nothing says when it comes into force
    assert status(old, D(2026, 12, 1), [new])[0] == "被代替"


def test_withdrawal_date_reached_wins_over_everything() -> None:
    newer = std("GB/T 1-2024", effective=D(2024, 1, 1))
    s = std(effective=D(2020, 6, 1), withdrawn=D(2025, 1, 1), replaced_by_stated=("GB/T 1-2024",), stated_status="现行")
    assert status(s, D(2025, 1, 1), [newer]) == ("废止", "废止日期 2025-01-01 已到")
    # Before the withdrawal date the other rules decide.
    assert status(s, D(2024, 12, 31), [newer])[0] == "被代替"
    assert status(std(effective=D(2020, 6, 1), withdrawn=D(2030, 1, 1)))[0] == "现行"


def test_replacement_in_the_database_once_it_is_in_force() -> None:
    old = std("GB/T 1-2010", effective=D(2010, 6, 1))
    new = std("GB/T 1-2026", replaces=("GB/T 1-2010",), effective=D(2026, 7, 1))
    assert status(old, D(2026, 6, 30), [new]) == ("现行", "实施日期 2010-06-01 已到")
    assert status(old, D(2026, 7, 1), [new]) == ("被代替", "已被 GB/T 1-2026 代替")


def test_a_replacement_without_an_effective_date_counts_as_in_force() -> None:
    # A record of the new edition is evidence of the replacement, as a stated 被代替标准 outside the database is.
    old = std("GB/T 1-2010", effective=D(2010, 6, 1))
    undated = std("GB/T 1-2020")
    assert status(old, AS_OF, [undated]) == ("被代替", "已被 GB/T 1-2020 代替")
    said_current = std("GB/T 1-2020", stated_status="现行", issued=D(2020, 3, 1))
    assert status(old, AS_OF, [said_current]) == ("被代替", "已被 GB/T 1-2020 代替")


@pytest.mark.parametrize("fields", [{"stated_status": "即将实施"}, {"issued": AS_OF + dt.timedelta(days=1)}])
def test_an_undated_replacement_its_record_shows_not_yet_in_force_does_not_count(fields) -> None:
    # Its own page shows 即将实施 (the source's word) or it is not even issued: the old edition stays 现行, as
    # with a replacement whose 实施日期 is still to come, and even when the old record names it as its successor.
    old = std("GB/T 1-2010", effective=D(2010, 6, 1))
    coming = std("GB/T 1-2026", **fields)
    assert status(old, AS_OF, [coming]) == ("现行", "实施日期 2010-06-01 已到")
    named = std("GB/T 1-2010", effective=D(2010, 6, 1), replaced_by_stated=("GB/T 1-2026",))
    assert status(named, AS_OF, [coming]) == ("现行", "实施日期 2010-06-01 已到")


def test_several_replacements_are_all_named() -> None:
    old = std("GB/T 1-2010")
    parts = [std("GB/T 1.1-2020", effective=D(2020, 1, 1)), std("GB/T 1.2-2020", effective=D(2020, 1, 1))]
    assert status(old, AS_OF, parts) == ("被代替", "已被 GB/T 1.1-2020、GB/T 1.2-2020 代替")


def test_replacement_stated_in_the_record() -> None:
    s = std("GB/T 1-2010", effective=D(2010, 6, 1), replaced_by_stated=("GB/T 1-2020", "GB/T 1.2-2020"))
    assert status(s) == ("被代替", "记录载明已被 GB/T 1-2020、GB/T 1.2-2020 代替")


def test_dates_win_over_a_stale_stated_status() -> None:
    s = std(effective=D(2025, 1, 1), stated_status="即将实施")
    assert status(s) == ("现行", "实施日期 2025-01-01 已到")
    upcoming = std(effective=D(2026, 6, 1), stated_status="现行")
    assert status(upcoming) == ("即将实施", "实施日期 2026-06-01 尚未到")


@pytest.mark.parametrize("stated", ["废止", "被代替"])
def test_a_stated_end_is_kept_after_the_effective_date(stated) -> None:
    s = std(effective=D(2015, 1, 1), stated_status=stated)
    assert status(s) == (stated, "来源所示状态（采集时，未经官方核实）")


@pytest.mark.parametrize("stated", STATED_STATUSES)
def test_stated_status_when_there_are_no_dates(stated) -> None:
    assert status(std(stated_status=stated)) == (stated, "来源所示状态（采集时，未经官方核实）")


def test_issue_date_alone_decides_nothing() -> None:
    assert status(std(issued=D(2020, 1, 1))) == ("状态未收录", "没有实施日期，来源也未载明状态")


def test_unknown_without_dates_or_stated_status() -> None:
    assert status(std()) == ("状态未收录", "没有实施日期，来源也未载明状态")
