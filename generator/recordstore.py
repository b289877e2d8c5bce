"""The per-file stages of the pipeline, kept between runs: each record file is read, parsed and checked once per
content, and every later run (build, serve, check, search) takes the result from here.

The store is one file, `.stdportal/records.pickle` beside the database, mapping each record file to the SHA-256
of its bytes and what reading and checking it gave. A run still reads every file (10,000 small files take a
fraction of a second) and hashes it: a file whose bytes are unchanged is not parsed or checked again, whatever
its time stamps say. The whole store is dropped when what a check depends on besides the file changes: the
vocabularies, the generator's own code or what it runs on (Python and the installed libraries), or the
database folder. The checks across records (duplicates, references, likely duplicates) are run every time, on
the stored results. Each record it gives is identified by its store key, name and bytes (generator.records
.identify): the page memo's keys name a record by that digest instead of spelling out its fields.

The file is a cache of this machine's own making (delete it at any time; STDPORTAL_NO_CACHE=1 bypasses it). It
is written atomically, so a killed run leaves the previous store or none.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from .cachefile import caching, read_cache, write_cache
from .load import read_record, record_files
from .problems import Problem
from .records import identify
from .validate import Checked, check_record
from .vocab import Vocabulary

__all__ = ["STORE_FILE", "checked_records", "code_digest", "runtime"]

STORE_FILE = Path(".stdportal") / "records.pickle"
_FORMAT = 2
_PACKAGE = Path(__file__).resolve().parent


@dataclass
class _Entry:
    sha: str
    checked: Checked | None
    """None: the file could not be read as a record (see `problems`)."""
    problems: tuple[Problem, ...]
    """What reading it gave (syntax, encoding); the checks' own problems are in `checked`."""


@dataclass
class _Store:
    key: str
    entries: dict[str, _Entry] = field(default_factory=dict)


def checked_records(db_dir: Path, vocab: Vocabulary, store: bool = True,
                    deferred: list[Callable[[], None]] | None = None) -> tuple[list[Checked], list[Problem]]:
    """Every record file of db_dir read and checked on its own, in path order, and the problems of the files
    that are not records or could not be read. `deferred`: where to leave the store's saving for the caller to
    run (a build saves it in a second process while it renders), instead of saving it here."""
    db_dir = db_dir.resolve()  # stored paths must not depend on how the folder was named, or from where
    path = store_path(db_dir)
    key = _store_key(db_dir, vocab)
    use = store and caching()
    files = list(record_files(db_dir))
    old = _load(path, key, {str(file): file for file, _ in files}) if use else _Store(key)
    new = _Store(key)
    records: list[Checked] = []
    problems: list[Problem] = []
    skip = len(str(db_dir)) + 1  # the files are named below db_dir as record_files made them
    changed = False
    for file, refused in files:
        if refused:
            problems.append(refused)
            continue
        data = file.read_bytes()
        name = str(file)[skip:]
        sha = hashlib.sha256(data).hexdigest()
        entry = old.entries.get(name)
        if entry is None or entry.sha != sha:
            raw, issues = read_record(file, data)
            entry = _Entry(sha, check_record(raw, vocab) if raw else None, tuple(issues))
            changed = True
        new.entries[name] = entry
        problems.extend(entry.problems)
        if entry.checked is not None:
            if entry.checked.standard is not None:
                identify(entry.checked.standard, hashlib.sha256(f"{key}\0{name}\0{sha}".encode()).hexdigest())
            records.append(entry.checked)
    if use and (changed or new.entries.keys() != old.entries.keys()):
        if deferred is None:
            write_cache(path, new)
        else:
            deferred.append(functools.partial(write_cache, path, new))
    return records, problems


def store_path(db_dir: Path) -> Path:
    return db_dir.resolve().parent / STORE_FILE


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """What the generator's own code and templates are, and what they run on (runtime()), so that a changed
    rule or an upgraded library never meets a stored result. Read once a process: a build asks for it from the
    record store, the page memo and the engine key."""
    digest = hashlib.sha256(runtime().encode())
    for file in sorted(_PACKAGE.rglob("*")):
        if file.suffix in (".py", ".html") and "__pycache__" not in file.parts:
            digest.update(str(file.relative_to(_PACKAGE)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def runtime() -> str:
    """The Python version, its Unicode tables (search terms are normalised with them) and the version of every
    installed package stdportal depends on, directly or not (extras aside): the YAML parser, the templates,
    the workbook writer … each may change what a stored result would be."""
    versions: dict[str, str | None] = {}
    pending = ["stdportal"]
    while pending:
        name = re.split(r"[^A-Za-z0-9._-]", pending.pop(), maxsplit=1)[0].lower().replace("_", "-")
        if not name or name in versions:
            continue
        try:
            found = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
            continue
        versions[name] = found.version
        pending.extend(r for r in found.requires or [] if "extra ==" not in r)
    return repr((sys.version, unicodedata.unidata_version, sorted(versions.items())))


def _store_key(db_dir: Path, vocab: Vocabulary) -> str:
    parts = (str(_FORMAT), code_digest(), hashlib.sha256(repr(vocab).encode()).hexdigest(), str(db_dir.resolve()))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _load(path: Path, key: str, paths: dict[str, Path]) -> _Store:
    store = read_cache(path, paths)
    return store if isinstance(store, _Store) and store.key == key else _Store(key)
