"""How a document scores for a query: one pure formula, used by the command line's whoosh adapter and mirrored
by the browser (overrides/assets/stdportal/search.js), so both engines rank alike.

    score(doc) = Σ over the query's distinct terms t in doc:  idf(t) × weight(doc, t)
                 × (0.5 + 0.5 × matched terms / query terms)
    idf(t)     = ln(1 + N / df(t))          N documents in the index, df(t) of them contain t

weight(doc, t) is `SearchDoc.terms[t]`: field weight × status factor × title-length factor, × 10 rounded
(see documents.py). The last factor prefers documents that contain more of the query. Equal scores are ordered
by number.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

__all__ = ["idf", "rank_key", "score", "score_postings"]

_Doc = TypeVar("_Doc", bound=Hashable)

_PLACES = 9
"""Scores are compared rounded, so that float noise never decides an order the number should decide."""


def idf(n_docs: int, df: int) -> float:
    return math.log(1 + n_docs / df) if df else 0.0


def score(query_terms: Sequence[str], weights: Mapping[str, int], df: Mapping[str, int], n_docs: int) -> float:
    """The score of one document: `weights` are its term weights (only the query's terms are needed),
    `df` the document frequency of each query term over the whole index."""
    terms = list(dict.fromkeys(query_terms))
    if not terms:
        return 0.0
    total = 0.0
    matched = 0
    for term in terms:
        weight = weights.get(term)
        if weight:
            total += idf(n_docs, df.get(term, 0)) * weight
            matched += 1
    return total * (0.5 + 0.5 * matched / len(terms))


def score_postings(postings: Mapping[str, Mapping[_Doc, int]], df: Mapping[str, int], n_docs: int,
                   n_terms: int) -> dict[_Doc, float]:
    """`score` for every document at once, from the postings of the query's terms (term → {doc: weight});
    `n_terms` counts the query's distinct terms, found or not. Same sums in the same order, so the same floats
    as `score` for each document; this one costs a few operations per posting."""
    sums: dict[_Doc, float] = {}
    matched: dict[_Doc, int] = {}
    for term, docs in postings.items():
        factor = idf(n_docs, df.get(term, 0))
        for doc, weight in docs.items():
            if weight:
                sums[doc] = sums.get(doc, 0.0) + factor * weight
                matched[doc] = matched.get(doc, 0) + 1
    return {doc: total * (0.5 + 0.5 * matched[doc] / n_terms) for doc, total in sums.items()}


def rank_key(score_: float, number: str) -> tuple[float, str]:
    """Sort key: higher score first, then the standard number."""
    return (-round(score_, _PLACES), number)
