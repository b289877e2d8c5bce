"""The monitoring pages (监测统计): coverage heat maps, gaps, change lists with feeds, and statistics.

Outputs (each page's size depends on the vocabulary and the division list, never on the number of standards,
except the change lists, which are paginated):
- monitor/index.md: domains × provinces heat map (monitor/coverage.svg) and its table, links to the rest;
- monitor/<province>.md: categories × units below the province (monitor/<province>.svg), its gaps and changes;
- monitor/gaps.md: categories and service items with no current standard anywhere;
- monitor/<kind>.md and monitor/<province>/<kind>.md: the change lists (generator.monitor.CHANGE_KINDS), with
  Atom feeds feeds/monitor/<kind>.xml and feeds/monitor/<province>/<kind>.xml (at most FEED_ENTRIES each);
- monitor/statistics.md: charts (monitor/stat-*.svg) of standards per year by level, per domain and by status,
  each with its table;
- downloads/monitor/<table>.json, .csv and .xlsx: every table and list above (generator.monitortables), a fixed
  number of files: the province pages' tables and lists are the rows of the national files with the province's
  code.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..datatables import FOLDER as DATA_FOLDER
from ..datatables import DataTable, table_files
from ..memo import Memo
from ..model import Catalog
from ..monitor import (
    CHANGE_KINDS,
    NATIONAL_COLUMN,
    NO_DOMAIN,
    Change,
    ChangeKind,
    Coverage,
    Gap,
    changes,
    domain_coverage,
    gaps,
    province_coverage,
    provinces,
)
from ..monitortables import change_table, coverage_table, gaps_table, province_coverage_table, statistics_tables
from ..numbers import LEVELS, slug
from ..status import STATUSES
from ..vocab import Region
from .base import Output, Page, RenderOptions, standard_src
from .charts import bars_svg, heatmap_svg, stacked_svg
from .paging import PAGE_SIZE, Pager, page_srcs
from .updates import _linker, _text

T = TypeVar("T")

__all__ = ["FEED_ENTRIES", "MONITOR_SRC", "render_monitor", "year_level_counts"]

MONITOR_SRC = "monitor/index.md"
FEED_ENTRIES = 100
_ATOM = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_UNDATED = "未收录"


def _list_src(kind: ChangeKind, province: str | None) -> str:
    return f"monitor/{province}/{kind.slug}.md" if province else f"monitor/{kind.slug}.md"


def _feed_path(kind: ChangeKind, province: str | None) -> str:
    return f"feeds/monitor/{province}/{kind.slug}.xml" if province else f"feeds/monitor/{kind.slug}.xml"


def _describe(coverage: Coverage) -> str:
    largest = coverage.largest
    filled = sum(1 for row in coverage.counts() for n in row if n)
    cells = len(coverage.rows) * len(coverage.columns)
    return (f"{coverage.title}：{len(coverage.rows)} 行 × {len(coverage.columns)} 列，{filled} / {cells} 格有现行标准，"
            f"一格最多 {largest} 项；各格数字见页面上的表格。")


def render_monitor(catalog: Catalog, options: RenderOptions,
                   memo: Memo | None = None) -> tuple[list[Output], list[DataTable]]:
    """The monitoring pages and files, and the tables behind them (their JSON, CSV and XLSX are among the
    outputs; downloads/datapackage.json describes them). `memo`: each table's files from earlier builds, reused
    while the table is the same (the XLSX writing is most of the cost)."""
    page = Page(catalog, options)
    out: list[Output] = []
    national_lists = {k.slug: changes(catalog, k.slug) for k in CHANGE_KINDS}
    coverage = domain_coverage(catalog)
    out.append(Output("monitor/coverage.svg", heatmap_svg(coverage.title, _describe(coverage), coverage.rows,
                                                           [c[1] for c in coverage.columns], coverage.counts()),
                      in_nav=False))
    national_gaps, national_items = gaps(catalog)
    out.append(page.render(
        MONITOR_SRC, "monitor.html", "监测统计", in_nav=True, coverage=coverage, kinds=CHANGE_KINDS,
        lists=national_lists, list_src=_list_src, feed_path=_feed_path, gap_count=len(national_gaps),
        national_column=NATIONAL_COLUMN, no_domain=NO_DOMAIN, data=DATA_FOLDER))
    out.append(page.render("monitor/gaps.md", "monitor_gaps.html", "标准空白", gaps=national_gaps,
                           items=national_items, province=None, data=DATA_FOLDER))
    for kind in CHANGE_KINDS:
        out.extend(_change_pages(page, kind, None, national_lists[kind.slug], memo))
        out.append(_feed(catalog, options, kind, None, national_lists[kind.slug], memo))
    coverages: list[tuple[Region, Coverage]] = []
    scopes: list[tuple[Region | None, list[Gap], list[tuple[str, str, str]]]] = [
        (None, national_gaps, national_items)]
    for province in provinces(catalog):
        outputs, its_coverage, its_gaps, its_items = _province(catalog, options, page, province, memo)
        out.extend(outputs)
        coverages.append((province, its_coverage))
        scopes.append((province, its_gaps, its_items))
    stats, stat_tables = _statistics(catalog, page)
    out.extend(stats)
    categories = [c.name for d in catalog.vocab.domains for c in d.categories]
    tables = [coverage_table(coverage), province_coverage_table(coverages, categories), gaps_table(scopes),
              *(change_table(catalog, k, national_lists[k.slug]) for k in CHANGE_KINDS), *stat_tables]
    for table in tables:
        files = _made(memo, ("table", table, catalog.as_of), functools.partial(table_files, table, catalog.as_of))
        out.extend(Output(path, content, in_nav=False) for path, content in files)
    return out, tables


def _province(catalog: Catalog, options: RenderOptions, page: Page, province: Region,
              memo: Memo | None) -> tuple[list[Output], Coverage, list[Gap], list[tuple[str, str, str]]]:
    code = province.code
    local = catalog.in_region(code)
    lists = {k.slug: changes(catalog, k.slug, local) for k in CHANGE_KINDS}
    coverage = province_coverage(catalog, province)
    its_gaps, its_items = gaps(catalog, province)
    out = [Output(f"monitor/{code}.svg", heatmap_svg(coverage.title, _describe(coverage), coverage.rows,
                                                      [c[1] for c in coverage.columns], coverage.counts(),
                                                      ident=f"h{code}"), in_nav=False),
           page.render(f"monitor/{code}.md", "monitor_province.html", f"{province.name}标准监测", region=code,
                       province=province, coverage=coverage, kinds=CHANGE_KINDS, lists=lists, list_src=_list_src,
                       feed_path=_feed_path, gaps=its_gaps, items=its_items, local=len(local), data=DATA_FOLDER)]
    for kind in CHANGE_KINDS:
        out.extend(_change_pages(page, kind, province, lists[kind.slug], memo))
        out.append(_feed(catalog, options, kind, province, lists[kind.slug], memo))
    return out, coverage, its_gaps, its_items


def _made(memo: Memo | None, inputs: Any, make: Callable[[], T]) -> T:
    return memo.made(inputs, make) if memo is not None else make()


def _change_pages(page: Page, kind: ChangeKind, province: Region | None, listed: Sequence[Change],
                  memo: Memo | None) -> list[Output]:
    """The pages of one change list; `memo`: each page from earlier builds while its rows (the standards as
    listed, their status, date and note) are the same."""
    code = province.code if province else None
    srcs = page_srcs(_list_src(kind, code), len(listed))
    scope = province.name if province else "全国"
    status = page.catalog.status
    out = []
    for number, src in enumerate(srcs, start=1):
        first = (number - 1) * PAGE_SIZE
        title = f"{scope}：{kind.label}的标准" + ("" if number == 1 else f"（第 {number} 页）")
        rows = listed[first:first + PAGE_SIZE]
        shown = [(c, status[c.standard.number].kind) for c in rows]
        make = functools.partial(page.render, src, "monitor_changes.html", title, region=code, kind=kind,
                                 province=province, changes=rows, pager=Pager(number, srcs, len(listed)),
                                 feed=_feed_path(kind, code), data=DATA_FOLDER)
        out.append(_made(memo, ("changes", src, title, kind, province, number, len(listed), shown), make))
    return out


def _feed(catalog: Catalog, options: RenderOptions, kind: ChangeKind, province: Region | None,
          listed: Sequence[Change], memo: Memo | None) -> Output:
    """An Atom feed of the list: its FEED_ENTRIES entries with the latest dates (ElementTree escapes). `memo`: the
    feed of an earlier build while its entries are the same."""
    newest = sorted(listed, key=lambda c: (c.date, c.standard.number), reverse=True)[:FEED_ENTRIES]
    return _made(memo, ("feed", kind, province, newest), lambda: _atom(catalog, options, kind, province, newest))


def _atom(catalog: Catalog, options: RenderOptions, kind: ChangeKind, province: Region | None,
          newest: Sequence[Change]) -> Output:
    code = province.code if province else None
    path = _feed_path(kind, code)
    link = _linker(path, options)
    scope = province.name if province else "全国"
    root = ET.Element("feed", {"xmlns": _ATOM, _XML_LANG: "zh-CN"})
    base = options.site_url.rstrip("/") + "/" if options.site_url else "tag:stdportal,2024:"
    _text(root, "id", base + path)
    _text(root, "title", f"{options.site_name}：{scope}{kind.label}的标准")
    _text(root, "updated", f"{catalog.as_of.isoformat()}T00:00:00Z")
    ET.SubElement(root, "link", {"rel": "self", "type": "application/atom+xml", "href": link(path)})
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html", "href": link(_list_src(kind, code))})
    _text(ET.SubElement(root, "author"), "name", options.site_name)
    for change in newest:
        s = change.standard
        node = ET.SubElement(root, "entry")
        _text(node, "id", f"{base}{path}#{slug(s.number)}/{change.date.isoformat()}")
        _text(node, "title", f"{s.number} {s.display_title}")
        _text(node, "updated", f"{min(change.date, catalog.as_of).isoformat()}T00:00:00Z")
        ET.SubElement(node, "link", {"rel": "alternate", "type": "text/html", "href": link(standard_src(s))})
        note = f"（{change.note}）" if change.note else ""
        _text(node, "content", f"{kind.date_label}：{change.date.isoformat()}{note}。{kind.about}。")
    ET.indent(root)
    return Output(path, '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n",
                  in_nav=False)


def year_level_counts(catalog: Catalog) -> list[tuple[str, list[int]]]:
    """(year of 发布日期 or 未收录, one count per level in LEVELS), newest year first."""
    index = {level.key: i for i, level in enumerate(LEVELS)}
    counts: dict[str, list[int]] = {}
    for s in catalog.standards:
        year = str(s.issued.year) if s.issued else _UNDATED
        counts.setdefault(year, [0] * len(LEVELS))[index[s.level.key]] += 1
    return sorted(counts.items(), key=lambda kv: (kv[0] == _UNDATED, -int(kv[0]) if kv[0] != _UNDATED else 0))


def _statistics(catalog: Catalog, page: Page) -> tuple[list[Output], list[DataTable]]:
    total = len(catalog.standards)
    years = year_level_counts(catalog)
    domains = Counter(d for s in catalog.standards for d in (s.domains or (NO_DOMAIN,)))
    by_domain = [(d.name, domains[d.name]) for d in catalog.vocab.domains]
    if domains[NO_DOMAIN]:
        by_domain.append((NO_DOMAIN, domains[NO_DOMAIN]))
    statuses = Counter(catalog.status[s.number].kind for s in catalog.standards)
    by_status = [(k.label, statuses[k]) for k in STATUSES]
    shares = [(label, count, round(count * 100 / total, 1) if total else 0.0) for label, count in by_status]
    levels = [level.name for level in LEVELS]
    charts = {
        "years": stacked_svg("各年发布的标准数（按层级）",
                             f"共 {total} 项标准按发布年份和层级统计；{len(years)} 行，数字见旁边的表格。",
                             levels, years, ident="sy"),
        "domains": bars_svg("各领域的标准数", "；".join(f"{n} {c} 项" for n, c in by_domain) + "。",
                            by_domain, ident="sd"),
        "status": bars_svg("各状态的标准数及占比", "；".join(f"{n} {c} 项（{p:.1f}%）" for n, c, p in shares)
                           + f"。状态按 {catalog.as_of.isoformat()} 计算。", by_status, ident="ss"),
    }
    files = [Output(f"monitor/stat-{key}.svg", svg, in_nav=False) for key, svg in charts.items()]
    stats = page.render("monitor/statistics.md", "monitor_stats.html", "标准统计", total=total, years=years,
                        levels=levels, by_domain=by_domain, shares=shares, as_of=catalog.as_of, data=DATA_FOLDER)
    return [stats, *files], statistics_tables(levels, years, by_domain, shares)
