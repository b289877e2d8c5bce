"""The files of `.stdportal/`: caches of this machine's own making, read leniently and written atomically.

A cache that cannot be read (none yet, another version of the code, a half-written file) is no cache; one that
cannot be written (a read-only checkout) only means the next run starts afresh. A killed run leaves the
previous file or none, never a torn one.
"""

from __future__ import annotations

import copyreg
import gc
import os
import pickle
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["caching", "read_cache", "write_cache"]

_IGNORE = "# stdportal 的缓存，可随时删除\n*\n"


def caching() -> bool:
    """False when STDPORTAL_NO_CACHE=1: every cache (record store, page memo, spare site) is neither read nor kept."""
    return os.environ.get("STDPORTAL_NO_CACHE") != "1"


def read_cache(path: Path, paths: Mapping[str, Path] | None = None) -> Any:
    """The value stored at path, or None. `paths`: Path objects the caller has made already, by their text: a
    stored path is one of them when it can be (making 10,000 Paths again costs a fifth of a second)."""
    collecting = gc.isenabled()
    gc.disable()  # the collector would walk the growing heap again and again: a load took three times as long
    try:
        with open(path, "rb") as file:
            value = _Unpickler(file, paths or {}).load()
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None
    finally:
        if collecting:
            gc.enable()
    gc.freeze()  # what a cache holds is kept for the run: later collections need not walk it (refcounts still free it)
    return value


def write_cache(path: Path, value: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text(_IGNORE, encoding="utf-8")
        handle, temp = tempfile.mkstemp(prefix=f".{path.stem}-", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as file:
            _Pickler(file, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        os.replace(temp, path)
    except OSError:
        pass
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def _stored_path(text: str) -> Path:
    """A path as the caches keep it: its text (read back by _Unpickler, which takes the caller's Path if known)."""
    return Path(text)


_PATH_TYPE = type(Path())


class _Pickler(pickle.Pickler):
    dispatch_table = {**copyreg.dispatch_table, _PATH_TYPE: lambda path: (_stored_path, (str(path),))}


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: Any, paths: Mapping[str, Path]) -> None:
        super().__init__(file)
        self.paths = paths

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == (__name__, _stored_path.__name__):
            return lambda text: self.paths.get(text) or Path(text)
        return super().find_class(module, name)
