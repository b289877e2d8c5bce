"""Work split over the machine's cores: forked workers inherit the data already in memory (the catalogue, the
templates) and each renders a slice; only their results travel back.

Serial where forking is not possible or not safe (no `fork` start method, or other threads running, as under
`mkdocs serve`), for small inputs, and when STDPORTAL_JOBS=1. The result is the same either way, in order.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["map_slices"]

T = TypeVar("T")

_MIN_ITEMS = 400
"""Below this, starting workers costs more than it saves."""
_task: Callable[[range], list[Any]] | None = None


def map_slices(task: Callable[[range], list[T]], count: int) -> list[T]:
    """task(range) over 0..count-1, split into slices run in parallel; the results joined in order."""
    workers = _workers()
    if workers < 2 or count < _MIN_ITEMS:
        return task(range(count))
    global _task
    _task = task
    pieces = workers * 4  # smaller slices even out the load
    slices = [range(i * count // pieces, (i + 1) * count // pieces) for i in range(pieces)]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_run, slices, chunksize=1)
    finally:
        _task = None
    return [item for part in parts for item in part]


def _run(part: range) -> list[Any]:
    assert _task is not None
    return _task(part)


def _workers() -> int:
    wanted = os.environ.get("STDPORTAL_JOBS", "")
    count = int(wanted) if wanted.isdigit() and int(wanted) > 0 else (os.cpu_count() or 1)
    forkable = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    return min(count, 8) if forkable else 1
