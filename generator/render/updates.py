"""The updates page and its Atom feeds: what each commit to the database added, changed, abolished or removed.

One feed for the whole site (`feeds/updates.xml`), one per region with local standards
(`feeds/regions/<code>.xml`, the region and the regions below it) and one per domain
(`feeds/domains/<slug>.xml`). With `site_url` set, links are absolute and entry ids are URLs; without it,
links are relative to the feed and ids are `tag:` URIs, and the page says so.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import jinja2

from ..gitlog import Change
from ..history import History, RecordHistory, Update
from ..model import Catalog
from ..numbers import parse_number
from ..records import Standard
from ..urls import page_url
from .base import Output, Page, RenderOptions, for_readers, standard_src

__all__ = ["KIND_LABELS", "render_updates"]

KIND_LABELS = {"added": "新增", "abolished": "废止", "changed": "修改", "renamed": "改名", "removed": "删除"}
"""The page's words for what a commit did to a record, in the order the page lists them."""
PAGE_UPDATES = 100
FEED_ENTRIES = 50
SHOWN_PER_KIND = 50
"""An initial import adds thousands of records in one commit: list this many of each kind, then a count."""
UPDATES_SRC = "updates/index.md"
SITE_FEED = "feeds/updates.xml"
_ATOM = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CONTROL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)])  # not allowed in XML 1.0


@dataclass(frozen=True)
class Item:
    """One record in one update, resolved against the catalogue."""

    change: Change
    number: str
    title: str
    standard: Standard | None
    """The standard's page to link to; None when it is no longer in the catalogue or this change removed it."""
    scopes: frozenset[str]
    """The feeds it belongs in besides the site's: `regions/<code>`, `domains/<slug>`."""


@dataclass(frozen=True)
class Group:
    label: str
    items: tuple[Item, ...]
    more: int


@dataclass(frozen=True)
class Entry:
    """An update as shown: one commit and the groups of records it touched (within one feed's scope)."""

    update: Update
    groups: tuple[Group, ...]

    @property
    def anchor(self) -> str:
        return "c-" + self.update.commit.hash[:12]


@dataclass(frozen=True)
class Feed:
    path: str
    title: str
    label: str
    """What it follows, as the updates page lists it: 全站, a domain or a region."""
    page: str
    """The page the feed is about (its alternate link)."""
    scope: str
    """"" for the whole site, else `regions/<code>` or `domains/<slug>`."""


def render_updates(catalog: Catalog, options: RenderOptions, history: History | None = None) -> list[Output]:
    history = history or History()
    items = _items(catalog, history)
    feeds = _feeds(catalog, options)
    entries = [_entry(u, its) for u, its in zip(history.updates[:PAGE_UPDATES], items, strict=False)]
    page = Page(catalog, options)
    updates_page = page.render(
        UPDATES_SRC, "updates.html", "最近更新", in_nav=True, history=history, entries=entries,
        total=len(history.updates), site_feed=feeds[0],
        domain_feeds=[f for f in feeds if f.scope.startswith("domains/")],
        region_feeds=[f for f in feeds if f.scope.startswith("regions/")],
        meta={"stdportal_feeds": [{"href": SITE_FEED, "title": feeds[0].title}]})
    by_scope = _by_scope(history, items)
    return [updates_page, *(Output(f.path, _atom(f, by_scope.get(f.scope, []), catalog, options, page.env),
                                   in_nav=False) for f in feeds)]


def _items(catalog: Catalog, history: History) -> list[list[Item]]:
    by_path = {"/".join(s.path.parts[-2:]): s for s in catalog.standards}
    chains: dict[str, frozenset[str]] = {}

    def scopes(standard: Standard | None, change: Change) -> frozenset[str]:
        region = (standard.region if standard else change.region or _region_of(change.number)) or ""
        domains = standard.domains if standard else change.domains
        if region not in chains:
            chains[region] = frozenset(f"regions/{r.code}" for r in catalog.vocab.region_chain(region)) if region \
                else frozenset()
        slugs = {f"domains/{d.slug}" for d in map(catalog.vocab.domain, domains) if d}
        return chains[region] | slugs

    def item(change: Change, record: RecordHistory) -> Item:
        current = by_path.get(record.path) if record.path else None  # the record as it is at HEAD
        standard = current if change.kind != "removed" else None
        number = standard.number if standard else change.number or posixpath.basename(change.path)[:-5]
        title = standard.display_title if standard else change.title
        return Item(change, number, title, standard, scopes(current, change))

    return [[item(change, record) for change, record in u.entries] for u in history.updates]


def _region_of(number: str) -> str:
    parsed, _ = parse_number(number)
    return (parsed.region_code or "") if parsed else ""


def _entry(update: Update, items: list[Item]) -> Entry:
    groups = []
    for kind, label in KIND_LABELS.items():
        of_kind = [i for i in items if i.change.kind == kind]
        if of_kind:
            groups.append(Group(label, tuple(of_kind[:SHOWN_PER_KIND]), max(0, len(of_kind) - SHOWN_PER_KIND)))
    return Entry(update, tuple(groups))


def _by_scope(history: History, items: list[list[Item]]) -> dict[str, list[Entry]]:
    """Scope → its newest entries (at most FEED_ENTRIES), each holding only that scope's records."""
    scoped: dict[str, list[Entry]] = defaultdict(list)
    for update, its_items in zip(history.updates, items, strict=True):
        if len(scoped[""]) < FEED_ENTRIES:
            scoped[""].append(_entry(update, its_items))
        per_scope: dict[str, list[Item]] = defaultdict(list)
        for item in its_items:
            for scope in item.scopes:
                per_scope[scope].append(item)
        for scope, scope_items in per_scope.items():
            if len(scoped[scope]) < FEED_ENTRIES:
                scoped[scope].append(_entry(update, scope_items))
    return scoped


def _feeds(catalog: Catalog, options: RenderOptions) -> list[Feed]:
    site = options.site_name
    feeds = [Feed(SITE_FEED, f"{site}：最近更新", "全站", UPDATES_SRC, "")]
    for domain in catalog.vocab.domains:
        feeds.append(Feed(f"feeds/domains/{domain.slug}.xml", f"{site}：{domain.name}标准更新", domain.name,
                          f"domains/{domain.slug}.md", f"domains/{domain.slug}"))
    for region in catalog.regions_with_standards():
        name = "".join(r.name for r in catalog.vocab.region_chain(region.code))
        feeds.append(Feed(f"feeds/regions/{region.code}.xml", f"{site}：{name}地方标准更新", name,
                          f"regions/{region.code}.md", f"regions/{region.code}"))
    return feeds


def _atom(feed: Feed, entries: list[Entry], catalog: Catalog, options: RenderOptions,
          env: jinja2.Environment) -> str:
    """An Atom 1.0 document; ElementTree does the escaping."""
    link = _linker(feed.path, options)
    root = ET.Element("feed", {"xmlns": _ATOM, _XML_LANG: "zh-CN"})
    _text(root, "id", _feed_id(feed, options))
    _text(root, "title", feed.title)
    newest = entries[0].update.commit.date.isoformat() if entries else f"{catalog.as_of.isoformat()}T00:00:00Z"
    _text(root, "updated", newest)
    ET.SubElement(root, "link", {"rel": "self", "type": "application/atom+xml", "href": link(feed.path)})
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html", "href": link(feed.page)})
    author = ET.SubElement(root, "author")
    _text(author, "name", options.site_name)
    changes = env.get_template("_update_changes.html")
    for entry in entries:
        commit = entry.update.commit
        node = ET.SubElement(root, "entry")
        _text(node, "id", _entry_id(feed, commit.hash, commit.date.date().isoformat(), options))
        _text(node, "title", for_readers(commit.message) or f"{commit.date.date().isoformat()} 标准数据更新")
        _text(node, "updated", commit.date.isoformat())
        ET.SubElement(node, "link", {"rel": "alternate", "type": "text/html",
                                     "href": link(UPDATES_SRC, entry.anchor)})
        content = changes.render(entry=entry, url=link, std_url=lambda s: link(standard_src(s)))
        _text(node, "content", content.strip(), type="html")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _linker(feed_path: str, options: RenderOptions) -> Callable[..., str]:
    """Links from a feed: absolute under site_url, else relative to the feed's own address (a file, so up one
    folder per level of its path; cheaper than relative_url for the thousands of links in a large site)."""
    base = options.site_url.rstrip("/") + "/" if options.site_url else "../" * feed_path.count("/")

    def link(target: str, anchor: str = "") -> str:
        if target == feed_path and not options.site_url:
            return posixpath.basename(feed_path)
        return base + page_url(target, options.directory_urls) + (f"#{anchor}" if anchor else "")

    return link


def _feed_id(feed: Feed, options: RenderOptions) -> str:
    if options.site_url:
        return options.site_url.rstrip("/") + "/" + feed.path
    return f"tag:stdportal,2024:{feed.path}"


def _entry_id(feed: Feed, commit: str, day: str, options: RenderOptions) -> str:
    """Unique per feed and commit: an aggregator that reads two feeds keeps their differing entries apart."""
    suffix = f"/{feed.scope}" if feed.scope else ""
    if options.site_url:
        return options.site_url.rstrip("/") + "/" + page_url(UPDATES_SRC, options.directory_urls) + f"#{commit}{suffix}"
    return f"tag:stdportal,{day}:{commit}{suffix}"


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs)
    node.text = text.translate(_CONTROL)
    return node
