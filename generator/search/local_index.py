"""Search a database from the command line: keep an index on disk in step with the catalogue, then query it.

The index lives in `<db>/../.stdportal/search/` unless told otherwise: whoosh's files under `whoosh/`;
`documents.json`, a digest of each indexed document by record file; `state.json`, what the whole index depends on
(format, as-of date, database folder), how many record files were left out, the regions the documents name and
the key of what the index was last brought in step with. Each search:

1. lists everything below the database folder (one stat per file, `dbfiles.tree_stamp`) and keys the listing
   with the header and the generator's code: the key stored in state.json, the index is up to date and no
   record is read (the usual case; only the vocabularies are loaded, for synonyms and regions). A listing with
   a time stamp from the last two seconds is not stored, since a file could change again within its tick;
2. otherwise takes the catalogue of the valid records from the pipeline (`pipeline.valid_catalog`: each record
   file is read and checked once per content, generator.recordstore) and its documents
   (`documents.search_documents`, the ones the site's search page gets), and rewrites in the index just the
   documents whose digest differs from the stored one and deletes those of record files gone or now with errors
   (a new edition changes the status, so the document, of the one it replaces: that one is rewritten too);
3. rebuilds everything when there is no index yet, or when the as-of date, the database folder or the index
   format changed;
4. queries with the analyzer (`analyzer.expand`: synonyms, a region named in the query), documents and
   ranking (`ranking.score`) of the site's search page.

The first step knows nothing about records, only whether anything below the database changed; every rule about
them (status, replacement, what is valid) is the pipeline's. A record with errors is left out (as
`stdportal check` would report it) and counted in `SyncStats.invalid`. Two records with one number (an error of
`check`) are both indexed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..asof import resolve_as_of
from ..dbfiles import tree_stamp
from ..errors import ConfigError
from ..model import Catalog
from ..recordstore import code_digest
from ..vocab import Vocabulary, load_vocabulary
from .analyzer import Expanded, expand, simplified, words_apart
from .documents import places_of, search_documents, simplified_of, synonyms_of
from .whoosh_engine import Entry, Found, WhooshIndex

__all__ = ["FILTERS", "SearchOutcome", "SearchResult", "SyncStats", "default_index_dir", "search_database"]

FORMAT = 6
"""Bump when how documents are indexed changes; an index of another format is rebuilt."""
FILTERS = ("level", "status", "domain", "region")
_STATE = "state.json"
_DOCUMENTS = "documents.json"
_SETTLE_NS = 2_000_000_000
"""How long ago the newest time stamp below the database must be for the listing to vouch for "nothing changed"
(coarse file system clocks tick in milliseconds; FAT's in two seconds)."""


@dataclass(frozen=True)
class SearchResult:
    code: str
    """the standard number"""
    title: str
    status: str
    """Chinese label: 现行, 被代替 …"""
    status_key: str
    level: str
    """Chinese name: 国家标准 …"""
    level_key: str
    region: str
    url: str
    """site-relative page URL"""
    score: float


@dataclass
class SyncStats:
    """What keeping the index in step cost this time."""

    rebuilt: bool = False
    indexed: int = 0
    """documents (re)written"""
    removed: int = 0
    invalid: int = 0
    """record files left out because they have errors"""
    files: list[str] = field(default_factory=list)
    """the record files (relative to the database) re-indexed or removed, in order"""


@dataclass(frozen=True)
class SearchOutcome:
    query: str
    terms: list[str]
    total: int
    """documents matching well enough to be shown (results holds at most `limit`; see generator.search.ranking)"""
    results: list[SearchResult]
    sync: SyncStats
    region: str | None = None
    """the region the results apply in (--region, or a region named in the query), as a code"""
    region_named: str | None = None
    """the name of that region when the query named it (and --region did not)"""
    widened: list[str] = field(default_factory=list)
    """the official words the query was also searched with (analyzer.Expanded.widened)"""
    simplified: str | None = None
    """the query in simplified characters, when it was typed in traditional ones (analyzer.simplified)"""
    apart: list[str] = field(default_factory=list)
    alone: str | None = None
    """when the query's words together found nothing, or nothing holding one of them that alone finds standards:
    its words searched one at a time (analyzer.words_apart) and the one the results are for (the fewest but none)"""
    missing: list[str] = field(default_factory=list)
    """otherwise, when the query's words found standards together: those of them that alone find none (婴儿 游泳:
    游泳), so the results are for the others"""


def default_index_dir(db_dir: Path) -> Path:
    return db_dir.resolve().parent / ".stdportal" / "search"


def search_database(db_dir: Path, query: str, *, level: str | None = None, status: str | None = None,
                    domain: str | None = None, region: str | None = None, local_only: bool = False,
                    limit: int = 10, as_of: dt.date | None = None, index_dir: Path | None = None) -> SearchOutcome:
    """Bring the index of db_dir up to date, then run the query with its filters. `region` (a code or a name)
    keeps what applies there: national and industry standards, and the local standards of the region, of the
    regions above it and of those within it; `local_only` keeps local standards only."""
    if not db_dir.is_dir():
        raise ConfigError(f"找不到标准数据库文件夹 {db_dir}，请在项目根目录运行，或用 --db 指定")
    as_of = as_of or resolve_as_of()
    index = _LocalIndex(db_dir, index_dir or default_index_dir(db_dir), as_of)
    sync, vocab, words, table = index.sync()
    engine = WhooshIndex(index.whoosh_dir)
    asked, query = query, simplified(query, table)
    places = places_of(vocab)
    code = _region_code(region, vocab, places) if region else None  # a region asked for by name: any of its names
    synonyms, named_places = synonyms_of(vocab), {k: v for k, v in places.items() if k not in words}
    expanded = expand(query, synonyms, named_places)
    if not expanded.variants:
        return SearchOutcome(asked, [], 0, [], sync)
    if local_only:
        level = "local"
    filters = {k: v for k, v in {"level": level, "status": status, "domain": domain}.items() if v}

    def found(expanded: Expanded) -> Found:
        where = code or expanded.place
        applies_in = [where, *(r.code for r in reversed(vocab.region_chain(where)[:-1]))] if where else []
        return engine.search(expanded.variants, filters, limit, applies_in)

    together = found(expanded)
    code = code or expanded.place
    total, hits, alone, widened = together.total, together.hits, None, expanded.widened
    # A query of several words is searched word by word too, where its region (or --region) says. When the words
    # together find nothing, or nothing that holds a word which alone finds standards (殡葬 图书馆: 图书馆's two
    # terms outweigh 殡葬's one), the word with the fewest results but none is shown instead, the most telling.
    # A standard number typed (35796 学校 校车) is what the reader wants when it finds something.
    apart = words_apart(query, expanded.place_name)
    ones = [expand(simplified(word, table), synonyms, named_places) for word in apart]  # as the browser does
    each = [found(one) if one.variants else Found([], frozenset()) for one in ones]
    numbered = any(variant.numbers for variant in expanded.variants)
    if not together.total or not numbered and any(its.docs and not its.docs & together.docs for its in each):
        for word, one, its in zip(apart, ones, each, strict=True):
            if its.total and (alone is None or its.total < total):
                total, hits, alone, widened = its.total, its.hits, word, one.widened
    missing = [word for word, its in zip(apart, each, strict=True) if not its.total] if total and alone is None else []
    results = [SearchResult(code=hit.number, title=hit.shown.get("title", ""), status=hit.shown.get("status_label", ""),
                            status_key=hit.shown.get("status", ""), level=hit.shown.get("level_name", ""),
                            level_key=hit.shown.get("level", ""), region=hit.shown.get("region", ""),
                            url=hit.shown.get("url", ""), score=round(hit.score, 3)) for hit in hits]
    named = vocab.regions[code].name if code and not region and code in vocab.regions else None
    return SearchOutcome(asked, expanded.terms, total, results, sync, code, named, widened,
                         query if query != asked else None, apart if alone is not None else [], alone, missing)


def _region_code(region: str, vocab: Vocabulary, places: dict[str, str]) -> str:
    """The code of a region given by code, full name or short name (镇江市, 镇江)."""
    text = region.strip()
    if text in vocab.regions:
        return text
    code = places.get(text)
    if code is None:
        raise ConfigError(f"不认识的地区“{region}”：请写 6 位行政区划代码（如 321100）或地区名称（如 镇江市）")
    return code


# --- keeping the index in step ---------------------------------------------------------------------------


class _LocalIndex:
    def __init__(self, db_dir: Path, folder: Path, as_of: dt.date) -> None:
        self.db_dir = db_dir.resolve()  # the catalogue's paths are resolved
        self.folder = folder
        self.whoosh_dir = folder / "whoosh"
        self.as_of = as_of

    def sync(self) -> tuple[SyncStats, Vocabulary, set[str], dict[str, str]]:
        """Bring the index in step with the catalogue; what it cost, the database's vocabularies, the short region
        names its titles use as words (no place in a query, as on the site: documents.places_of), and the
        traditional characters a query is read in simplified ones with (documents.simplified_of)."""
        header = {"format": FORMAT, "db": str(self.db_dir), "as_of": self.as_of.isoformat()}
        started = time.time_ns()
        stamp = tree_stamp(self.db_dir)  # before anything is read: what changes from here on shows next time
        unchanged = _unchanged_key(header, stamp.digest)
        state = self._read_json(_STATE)
        engine = WhooshIndex(self.whoosh_dir)
        fresh = state is not None and state.get("header") == header and engine.exists()
        if fresh and state is not None and state.get("unchanged") == unchanged:
            vocab, _ = load_vocabulary(self.db_dir)  # for synonyms and regions; nothing else is read
            return (SyncStats(invalid=int(state.get("invalid", 0))), vocab, set(state.get("words", ())),
                    dict(state.get("simplified", {})))
        stats, vocab, invalid, words, table = self._catch_up(engine, fresh)
        # A file written in the clock tick of the stamp could be written again with the same time stamp and
        # size: the stamp vouches for nothing until every time stamp in it is safely in the past.
        settled = stamp.newest_ns < started - _SETTLE_NS
        self._write_json(_STATE, {"header": header, "unchanged": unchanged if settled else None, "invalid": invalid,
                                  "words": sorted(words), "simplified": table})
        stats.invalid = invalid
        return stats, vocab, words, table

    def _catch_up(self, engine: WhooshIndex, fresh: bool) -> tuple[SyncStats, Vocabulary, int, set[str],
                                                                  dict[str, str]]:
        """The shared catalogue's documents into the index: all of them when it is not `fresh` (none yet, or of
        another format, database folder or as-of date), else just those whose digest changed."""
        from ..pipeline import valid_catalog  # the renderers come with it: only a search that reads records loads them

        catalog, _, invalid = valid_catalog(self.db_dir, self.as_of)
        entries = {entry.key: entry for entry in self._entries(catalog)}
        digests = {key: _digest(entry) for key, entry in entries.items()}
        known = self._read_json(_DOCUMENTS) if fresh else None
        if known is None:
            (self.folder / _STATE).unlink(missing_ok=True)
            stats = SyncStats(rebuilt=True, indexed=engine.rebuild(entries.values()), files=sorted(entries))
        else:
            changed = sorted(key for key, value in digests.items() if known.get(key) != value)
            removed = sorted(set(known) - set(digests))
            if changed or removed:
                engine.update([entries[key] for key in changed], removed)
            stats = SyncStats(indexed=len(changed), removed=len(removed), files=sorted({*changed, *removed}))
        if stats.rebuilt or stats.files:
            self._write_json(_DOCUMENTS, digests)
        titles = (s.title or "" for s in catalog.standards)
        names = places_of(catalog.vocab, titles)
        words = set(places_of(catalog.vocab)) - set(names)
        table = simplified_of((term for entry in entries.values() for term in entry.terms), names,
                              synonyms_of(catalog.vocab))
        return stats, catalog.vocab, invalid, words, table

    def _entries(self, catalog: Catalog) -> Iterator[Entry]:
        vocab = catalog.vocab
        for standard, doc in zip(catalog.standards, search_documents(catalog), strict=True):
            domains = [*standard.domains, *(d.slug for d in map(vocab.domain, standard.domains) if d)]
            chain = vocab.region_chain(standard.region) if standard.region else []
            shown = {"title": doc.title or doc.title_en, "status": doc.status, "status_label": doc.status_label,
                     "level": doc.level, "level_name": doc.level_name, "region": doc.region, "url": doc.url}
            facets = {"level": [doc.level], "status": [doc.status], "domain": domains,
                      "region": [*(r.code for r in chain), *(r.name for r in chain)], "place": [doc.region]}
            yield Entry(key=standard.path.relative_to(self.db_dir).as_posix(), number=doc.number, terms=doc.terms,
                        facets=facets, shown=shown)

    def _read_json(self, name: str) -> dict[str, Any] | None:
        try:
            data = json.loads((self.folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _write_json(self, name: str, data: dict[str, Any]) -> None:
        """Each file replaced whole; the index first, then documents.json, then state.json: a search stopped in
        between finds old digests and rewrites those documents again, which is harmless."""
        self.folder.mkdir(parents=True, exist_ok=True)
        temp = self.folder / f"{name}.{os.getpid()}.tmp"
        temp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(temp, self.folder / name)


def _unchanged_key(header: dict[str, Any], tree: str) -> str:
    """What the index was last brought in step with: the header, the generator's own code and the listing of
    everything below the database folder (records, vocabularies, region system files)."""
    text = json.dumps([header, code_digest(), tree], sort_keys=True)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _digest(entry: Entry) -> str:
    """What a document puts in the index, as a digest that does not depend on the order of its mappings."""
    text = json.dumps([entry.key, entry.number, entry.terms, entry.facets, entry.shown], ensure_ascii=False,
                      sort_keys=True)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
