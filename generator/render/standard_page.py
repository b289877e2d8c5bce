"""One page per standard: every field with the official labels, its replacement chain and its sources."""

from __future__ import annotations

from ..fields import FIELDS
from ..model import Catalog
from ..numbers import number_key
from ..records import Standard
from .base import Output, Page, RenderOptions, standard_src

__all__ = ["render_standard_pages", "replacement_chain"]


def render_standard_pages(catalog: Catalog, options: RenderOptions) -> list[Output]:
    page = Page(catalog, options)
    return [
        page.render(standard_src(s), "standard.html", s.display_title, region=s.region, own_feedback=s.feedback,
                    standard=s, status=catalog.status[s.number], fields=[f for f in FIELDS if f.shown],
                    replaced_by=catalog.replaced_by[s.number], replaces=catalog.replaces[s.number], chain=replacement_chain(catalog, s))
        for s in catalog.standards
    ]


def replacement_chain(catalog: Catalog, standard: Standard) -> list[str]:
    """Every edition linked to this one through 代替 relations, oldest first (by following the links)."""
    older: list[str] = []
    newer: list[str] = []
    seen = {number_key(standard.number)}
    _walk(catalog, standard.number, lambda s: catalog.replaces.get(s.number, []), older, seen)
    _walk(catalog, standard.number, lambda s: catalog.replaced_by.get(s.number, []), newer, seen)
    return [*reversed(older), standard.number, *newer]


def _walk(catalog: Catalog, start: str, step, out: list[str], seen: set[str]) -> None:
    frontier = [start]
    while frontier:
        current = catalog.get(frontier.pop(0))
        for number in step(current) if current else ():
            if number_key(number) not in seen:
                seen.add(number_key(number))
                out.append(number)
                frontier.append(number)
