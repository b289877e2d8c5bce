"""Work split over the machine's cores: forked workers inherit the data already in memory (the catalogue, the
templates) and each renders slices of a list of work beside this process (map_slices) or a whole task
(in_background); only their results travel back.

Serial where forking is not possible or not safe (no `fork` start method, or other threads running, as under
`mkdocs serve`), for small inputs, and when STDPORTAL_JOBS=1. The result is the same either way, in order.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import select
import signal
import threading
from collections.abc import Callable, Iterator
from typing import IO, TypeVar

__all__ = ["in_background", "map_slices"]

T = TypeVar("T")

_MIN_ITEMS = 400
"""Below this, starting workers costs more than it saves."""
_computing: list[IO[bytes]] = []
"""The result pipes of the processes `in_background` started whose result is not taken yet. A process writes
its result only when its task is done, so one with nothing to read is still at work, keeping a core busy."""
_beside = 0
"""Processes of ours at work that are not in `_computing`: in a forked process, the one that forked it, which
goes on with its own work meanwhile."""


def _busy() -> int:
    """How many other processes of ours are at work: those `in_background` started, and the one beside."""
    if not _computing:
        return _beside
    poller = select.poll()
    for pipe in _computing:
        poller.register(pipe, select.POLLIN)
    return len(_computing) - len(poller.poll(0)) + _beside  # readable, or closed (POLLHUP): done


def map_slices(task: Callable[[range], list[T]], count: int) -> list[T]:
    """task(range) over 0..count-1, split into slices run in parallel; the results joined in order. This process
    works too, and before each slice it takes, starts a forked worker on each core no other process of ours keeps
    busy, while two slices or more are left. Beside a background task on two cores (the monitoring pages while
    the standard pages render), the slices run here until it ends, then on both cores: a worker beside it would
    only share the cores, and its copy-on-write pages cost more than it saves (one record changed at 10,000:
    0.6 s of 6), while a worker started when it ends halves what is left (100,000 standards: most of the build).
    Each process takes the next slice not yet taken until none is left, so one slowed by other work takes fewer."""
    cores = _workers()
    if cores < 2 or count < _MIN_ITEMS:
        return task(range(count))
    pieces = cores * 4  # smaller slices even out the load, and leave some for a worker started late
    slices = [range(i * count // pieces, (i + 1) * count // pieces) for i in range(pieces)]
    taken = multiprocessing.get_context("fork").Value("i", 0)

    def work(before_each: Callable[[], None] = lambda: None) -> dict[int, list[T]]:
        done: dict[int, list[T]] = {}
        while True:
            before_each()
            with taken.get_lock():
                i = taken.value
                taken.value = i + 1
            if i >= pieces:
                return done
            done[i] = task(slices[i])

    with contextlib.ExitStack() as stack:
        others: list[Callable[[], dict[int, list[T]]]] = []

        def start_workers() -> None:
            while len(others) < cores - 1 and cores - 1 - _busy() > 0 and pieces - taken.value >= 2:
                others.append(stack.enter_context(in_background(work)))

        parts = work(start_workers)
        for other in others:
            parts.update(other())
    return [item for i in range(pieces) for item in parts[i]]


def _leave_interrupts_to_the_parent() -> None:
    """Ctrl+C reaches every process of the terminal's group: a forked process that took it too would print a
    traceback of its own. The parent stops on it, and leaving `in_background`'s context stops the process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def in_background(task: Callable[[], T]) -> Iterator[Callable[[], T]]:
    """Start task() in a forked process; the context gives a function that waits for its result (or raises its
    exception). Only its result comes back: what it changes in memory stays in its process (a memo's entries
    travel with the result through Memo.tracked). Leaving the context without the result stops the process.
    Without forking (or when the system cannot fork one more process), task() runs when its result is asked
    for."""
    if _workers() < 2:
        yield task
        return
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no memory or no process slot left for a copy of this one: the task runs here
        os.close(read_end)
        os.close(write_end)
        yield task
        return
    if pid == 0:  # the child: run, send the pickled outcome, leave without running the parent's exit handlers
        code = 0
        try:
            _forked()
            _leave_interrupts_to_the_parent()
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                try:
                    value = task()
                except BaseException as exc:  # noqa: BLE001  (any failure belongs to the parent)
                    out.write(_pickled_failure(exc))
                else:  # streamed: neither side holds the whole pickle as well as the value
                    pickle.dump((True, value), out, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    pipe = os.fdopen(read_end, "rb")
    waited = False
    _computing.append(pipe)

    def ended() -> None:
        nonlocal waited
        waited = True
        _computing.remove(pipe)

    def result() -> T:
        try:
            outcome = pickle.load(pipe)
        except (EOFError, pickle.UnpicklingError):
            outcome = None
        _, status = os.waitpid(pid, 0)
        ended()
        if outcome is None or status != 0:
            raise RuntimeError(f"background task ended without a result (wait status {status})")
        ok, value = outcome
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    try:
        yield result
    finally:
        if not waited:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            ended()
        pipe.close()


def _forked() -> None:
    """In a process in_background forked: the one that forked it works on beside it."""
    global _beside
    _beside += 1


def _pickled_failure(exc: BaseException) -> bytes:
    try:
        return pickle.dumps((False, exc), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001  (an exception that cannot travel is told by its text)
        return pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")), protocol=pickle.HIGHEST_PROTOCOL)


def _workers() -> int:
    wanted = os.environ.get("STDPORTAL_JOBS", "")
    count = int(wanted) if wanted.isdigit() and int(wanted) > 0 else (os.cpu_count() or 1)
    forkable = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    return min(count, 8) if forkable else 1
