"""Where one `stdportal` command spends its time and memory, stage by stage.

Runs the CLI in this process with the pipeline's stages wrapped: after each stage it prints to stderr the
seconds since start, the stage's own seconds, and the process's resident memory now (VmRSS) and at its peak so
far (VmHWM), from /proc/self/status (Linux). The arguments are the CLI's:

    cd <synthetic project> && python <checkout>/bench/phases.py build --site-dir <site> --as-of 2026-01-01

A stage's line comes when it ends, so nested stages (the renderers inside `render`) print before their parent.
It measures one run on a shared machine: use it to see where the time and memory go, and `build_bench.py` for
figures to compare.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

_START = time.perf_counter()


def memory_mb() -> dict[str, int]:
    found = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0]) // 1024
    return found


def _timed(module: ModuleType, name: str) -> Callable[..., Any]:
    function = getattr(module, name)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            now = time.perf_counter()
            memory = memory_mb()
            print(f"[{now - _START:8.1f} s] {module.__name__}.{name}: {now - began:7.1f} s, "
                  f"RSS {memory.get('VmRSS', 0):,} MB, peak {memory.get('VmHWM', 0):,} MB", file=sys.stderr, flush=True)

    setattr(module, name, wrapper)
    return wrapper


def _wrap_stages() -> None:
    """Wrap each stage where it is defined and where the pipeline imported it by name."""
    from mkdocs.commands import build as mkdocs_build

    from generator import adapter, memo, pipeline, publish, render, sitecache
    from generator.render import browse, downloads, monitor, redirects, search_index, standard_page, updates

    for module, names in ((pipeline, ["_checked", "read_history", "likely_problems"]),
                          (sitecache, ["assemble", "save_state"]), (adapter, ["_engine_key", "load_state"]),
                          (publish, ["_put_in_place", "_keep_as_spare"])):
        for name in names:
            _timed(module, name)
    renderers = [(browse, "render_browse_pages"), (standard_page, "render_standard_pages"),
                 (search_index, "render_search_index"), (updates, "render_updates"), (downloads, "render_downloads"),
                 (monitor, "render_monitor"), (redirects, "render_redirects")]
    for module, name in renderers:
        setattr(render, name, _timed(module, name))
    pipeline.render = _timed(render, "render")  # type: ignore[attr-defined]
    _timed(render, "search_documents")
    _timed(memo.Memo, "save")
    _timed(memo.Memo, "_load")
    adapter.run = _timed(pipeline, "run")  # type: ignore[attr-defined]
    adapter.assemble = sitecache.assemble  # type: ignore[attr-defined]
    adapter.save_state = sitecache.save_state  # type: ignore[attr-defined]
    _timed(mkdocs_build, "build")


def main() -> None:
    _wrap_stages()
    from generator.cli import main as cli

    try:
        cli()
    finally:
        memory = memory_mb()
        print(f"[{time.perf_counter() - _START:8.1f} s] end: RSS {memory.get('VmRSS', 0):,} MB, "
              f"peak {memory.get('VmHWM', 0):,} MB", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
