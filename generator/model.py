"""The catalogue: checked standards with their vocabularies, relations and status as of a date.

Everything the renderers need is computed here once; renderers only read it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from .numbers import LEVELS, Level, number_key
from .records import Standard
from .status import Status, StatusKind, compute_status
from .vocab import Region, Vocabulary

if TYPE_CHECKING:
    from .systemfile import RegionSystem

T = TypeVar("T")

__all__ = ["Catalog", "body_slug", "build_catalog", "replacement_chain", "replacing_index"]


@dataclass
class Catalog:
    standards: list[Standard]
    vocab: Vocabulary
    as_of: dt.date
    status: dict[str, Status] = field(default_factory=dict)
    replaced_by: dict[str, list[str]] = field(default_factory=dict)
    """number → numbers of the standards that replace it (from the database and the record itself)."""
    replaces: dict[str, list[str]] = field(default_factory=dict)
    """number → numbers it replaces (from the record itself and from records that say it replaced them)."""
    systems: dict[str, RegionSystem] = field(default_factory=dict)
    """region code → the region's own standard system file (generator.systemfile), where it has one."""
    _by_key: dict[str, Standard] = field(default_factory=dict)
    _regions: dict[str, list[Standard]] | None = None
    _by_status: dict[str, list[Standard]] = field(default_factory=dict, repr=False)
    _derived: dict[Callable[[Catalog], Any], Any] = field(default_factory=dict, repr=False, compare=False)

    def get(self, number: str) -> Standard | None:
        return self._by_key.get(number_key(number))

    def by_level(self, level: Level) -> list[Standard]:
        return list(self.derived(_by_level).get(level.key, ()))

    def by_status(self, kind: StatusKind) -> list[Standard]:
        """The standards of a status, in catalogue order (worked out once per status: lists, counts and the
        monitoring pages ask for it many times)."""
        if kind.slug not in self._by_status:
            self._by_status[kind.slug] = [s for s in self.standards if self.status[s.number].kind == kind]
        return self._by_status[kind.slug]

    def derived(self, make: Callable[[Catalog], T]) -> T:
        """make(self), worked out once: for a value that depends on the catalogue alone and is asked for many
        times (the catalogue does not change once built)."""
        if make not in self._derived:
            self._derived[make] = make(self)
        return self._derived[make]  # type: ignore[no-any-return]

    def by_domain(self, domain: str) -> list[Standard]:
        return list(self.derived(_by_domain).get(domain, ()))

    def by_category(self, category: str) -> list[Standard]:
        return list(self.derived(_by_category).get(category, ()))

    def in_region(self, code: str) -> list[Standard]:
        """Local standards of the region and of every region below it."""
        return self._region_index().get(code, [])

    def regions_with_standards(self) -> list[Region]:
        return [self.vocab.regions[c] for c in sorted(self._region_index())]

    def _region_index(self) -> dict[str, list[Standard]]:
        """region code → its standards and its sub-regions', built once (regions × standards otherwise)."""
        if self._regions is None:
            index: dict[str, list[Standard]] = defaultdict(list)
            for s in self.standards:
                for region in self.vocab.region_chain(s.region) if s.region else ():
                    index[region.code].append(s)
            self._regions = dict(index)
        return self._regions

    def bodies(self) -> dict[str, list[Standard]]:
        """Issuing body (发布单位, as written) → its standards, by name."""
        groups: dict[str, list[Standard]] = defaultdict(list)
        for s in self.standards:
            if s.issuer:
                groups[s.issuer].append(s)
        return dict(sorted(groups.items()))

    def newest(self, count: int) -> list[Standard]:
        dated = [s for s in self.standards if s.issued and s.issued <= self.as_of]
        return sorted(dated, key=lambda s: (s.issued, s.number), reverse=True)[:count]


def _by_level(catalog: Catalog) -> dict[str, list[Standard]]:
    """level key → its standards in catalogue order (the lists ask once per level, the counts many times)."""
    return _grouped(catalog, lambda s: (s.level.key,))


def _by_domain(catalog: Catalog) -> dict[str, list[Standard]]:
    return _grouped(catalog, lambda s: s.domains)


def _by_category(catalog: Catalog) -> dict[str, list[Standard]]:
    return _grouped(catalog, lambda s: s.categories)


def _grouped(catalog: Catalog, names: Callable[[Standard], Iterable[str]]) -> dict[str, list[Standard]]:
    """name → the standards that have it, in catalogue order (a standard under each of its names once)."""
    groups: dict[str, list[Standard]] = defaultdict(list)
    for s in catalog.standards:
        for name in dict.fromkeys(names(s)):
            groups[name].append(s)
    return dict(groups)


def build_catalog(standards: list[Standard], vocab: Vocabulary, as_of: dt.date) -> Catalog:
    order = {level.key: i for i, level in enumerate(LEVELS)}
    ordered = sorted(standards, key=lambda s: (order[s.level.key], s.number))
    catalog = Catalog(ordered, vocab, as_of, _by_key={number_key(s.number): s for s in ordered})
    replacing = replacing_index(ordered)
    replaced: dict[str, list[str]] = defaultdict(list)
    for s in ordered:
        for new in s.replaced_by_stated:
            replaced[number_key(new)].append(s.number)
    for s in ordered:
        in_db = replacing.get(number_key(s.number), [])
        catalog.replaced_by[s.number] = _unique([r.number for r in in_db] + list(s.replaced_by_stated))
        catalog.replaces[s.number] = _unique([*s.replaces, *replaced.get(number_key(s.number), [])])
        catalog.status[s.number] = compute_status(s, as_of, in_db)
    return catalog


def replacing_index(standards: list[Standard]) -> dict[str, list[Standard]]:
    """number key → the standards in `standards` that replace it, once each. A relation may be written on either
    side: `代替标准` on the new edition or `被代替标准` on the old one."""
    by_key = {number_key(s.number): s for s in standards}
    found: dict[str, dict[str, Standard]] = defaultdict(dict)
    for s in standards:
        for old in s.replaces:
            found[number_key(old)].setdefault(s.number, s)
        for new in s.replaced_by_stated:
            if number_key(new) in by_key:
                found[number_key(s.number)].setdefault(by_key[number_key(new)].number, by_key[number_key(new)])
    return {key: list(by_number.values()) for key, by_number in found.items()}


def body_slug(name: str) -> str:
    """A stable, short URL name for an issuing body (names are Chinese and may contain any character)."""
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


def _unique(numbers: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for n in numbers:
        seen.setdefault(number_key(n), n)
    return list(seen.values())


def replacement_chain(catalog: Catalog, standard: Standard) -> list[str]:
    """Every edition linked to this one through 代替 relations, oldest first (by following the links)."""
    older: list[str] = []
    newer: list[str] = []
    seen = {number_key(standard.number)}
    _walk(catalog, standard.number, lambda s: catalog.replaces.get(s.number, []), older, seen)
    _walk(catalog, standard.number, lambda s: catalog.replaced_by.get(s.number, []), newer, seen)
    return [*reversed(older), standard.number, *newer]


def _walk(catalog: Catalog, start: str, step: Any, out: list[str], seen: set[str]) -> None:
    frontier = [start]
    while frontier:
        current = catalog.get(frontier.pop(0))
        for number in step(current) if current else ():
            if number_key(number) not in seen:
                seen.add(number_key(number))
                out.append(number)
                frontier.append(number)
