"""Standard systems (标准体系): what applies in a region, arranged by the GB/T 43507 structure.

A region may publish its own system in standards/systems/<code>.yaml (read and checked by
generator.systemfile); without one, its system is inferred: its own local standards, each at the position its
record states or the rules infer (generator.positions). The national and industry standards form one shared
layer. Everything here is a plain function of the catalogue: the region pages, the three GB/T 13016 documents
(diagram, 明细表, 统计表) and later views (coverage, open data) all read the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from .memo import repr_once
from .model import Catalog
from .numbers import number_key
from .positions import SYSTEM, Position, stated_or_inferred
from .records import Standard
from .systemfile import Planned, RegionSystem
from .vocab import Region

__all__ = ["NATIONAL", "NATIONAL_NAME", "TABLE_COLUMNS", "UNPLACED", "Layer", "Statistics", "SystemRow", "SystemView",
           "statistics"]

NATIONAL = "national"
"""The code of the shared national and industry layer among region codes."""
NATIONAL_NAME = "国家标准和行业标准"
"""The national layer's name, in tables and on the region and system pages."""
UNPLACED = "体系位置未确定"
TABLE_COLUMNS = ("序号", "体系位置", "标准号", "标准名称", "层级", "状态", "实施日期", "代替", "备注")
"""The columns of a 标准明细表 (GB/T 13016), on the page and in the CSV and XLSX downloads alike."""


@repr_once
@dataclass(frozen=True)
class SystemRow:
    """One row of a 标准明细表: a standard of the catalogue, one the system names but the catalogue lacks, or
    a planned one (拟制定 / 制定中)."""

    position: Position
    number: str
    title: str
    level: str
    status: str
    effective: dt.date | None = None
    replaces: tuple[str, ...] = ()
    note: str = ""
    domains: tuple[str, ...] = ()
    year: int | None = None
    """发布年份; for a planned standard its planned year."""
    standard: Standard | None = None
    planned: Planned | None = None

    @property
    def position_name(self) -> str:
        return self.position.name or UNPLACED

    def cells(self, seq: int) -> tuple[str, ...]:
        """The row as the texts of TABLE_COLUMNS."""
        return (str(seq), self.position.label, self.number, self.title, self.level, self.status,
                self.effective.isoformat() if self.effective else "", "、".join(self.replaces), self.note)


@dataclass(frozen=True)
class Layer:
    """What one layer contributes to a region: a region's own local standards, or the national/industry layer."""

    key: str
    """A region code, or NATIONAL."""
    name: str
    standards: Sequence[Standard]


@dataclass
class Statistics:
    """A 标准统计表: counts of the rows by level, domain, position, status and year."""

    total: int
    by_level: list[tuple[str, int]]
    by_domain: list[tuple[str, int]]
    by_position: list[tuple[str, str, int, int, int]]
    """(subsystem, position, rows, of which inferred, of which planned), in the order of GB/T 43507, then
    体系位置未确定 (subsystem "")."""
    by_status: list[tuple[str, int]]
    by_year: list[tuple[str, int]]
    planned: int = 0


class SystemView:
    """The catalogue seen as standard systems; positions are computed once per standard."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.vocab = catalog.vocab
        self.systems: dict[str, RegionSystem] = catalog.systems
        self._position = {s.number: stated_or_inferred(s, self.vocab.positions) for s in catalog.standards}
        own: dict[str, list[Standard]] = defaultdict(list)
        for s in catalog.standards:
            if s.region and s.level.key == "local":
                own[s.region].append(s)
        self._own = {code: self._sorted(standards) for code, standards in own.items()}
        self.national = self._sorted([s for s in catalog.standards if s.level.key != "local"])
        self._counted: dict[tuple[str, str], Counter[str]] = {}
        self._children: dict[str | None, list[Region]] = defaultdict(list)
        for region in sorted(self.vocab.regions.values(), key=lambda r: r.code):
            self._children[region.parent].append(region)

    # --- positions and layers -----------------------------------------------------------------------------

    def position(self, standard: Standard) -> Position:
        return self._position.get(standard.number) or stated_or_inferred(standard, self.vocab.positions)

    def slot_order(self) -> list[str]:
        return [*self.vocab.slots, UNPLACED]

    def _sorted(self, standards: Iterable[Standard]) -> list[Standard]:
        order = {name: i for i, name in enumerate(self.slot_order())}
        return sorted(standards, key=lambda s: (order[self.position(s).name or UNPLACED], s.number))

    def own(self, code: str) -> list[Standard]:
        """The local standards issued for exactly this region, by position."""
        return self._own.get(code, [])

    def children(self, code: str | None) -> list[Region]:
        return self._children.get(code, [])

    def layers(self, code: str) -> list[Layer]:
        """What applies in a region: the national/industry layer, then each region's own local standards from
        the province down to this one."""
        chain = self.vocab.region_chain(code)
        return [self.national_layer(), *(Layer(r.code, r.name, self.own(r.code)) for r in chain)]

    def national_layer(self) -> Layer:
        """The national and industry standards: the first layer of every region."""
        return Layer(NATIONAL, NATIONAL_NAME, self.national)

    def has_documents(self, code: str) -> bool:
        """A region gets the three documents when it has local standards of its own or a system file."""
        return bool(self.own(code)) or code in self.systems

    def document_regions(self) -> list[str]:
        return sorted({*self._own, *self.systems} & set(self.vocab.regions))

    def counts(self, layer: Layer) -> Counter[str]:
        """A layer's standards per position name (UNPLACED for none); counted once per layer."""
        key = ("position", layer.key)
        if key not in self._counted:
            self._counted[key] = Counter(self.position(s).name or UNPLACED for s in layer.standards)
        return self._counted[key]

    def domain_counts(self, layer: Layer) -> Counter[str]:
        """A layer's standards per domain (未归入领域 for none; a standard counts in each of its domains)."""
        key = ("domain", layer.key)
        if key not in self._counted:
            self._counted[key] = Counter(d for s in layer.standards for d in (s.domains or ("未归入领域",)))
        return self._counted[key]

    # --- rows of a 标准明细表 ------------------------------------------------------------------------------

    def rows(self, code: str) -> list[SystemRow]:
        """The rows of a region's system (NATIONAL: the national and industry layer), by position.

        Without a system file: the region's own local standards. With one: those (less the excluded), the
        standards it adopts at the positions it gives, and its planned standards."""
        if code == NATIONAL:
            return [self._row(s, self.position(s)) for s in self.national]
        system = self.systems.get(code)
        if system is None:
            return [self._row(s, self.position(s)) for s in self.own(code)]
        return self._ordered(self._system_rows(code, system))

    def _system_rows(self, code: str, system: RegionSystem) -> Iterator[SystemRow]:
        excluded = {number_key(e.number) for e in system.excluded}
        adopted = {number_key(a.number): a for a in system.adopted}
        for s in self.own(code):
            key = number_key(s.number)
            if key not in excluded and key not in adopted:
                yield self._row(s, self.position(s))
        for a in system.adopted:
            standard = self.catalog.get(a.number)
            if standard is None:
                position = Position(a.position, SYSTEM, "标准体系文件") if a.position else Position(None)
                yield SystemRow(position, a.number, "", "", "未收录", note="本库未收录此标准")
                continue
            position = Position(a.position, SYSTEM, "标准体系文件") if a.position else self.position(standard)
            yield self._row(standard, position, a.note)
        for p in system.planned:
            position = Position(p.position, SYSTEM, "标准体系文件")
            note = "；".join(x for x in (f"计划 {p.year} 年" if p.year else "",
                                        f"负责单位：{p.body}" if p.body else "", p.note) if x)
            yield SystemRow(position, "", p.title, "地方标准", p.status, note=note,
                            domains=(p.domain,) if p.domain else (), year=p.year, planned=p)

    def _ordered(self, rows: Iterable[SystemRow]) -> list[SystemRow]:
        order = {name: i for i, name in enumerate(self.slot_order())}
        return sorted(rows, key=lambda r: (order[r.position_name], r.planned is not None, r.number, r.title))

    def _row(self, s: Standard, position: Position, note: str = "") -> SystemRow:
        return SystemRow(position, s.number, s.display_title, s.level.name, self.catalog.status[s.number].label,
                         s.effective, tuple(self.catalog.replaces.get(s.number, s.replaces)), note, s.domains,
                         s.issued.year if s.issued else None, standard=s)


def statistics(view: SystemView, rows: Sequence[SystemRow]) -> Statistics:
    """The 标准统计表 of a list of rows: every count is a count of these rows."""
    levels = Counter(r.level or "未收录" for r in rows)
    domains: Counter[str] = Counter()
    for r in rows:
        domains.update(r.domains or ("未归入领域",))
    positions = Counter(r.position_name for r in rows)
    inferred = Counter(r.position_name for r in rows if r.position.inferred)
    planned = Counter(r.position_name for r in rows if r.planned is not None)
    statuses = Counter(r.status for r in rows)
    years = Counter(str(r.year) if r.year else "未收录" for r in rows)
    domain_order = [d.name for d in view.vocab.domains]
    by_position = [(view.vocab.slots[name].subsystem, name, positions[name], inferred[name], planned[name])
                   for name in view.vocab.slots]
    by_position.append(("", UNPLACED, positions[UNPLACED], 0, 0))
    return Statistics(
        total=len(rows),
        by_level=[(k, levels[k]) for k in ("国家标准", "行业标准", "地方标准", "未收录") if levels[k]],
        by_domain=[(d, domains[d]) for d in [*domain_order, "未归入领域"] if domains[d]]
        + [(d, n) for d, n in sorted(domains.items()) if d not in domain_order and d != "未归入领域"],
        by_position=by_position,
        by_status=sorted(statuses.items(), key=lambda kv: (-kv[1], kv[0])),
        by_year=sorted(years.items(), key=lambda kv: kv[0], reverse=True),
        planned=sum(r.planned is not None for r in rows),
    )

