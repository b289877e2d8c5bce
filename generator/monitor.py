"""Monitoring (监测预警, 动态调整): coverage, gaps and changes over time, as plain functions of the catalogue.

- Coverage: current (现行) standards counted per domain × province (the national and industry layer as its own
  column), and per category × prefecture-level unit inside a province. Every count is `len()` of the list of
  standards kept in the cell, so a page's numbers and the records behind them cannot differ.
- Gaps: the categories (and service items) of the vocabulary that no current standard names, anywhere or in
  a province's local standards.
- Changes: standards coming into force in the next UPCOMING_DAYS days, abolished or replaced in the last
  ENDED_DAYS days, and current standards in force for REVIEW_YEARS years or more (复审: the Standardization Law
  asks for a review at most every five years).

The renderer (generator/render/monitor.py) draws and lists these; nothing here formats text for a page.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .model import Catalog
from .records import Standard
from .status import CURRENT, REPLACED, UPCOMING, WITHDRAWN
from .vocab import Region

__all__ = ["CHANGE_KINDS", "ENDED_DAYS", "NATIONAL_COLUMN", "NO_DOMAIN", "REVIEW_YEARS", "UPCOMING_DAYS",
           "Change", "ChangeKind", "Coverage", "Gap", "changes", "domain_coverage", "gaps", "province_coverage",
           "provinces"]

UPCOMING_DAYS = 180
ENDED_DAYS = 365
REVIEW_YEARS = 5
NATIONAL_COLUMN = "national"
"""The key of the national and industry layer among the columns of the domain coverage."""
NO_DOMAIN = "未归入领域"


@dataclass(frozen=True)
class Coverage:
    """A matrix of lists of standards: `rows` (labels) × `columns` ((key, label)); `cells[r][c]` the standards."""

    title: str
    rows: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]
    cells: tuple[tuple[tuple[Standard, ...], ...], ...]

    def count(self, row: int, column: int) -> int:
        return len(self.cells[row][column])

    def counts(self) -> list[list[int]]:
        return [[len(cell) for cell in row] for row in self.cells]

    @property
    def largest(self) -> int:
        return max((len(cell) for row in self.cells for cell in row), default=0)


def provinces(catalog: Catalog) -> list[Region]:
    """The provincial-level units of the division list, by code."""
    return sorted((r for r in catalog.vocab.regions.values() if r.rank == "province"), key=lambda r: r.code)


def _current(catalog: Catalog, standards: Iterable[Standard]) -> list[Standard]:
    return [s for s in standards if catalog.status[s.number].kind == CURRENT]


def _matrix(rows: Sequence[str], columns: Sequence[Sequence[Standard]],
            belongs: Callable[[Standard, str], bool]) -> tuple[tuple[tuple[Standard, ...], ...], ...]:
    return tuple(tuple(tuple(s for s in column if belongs(s, row)) for column in columns) for row in rows)


def domain_coverage(catalog: Catalog) -> Coverage:
    """Current standards per domain (未归入领域 when a standard names none, if any does) × the national and
    industry layer and each province (its local standards and those of every region below it)."""
    current = catalog.by_status(CURRENT)
    national = [s for s in current if s.level.key != "local"]
    columns = [(NATIONAL_COLUMN, "国家和行业"), *((r.code, r.name) for r in provinces(catalog))]
    lists: list[Sequence[Standard]] = [national, *(_current(catalog, catalog.in_region(code))
                                                   for code, _ in columns[1:])]
    rows = [d.name for d in catalog.vocab.domains]
    if any(not s.domains for s in current):
        rows.append(NO_DOMAIN)
    cells = _matrix(rows, lists, lambda s, row: row in s.domains if row != NO_DOMAIN else not s.domains)
    return Coverage("各领域现行标准覆盖（按省级地区）", tuple(rows), tuple(columns), cells)


def province_coverage(catalog: Catalog, province: Region) -> Coverage:
    """Current local standards per category × the province itself (standards issued for the province as a
    whole) and each unit directly below it (its standards and those of the regions below it)."""
    children = sorted((r for r in catalog.vocab.regions.values() if r.parent == province.code), key=lambda r: r.code)
    own = [s for s in _current(catalog, catalog.in_region(province.code)) if s.region == province.code]
    columns = [(province.code, f"{province.name}（省级）"), *((r.code, r.name) for r in children)]
    lists: list[Sequence[Standard]] = [own, *(_current(catalog, catalog.in_region(r.code)) for r in children)]
    rows = [c.name for d in catalog.vocab.domains for c in d.categories]
    cells = _matrix(rows, lists, lambda s, row: row in s.categories)
    return Coverage(f"{province.name}各大类现行地方标准覆盖", tuple(rows), tuple(columns), cells)


@dataclass(frozen=True)
class Gap:
    """A category of the vocabulary with no current standard in the scope, and its items without one."""

    domain: str
    category: str
    items: tuple[str, ...]
    """Its service items that no current standard in the scope names."""
    elsewhere: int
    """Current standards of the category outside the scope (for a province: national and industry ones)."""


def gaps(catalog: Catalog, province: Region | None = None) -> tuple[list[Gap], list[tuple[str, str, str]]]:
    """The categories without a current standard — in the whole database, or among a province's local
    standards — and, separately, (domain, category, item) for items without one in categories that have some."""
    current = catalog.by_status(CURRENT)
    scope = current if province is None else _current(catalog, catalog.in_region(province.code))
    national = catalog.derived(_national_categories)
    named = {c for s in scope for c in s.categories}
    items = {i for s in scope for i in s.items}
    found: list[Gap] = []
    missing_items: list[tuple[str, str, str]] = []
    for domain in catalog.vocab.domains:
        for category in domain.categories:
            lacking = tuple(i.name for i in category.items if i.name not in items)
            if category.name not in named:
                elsewhere = 0 if province is None else national[category.name]
                found.append(Gap(domain.name, category.name, lacking, elsewhere))
            else:
                missing_items.extend((domain.name, category.name, i) for i in lacking)
    return found, missing_items


def _national_categories(catalog: Catalog) -> Counter[str]:
    """Current national and industry standards per category: the same for every province (worked out once)."""
    return Counter(c for s in catalog.by_status(CURRENT) if s.level.key != "local" for c in s.categories)


@dataclass(frozen=True)
class ChangeKind:
    slug: str
    label: str
    about: str
    date_label: str


CHANGE_KINDS = (
    ChangeKind("upcoming", "即将实施", f"今后 {UPCOMING_DAYS} 天内开始实施的标准", "实施日期"),
    ChangeKind("ended", "近期废止或被代替", f"最近 {ENDED_DAYS} 天内废止或被代替的标准", "废止或被代替日期"),
    ChangeKind("review", "实施满五年",
               f"实施已满 {REVIEW_YEARS} 年的现行标准（《标准化法》规定标准的复审周期一般不超过五年）", "满五年日期"),
)
_KIND = {k.slug: k for k in CHANGE_KINDS}


@dataclass(frozen=True)
class Change:
    """A standard in one of the change lists, with the date that puts it there."""

    standard: Standard
    date: dt.date
    note: str = field(default="")


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _replaced_on(catalog: Catalog, standard: Standard) -> dt.date | None:
    """The day the first replacement in the database came into force (None: no dated replacement known)."""
    days = [r.effective for n in catalog.replaced_by.get(standard.number, ())
            if (r := catalog.get(n)) is not None and r.effective and r.effective <= catalog.as_of]
    return min(days, default=None)


def changes(catalog: Catalog, kind: str, standards: Iterable[Standard] | None = None) -> list[Change]:
    """One change list (`kind`: a slug of CHANGE_KINDS) of `standards` (default: the whole database), in the
    order the page shows it: upcoming soonest first, ended newest first, review oldest first."""
    if kind not in _KIND:
        raise ValueError(kind)
    as_of = catalog.as_of
    out: list[Change] = []
    for s in catalog.standards if standards is None else standards:
        status = catalog.status[s.number].kind
        if kind == "upcoming":
            if status == UPCOMING and s.effective and s.effective <= as_of + dt.timedelta(days=UPCOMING_DAYS):
                out.append(Change(s, s.effective))
        elif kind == "ended":
            since = as_of - dt.timedelta(days=ENDED_DAYS)
            if status == WITHDRAWN and s.withdrawn and since <= s.withdrawn <= as_of:
                out.append(Change(s, s.withdrawn, "废止"))
            elif status == REPLACED and (day := _replaced_on(catalog, s)) and since <= day:
                out.append(Change(s, day, "被代替"))
        elif status == CURRENT and s.effective and _years_later(s.effective, REVIEW_YEARS) <= as_of:
            out.append(Change(s, _years_later(s.effective, REVIEW_YEARS)))
    newest_first = kind == "ended"
    out.sort(key=lambda c: (c.date, c.standard.number), reverse=newest_first)
    return out
