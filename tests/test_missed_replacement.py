"""`stdportal check` warns of a likely missed replacement: two records of one title, one newer, and neither naming
the other in 代替标准 or 被代替标准 (nor linked through a chain of them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import record

from generator.pipeline import check
from generator.problems import Severity, format_problem


def warnings(db: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(db.parent)
    return [format_problem(p) for p in check(db) if p.severity is Severity.WARNING]


def missed(newer: str, older_path: str, older: str) -> str:
    return (f"{newer}: 警告: 中文标准名称: 与 {older_path} 的 {older} 同名，本标准较新，但两者都未在 代替标准 或 "
            f"被代替标准 中写明对方，可能漏填了代替关系；若本标准代替了它，请在 代替标准 中填写 {older}")


def test_same_number_newer_year_not_linked(make_db, monkeypatch) -> None:
    db = make_db({
        "national/GB-T-35617-2017.yaml": record("GB/T 35617-2017", "社会保险业务分类与代码"),
        "national/GB-T-35617-2025.yaml": record("GB/T 35617-2025", "社会保险业务分类与代码"),
    })
    assert warnings(db, monkeypatch) == [missed("standards/national/GB-T-35617-2025.yaml:2:9",
                                                "standards/national/GB-T-35617-2017.yaml", "GB/T 35617-2017")]


def test_named_on_either_side_or_through_a_chain_is_no_warning(make_db, monkeypatch) -> None:
    db = make_db({
        "national/GB-T-1-2010.yaml": record("GB/T 1-2010", "公共图书馆服务规范", 被代替标准=["GB/T 1-2015"]),
        "national/GB-T-1-2015.yaml": record("GB/T 1-2015", "公共图书馆服务规范"),
        "national/GB-T-1-2023.yaml": record("GB/T 1-2023", "公共图书馆服务规范", 代替标准=["GB/T 1-2015"]),
    })
    assert warnings(db, monkeypatch) == []


def test_editions_are_paired_in_order_not_every_two(make_db, monkeypatch) -> None:
    # Three unlinked editions: each newer one is told about the one just before it.
    db = make_db({
        "local/DB37-T-5-2012.yaml": record("DB37/T 5-2012", "农村幸福院服务规范"),
        "local/DB37-T-5-2016.yaml": record("DB37/T 5-2016", "农村幸福院 服务规范"),  # a space is no other title
        "local/DB37-T-9-2023.yaml": record("DB37/T 9-2023", "农村幸福院服务规范"),  # a new number, same title
    })
    assert warnings(db, monkeypatch) == [
        missed("standards/local/DB37-T-5-2016.yaml:2:9", "standards/local/DB37-T-5-2012.yaml", "DB37/T 5-2012"),
        missed("standards/local/DB37-T-9-2023.yaml:2:9", "standards/local/DB37-T-5-2016.yaml", "DB37/T 5-2016"),
    ]


def test_other_issuers_and_records_of_one_age_are_left_alone(make_db, monkeypatch) -> None:
    db = make_db({
        # Another region, another industry code: other issuers' standards of the same name.
        "local/DB32-T-1-2020.yaml": record("DB32/T 1-2020", "绿色建筑设计标准"),
        "local/DB37-T-2-2021.yaml": record("DB37/T 2-2021", "绿色建筑设计标准"),
        "industry/MZ-T-3-2019.yaml": record("MZ/T 3-2019", "养老机构等级划分与评定"),
        "industry/WS-T-4-2022.yaml": record("WS/T 4-2022", "养老机构等级划分与评定"),
    })
    assert [w for w in warnings(db, monkeypatch) if "漏填" in w] == []


def test_the_year_is_read_in_full_and_the_date_decides_within_a_year(make_db, monkeypatch) -> None:
    db = make_db({
        "industry/JGJ-50-98.yaml": record("JGJ 50-98", "城市道路和建筑物无障碍设计规范"),
        "industry/JGJ-50-2001.yaml": record("JGJ 50-2001", "城市道路和建筑物无障碍设计规范"),
        "industry/MZ-T-7-2020.yaml": record("MZ/T 7-2020", "社区服务指南", 发布日期="2020-03-01"),
        "industry/MZ-T-8-2020.yaml": record("MZ/T 8-2020", "社区服务指南", 发布日期="2020-09-01"),
    })
    assert warnings(db, monkeypatch) == [
        missed("standards/industry/JGJ-50-2001.yaml:2:9", "standards/industry/JGJ-50-98.yaml", "JGJ 50-98"),
        missed("standards/industry/MZ-T-8-2020.yaml:2:9", "standards/industry/MZ-T-7-2020.yaml", "MZ/T 7-2020"),
    ]
