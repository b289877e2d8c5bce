"""The command line's search engine: whoosh (the maintained fork whoosh-reloaded). Every whoosh import is here.

What whoosh does: storage on disk, the inverted index, candidate retrieval, the filters and per-record
updates (a unique `key` field, the record file's path). What it does not: tokenising and scoring. The index is
fed the `SearchDoc.terms` the browser gets, through a field type of our own (`_WeightedTerms`) whose postings
carry each term's integer weight as whoosh's posting weight (and frequency); whoosh's analyzers and BM25 are
not used. A query reads the postings of the terms of its variants (`generator.search.analyzer.expand`), which
gives the candidates, each candidate's weight for each term, and each term's document frequency over the live
documents; `generator.search.ranking.score_postings` turns those into the scores the browser computes too.
"""

from __future__ import annotations

import heapq
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as _index
from whoosh.fields import ID, KEYWORD, STORED, FieldType, Schema
from whoosh.formats import Frequency
from whoosh.index import LockError
from whoosh.query import And, Or, Term
from whoosh.system import pack_uint

from ..errors import BuildError
from . import ranking
from .analyzer import Variant

__all__ = ["Entry", "Found", "Hit", "WhooshIndex"]

_FACETS = ("level", "status", "domain", "region", "place")
"""region: the codes and names of a standard's region and the regions above it; place: its own region's code"""
_LOCK_TIMEOUT = 10.0


class _WeightedTerms(FieldType):
    """A field indexed from a ready `{term: weight}` mapping: one posting per term, weight as frequency."""

    def __init__(self) -> None:
        # scorable: whoosh then keeps per-document lengths, which we do not use; without them its segment writer
        # asks the file system whether a lengths file exists once per posting (minutes at 10,000 standards).
        super().__init__(format=Frequency(), analyzer=None, scorable=True, stored=False)

    def index(self, value: Mapping[str, int], **kwargs: Any):  # type: ignore[override]
        for term, weight in value.items():
            yield term.encode("utf-8"), int(weight), float(weight), pack_uint(int(weight))


def _schema() -> Schema:
    return Schema(
        key=ID(stored=True, unique=True),
        number=ID(stored=True, sortable=True),
        terms=_WeightedTerms(),
        level=ID,
        status=ID,
        domain=KEYWORD(commas=True, scorable=True),
        region=KEYWORD(commas=True, scorable=True),
        place=ID,
        shown=STORED,
    )


@dataclass(frozen=True)
class Entry:
    """One document to index: `key` identifies it for updates; `facets` are the values filters match."""

    key: str
    number: str
    terms: Mapping[str, int]
    facets: Mapping[str, Sequence[str]]
    shown: Mapping[str, Any]
    """what a result shows, stored as is"""


@dataclass(frozen=True)
class Hit:
    number: str
    score: float
    shown: Mapping[str, Any]


@dataclass(frozen=True)
class Found:
    hits: list[Hit]
    """the best documents shown, best first"""
    docs: frozenset[int]
    """all of them, as this index's document numbers (to tell whether two searches share a document)"""

    @property
    def total(self) -> int:
        """how many documents are shown in all"""
        return len(self.docs)


class WhooshIndex:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def exists(self) -> bool:
        try:
            return _index.exists_in(str(self.folder))
        except Exception:  # a damaged folder counts as none; the caller rebuilds
            return False

    def rebuild(self, entries: Iterable[Entry]) -> int:
        """Replace the whole index by these entries; returns how many were written."""
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        ix = _index.create_in(str(self.folder), _schema())
        writer = ix.writer(limitmb=256)
        count = 0
        for entry in entries:
            writer.add_document(**_fields(entry))
            count += 1
        writer.commit(optimize=True)
        return count

    def update(self, entries: Sequence[Entry], removed: Sequence[str]) -> None:
        """Add or replace `entries` (by key) and delete the documents of the `removed` keys."""
        if not entries and not removed:
            return
        ix = _index.open_dir(str(self.folder))
        try:
            writer = ix.writer(timeout=_LOCK_TIMEOUT)
        except LockError:
            raise BuildError(f"搜索索引 {self.folder} 正被另一个进程更新，请稍后再试") from None
        try:
            for key in removed:
                writer.delete_by_term("key", key)
            for entry in entries:
                writer.update_document(**_fields(entry))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def field_values(self, name: str) -> list[str]:
        """Every value a facet holds in the index (region: the codes and names of the regions with standards).
        A deleted document's values stay in the index's term list until its segment is merged: with deletions,
        only values some live document holds count."""
        ix = _index.open_dir(str(self.folder))
        with ix.searcher() as searcher:
            values = list(searcher.reader().field_terms(name))
            if searcher.reader().has_deletions():
                values = [v for v in values if any(True for _ in searcher.docs_for_query(Term(name, v)))]
            return [str(v) for v in values]

    def search(self, variants: Sequence[Variant], filters: Mapping[str, str], limit: int,
               applies_in: Sequence[str] = ()) -> Found:
        """The `limit` best documents for the query's variants among those every filter matches, and how many
        documents are shown in all. `applies_in`: a region code and the codes above it; only national and
        industry standards and the local standards of those regions or of regions within the first are kept."""
        terms = list(dict.fromkeys(t for v in variants for t in v.terms))
        ix = _index.open_dir(str(self.folder))
        with ix.searcher() as searcher:
            reader = searcher.reader()
            allowed = None
            wanted: list[Any] = [Term(name, value) for name, value in filters.items() if value]
            if applies_in:
                wanted.append(Or([Term("level", "national"), Term("level", "industry"), Term("region", applies_in[0]),
                                  *(Term("place", code) for code in applies_in[1:])]))
            if wanted:
                allowed = set(searcher.docs_for_query(And(wanted) if len(wanted) > 1 else wanted[0]))
            postings: dict[str, dict[int, int]] = {}
            df: dict[str, int] = {}
            for term in terms:
                if ("terms", term) not in reader:
                    continue
                matcher = reader.postings("terms", term)
                docs: dict[int, int] = {}
                while matcher.is_active():
                    docs[matcher.id()] = int(matcher.weight())
                    matcher.next()
                df[term] = len(docs)  # live documents only: deleted ones are filtered out of the postings
                postings[term] = docs if allowed is None else {d: w for d, w in docs.items() if d in allowed}
            scores = ranking.score_postings(postings, df, reader.doc_count(), variants)
            hits = [Hit(number, value, searcher.stored_fields(docnum).get("shown") or {})
                    for value, docnum, number in _best(scores, limit, reader)]
            return Found(hits, frozenset(scores))


def _best(scores: dict[int, float], limit: int, reader: Any) -> list[tuple[float, int, str]]:
    """The `limit` best (score, docnum, number), ties broken by number. Numbers are read from the column only
    for the documents that can still make the list (those scoring at least the limit-th score)."""
    if not scores or limit <= 0:
        return []
    kth = heapq.nlargest(limit, scores.values())[-1]
    floor = ranking.rank_key(kth, "")[0]
    column = reader.column_reader("number", translate=True)
    contenders = [(value, docnum, column[docnum]) for docnum, value in scores.items()
                  if value > kth - 1e-6 and ranking.rank_key(value, "")[0] <= floor]
    contenders.sort(key=lambda item: ranking.rank_key(item[0], item[2]))
    return contenders[:limit]


def _fields(entry: Entry) -> dict[str, Any]:
    fields: dict[str, Any] = {"key": entry.key, "number": entry.number, "terms": dict(entry.terms),
                              "shown": dict(entry.shown)}
    for name in _FACETS:
        values = [v.replace(",", " ") for v in entry.facets.get(name, ()) if v]
        if values:
            fields[name] = ",".join(values) if name in ("domain", "region") else values[0]
    return fields
