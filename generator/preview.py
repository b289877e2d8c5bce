"""`stdportal serve`: the site built into a temporary folder and served with live reload.

Every save under the database, the hand-written pages, the theme folder or mkdocs.yml rebuilds the site the way
`stdportal build` does (generator.publish), so the preview reuses the previous site (generator.sitecache) and a
one-record edit shows after a warm build instead of a full MkDocs run. A build that fails leaves the preview
as it was and says why; the browser reloads when a build has put a new site in place.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from . import adapter
from .errors import DataError, StdportalError
from .problems import Severity, format_problem
from .publish import build_site

__all__ = ["serve_site"]


def serve_site(config_file: Path, dev_addr: str, report: Callable[[str], None],
               ready: Callable[[], None] = lambda: None) -> None:
    """Build, serve at dev_addr and rebuild on every change until interrupted; `report` shows a line, `ready`
    is called once the first build is in place."""
    project = adapter.project(config_file)
    root = Path(tempfile.mkdtemp(prefix="stdportal-serve-"))
    site = root / "site"

    def rebuild() -> None:
        started = time.monotonic()
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
            report(f"已更新预览（用时 {time.monotonic() - started:.1f} 秒）。")

    try:
        build_site(config_file, site)
        ready()
        watched = [config_file, project.docs_dir, project.database, *project.theme_dirs]
        adapter.live_server(config_file, site, rebuild, watched, dev_addr)
    finally:
        shutil.rmtree(root, ignore_errors=True)
