"""`stdportal serve`: the site built into a temporary folder and served with live reload.

Every save under the database, the hand-written pages, the theme folder or mkdocs.yml rebuilds the site the way
`stdportal build` does (generator.publish), so the preview reuses the previous site (generator.sitecache) and a
one-record edit shows after a warm build instead of a full MkDocs run. Before that build, the edited records'
own pages are written into the preview and the browser reloads (generator.quickview), so the page being edited
updates in a second or two even in a large database. A build that fails leaves the preview as it was and says
why; the browser reloads when a build has put a new site in place.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from . import adapter
from .errors import DataError, StdportalError
from .problems import Severity, format_problem
from .publish import build_site
from .quickview import QuickView, Stamp
from .sitedir import Project

__all__ = ["serve_site"]


def serve_site(config_file: Path, dev_addr: str, report: Callable[[str], None],
               ready: Callable[[], None] = lambda: None) -> None:
    """Build, serve at dev_addr and rebuild on every change until interrupted; `report` shows a line, `ready`
    is called once the first build is in place."""
    project = adapter.project(config_file)
    restore = _stop_on_signals()
    root = None
    try:
        root = Path(tempfile.mkdtemp(prefix="stdportal-serve-"))
        _serve(config_file, dev_addr, report, ready, project, root / "site")
    finally:
        if root is not None:
            shutil.rmtree(root, ignore_errors=True)
        restore()


def _serve(config_file: Path, dev_addr: str, report: Callable[[str], None], ready: Callable[[], None],
           project: Project, site: Path) -> None:
    quick = QuickView(adapter.render_setup(config_file))

    def rebuild(reload: Callable[[], None]) -> None:
        started = time.monotonic()
        stamps = quick.stamps_now()
        shown = _first_answer(quick, site, stamps)
        if shown:
            reload()
            report(f"已先更新 {'、'.join(shown)} 的页面（用时 {time.monotonic() - started:.1f} 秒），"
                   "其余页面正在重新生成……")
        try:
            build_site(config_file, site)
        except DataError as exc:
            for problem in exc.problems:
                if problem.severity is not Severity.NOTICE:
                    report(format_problem(problem))
            report("标准数据有错误，预览仍是上一次生成的网站；改正后保存即可。")
        except StdportalError as exc:
            report(f"{exc}\n预览仍是上一次生成的网站。")
        else:
            if shown:
                reload()
            report(f"已更新预览（用时 {time.monotonic() - started:.1f} 秒）。")
        if not shown:  # something besides the records may have changed: the view starts again from the disk
            quick.prime(stamps)

    build_site(config_file, site)
    quick.prime()
    ready()
    watched = [config_file, project.docs_dir, project.database, *project.theme_dirs]
    adapter.live_server(config_file, site, rebuild, watched, dev_addr)


def _stop_on_signals() -> Callable[[], None]:
    """Make a stop by `kill` or a closed terminal end the preview the way Ctrl+C does, so that its temporary
    site (as large as the real one) is removed; returns what puts the previous handlers back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    owner = os.getpid()
    stopping: list[int] = []

    def interrupt(signum: int, frame: object) -> None:
        if os.getpid() != owner:  # a worker forked by the build, stopped by its pool: it ends as it would have
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        if not stopping:  # once: a second stop (a closing terminal sends SIGHUP again) must not cut the clean-up
            stopping.append(signum)
            raise KeyboardInterrupt

    stops = [signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])]
    # A stop the caller chose to ignore (`nohup stdportal serve &` ignores SIGHUP) stays ignored.
    previous = {stop: signal.signal(stop, interrupt) for stop in stops if signal.getsignal(stop) != signal.SIG_IGN}

    def restore() -> None:
        for stop, handler in previous.items():
            signal.signal(stop, handler)

    return restore


def _first_answer(quick: QuickView, site: Path, stamps: dict[Path, Stamp]) -> list[str]:
    """The edited records' pages, written before the rebuild (generator.quickview); a failure there only
    means no first answer."""
    try:
        return quick.show(site, stamps)
    except (OSError, StdportalError):
        return []
