"""The files of `.stdportal/`: caches of this machine's own making, read leniently and written atomically.

A cache that cannot be read (none yet, another version of the code, a half-written file) is no cache; one that
cannot be written (a read-only checkout) only means the next run starts afresh. A killed run leaves the
previous file or none, never a torn one.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["caching", "read_cache", "write_cache"]

_IGNORE = "# stdportal 的缓存，可随时删除\n*\n"


def caching() -> bool:
    """False when STDPORTAL_NO_CACHE=1: every cache (record store, page memo, spare site) is neither read nor kept."""
    return os.environ.get("STDPORTAL_NO_CACHE") != "1"


def read_cache(path: Path) -> Any:
    """The value stored at path, or None."""
    try:
        with open(path, "rb") as file:
            return pickle.load(file)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None


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
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    except OSError:
        pass
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
