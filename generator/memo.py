"""Rendered pages remembered between builds, keyed by a digest of everything the page is made from.

A renderer states a page's inputs as one value (the record, its status, the titles it links to …); the page
is rendered again only when that value, or the salt (the generator's code and templates, the options, the
vocabularies, the as-of date), changed. Pages are kept compressed in `.stdportal/memo-<name>.pickle`; a build
keeps only the entries it used, so the file does not grow with edits. STDPORTAL_NO_CACHE=1 bypasses it.
"""

from __future__ import annotations

import functools
import hashlib
import io
import pickle
import zlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .cachefile import caching, read_cache, write_cache

__all__ = ["Memo", "digest", "digest_tree", "repr_once"]

_FORMAT = 2
CHUNK = 32
"""Items per memo entry, on average, in Memo.made_each."""
T = TypeVar("T")
I = TypeVar("I")  # noqa: E741
C = TypeVar("C", bound=type)
REPR = "_repr"
"""Where an object made by a `repr_once` class keeps its repr."""


def repr_once(cls: C) -> C:
    """A frozen dataclass whose repr is made once per object and kept beside its fields, out of equality,
    hashing and pickles: memo keys (`digest`) spell the same records, statuses and rows for page after page,
    and making their reprs again was a fifth of a rebuild's key time."""
    made: Callable[[Any], str] = vars(cls)["__repr__"]  # the dataclass's own

    def __repr__(self: Any) -> str:
        found: str | None = self.__dict__.get(REPR)
        if found is None:
            found = self.__dict__[REPR] = made(self)
        return found

    def __getstate__(self: Any) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop(REPR, None)
        return state

    cls.__repr__ = __repr__  # type: ignore[assignment]
    cls.__getstate__ = __getstate__  # type: ignore[attr-defined]
    return cls


def _each(make: Callable[[I], T], items: Sequence[I]) -> list[T]:
    return [make(item) for item in items]


class _Pickler(pickle.Pickler):
    """Pickles an output (generator.render.Output) with its bytes compressed on their own (Output.stored), so
    that reading it back does not decompress them: a rebuild reads 10,000 kept pages and needs few of their
    bytes. Everything else is pickled as it is."""

    def reducer_override(self, obj: Any) -> Any:
        from .render.base import Output

        if type(obj) is not Output:
            return NotImplemented
        return Output.stored, (obj.path, obj.packed(), obj.in_nav, obj.meta, obj.binary, obj.digest)


def digest(value: Any) -> str:
    """A digest of a value made of dataclasses, tuples, strings, numbers and dates (their repr is stable)."""
    return hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).hexdigest()


def digest_tree(paths: Iterable[Path]) -> str:
    """A digest of the names and bytes of every file below each path (a missing path counts as empty)."""
    sha = hashlib.sha256()
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
        for file in files:
            sha.update(str(file).encode() + b"\0" + file.read_bytes() + b"\0")
    return sha.hexdigest()


class Memo:
    def __init__(self, file: Path | None, salt: Any) -> None:
        self.file = file if caching() else None
        self.salt = digest((_FORMAT, salt))
        self.old: dict[str, bytes] = self._load()
        self.new: dict[str, bytes] = {}

    def key(self, inputs: Any) -> str:
        return digest((self.salt, inputs))

    def has(self, key: str) -> bool:
        return key in self.old

    def keep(self, key: str) -> None:
        """Mark an entry used (a forked worker read it) so that it is kept."""
        if key in self.old:
            self.new[key] = self.old[key]

    def get(self, key: str) -> Any:
        """The value stored under key, or None. An output in it (generator.render.Output) comes back with its
        bytes still compressed: they are decompressed when read."""
        packed = self.old.get(key)
        if packed is None:
            return None
        self.new[key] = packed
        return pickle.loads(packed)

    def made(self, inputs: Any, make: Callable[[], T]) -> T:
        """What make() gives, from an earlier build while `inputs` (everything it is made from) are the same."""
        key = self.key(inputs)
        found: T | None = self.get(key)
        return self.put(key, make()) if found is None else found

    def made_each(self, items: Sequence[I], inputs: Callable[[I], Any], make: Callable[[I], T]) -> list[T]:
        """make(item) for each item, remembered in runs of items (about CHUNK of them) while each item's inputs are
        the same: for a small value per record (its search terms, its exported row), where one entry per record
        cost more to key and unpickle than the value is worth. A run ends after an item whose inputs' digest ends
        a run (or after 4 × CHUNK items), so a record added or removed changes its own run, not every run after
        it."""
        out: list[T] = []
        start = 0
        spelled: list[str] = []
        for i, item in enumerate(items):
            spelled.append(repr(inputs(item)))
            ends = zlib.crc32(spelled[-1].encode("utf-8", "surrogatepass")) % CHUNK == 0
            if ends or len(spelled) == 4 * CHUNK or i == len(items) - 1:
                run = items[start:i + 1]
                out += self.made(("run", "\0".join(spelled)), functools.partial(_each, make, run))
                start, spelled = i + 1, []
        return out

    def pending(self, inputs: Any, make: Callable[[], Any]) -> tuple[str, bytes | None]:
        """For work split over processes: (key, make() as the memo keeps it), or (key, None) when the memo has it
        already, so that only the key or the compressed entry travels back from a worker (and the worker does
        the compressing); the parent takes the value with `settle`."""
        key = self.key(inputs)
        return (key, None) if key in self.old else (key, self.pack(make()))

    def settle(self, key: str, packed: bytes | None) -> Any:
        """What a worker gave under key (`pending`, `pack`), or the memo's value when it gave None; kept either
        way, and given as kept (see `put`)."""
        if packed is None:
            return self.get(key)
        self.new[key] = packed
        return pickle.loads(packed)

    def put(self, key: str, value: T) -> T:
        """Keep value under key; return it as kept, to use instead: its outputs then hold their bytes compressed
        until read, like those an earlier build left, so that a build does not hold every new page twice (as its
        bytes and in the memo) until the site is written: at 100,000 standards that was the peak of memory."""
        kept: T = self.settle(key, self.pack(value))
        return kept

    @staticmethod
    def pack(value: Any) -> bytes:
        """value as an entry of the memo: pickled, each output's bytes compressed on their own (_Pickler)."""
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        return buffer.getvalue()

    def tracked(self, task: Callable[[], T]) -> Callable[[], tuple[T, dict[str, bytes | None]]]:
        """task, made to return also the entries it used (by key alone: the caller has them) and those it added:
        for a task that runs in another process (generator.parallel.in_background), whose memo is a copy;
        `adopt` takes them back."""
        def run() -> tuple[T, dict[str, bytes | None]]:
            before = set(self.new)
            value = task()
            return value, {k: None if self.old.get(k) is v else v for k, v in self.new.items() if k not in before}
        return run

    def adopt(self, entries: dict[str, bytes | None]) -> None:
        for key, packed in entries.items():
            if packed is None:
                self.keep(key)
            else:
                self.new[key] = packed

    def save(self) -> None:
        if self.file is not None and self.new.keys() != self.old.keys():
            write_cache(self.file, (self.salt, self.new))

    def _load(self) -> dict[str, bytes]:
        stored = read_cache(self.file) if self.file is not None else None
        if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == self.salt):
            return {}
        return stored[1] if isinstance(stored[1], dict) else {}
