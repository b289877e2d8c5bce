"""Standards that look alike: likely duplicate records (warnings for `stdportal check`) and the related
standards shown on each standard's page.

Likely duplicates and missed replacements, three rules, each pair reported once:

- a likely missed replacement: the same Chinese title (spaces and full-width forms aside) at one level and in
  one region (national: the same code; industry: the same code; local: the same region), one record newer (a
  later year in its number, else a later 发布日期), and neither in the other's replacement chain
  (代替标准 / 被代替标准). Reported on the newer record, which is where 代替标准 is filled in; editions that
  follow each other are paired, not every two of them;

- the same number in another spelling: code and serial equal once leading zeros are dropped (DB2301/T 39-2023,
  DB2301/T 0039-2023), a two-digit year equal to a four-digit one (98, 1998), /T or /Z present on one only.
  Numbers equal after `number_key` are already an error of validate;
- near-identical Chinese titles: Jaccard similarity ≥ 0.85 of their character bigrams, same level and same
  region. Editions are not duplicates: records of the same code and serial (another year) and records in one
  replacement chain (代替标准 / 被代替标准) are never compared; nor are parts of one standard (35796.1, 35796.2).

Related standards: same category first (same domain when the standard has no category), then the rest of its
domains, each ranked by cosine similarity of the `SearchDoc.terms` of generator.search.documents without the
terms of the standard's code (sharing GB/T or MZ/T says nothing of the topic) (a standard
with neither: others of its level without either that share a term); the standard itself and every edition in
its replacement chain are left out. Work stays bounded at 10,000 standards:
only standards sharing a bucket (category, domain) are compared; in a bucket of more than `_EXACT_BUCKET`,
candidates come from the bucket's inverted index read within a budget (`_POSTINGS_BUDGET` postings) and only
the best `_CANDIDATES` get an exact cosine.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import math
import operator
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the catalogue is a later stage than validation, which calls this module
    from ..model import Catalog
    from .documents import SearchDoc

from ..numbers import StdNumber, number_key
from ..problems import Problem, Severity, shown_path
from ..records import Standard
from .analyzer import HAN, standard_code_terms

__all__ = ["TITLE_THRESHOLD", "Related", "likely_duplicates", "related", "spelling_difference", "spelling_key",
           "title_bigrams", "title_similarity"]

TITLE_THRESHOLD = 0.85
_TITLE_CHARS = re.compile(f"[{HAN}a-z0-9]+")
_EXACT_BUCKET = 200
"""Buckets up to this size are compared in full."""
_POSTINGS_BUDGET = 300
"""In larger buckets: postings read per standard to find candidates ..."""
_CANDIDATES = 8
"""... and candidates that get an exact cosine."""

_At = Callable[..., Problem]


# --- likely duplicates ----------------------------------------------------------------------------------


def likely_duplicates(standards: Sequence[Standard], at: _At | None = None) -> list[Problem]:
    """Warnings for records that are probably the same standard twice. `at(standard, path, message, severity)`
    places a problem on a field (validate passes its own); without it problems point at the file's first line."""
    place = at or _first_line
    ordered = sorted(standards, key=lambda s: str(s.path))
    problems: list[Problem] = []
    spelled: set[tuple[str, str]] = set()
    first_by_spelling: dict[tuple[str, ...], Standard] = {}
    for s in ordered:
        key = _spelling_key(s)
        first = first_by_spelling.setdefault(key, s)
        if first is not s and number_key(first.number) != number_key(s.number):
            spelled.add(_pair(first, s))
            message = (f"标准号: {s.number} 与 {shown_path(first.path)} 的 {first.number} 可能是同一标准"
                       f"（{_spelling_difference(first, s)}），请核对后只保留一个文件")
            problems.append(place(s, ("标准号",), message, Severity.WARNING))
    told: set[tuple[str, str, str]] = set()  # title groups that got a missed-replacement warning
    for newer, older in _missed_replacements(ordered):
        told.add(_title_group(newer))
        message = (f"中文标准名称: 与 {shown_path(older.path)} 的 {older.number} 同名，本标准较新，但两者都未在"
                   f" 代替标准 或 被代替标准 中写明对方，可能漏填了代替关系；若本标准代替了它，"
                   f"请在 代替标准 中填写 {older.number}")
        problems.append(place(newer, ("中文标准名称",), message, Severity.WARNING))
    for s, other, similarity in _similar_titles(ordered):
        if _pair(other, s) in spelled or (_title_group(s) in told and _title_group(s) == _title_group(other)):
            continue
        where = f"同为{s.level.name}" + (f"、同一地区 {s.region}" if s.region else "")
        message = (f"中文标准名称: 与 {shown_path(other.path)} 的 {other.number}“{other.title}”几乎相同"
                   f"（相似度 {similarity:.2f}，{where}），可能重复收录；若一个代替另一个，请填写 代替标准")
        problems.append(place(s, ("中文标准名称",), message, Severity.WARNING))
    return problems


def title_bigrams(title: str) -> frozenset[str]:
    """Character bigrams of a title's letters and digits (Han, Latin, digits), spaces and punctuation dropped."""
    text = "".join(_TITLE_CHARS.findall(unicodedata.normalize("NFKC", title).lower()))
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def title_similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two titles' character bigrams."""
    x, y = title_bigrams(a), title_bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def _spelling_key(s: Standard) -> tuple[str, ...]:
    return spelling_key(s.parsed_number)


def spelling_key(n: StdNumber) -> tuple[str, ...]:
    """What two spellings of one number share: the code and serial without leading zeros, the year in four
    digits, the edition; /T or /Z aside."""
    serial = ".".join(part.lstrip("0") or "0" for part in n.serial.split("."))
    return (n.code, serial, str(n.full_year), n.edition)


def _spelling_difference(a: Standard, b: Standard) -> str:
    return spelling_difference(a.parsed_number, b.parsed_number)


def spelling_difference(x: StdNumber, y: StdNumber) -> str:
    """How two numbers of one spelling_key differ, in words."""
    reasons = []
    if x.kind != y.kind:
        reasons.append("代号后的 /T、/Z 不同")
    if x.serial != y.serial:
        reasons.append("顺序号仅前导零不同")
    if x.year != y.year:
        reasons.append("年代号仅位数不同")
    return "、".join(reasons) or "写法不同"


def _missed_replacements(ordered: list[Standard]) -> Iterable[tuple[Standard, Standard]]:
    """(newer, older) for records of one title, level and issuer (code or region) that follow each other in
    age but are in no replacement chain together."""
    chains = _replacement_chains(ordered)
    groups: dict[tuple[str, str, str], list[Standard]] = defaultdict(list)
    for s in ordered:
        key = _title_group(s)
        if key[0]:
            groups[key].append(s)
    for members in groups.values():
        by_age = sorted(members, key=_age)
        for older, newer in itertools.pairwise(by_age):
            if _age(older) < _age(newer) and \
                    _root(chains, number_key(older.number)) != _root(chains, number_key(newer.number)):
                yield newer, older


def _title_group(s: Standard) -> tuple[str, str, str]:
    """Title (spaces and full-width forms aside), level and issuer: the code, or for a local standard the region."""
    title = re.sub(r"\s+", "", unicodedata.normalize("NFKC", s.title or ""))
    issuer = (s.region or "") if s.level.key == "local" else s.parsed_number.code
    return (title, s.level.key, issuer)


def _age(s: Standard) -> tuple[int, str]:
    """When a standard came out, as far as the record tells: the year of its number, then its 发布日期."""
    return (s.parsed_number.full_year, s.issued.isoformat() if s.issued else "")


def _similar_titles(ordered: list[Standard]) -> Iterable[tuple[Standard, Standard, float]]:
    """(record, the earlier record its title is closest to, similarity) for every record whose Chinese title
    is near-identical to an earlier one's in its level and region; by prefix filtering, not all pairs."""
    chains = _replacement_chains(ordered)
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    grams = [title_bigrams(s.title or "") for s in ordered]
    for i, s in enumerate(ordered):
        if grams[i]:
            groups[(s.level.key, s.region or "")].append(i)
    found: dict[int, tuple[float, int]] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        frequency = Counter(g for i in members for g in grams[i])
        order = {i: sorted(grams[i], key=lambda g: (frequency[g], g)) for i in members}
        index: dict[str, list[int]] = defaultdict(list)
        for i in sorted(members, key=lambda i: (len(grams[i]), i)):
            size = len(grams[i])
            prefix = order[i][: size - math.ceil(TITLE_THRESHOLD * size) + 1]
            candidates = {j for g in prefix for j in index[g] if len(grams[j]) >= TITLE_THRESHOLD * size}
            for j in candidates:
                similarity = len(grams[i] & grams[j]) / len(grams[i] | grams[j])
                if similarity >= TITLE_THRESHOLD and not _editions(ordered[i], ordered[j], chains):
                    later, earlier = max(i, j), min(i, j)
                    best = found.get(later)
                    if best is None or (similarity, -earlier) > (best[0], -best[1]):
                        found[later] = (similarity, earlier)
            for g in prefix:
                index[g].append(i)
    for later in sorted(found):
        similarity, earlier = found[later]
        yield ordered[later], ordered[earlier], similarity


def _editions(a: Standard, b: Standard, chains: dict[str, str]) -> bool:
    """Editions or parts of one standard, or in one replacement chain: not duplicates."""
    x, y = a.parsed_number, b.parsed_number
    if x.code == y.code and _base(x.serial) == _base(y.serial):
        return True
    return _root(chains, number_key(a.number)) == _root(chains, number_key(b.number))


def _replacement_chains(standards: Sequence[Standard]) -> dict[str, str]:
    """Union-find over number keys: standards linked by 代替标准 / 被代替标准, directly or not, share a root."""
    parent: dict[str, str] = {}
    for s in standards:
        for other in (*s.replaces, *s.replaced_by_stated):
            a, b = _root(parent, number_key(s.number)), _root(parent, number_key(other))
            if a != b:
                parent[max(a, b)] = min(a, b)
    return parent


def _root(parent: dict[str, str], key: str) -> str:
    while key in parent:
        parent[key] = parent.get(parent[key], parent[key])
        key = parent[key]
    return key


def _base(serial: str) -> str:
    return serial.split(".", 1)[0].lstrip("0")


def _pair(a: Standard, b: Standard) -> tuple[str, str]:
    return tuple(sorted((str(a.path), str(b.path))))  # type: ignore[return-value]


def _first_line(standard: Standard, where: tuple[Any, ...], message: str, severity: Severity) -> Problem:
    return Problem(standard.path, 1, 1, message, severity)




# --- related standards ----------------------------------------------------------------------------------


def related(catalog: Catalog, count: int = 5, docs: list[SearchDoc] | None = None) -> dict[str, list[str]]:
    """number → up to `count` numbers of related standards, best first; `docs` are the catalogue's search
    documents (in catalogue order) when the caller has them."""
    finder = Related(catalog, count, docs)
    return {s.number: finder.of(i) for i, s in enumerate(catalog.standards)}


class Related:
    """The related standards of each standard of a catalogue, one at a time (so that callers can split the
    work): `of(i)` for catalog.standards[i]."""

    def __init__(self, catalog: Catalog, count: int = 5, docs: list[SearchDoc] | None = None) -> None:
        from .documents import search_documents

        self.catalog = catalog
        self.count = count
        standards = catalog.standards
        self.docs = docs if docs is not None else search_documents(catalog)
        # Each standard's topic terms and their norm, made when a bucket it is in is first compared (_index): a
        # rebuild that finds most related lists in the memo compares a few buckets only.
        self.vectors: list[dict[str, int]] = [{}] * len(standards)
        self.norms = [1.0] * len(standards)
        self._made = [False] * len(standards)
        self.known_digests = [doc.terms_digest for doc in self.docs]
        buckets: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, s in enumerate(standards):
            for name in s.categories:
                buckets[("category", name)].append(i)
            for name in s.domains:
                buckets[("domain", name)].append(i)
            if not s.domains and not s.categories:
                buckets[("level", s.level.key)].append(i)
        self.buckets = dict(buckets)
        self._indexes: dict[tuple[str, str], _BucketIndex] = {}
        self._digests: tuple[list[str], dict[tuple[str, str], str]] | None = None

    def signature(self, i: int) -> tuple[Any, ...]:
        """Everything `of(i)` depends on, as a value: the standard's own terms and editions, and the number and
        terms of every member of the buckets it is compared within. Equal signatures, equal results."""
        from ..model import replacement_chain

        digests, bucket_digests = self.digests()
        s = self.catalog.standards[i]
        buckets = tuple((key, kin, bucket_digests[key]) for keys, kin in self._tiers(s) for key in keys)
        return (self.count, digests[i], buckets, tuple(replacement_chain(self.catalog, s)))

    def digests(self) -> tuple[list[str], dict[tuple[str, str], str]]:
        """A digest of each standard's number and terms, and of each bucket's members
        (computed once; call it before forking workers so that they share it)."""
        from .documents import terms_digest

        if self._digests is None:
            docs = [known or terms_digest(s.number, self._vector(i))
                    for i, (s, known) in enumerate(zip(self.catalog.standards, self.known_digests, strict=True))]
            buckets = {key: hashlib.sha256("".join(docs[j] for j in members).encode()).hexdigest()
                       for key, members in self.buckets.items()}
            self._digests = (docs, buckets)
        return self._digests

    def _index(self, key: tuple[str, str]) -> _BucketIndex:
        """A bucket's inverted index, made when a standard of it is first compared: a rebuild that finds most
        related lists in the memo compares the standards of a few buckets only."""
        index = self._indexes.get(key)
        if index is None:
            members = self.buckets[key]
            for i in members:
                self._vector(i)
            index = self._indexes[key] = _BucketIndex(members, self.vectors)
        return index

    def _vector(self, i: int) -> dict[str, int]:
        """The topic terms of standard i (made once, with their norm)."""
        if not self._made[i]:
            vector = self.vectors[i] = _topic_terms(self.docs[i].terms, self.catalog.standards[i])
            self.norms[i] = math.sqrt(sum(w * w for w in vector.values())) or 1.0
            self._made[i] = True
        return self.vectors[i]

    @staticmethod
    def _tiers(s: Standard) -> list[tuple[list[tuple[str, str]], bool]]:
        """(buckets, whether a member is related without any term in common), best tier first."""
        if s.categories:
            return [([("category", c) for c in s.categories], True), ([("domain", d) for d in s.domains], False)]
        if s.domains:
            return [([("domain", d) for d in s.domains], True)]
        return [([("level", s.level.key)], False)]

    def of(self, i: int) -> list[str]:
        from ..model import replacement_chain

        standards, count = self.catalog.standards, self.count
        s = standards[i]
        excluded = {number_key(n) for n in replacement_chain(self.catalog, s)}
        tiers = self._tiers(s)
        chosen: list[str] = []
        taken = set(excluded)
        for keys, kin in tiers:
            ranked: dict[int, float] = {}
            for key in keys:
                for j, cosine in self._index(key).nearest(i, self.vectors, self.norms, count + len(excluded)):
                    ranked[j] = max(cosine, ranked.get(j, 0.0))
            order = sorted(ranked, key=lambda j: (-round(ranked[j], 9), standards[j].number))
            for j in order:
                if len(chosen) == count:
                    break
                k = number_key(standards[j].number)
                if k in taken or (not kin and ranked[j] <= 0):
                    continue
                taken.add(k)
                chosen.append(standards[j].number)
        return chosen


class _BucketIndex:
    """The documents of one bucket with an inverted index of their terms (term → [(document, weight)])."""

    def __init__(self, members: list[int], vectors: list[dict[str, int]]) -> None:
        self.members = members
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i in members:
            for t, w in vectors[i].items():
                self.postings[t].append((i, w))
        size = len(members)
        self.idf = {t: math.log(1 + size / len(docs)) for t, docs in self.postings.items()}

    def nearest(self, i: int, vectors: list[dict[str, int]], norms: list[float],
                count: int) -> list[tuple[int, float]]:
        """Members other than i with their cosine to i. In a bucket of at most `_EXACT_BUCKET` standards, every
        member sharing a term. In a larger one, candidates are gathered through i's terms, the most telling
        first (weight × idf in the bucket), until `_POSTINGS_BUDGET` postings are read, and the best
        `_CANDIDATES` by the part of the dot product seen get an exact cosine. Topped up with other members
        when too few share a term."""
        mine = vectors[i]
        idf = self.idf
        partial: dict[int, float] = {}
        get = partial.get
        small = len(self.members) <= _EXACT_BUCKET
        budget = math.inf if small else _POSTINGS_BUDGET
        for t in sorted(mine, key=lambda t: (-mine[t] * idf[t], t)):
            docs = self.postings[t]
            if len(docs) > budget:
                continue
            budget -= len(docs)
            w = mine[t]
            for j, v in docs:
                partial[j] = get(j, 0) + w * v
        partial.pop(i, None)
        want = max(_CANDIDATES, count)
        if small:
            picked = list(partial)
        else:
            picked = [j for j, _ in heapq.nlargest(want, partial.items(), key=operator.itemgetter(1))]
        if len(picked) < want:
            extra = (j for j in self.members if j != i and j not in partial)
            picked.extend(itertools.islice(extra, want - len(picked)))
        return [(j, _cosine(mine, vectors[j], norms[i], norms[j])) for j in picked]


def _cosine(a: dict[str, int], b: dict[str, int], norm_a: float, norm_b: float) -> float:
    shared = a.keys() & b.keys()
    return sum(map(operator.mul, map(a.__getitem__, shared), map(b.__getitem__, shared))) / (norm_a * norm_b)


def _topic_terms(terms: dict[str, int], standard: Standard) -> dict[str, int]:
    """A standard's search terms without those of its code (gb, gbt, mz …), which thousands of others share."""
    n = standard.parsed_number
    codes = set(standard_code_terms(n.code, n.kind))
    return {term: weight for term, weight in terms.items() if term not in codes}
