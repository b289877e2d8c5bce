"""What each standard contributes to search: its terms with weights, and what a result shows.

Both engines index these documents, so a query ranks the same in the browser and on the command line:
a term's weight is the sum over fields of field weight (once per field: a repeated word adds nothing),
times the status factor (the current edition ranks above the one it replaced) and the level factor (a national
standard ranks above a local one that matches as well: a query that names no region wants what applies
everywhere; one that names a region is filtered to what applies there).
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..memo import Memo
from ..model import Catalog
from ..records import Standard
from ..urls import page_url, standard_src
from ..vocab import Vocabulary
from .analyzer import (
    analyze,
    place_table,
    simplified_table,
    standard_code_terms,
    standard_number_terms,
    synonym_table,
    unigrams,
)

__all__ = ["FIELD_WEIGHTS", "LEVEL_FACTORS", "STATUS_FACTORS", "SearchDoc", "places_of", "search_documents",
           "simplified_of", "synonyms_of", "terms_digest"]

FIELD_WEIGHTS = {"number_exact": 30.0, "number": 10.0, "code": 20.0, "title": 3.0, "title_chars": 1.0, "title_en": 1.5,
                 "taxonomy": 1.5, "region": 3.0, "body": 1.0, "scope": 1.0}
_UNSCALED = {"number_exact"}
"""A number typed in full, year included, names one edition: the status factor does not demote it."""
_TITLE_FIELDS = {"title", "title_chars"}
_TITLE_REFERENCE = 10
"""Title terms weigh sqrt(10 / bigrams in the title), within 0.7–1.3: a short exact title is not outranked by
a long one that says more words. A fixed reference keeps each document's weights its own (incremental indexes)."""
STATUS_FACTORS = {"current": 1.0, "upcoming": 0.9, "unknown": 0.8, "replaced": 0.6, "withdrawn": 0.5}
LEVEL_FACTORS = {"national": 1.0, "industry": 0.98, "local": 0.96}
"""Small: it decides ties and near-ties, never against a better match."""
_MAX_TF = 1  # a word repeated in a title is not more relevant


@dataclass(frozen=True)
class SearchDoc:
    id: int
    number: str
    title: str
    title_en: str
    status: str
    """status slug: current | upcoming | replaced | withdrawn | unknown"""
    status_label: str
    level: str
    level_name: str
    domains: tuple[str, ...]
    region: str
    url: str
    """site-relative, as MkDocs gives it (directory URLs)"""
    terms: dict[str, int] = field(default_factory=dict)
    """term → weight × 10, rounded (integers keep the index small)"""
    terms_digest: str = ""
    """terms_digest(number, terms) when search_documents had a memo (it keeps the digest beside the terms);
    empty otherwise, and whoever needs it computes it."""


def terms_digest(number: str, terms: dict[str, int]) -> str:
    """A digest of a document's number and terms: what related lists' keys compare (generator.search.similar)."""
    return hashlib.sha256(repr((number, sorted(terms.items()))).encode()).hexdigest()


def search_documents(catalog: Catalog, directory_urls: bool = True, memo: Memo | None = None) -> list[SearchDoc]:
    """One document per standard, in catalogue order; ids follow the standard numbers' order, so that ordering
    equal scores by id (the browser) is ordering them by number (the command line). `memo`: each standard's
    terms from earlier builds, reused while the record and its status are the same (the memo's salt holds the
    code and the vocabularies)."""
    ids = {s.number: i for i, s in enumerate(sorted(catalog.standards, key=lambda s: s.number))}
    remembered = _remembered(catalog, memo) if memo is not None else [(_terms(s, catalog), "")
                                                                       for s in catalog.standards]
    docs = []
    for s, (terms, signature) in zip(catalog.standards, remembered, strict=True):
        status = catalog.status[s.number]
        docs.append(SearchDoc(
            id=ids[s.number], number=s.number, title=s.title or "", title_en=s.title_en or "",
            status=status.kind.slug, status_label=status.label, level=s.level.key, level_name=s.level.name,
            domains=s.domains, region=s.region or "", url=page_url(standard_src(s), directory_urls), terms=terms,
            terms_digest=signature))
    return docs


def _remembered(catalog: Catalog, memo: Memo) -> list[tuple[dict[str, int], str]]:
    """Each standard's terms and their digest, from the memo while the record and its status are the same."""
    def make(standard: Standard) -> tuple[dict[str, int], str]:
        terms = _terms(standard, catalog)
        return terms, terms_digest(standard.number, terms)

    return memo.made_each(catalog.standards, lambda s: ("search-terms", s, catalog.status[s.number].kind), make)


def synonyms_of(vocab: Vocabulary) -> dict[str, list[str]]:
    """The synonym table both engines expand queries with (the browser gets it in the index manifest)."""
    return synonym_table((s.words, s.targets, s.two_way) for s in vocab.synonyms)


def places_of(vocab: Vocabulary, titles: Iterable[str] = ()) -> dict[str, str]:
    """The region names a query may name: every region's (national and provincial standards apply in each
    county, as the search page's region choice offers them all), but for the short names the `titles` of the
    standards use as words (analyzer.place_table)."""
    return place_table(((r.code, r.name) for r in vocab.regions.values()), titles)


def simplified_of(terms: Iterable[str], places: Mapping[str, str], synonyms: Mapping[str, Any]) -> dict[str, str]:
    """The traditional characters a query is read in simplified ones with (analyzer.simplified_table): those whose
    simplified character the index's terms, a region's name or a synonym has."""
    return simplified_table(ch for word in itertools.chain(terms, places, synonyms) for ch in word)


def field_texts(standard: Standard, catalog: Catalog) -> dict[str, list[str]]:
    """The terms of each field of a standard."""
    n = standard.parsed_number
    region_names = [r.name for r in catalog.vocab.region_chain(standard.region)] if standard.region else []
    exact, *loose = standard_number_terms(n.code, n.kind, n.serial, n.year)
    return {
        "number_exact": [exact],
        "number": loose,
        "code": standard_code_terms(n.code, n.kind),
        "title": analyze(standard.title or ""),
        "title_chars": unigrams(standard.title or ""),
        "title_en": analyze(standard.title_en or ""),
        "taxonomy": analyze(" ".join([*standard.domains, *standard.categories, *standard.items])),
        "region": analyze(" ".join(region_names)),
        "body": analyze(" ".join(filter(None, [standard.issuer, standard.committee, standard.supervisor,
                                                standard.proposer]))),
        "scope": analyze(standard.scope or ""),
    }


def _terms(standard: Standard, catalog: Catalog) -> dict[str, int]:
    status = catalog.status[standard.number]
    factor = STATUS_FACTORS[status.kind.slug] * LEVEL_FACTORS.get(standard.level.key, 1.0)
    weights: defaultdict[str, float] = defaultdict(float)
    texts = field_texts(standard, catalog)
    length = math.sqrt(_TITLE_REFERENCE / max(1, len(texts["title"])))
    title_factor = min(1.3, max(0.7, length))
    for name, terms in texts.items():
        scale = (1.0 if name in _UNSCALED else factor) * (title_factor if name in _TITLE_FIELDS else 1.0)
        for term, count in Counter(terms).items():
            weights[term] += FIELD_WEIGHTS[name] * min(count, _MAX_TF) * scale
    return {term: max(1, round(w * 10)) for term, w in weights.items()}
