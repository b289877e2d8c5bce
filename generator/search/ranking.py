"""How a document scores for a query: one pure formula, used by the command line's whoosh adapter and mirrored
by the browser (overrides/assets/stdportal/search.js), so both engines rank alike.

A query is searched as one or more variants (analyzer.expand: as typed, and with synonyms in place of the words
people say); each variant v has terms T(v) and a factor f(v) (1 as typed, 0.8 rewritten):

    score(doc, v) = f(v) × Σ over t in T(v) found in doc:  idf(t) × weight(doc, t)   × coordination(m, n) / |T(v)|
    coordination  = (m / n)²                 m of the n terms of v are in doc
    idf(t)        = ln(1 + N / df(t))        N documents in the index, df(t) of them contain t
    score(doc)    = the best score(doc, v) over the variants that doc is shown for

The sum is taken per term of the variant (/ |T(v)|): a synonym spelled with more characters than the word typed
(疫苗 → 预防接种, three terms for one) does not outscore the word itself.

A document is shown for a variant (and counted in "找到 N 项") when it holds at least half of the variant's terms
(2m ≥ n) and more than one of them when several are held by some document (m ≥ 2 or f < 2, f the terms found in
the index), or one of its standard-number terms. So a title holding every word of the query outranks one sharing
a single common bigram, a document sharing one word of a four-word query is not counted at all, and for 托育 服务 a
standard sharing only 服务 is no result; for 镇江市殡葬, 殡葬 alone is enough (市殡, the bigram across the two words,
is in no standard), and for 养老火星探测器 养老 alone is not (one term of six). The terms
of a region the query names and of the standard codes it types (Variant.qualifiers: 镇江, GB/T) add to the sum but
are not counted in m or n: the region's own standards, the standards of that code rank first among those that match
the other words, and a document matching only the name or the code is not shown.

weight(doc, t) is `SearchDoc.terms[t]`: field weight × status factor × level factor × title-length factor, × 10
rounded (see documents.py). Equal scores are ordered by number.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

from .analyzer import Variant

__all__ = ["coordination", "idf", "found_terms", "rank_key", "score", "score_postings", "shown"]

_Doc = TypeVar("_Doc", bound=Hashable)

_PLACES = 9
"""Scores are compared rounded, so that float noise never decides an order the number should decide."""


def idf(n_docs: int, df: int) -> float:
    return math.log(1 + n_docs / df) if df else 0.0


def found_terms(variant: Variant, terms: Sequence[str], found: Mapping[str, object]) -> int:
    """How many of the variant's counted terms (not its qualifiers) some document holds (`found`: df by term, over
    the whole index) — `shown` lets one term alone make a result only when it is the only such — a standard
    number's terms counting even when no document holds them."""
    return len([t for t in terms if t not in variant.qualifiers and (found.get(t) or t in variant.numbers)])


def coordination(matched: int, n_terms: int) -> float:
    share = matched / n_terms
    return share * share


def shown(matched: int, n_terms: int, number_matched: bool, found: int) -> bool:
    """Whether a document matching `matched` of a variant's `n_terms` terms is a result at all: at least half of
    them, and never one alone of several that some document holds (`found` of them: found_terms; 托育 服务: a
    standard that shares only 服务 is no result; 镇江市殡葬: 殡葬 alone is, as 市殡 is in no standard)."""
    return number_matched or (2 * matched >= n_terms and (matched >= 2 or found < 2))


def score(variants: Sequence[Variant], weights: Mapping[str, int], df: Mapping[str, int], n_docs: int) -> float | None:
    """The score of one document, or None when it is shown for no variant: `weights` are its term weights (only
    the query's terms are needed), `df` the document frequency of each query term over the whole index."""
    best: float | None = None
    for variant in variants:
        terms = list(dict.fromkeys(variant.terms))
        counted = len([t for t in terms if t not in variant.qualifiers])
        found = found_terms(variant, terms, df)
        total = 0.0
        matched = 0
        number = False
        for term in terms:
            weight = weights.get(term)
            if weight:
                total += idf(n_docs, df.get(term, 0)) * weight
                matched += term not in variant.qualifiers
                number = number or term in variant.numbers
        if matched and shown(matched, counted, number, found):
            value = variant.factor * total * coordination(matched, counted) / len(terms)
            best = value if best is None else max(best, value)
    return best


def score_postings(postings: Mapping[str, Mapping[_Doc, int]], df: Mapping[str, int], n_docs: int,
                   variants: Sequence[Variant]) -> dict[_Doc, float]:
    """`score` for every shown document at once, from the postings of the query's terms (term → {doc: weight}).
    Same sums in the same order, so the same floats as `score` for each document; this one costs a few
    operations per posting and variant."""
    best: dict[_Doc, float] = {}
    for variant in variants:
        terms = list(dict.fromkeys(variant.terms))
        counted = len([t for t in terms if t not in variant.qualifiers])
        found = found_terms(variant, terms, df)  # over the whole index, as the browser: not the filtered postings
        sums: dict[_Doc, float] = {}
        matched: dict[_Doc, int] = {}
        numbers: set[_Doc] = set()
        for term in terms:
            docs = postings.get(term)
            if not docs:
                continue
            factor = idf(n_docs, df.get(term, 0))
            is_number = term in variant.numbers
            counts = term not in variant.qualifiers
            for doc, weight in docs.items():
                if weight:
                    sums[doc] = sums.get(doc, 0.0) + factor * weight
                    matched[doc] = matched.get(doc, 0) + counts
                    if is_number:
                        numbers.add(doc)
        for doc, total in sums.items():
            if matched[doc] and shown(matched[doc], counted, doc in numbers, found):
                value = variant.factor * total * coordination(matched[doc], counted) / len(terms)
                if doc not in best or value > best[doc]:
                    best[doc] = value
    return best


def rank_key(score_: float, number: str) -> tuple[float, str]:
    """Sort key: higher score first, then the standard number."""
    return (-round(score_, _PLACES), number)
