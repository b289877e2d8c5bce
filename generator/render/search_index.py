"""The search page and the browser's search index: term postings split into shards by a hash of the term, and
result data split into small chunks, so a query fetches only the few files its terms and its top results live in.

A single prebuilt lunr index must be fetched whole before the first search (35–58 MB at 10,000 standards,
issue #3's measurements); here a query for 养老院服务 fetches its 4 terms' shards and the chunks of its top
results. The layout is read by overrides/assets/stdportal/search.js.

    search-index/manifest.json      counts, shard count, chunk size, the synonym and region-name tables of query
                                    expansion (also written into the search page)
    search-index/t/<n>.json         {term: [gap, weight, gap, weight, …]}   n = fnv1a(term) mod shards
    search-index/d/<n>.json         [[number, title, title_en, status, status label, level name, url], …]
    search-index/p/<n>.json         {region name: code}   n = fnv1a(the name's first two characters) mod places
                                    a query fetches the one of each word's beginning (a name must begin a word)
    search-index/attrs.json         filter data by column, fetched only when a filter is used
    search-index/regions.json       {parent code: [[code, name], …]} below the provinces, for the page's region
                                    choice (province → prefecture → county); fetched when a reader goes to it

Postings list documents in id order, each id as the gap from the one before (the first from 0): small numbers
that compress well. At 100,000 synthetic standards the postings of 服务 (94,275 documents) take 87 KB gzip
this way, against 279 KB as plain ids.
"""

from __future__ import annotations

import json
from collections import defaultdict

from ..model import Catalog
from ..numbers import LEVELS
from ..search.documents import SearchDoc, places_of, search_documents, simplified_of, synonyms_of
from ..status import STATUSES
from .base import Output, Page, RenderOptions

__all__ = ["CHUNK_SIZE", "INDEX_VERSION", "fnv1a", "place_shard", "region_tree", "render_search_index"]

INDEX_VERSION = 5
"""Bumped when the layout changes: 2 = postings as id gaps, filter data by column; 3 = synonyms and places in the
manifest; 4 = the places (every region's names) in places.json, fetched beside the term shards; 5 = the places
split into shards by a name's first two characters."""

CHUNK_SIZE = 16
"""Results per data chunk: the 10 results of a page usually sit in 10 different chunks, so keep them small."""
_SHARD_TARGET = 12_000
"""Bytes of JSON per term shard (about 3 KB gzip): a query fetches one shard per term, and the other terms in it
are bytes it does not need (at 10,000 standards, 48,000 gave 养老院服务 69 KB gzip of shards for 17 KB of its own
postings; 12,000 gives 36 KB)."""
_PLACE_SHARD_TARGET = 2_000
"""Bytes of JSON per place shard: the 6,000 region names (136 KB) in 64 files of about 1 KB gzip, of which a query
fetches one or two, beside its term shards (as one file, every query fetched 34 KB gzip more)."""


def render_search_index(catalog: Catalog, options: RenderOptions,
                        docs: list[SearchDoc] | None = None) -> list[Output]:
    """The search page and its index. `docs`: the search documents when the caller has them already."""
    docs = sorted(docs if docs is not None else search_documents(catalog, options.directory_urls),
                  key=lambda d: d.id)
    postings: dict[str, list[int]] = defaultdict(list)
    last: dict[str, int] = defaultdict(int)
    for doc in docs:
        for term, weight in doc.terms.items():
            postings[term].extend((doc.id - last[term], weight))
            last[term] = doc.id
    shard_count = _shard_count(postings)
    names = places_of(catalog.vocab, (s.title or "" for s in catalog.standards))
    places = _place_shards(names)
    synonyms = synonyms_of(catalog.vocab)
    table = simplified_of(postings, names, synonyms)
    shards: list[dict[str, list[int]]] = [{} for _ in range(shard_count)]
    for term in sorted(postings):
        shards[fnv1a(term) % shard_count][term] = postings[term]
    manifest = {"version": INDEX_VERSION, "docs": len(docs), "shards": shard_count, "chunk": CHUNK_SIZE,
                "places": len(places), "as_of": catalog.as_of.isoformat(),
                # query expansion (generator.search.analyzer.expand): words → synonyms; region names → codes are
                # in the place shards (6,000 names: too many for the page that carries the manifest)
                "synonyms": synonyms,
                # traditional characters → simplified ones the index holds, as two strings of the same length
                "simplified": ["".join(table), "".join(table.values())]}
    outputs = [
        # The manifest rides in the page too (overrides/main.html puts it on search.js in the head): the query in
        # the address starts fetching its term shards before the page's styles have loaded.
        Page(catalog, options).render(
            "search/index.md", "search.html", "搜索标准", in_nav=True, levels=LEVELS, statuses=STATUSES,
            provinces=sorted((r for r in catalog.vocab.regions.values() if r.parent is None), key=lambda r: r.code),
            # No site navigation or table of contents beside the search form: on a wide screen the two sidebars
            # cost the page's first style and layout passes, which the first result waits behind. The theme still
            # puts the navigation in the phone's menu (its drawer ignores `hide`).
            meta={"stdportal_search_index": _attribute_json(manifest), "hide": ["navigation", "toc"]}),
        _json("search-index/manifest.json", manifest),
        _json("search-index/attrs.json", _attrs(catalog, docs)),
        _json("search-index/regions.json", region_tree(catalog)),
    ]
    outputs += [_json(f"search-index/t/{i}.json", shard) for i, shard in enumerate(shards)]
    outputs += [_json(f"search-index/p/{i}.json", shard) for i, shard in enumerate(places)]
    for start in range(0, len(docs), CHUNK_SIZE):
        rows = [[d.number, d.title, d.title_en, d.status, d.status_label, d.level_name, d.url]
                for d in docs[start : start + CHUNK_SIZE]]
        outputs.append(_json(f"search-index/d/{start // CHUNK_SIZE}.json", rows))
    return outputs


def region_tree(catalog: Catalog) -> dict[str, list[list[str]]]:
    """Every region of the vocabulary below the provinces, as its parent's children in code order: all of them,
    not only those with standards, so that a reader can choose their own county and see what applies there (the
    national and industry standards and those of the regions above it)."""
    tree: dict[str, list[list[str]]] = defaultdict(list)
    for region in sorted(catalog.vocab.regions.values(), key=lambda r: r.code):
        if region.parent is not None:
            tree[region.parent].append([region.code, region.name])
    return dict(tree)


def fnv1a(term: str) -> int:
    """32-bit FNV-1a over UTF-8: cheap, and the same in JavaScript (Math.imul)."""
    h = 0x811C9DC5
    for byte in term.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def _shard_count(postings: dict[str, list[int]]) -> int:
    return _split(sum(len(term) * 3 + 6 + 3 * len(values) for term, values in postings.items()), _SHARD_TARGET)


def _split(size: int, target: int) -> int:
    """How many shards (a power of two) bring `size` bytes to `target` or fewer each."""
    count = 1
    while count * target < size:
        count *= 2
    return count


def place_shard(name: str, count: int) -> int:
    """The place shard of a region name, or of a query word that may begin with one: by its first two characters
    (every region name has at least two)."""
    return fnv1a(name[:2]) % count


def _place_shards(places: dict[str, str]) -> list[dict[str, str]]:
    count = _split(sum(len(name) * 3 + len(code) + 6 for name, code in places.items()), _PLACE_SHARD_TARGET)
    shards: list[dict[str, str]] = [{} for _ in range(count)]
    for name in sorted(places):
        shards[place_shard(name, count)][name] = places[name]
    return shards


def _attrs(catalog: Catalog, docs: list[SearchDoc]) -> dict[str, object]:
    """Filter data by column, each value as a small index into its list: repeated values compress to little
    (at 100,000 synthetic standards 78 KB gzip, against 122 KB as one row per standard)."""
    domains = [d.name for d in catalog.vocab.domains]
    levels = sorted({d.level for d in docs})
    statuses = sorted({d.status for d in docs})
    regions = sorted({d.region for d in docs if d.region})
    region_index = {code: i + 1 for i, code in enumerate(regions)}
    return {
        "levels": levels,
        "statuses": statuses,
        "domains": domains,
        "regions": regions,
        # per doc, in id order: level and status as one digit each (index in levels / statuses), the domains as
        # a bit mask (bit i = domains[i]), the region as 1 + its index in regions (0: none)
        "level": "".join(str(levels.index(d.level)) for d in docs),
        "status": "".join(str(statuses.index(d.status)) for d in docs),
        "domain": [sum(1 << domains.index(x) for x in d.domains if x in domains) for d in docs],
        "region": [region_index.get(d.region, 0) if d.region else 0 for d in docs],
    }


def _attribute_json(data: object) -> str:
    """JSON for a single-quoted HTML attribute, Chinese as UTF-8 (half the bytes of \\u escapes)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;").replace(">", "&gt;")


def _json(path: str, data: object) -> Output:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Markup characters as escapes: the data stays the same, and no file of the site carries a raw tag.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Output(path, text, in_nav=False)
