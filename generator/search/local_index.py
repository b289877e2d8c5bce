"""Search a database from the command line: keep an index on disk in step with the record files, then query it.

The index lives in `<db>/../.stdportal/search/` unless told otherwise: whoosh's files under `whoosh/`;
`files.json`, which remembers for each record file its size, mtime_ns and SHA-256, the status it was indexed
with and the few facts status depends on (number, dates, stated status, replacement relations); `state.json`,
what the whole index depends on (format, as-of date, vocabularies, database folder) and a digest of the file
listing (names, sizes, mtimes) files.json describes. Each search:

1. lists the record files (one stat each) and compares the listing's digest with state.json: equal, the index
   is up to date and nothing more is read (the usual case; at 10,000 files the listing is most of the cost);
2. otherwise compares size and mtime_ns with files.json, hashing only files whose stat changed (a touched but
   unchanged file costs a hash, not a re-index); reads and checks only the added or changed files, drops the
   deleted ones, and re-indexes besides them only the records whose status changed (a new edition makes the
   one it replaces 被代替), recomputed from the remembered facts without reading the other files;
3. rebuilds everything when there is no index yet, or when the as-of date, the vocabularies, the database
   folder or the index format changed (the status of every record depends on the as-of date);
4. queries with the analyzer (`analyzer.expand`: synonyms, a region named in the query), documents
   (`documents.SearchDoc`) and ranking (`ranking.score`) of the site's search page.

A record with errors is left out (as `stdportal check` would report it) and counted in `SyncStats.invalid`.
Two records with one number (an error of `check`) are both indexed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .analyzer import expand

__all__ = ["FILTERS", "SearchOutcome", "SearchResult", "SyncStats", "default_index_dir", "search_database"]

FORMAT = 3
"""Bump when what is indexed changes; an index of another format is rebuilt."""
FILTERS = ("level", "status", "domain", "region")
_LEVEL_DIRS = ("national", "industry", "local")
_HEAD = "state.json"
_FILES = "files.json"


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


def default_index_dir(db_dir: Path) -> Path:
    return db_dir.resolve().parent / ".stdportal" / "search"


def search_database(db_dir: Path, query: str, *, level: str | None = None, status: str | None = None,
                    domain: str | None = None, region: str | None = None, local_only: bool = False,
                    limit: int = 10, as_of: dt.date | None = None, index_dir: Path | None = None) -> SearchOutcome:
    """Bring the index of db_dir up to date, then run the query with its filters. `region` (a code or a name)
    keeps what applies there: national and industry standards, and the local standards of the region, of the
    regions above it and of those within it; `local_only` keeps local standards only."""
    from ..errors import ConfigError
    from ..pipeline import resolve_as_of
    from .whoosh_engine import WhooshIndex

    if not db_dir.is_dir():
        raise ConfigError(f"找不到标准数据库文件夹 {db_dir}，请在项目根目录运行，或用 --db 指定")
    as_of = as_of or resolve_as_of()
    index = _LocalIndex(db_dir, index_dir or default_index_dir(db_dir), as_of)
    sync = index.sync()
    from .documents import places_of, synonyms_of

    vocab = index.vocabulary()
    engine = WhooshIndex(index.whoosh_dir)
    code = _region_code(region, vocab) if region else None
    expanded = expand(query, synonyms_of(vocab), places_of(vocab, engine.field_values("region")))
    if not expanded.variants:
        return SearchOutcome(query, [], 0, [], sync)
    code = code or expanded.place
    if local_only:
        level = "local"
    filters = {"level": level, "status": status, "domain": domain}
    applies_in = [code, *(r.code for r in reversed(vocab.region_chain(code)[:-1]))] if code else []
    total, hits = engine.search(expanded.variants, {k: v for k, v in filters.items() if v}, limit, applies_in)
    results = [SearchResult(code=hit.number, title=hit.shown.get("title", ""), status=hit.shown.get("status_label", ""),
                            status_key=hit.shown.get("status", ""), level=hit.shown.get("level_name", ""),
                            level_key=hit.shown.get("level", ""), region=hit.shown.get("region", ""),
                            url=hit.shown.get("url", ""), score=round(hit.score, 3)) for hit in hits]
    named = vocab.regions[code].name if code and not region and code in vocab.regions else None
    return SearchOutcome(query, expanded.terms, total, results, sync, code, named)


def _region_code(region: str, vocab: Any) -> str:
    """The code of a region given by code, full name or short name (镇江市, 镇江)."""
    from ..errors import ConfigError
    from .documents import places_of

    text = region.strip()
    if text in vocab.regions:
        return text
    code = places_of(vocab, vocab.regions).get(text)
    if code is None:
        raise ConfigError(f"不认识的地区“{region}”：请写 6 位行政区划代码（如 321100）或地区名称（如 镇江市）")
    return code


# --- keeping the index in step ---------------------------------------------------------------------------


@dataclass
class _File:
    size: int
    mtime_ns: int
    sha256: str
    status: str | None = None
    """status slug it was indexed with; None: not indexed (errors)"""
    facts: list[Any] | None = None
    """[number, effective, withdrawn, stated_status, replaces, replaced_by_stated] of a valid record"""

    def dump(self) -> list[Any]:
        return [self.size, self.mtime_ns, self.sha256, self.status, self.facts]

    @classmethod
    def load(cls, row: list[Any]) -> _File:
        return cls(*row)


class _LocalIndex:
    def __init__(self, db_dir: Path, folder: Path, as_of: dt.date) -> None:
        self.db_dir = db_dir
        self.folder = folder
        self.whoosh_dir = folder / "whoosh"
        self.as_of = as_of
        self._vocab: Any = None

    # The header says what the whole index depends on; any difference means a rebuild.
    def _header(self, vocab_hash: str) -> dict[str, Any]:
        from .. import __version__

        return {"format": FORMAT, "stdportal": __version__, "db": str(self.db_dir.resolve()),
                "as_of": self.as_of.isoformat(), "vocabularies": vocab_hash}

    def sync(self) -> SyncStats:
        from .whoosh_engine import WhooshIndex

        header = self._header(_vocabulary_hash(self.db_dir))
        listing = _Listing(self.db_dir)
        head = self._read_json(_HEAD)
        if not head or head.get("header") != header or not WhooshIndex(self.whoosh_dir).exists():
            return self._rebuild(header, listing)
        if head.get("listing") == listing.digest:  # nothing added, removed or touched: the usual case
            return SyncStats(invalid=int(head.get("invalid", 0)))
        state = self._read_json(_FILES)
        if state is None:
            return self._rebuild(header, listing)
        known = {rel: _File.load(row) for rel, row in state.items()}
        found = listing.files
        changed: list[str] = []
        for rel, (size, mtime_ns) in found.items():
            old = known.get(rel)
            if old is not None and (old.size, old.mtime_ns) == (size, mtime_ns):
                continue
            if old is not None and old.sha256 == _sha256(self.db_dir / rel):
                old.size, old.mtime_ns = size, mtime_ns  # touched, not changed
            else:
                changed.append(rel)
        gone = sorted(set(known) - set(found))
        stats = SyncStats()
        if changed or gone:
            self._update(known, found, sorted(changed), gone, stats)
        stats.invalid = sum(1 for f in known.values() if f.facts is None)
        self._write_state(header, listing.digest, known)
        return stats

    def _rebuild(self, header: dict[str, Any], listing: _Listing) -> SyncStats:
        from ..load import load_records
        from ..model import build_catalog
        from ..validate import validate
        from .whoosh_engine import WhooshIndex

        (self.folder / _HEAD).unlink(missing_ok=True)
        vocab = self._vocabulary()
        raws, _ = load_records(self.db_dir)
        standards, _ = validate(raws, vocab)
        by_rel = {self._rel(s.path): s for s in standards}
        catalog = build_catalog(standards, vocab, self.as_of)
        files: dict[str, _File] = {}
        for rel, (size, mtime_ns) in listing.files.items():
            standard = by_rel.get(rel)
            files[rel] = _File(size, mtime_ns, _sha256(self.db_dir / rel))
            if standard is not None:
                files[rel].facts = _facts(standard)
                files[rel].status = catalog.status[standard.number].kind.slug
        count = WhooshIndex(self.whoosh_dir).rebuild(self._entries(catalog, list(by_rel.values())))
        self._write_state(header, listing.digest, files)
        return SyncStats(rebuilt=True, indexed=count, invalid=sum(1 for f in files.values() if f.facts is None),
                         files=sorted(by_rel))

    def _update(self, files: dict[str, _File], found: dict[str, tuple[int, int]], changed: list[str],
                gone: list[str], stats: SyncStats) -> None:
        """Re-read the changed files, forget the gone ones, recompute every status from the remembered facts
        and rewrite in the index just the documents that differ."""
        from ..validate import validate
        from .whoosh_engine import WhooshIndex

        indexed_before = {rel for rel, f in files.items() if f.facts is not None}
        vocab = self._vocabulary()
        fresh: dict[str, Any] = {}
        for rel in changed:
            size, mtime_ns = found[rel]
            files[rel] = _File(size, mtime_ns, _sha256(self.db_dir / rel))
            standard = self._read_one(rel, vocab, validate)
            if standard is not None:
                fresh[rel] = standard
                files[rel].facts = _facts(standard)
        for rel in gone:
            del files[rel]
        statuses = _statuses(files, self.as_of, set(changed))
        # Unchanged records whose status moved (a new edition replaces them) are re-read and re-indexed too.
        for rel, slug in sorted(statuses.items()):
            if rel not in fresh and slug != files[rel].status:
                standard = self._read_one(rel, vocab, validate)
                if standard is not None:
                    fresh[rel] = standard
        removed = sorted(rel for rel in {*gone, *changed} if rel in indexed_before and rel not in fresh)
        catalog = self._partial_catalog(list(fresh.values()), vocab, statuses)
        WhooshIndex(self.whoosh_dir).update(list(self._entries(catalog, list(fresh.values()))), removed)
        for rel, file in files.items():
            file.status = statuses.get(rel)
        stats.indexed, stats.removed = len(fresh), len(removed)
        stats.files = sorted({*fresh, *removed})

    def _partial_catalog(self, standards: list[Any], vocab: Any, statuses: dict[str, str]) -> Any:
        """A catalogue of just the records to index, with the statuses computed over the whole database."""
        from ..model import Catalog
        from ..status import STATUSES, Status

        kinds = {kind.slug: kind for kind in STATUSES}
        status = {s.number: Status(kinds[statuses[self._rel(s.path)]], "") for s in standards}
        return Catalog(standards, vocab, self.as_of, status=status)

    def _entries(self, catalog: Any, standards: list[Any]):
        from .documents import search_documents

        subset = dataclasses.replace(catalog, standards=standards)
        for standard, doc in zip(standards, search_documents(subset), strict=True):
            yield _entry(self._rel(standard.path), doc, standard, catalog.vocab)

    def _read_one(self, rel: str, vocab: Any, validate: Any) -> Any:
        """The checked standard of one record file, or None when it has errors."""
        from ..load import RawRecord
        from ..yamlpos import parse_yaml

        path = self.db_dir / rel
        try:
            parsed = parse_yaml(path.read_bytes().decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            return None
        if parsed.issues or parsed.data is None:
            return None
        standards, _ = validate([RawRecord(path, parsed)], vocab)
        return standards[0] if standards else None

    def vocabulary(self) -> Any:
        return self._vocabulary()

    def _vocabulary(self) -> Any:
        from ..vocab import load_vocabulary

        if self._vocab is None:
            self._vocab, _ = load_vocabulary(self.db_dir)
        return self._vocab

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.db_dir).as_posix()

    def _read_json(self, name: str) -> dict[str, Any] | None:
        try:
            data = json.loads((self.folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _write_state(self, header: dict[str, Any], listing: str, files: dict[str, _File]) -> None:
        """files.json first, then state.json, which names the listing files.json describes: a search stopped
        in between finds the listing changed and compares the files again, which is harmless."""
        self.folder.mkdir(parents=True, exist_ok=True)
        invalid = sum(1 for f in files.values() if f.facts is None)
        self._write_json(_FILES, {rel: files[rel].dump() for rel in sorted(files)})
        self._write_json(_HEAD, {"header": header, "listing": listing, "invalid": invalid})

    def _write_json(self, name: str, data: dict[str, Any]) -> None:
        temp = self.folder / f"{name}.{os.getpid()}.tmp"
        temp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(temp, self.folder / name)


class _Listing:
    """The record files (`level/NAME.yaml`, as generator.load finds them) with their size and mtime_ns, and a
    digest of the lot. Listing 10,000 files is most of what an up-to-date search costs, so the loop is lean:
    the digest follows the directory order, and the mapping is built only when something changed."""

    def __init__(self, db_dir: Path) -> None:
        digest = hashlib.sha256()
        self._rows: list[tuple[str, list[str], array[int]]] = []
        for level in _LEVEL_DIRS:
            names: list[str] = []
            stats = array("q")
            try:
                entries = os.scandir(db_dir / level)
            except (FileNotFoundError, NotADirectoryError):
                continue
            with entries:
                for entry in entries:
                    name = entry.name
                    if name.endswith(".yaml") and name[0] != "." and entry.is_file():
                        stat = entry.stat()
                        names.append(name)
                        stats.append(stat.st_size)
                        stats.append(stat.st_mtime_ns)
            digest.update("\n".join([level, *names, ""]).encode("utf-8"))
            digest.update(stats.tobytes())
            self._rows.append((level, names, stats))
        self.digest = digest.hexdigest()

    @property
    def files(self) -> dict[str, tuple[int, int]]:
        return {f"{level}/{name}": (stats[2 * i], stats[2 * i + 1])
                for level, names, stats in self._rows for i, name in enumerate(names)}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _vocabulary_hash(db_dir: Path) -> str:
    from ..vocab import VOCAB_DIR

    digest = hashlib.sha256()
    folder = db_dir / VOCAB_DIR
    for path in sorted(folder.glob("*")) if folder.is_dir() else ():
        if path.is_file():
            digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _facts(standard: Any) -> list[Any]:
    """What status depends on, as JSON."""
    return [standard.number, _iso(standard.effective), _iso(standard.withdrawn), standard.stated_status,
            list(standard.replaces), list(standard.replaced_by_stated)]


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def _statuses(files: dict[str, _File], as_of: dt.date, changed: set[str]) -> dict[str, str]:
    """The status slug of each changed record and of every record in a replacement relation, from the
    remembered facts, by the rules of model.build_catalog: a record is replaced by the records that name it in
    代替标准 and by those it names in 被代替标准. Any other record's status depends on its own facts (and the
    as-of date, the same for the whole index) only, so it is what the record was indexed with."""
    from ..model import replacing_index
    from ..numbers import number_key
    from ..records import Standard
    from ..status import compute_status

    numbers = {rel: f.facts[0] for rel, f in files.items() if f.facts is not None}

    def light(rel: str) -> Standard:
        number, effective, withdrawn, stated, replaces, replaced_by = files[rel].facts  # type: ignore[misc]
        return Standard(path=None, parsed_number=None, number=number,  # type: ignore[arg-type]
                        effective=_date(effective), withdrawn=_date(withdrawn), stated_status=stated,
                        replaces=tuple(replaces), replaced_by_stated=tuple(replaced_by))

    lights = {rel: light(rel) for rel in sorted(numbers, key=numbers.__getitem__)}
    replacing = replacing_index(list(lights.values()))
    out = {}
    for rel, number in numbers.items():
        by = replacing.get(number_key(number))
        # A relation only ever makes a record 被代替: one that was replaced is looked at again too, in case
        # what replaced it is gone.
        if rel in changed or by or files[rel].facts[5] or files[rel].status == "replaced":  # type: ignore[index]
            out[rel] = compute_status(lights[rel], as_of, by or []).kind.slug
        else:
            out[rel] = files[rel].status  # type: ignore[assignment]
    return out


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _entry(rel: str, doc: Any, standard: Any, vocab: Any) -> Any:
    from .whoosh_engine import Entry

    domains = [*standard.domains, *(d.slug for d in map(vocab.domain, standard.domains) if d)]
    chain = vocab.region_chain(standard.region) if standard.region else []
    regions = [*(r.code for r in chain), *(r.name for r in chain)]
    shown = {"title": doc.title or doc.title_en, "status": doc.status, "status_label": doc.status_label,
             "level": doc.level, "level_name": doc.level_name, "region": doc.region, "url": doc.url}
    facets: dict[str, Sequence[str]] = {"level": [doc.level], "status": [doc.status], "domain": domains,
                                        "region": regions, "place": [doc.region]}
    return Entry(key=rel, number=doc.number, terms=doc.terms, facets=facets, shown=shown)
