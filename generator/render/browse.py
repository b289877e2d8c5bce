"""Home and the browse pages: by level, domain, region, status and issuing body (the search page is in
search_index.py, with its index)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ..model import Catalog, body_slug
from ..numbers import LEVELS
from ..status import STATUSES
from ..vocab import Region
from .base import Output, Page, RenderOptions

__all__ = ["render_browse_pages"]

NEWEST_COUNT = 10


def render_browse_pages(catalog: Catalog, options: RenderOptions) -> list[Output]:
    page = Page(catalog, options)
    return [
        page.render("index.md", "home.html", options.site_name, in_nav=True, newest=catalog.newest(NEWEST_COUNT)),
        *_levels(page, catalog),
        *_domains(page, catalog),
        *_regions(page, catalog),
        *_statuses(page, catalog),
        *_bodies(page, catalog),
    ]


def _levels(page: Page, catalog: Catalog) -> Iterator[Output]:
    yield page.render("levels/index.md", "levels.html", "按层级浏览", in_nav=True)
    for level in LEVELS:
        yield page.render(f"levels/{level.key}.md", "list.html", level.name,
                          standards=catalog.by_level(level), parent=("levels/index.md", "按层级浏览"))


def _domains(page: Page, catalog: Catalog) -> Iterator[Output]:
    yield page.render("domains/index.md", "domains.html", "按领域浏览", in_nav=True)
    for domain in catalog.vocab.domains:
        yield page.render(f"domains/{domain.slug}.md", "domain.html", domain.name, domain=domain)


def _regions(page: Page, catalog: Catalog) -> Iterator[Output]:
    with_standards = catalog.regions_with_standards()
    yield page.render("regions/index.md", "regions.html", "按地区浏览", in_nav=True, regions=with_standards)
    children: dict[str | None, list[Region]] = defaultdict(list)
    for region in with_standards:
        children[region.parent].append(region)
    for region in with_standards:
        own = [s for s in catalog.in_region(region.code) if s.region == region.code]
        yield page.render(f"regions/{region.code}.md", "region.html", region.name, region=region.code,
                          chain=catalog.vocab.region_chain(region.code), children=children[region.code], own=own,
                          all_standards=catalog.in_region(region.code))


def _statuses(page: Page, catalog: Catalog) -> Iterator[Output]:
    yield page.render("status/index.md", "statuses.html", "按状态浏览", in_nav=True, statuses=STATUSES)
    for kind in STATUSES:
        yield page.render(f"status/{kind.slug}.md", "list.html", kind.label, standards=catalog.by_status(kind),
                          parent=("status/index.md", "按状态浏览"))


def _bodies(page: Page, catalog: Catalog) -> Iterator[Output]:
    bodies = catalog.bodies()
    unknown = [s for s in catalog.standards if not s.issuer]
    yield page.render("bodies/index.md", "bodies.html", "按发布单位浏览", in_nav=True, bodies=bodies,
                      unknown=unknown)
    for name, standards in bodies.items():
        yield page.render(f"bodies/{body_slug(name)}.md", "list.html", name, standards=standards,
                          parent=("bodies/index.md", "按发布单位浏览"))
