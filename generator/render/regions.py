"""What applies where: a page for every region of the division list, and the GB/T 13016 documents of every
standard system (a region with local standards or a system file, and the national/industry layer).

Outputs, all proportional to the database (no region page repeats the national list; it counts it and links):
- regions/index.md: the provinces; regions/<code>.md: every province, prefecture and county (3,213 units),
  with its own local standards in pages of PAGE_SIZE (regions/<code>/2.md …);
- system/national.md and system/<code>.md: diagram, 统计表 and 明细表 (pages of PAGE_SIZE: system/<code>/2.md …),
  with system/<key>.svg, and the 明细表 as .json, .csv and .xlsx beside them, described by system/datapackage.json
  (with the schema they share, system/schema.json).
Region and system pages carry only the plain page metadata, so the adapter fills them into one shell per folder.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from markupsafe import Markup

from ..datatables import table_files
from ..memo import Memo
from ..model import Catalog
from ..parallel import map_slices
from ..system import NATIONAL, NATIONAL_NAME, Layer, SystemRow, SystemView, statistics
from ..urls import relative_url
from ..vocab import Region
from .base import Output, Page, RenderOptions
from .paging import PAGE_SIZE, PREVIEW_SIZE, Pager, page_srcs, paged
from .systemdocs import SCHEMA_FILE, detail_package, detail_schema, detail_table, diagram_svg

__all__ = ["domain_national_src", "render_region_pages", "system_src"]


def domain_national_src(slug: str) -> str:
    """The list of a domain's national and industry standards, which the region pages' tables count."""
    return f"domains/{slug}/national.md"


def system_src(key: str) -> str:
    """The page of a system's documents: system/national.md or system/<region code>.md."""
    return f"system/{key}.md"


@dataclass(frozen=True)
class _Cell:
    """One count of a summary table, with where it leads (None: nowhere)."""

    count: int
    target: str | None = None
    anchor: str = ""


def render_region_pages(catalog: Catalog, options: RenderOptions, memo: Memo | None = None) -> list[Output]:
    """`memo`: the outputs of earlier builds, by region (its pages) and by system (its documents), reused when
    everything they show is the same (generator.memo)."""
    view = SystemView(catalog)
    page = Page(catalog, options)
    national_rows = view.rows(NATIONAL)
    anchors = _position_anchors(view, national_rows)
    codes = sorted(catalog.vocab.regions)
    documents = [NATIONAL, *view.document_regions()]

    # What every region page shows alike (the national layer's counts and where they lead), spelled once.
    alike = memo.key(("regions", _national_counts(view), anchors)) if memo else ""

    def one(i: int) -> list[_Part]:
        """The outputs of a region or of a system's documents, in parts each with its memo key."""
        if i < len(codes):
            made = _Region(page, view, catalog.vocab.regions[codes[i]], anchors)
            return [_part(memo, ("region", alike, made.inputs()), made.outputs)]
        code = documents[i - len(codes)]
        name = NATIONAL_NAME if code == NATIONAL else catalog.vocab.regions[code].name
        return _documents(page, view, code, name, national_rows if code == NATIONAL else view.rows(code), memo)

    # Region pages, then documents (XLSX writing is the slowest part): one list of work for every core.
    results = map_slices(lambda part: [one(i) for i in part], len(codes) + len(documents))
    names = [NATIONAL_NAME if code == NATIONAL else catalog.vocab.regions[code].name for code in documents]
    listed = [detail_table(code, _system_title(view, code, name), ()) for code, name in zip(documents, names,
                                                                                             strict=True)]
    outputs = [_index(page, view), Output(f"system/{SCHEMA_FILE}", detail_schema(), in_nav=False),
               Output("system/datapackage.json", detail_package(listed), in_nav=False)]
    for parts in results:
        for key, made in parts:
            if memo is not None:
                assert not isinstance(made, list)
                outputs.extend(memo.settle(key, made))
            else:
                assert isinstance(made, list)
                outputs.extend(made)
    return outputs


_Part = tuple[str, list[Output] | bytes | None]
"""(memo key, the outputs: with a memo as it keeps them (compressed by the worker), None when it has them, so
that only the key travels back from a worker; without a memo the outputs themselves)."""


def _alone(make: Callable[[], Output]) -> list[Output]:
    return [make()]


def _part(memo: Memo | None, inputs: Any, make: Callable[[], list[Output]]) -> _Part:
    return memo.pending(inputs, make) if memo is not None else ("", make())


def _national_counts(view: SystemView) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The national layer's counts by position and by domain, as every region's tables show them (_Region)."""
    national = view.national_layer()
    return sorted(view.counts(national).items()), sorted(view.domain_counts(national).items())


def _shown_rows(view: SystemView, rows: Sequence[SystemRow]) -> list[tuple[SystemRow, str]]:
    """Rows as a list shows them: the row (its standard's record included) and the status it is marked with."""
    status = view.catalog.status
    return [(r, status[r.number].kind.slug if r.number in status else "") for r in rows]


def _index(page: Page, view: SystemView) -> Output:
    provinces = [(r, len(view.catalog.in_region(r.code))) for r in view.children(None)]
    return page.render("regions/index.md", "regions.html", "按地区浏览", in_nav=True, provinces=provinces,
                       national=len(view.national), national_src=system_src(NATIONAL))


def _position_anchors(view: SystemView, rows: Sequence[SystemRow]) -> dict[str, tuple[str, str]]:
    """position name → (page src, anchor) of its first row in the national 明细表."""
    srcs = page_srcs(system_src(NATIONAL), len(rows))
    found: dict[str, tuple[str, str]] = {}
    for i, row in enumerate(rows):
        if row.position_name not in found:
            found[row.position_name] = (srcs[i // PAGE_SIZE], _anchor(view, row.position_name))
    return found


def _anchor(view: SystemView, position: str) -> str:
    return f"pos-{view.slot_order().index(position)}"


class _Region:
    """A region's pages: what they show is worked out first (`inputs()`, the memo's key), the pages are
    rendered only when asked (`outputs()`)."""

    def __init__(self, page: Page, view: SystemView, region: Region, anchors: dict[str, tuple[str, str]]) -> None:
        self.page, self.view, self.region, self.anchors = page, view, region, anchors
        self.layers = layers = view.layers(region.code)
        self.rows = rows = view.rows(region.code)  # its own standards, or its system's rows with a system file
        self.positions = [view.counts(layer) for layer in layers[:-1]]
        self.positions.append(Counter(r.position_name for r in rows))
        self.domains: list[Counter[str]] = [view.domain_counts(layer) for layer in layers[:-1]]
        self.domains.append(Counter(d for r in rows for d in (r.domains or ("未归入领域",))))
        self.children = [(r, len(view.catalog.in_region(r.code))) for r in view.children(region.code)]
        self.previews = [(layer, layer.standards[:PREVIEW_SIZE]) for layer in layers[1:-1] if layer.standards]

    def inputs(self) -> tuple[Any, ...]:
        """Everything the pages show, as a value: the layers' names and sizes, the previewed standards as the
        list shows them, the counts of the two tables (and where the national counts lead), the sub-regions, the
        system and the region's own rows. The tables themselves are made only for the pages made."""
        view, code = self.view, self.region.code
        status = view.catalog.status
        previews = [(layer.key, layer.name, len(layer.standards),
                     [(s, status[s.number].kind.slug, view.position(s)) for s in shown])
                    for layer, shown in self.previews]
        # The national layer's counts and the anchors are every region's (the caller's key has them once).
        counts = [sorted(c.items()) for c in (*self.positions[1:], *self.domains[1:])]
        return (code, view.vocab.region_chain(code), [(layer.key, layer.name, len(layer.standards))
                                                      for layer in self.layers],
                previews, counts, self.children, view.systems.get(code),
                view.has_documents(code), _shown_rows(view, self.rows))

    def outputs(self) -> list[Output]:
        view, region, layers = self.view, self.region, self.layers
        heads = ["国家和行业", *(layer.name for layer in layers[1:])]
        position_rows = [([subsystem, name], cells) for subsystem, name, cells in
                         _position_table(view, layers, self.positions, self.anchors)]
        domain_rows = [([name], cells) for name, cells in _domain_table(view, layers, self.domains)]
        url = _folder_url(self.page.options.directory_urls)
        return paged(self.page, f"regions/{region.code}.md", "region.html", region.name,
                     self.rows,  # type: ignore[arg-type]
                     region=region.code, chain=view.vocab.region_chain(region.code), layers=layers,
                     previews=self.previews, positions=_count_table(["子体系", "体系位置", *heads], position_rows, url),
                     domains=_count_table(["领域", *heads], domain_rows, url),
                     children=self.children, view=view, system=view.systems.get(region.code),
                     has_documents=view.has_documents(region.code), system_src=system_src,
                     national_src=system_src(NATIONAL))


def _position_table(view: SystemView, layers: list[Layer], counts: list[Counter[str]],
                    anchors: dict[str, tuple[str, str]]) -> list[tuple[str, str, list[_Cell]]]:
    """Rows of (subsystem, position, one count per layer); the national count leads to its 明细表 rows."""
    table = []
    for name in view.slot_order():
        slot = view.vocab.slots.get(name)
        src, anchor = anchors.get(name, (None, ""))
        cells = [_Cell(counts[0][name], src if counts[0][name] else None, anchor)]
        cells += [_Cell(c[name], _layer_target(layer, c[name]))
                  for layer, c in zip(layers[1:], counts[1:], strict=True)]
        table.append((slot.subsystem if slot else "", name, cells))
    return table


def _domain_table(view: SystemView, layers: list[Layer],
                  counts: list[Counter[str]]) -> list[tuple[str, list[_Cell]]]:
    names = [d.name for d in view.vocab.domains]
    if any(c["未归入领域"] for c in counts):
        names.append("未归入领域")
    slug = {d.name: d.slug for d in view.vocab.domains}
    table = []
    for name in names:
        cells = [_Cell(counts[0][name], domain_national_src(slug[name]) if counts[0][name] and name in slug else None)]
        cells += [_Cell(c[name], _layer_target(layer, c[name]))
                  for layer, c in zip(layers[1:], counts[1:], strict=True)]
        table.append((name, cells))
    return table


@functools.lru_cache(maxsize=2)
def _folder_url(directory_urls: bool) -> Any:
    """Links from the first page of any region (all are regions/<code>.md, so the links are the same)."""
    return functools.lru_cache(maxsize=4096)(
        functools.partial(relative_url, "regions/000000.md", directory_urls=directory_urls))


def _count_table(heads: list[str], rows: list[tuple[list[str], list[_Cell]]], url: Any) -> Markup:
    """A summary table as HTML, built here rather than in the template: every one of the 3,213 region pages
    has two, and Jinja's per-cell overhead would be most of the build time of those pages."""
    out = ['<div class="sp-table-wrap"><table class="sp-table">\n<thead><tr>',
           *(f'<th scope="col">{escape(h)}</th>' for h in heads), "</tr></thead>\n<tbody>\n"]
    for names, cells in rows:
        out.append("<tr>")
        out.extend(f"<td>{escape(n)}</td>" for n in names[:-1])
        out.append(f'<th scope="row">{escape(names[-1])}</th>')
        for c in cells:
            shown = (f'<a class="sp-count" href="{escape(url(c.target, anchor=c.anchor))}">{c.count}</a>' if c.target
                     else str(c.count))
            out.append(f"<td>{shown}</td>")
        out.append("</tr>\n")
    out.append("</tbody>\n</table></div>")
    return Markup("".join(out))


def _layer_target(layer: Layer, count: int) -> str | None:
    return f"regions/{layer.key}.md" if count else None


def _system_title(view: SystemView, key: str, name: str) -> str:
    system = view.systems.get(key)
    return system.name if system else ("国家标准和行业标准体系" if key == NATIONAL else f"{name}地方标准体系")


def _documents(page: Page, view: SystemView, key: str, name: str, rows: list[SystemRow],
               memo: Memo | None) -> list[_Part]:
    """A system's documents: the diagram and the 明细表's files, then each page of the 明细表 on its own (a
    changed row makes its own page again, not the fifty others)."""
    system = view.systems.get(key)
    title = _system_title(view, key, name)
    subtitle = (f"{system.body or '编制单位未载明'} {system.version.isoformat()}" if system
                else "按标准记录和推断规则整理")
    stats = statistics(view, rows)
    shown = _shown_rows(view, rows)
    stem = f"system/{key}"

    def files() -> list[Output]:
        structure = [(s, _clause(view, s)) for s in view.vocab.subsystems]
        return [Output(f"{stem}.svg", diagram_svg(title, subtitle, stats, structure), in_nav=False),
                *(Output(path, content, in_nav=False)
                  for path, content in table_files(detail_table(key, title, rows), view.catalog.as_of))]

    parts = [_part(memo, ("system-files", key, title, subtitle, shown), files)]
    srcs = page_srcs(system_src(key), len(rows))
    region = view.vocab.regions.get(key)
    chain = view.vocab.region_chain(key) if region else []
    # The standards the page names as not adopted, as linked (the number as recorded) or not.
    excluded = [(e, (found := view.catalog.get(e.number)) and found.number)
                for e in (system.excluded if system else ())]
    for number, src in enumerate(srcs, start=1):
        first = (number - 1) * PAGE_SIZE
        heading = title if number == 1 else f"{title}（明细表第 {number} 页）"
        anchors = _first_rows(view, rows, first)
        make = functools.partial(
            page.render, src, "system.html", heading, region=key if region else None, key=key, name=name,
            system=system, stats=stats, rows=rows[first:first + PAGE_SIZE], first=first,
            pager=Pager(number, srcs, len(rows)), anchors=anchors, chain=chain, stem=stem, subtitle=subtitle)
        inputs = ("system-page", src, heading, key, name, system, stats, number, len(rows), excluded, chain,
                  subtitle, anchors, shown[first:first + PAGE_SIZE])
        parts.append(_part(memo, inputs, functools.partial(_alone, make)))
    return parts


def _first_rows(view: SystemView, rows: list[SystemRow], first: int) -> dict[int, str]:
    """Index on this page → anchor, for the first row of each position (the region pages link there)."""
    seen: set[str] = set()
    out: dict[int, str] = {}
    for i, row in enumerate(rows):
        if row.position_name not in seen:
            seen.add(row.position_name)
            if first <= i < first + PAGE_SIZE:
                out[i - first] = _anchor(view, row.position_name)
    return out


def _clause(view: SystemView, subsystem: str) -> str:
    clauses = [s.clause.split(".")[0] for s in view.vocab.slots.values() if s.subsystem == subsystem]
    return f"第 {clauses[0]} 章" if clauses else ""
