"""Home and the browse pages: by level, domain, region (generator.render.regions: every region and the
standard-system documents), status and issuing body (the search page is in search_index.py, with its index)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..memo import Memo
from ..model import Catalog, body_slug
from ..numbers import LEVELS
from ..records import Standard
from ..status import STATUSES
from ..vocab import Category
from .base import Output, Page, RenderOptions
from .paging import PREVIEW_SIZE, paged
from .regions import domain_national_src, render_region_pages

__all__ = ["render_browse_pages"]

NEWEST_COUNT = 10


def render_browse_pages(catalog: Catalog, options: RenderOptions, memo: Memo | None = None) -> list[Output]:
    page = Page(catalog, options)
    return [
        page.render("index.md", "home.html", options.site_name, in_nav=True, newest=catalog.newest(NEWEST_COUNT)),
        *_levels(page, catalog, memo),
        *_domains(page, catalog, memo),
        *render_region_pages(catalog, options, memo),
        *_statuses(page, catalog, memo),
        *_bodies(page, catalog, memo),
    ]


def _levels(page: Page, catalog: Catalog, memo: Memo | None) -> Iterator[Output]:
    yield page.render("levels/index.md", "levels.html", "按层级浏览", in_nav=True)
    for level in LEVELS:
        yield from paged(page, f"levels/{level.key}.md", "list.html", level.name, catalog.by_level(level),
                         memo=memo, parent=("levels/index.md", "按层级浏览"))


@dataclass(frozen=True)
class _Group:
    """A group of standards on a page that shows its first few and links to its own list."""

    src: str
    total: int
    shown: Sequence[Standard]
    category: Category | None = None


def _domains(page: Page, catalog: Catalog, memo: Memo | None) -> Iterator[Output]:
    yield page.render("domains/index.md", "domains.html", "按领域浏览", in_nav=True)
    for domain in catalog.vocab.domains:
        src = f"domains/{domain.slug}.md"
        standards = catalog.by_domain(domain.name)
        lists: list[tuple[str, str, list[Standard], Category | None]] = [
            (f"domains/{domain.slug}/c{c.number}.md", f"{domain.name} › {c.name}", catalog.by_category(c.name), c)
            for c in domain.categories]
        unsorted = [s for s in standards if not s.categories]
        lists.append((f"domains/{domain.slug}/other.md", f"{domain.name} › 尚未归入大类的标准", unsorted, None))
        groups = [_Group(list_src, len(members), members[:PREVIEW_SIZE], c) for list_src, _, members, c in lists]
        # Categories with standards first: a reader looks for the standards, not for the empty headings.
        filled = sorted(groups[:-1], key=lambda g: g.total == 0)
        yield page.render(src, "domain.html", domain.name, domain=domain, total=len(standards), groups=filled,
                          unsorted=groups[-1])
        for list_src, title, members, _ in lists:
            if len(members) > PREVIEW_SIZE:
                yield from paged(page, list_src, "list.html", title, members, memo=memo, parent=(src, domain.name))
        national = [s for s in standards if s.level.key != "local"]
        if national:  # what every region's table counts as this domain's national and industry standards
            yield from paged(page, domain_national_src(domain.slug), "list.html", f"{domain.name} › 国家标准和行业标准",
                             national, memo=memo, parent=(src, domain.name), note=NATIONAL_NOTE)


NATIONAL_NOTE = "国家标准和行业标准在全国适用。各地的地方标准只在本地区适用，见各地区的页面。"


def _statuses(page: Page, catalog: Catalog, memo: Memo | None) -> Iterator[Output]:
    yield page.render("status/index.md", "statuses.html", "按状态浏览", in_nav=True, statuses=STATUSES)
    for kind in STATUSES:
        yield from paged(page, f"status/{kind.slug}.md", "list.html", kind.label, catalog.by_status(kind),
                         memo=memo, parent=("status/index.md", "按状态浏览"))


def _bodies(page: Page, catalog: Catalog, memo: Memo | None) -> Iterator[Output]:
    bodies = catalog.bodies()
    unknown = [s for s in catalog.standards if not s.issuer]
    yield page.render("bodies/index.md", "bodies.html", "按发布单位浏览", in_nav=True, bodies=bodies,
                      unknown=unknown)
    for name, standards in bodies.items():
        yield from paged(page, f"bodies/{body_slug(name)}.md", "list.html", name, standards,
                         memo=memo, parent=("bodies/index.md", "按发布单位浏览"))
