"""Fixtures for the browser tests: one built site, served under a sub-path, and a network-fenced page.

The site is built once per session with a fixed --as-of and served by a threaded http.server that only answers
under SUB_PATH (missing pages there get site/404.html with status 404; everything else is a plain 404), so every
test also proves the site works when hosted below the web root. Each `page` comes from a fresh browser context
whose router aborts and records every request to any other host.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2025-01-01"
SUB_PATH = "/portal/sub/"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SHOTS = Path("/tmp/shots")


def _no_browser(reason: str) -> None:
    """A missing browser fails the run under CI and skips it elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} (set CI=1 to make this a failure)")


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    exe = shutil.which("stdportal")
    cmd = [exe] if exe else [sys.executable, "-c", "from generator.cli import main; main()"]
    result = subprocess.run([*cmd, "build", "--as-of", AS_OF, "--site-dir", str(out)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"stdportal build failed:\n{result.stdout}\n{result.stderr}"
    assert (out / "index.html").is_file() and (out / "404.html").is_file()
    return out


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site folder at SUB_PATH only; missing pages under it get the site's 404.html."""

    def translate_path(self, path: str) -> str:
        route = urlsplit(path).path
        if not route.startswith(SUB_PATH):
            return ""  # never a real file: send_head answers 404
        return super().translate_path("/" + path[len(SUB_PATH):])

    def send_head(self):  # type: ignore[no-untyped-def]
        if urlsplit(self.path).path + "/" == SUB_PATH:
            self.send_response(301)
            self.send_header("Location", SUB_PATH)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return super().send_head()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not urlsplit(self.path).path.startswith(SUB_PATH) or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        if not isinstance(sys.exc_info()[1], ConnectionError):  # the browser hung up: not our problem
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def server(site_dir: Path) -> Iterator[str]:
    """The site's base address, e.g. http://127.0.0.1:PORT/portal/sub/."""
    with serving(site_dir) as url:
        yield url


@contextlib.contextmanager
def serving(site: Path) -> Iterator[str]:
    """Serve the site folder under SUB_PATH from a thread; yields the base address."""
    handler = functools.partial(_SubPathHandler, directory=str(site))
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, name=f"site-server {site}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{SUB_PATH}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)


@pytest.fixture(scope="session", autouse=True)
def browser() -> Iterator[object]:
    """Headless Chromium; autouse so a missing browser is reported before the site is built."""
    if not Path(CHROMIUM).is_file():
        _no_browser(f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as exc:
        _no_browser(f"Python package playwright is not installed ({exc}); pip install -e '.[test]'")
    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        except Error as exc:
            _no_browser(f"{CHROMIUM} did not start: {exc.message.splitlines()[0]}")
        yield chromium
        chromium.close()


@dataclass
class Watch:
    """What a page did that a reader would not see: requests to other hosts, errors, failed loads."""

    outside: list[str] = field(default_factory=list)  # aborted by the router
    seen_outside: list[str] = field(default_factory=list)  # any request event to another host (router or not)
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def new_page(browser, server: str, watch: Watch):  # type: ignore[no-untyped-def]
    """Make a page in a fresh context (optionally with a viewport); all its contexts close after the test."""
    local = urlsplit(server).netloc
    contexts = []

    def on_route(route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        if urlsplit(url).netloc == local:
            route.continue_()
        else:
            watch.outside.append(url)
            route.abort("blockedbyclient")

    def on_response(response) -> None:  # type: ignore[no-untyped-def]
        # The 404 page itself is expected to be a 404; any other local 4xx/5xx is a broken link or asset.
        if response.status >= 400 and response.request.resource_type != "document":
            watch.failed.append(f"{response.status} {response.url}")

    def make(viewport: dict[str, int] | None = None):  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, locale="zh-CN",
                                      service_workers="block")
        contexts.append(context)
        context.route("**/*", on_route)
        context.on("request", lambda r: None if urlsplit(r.url).netloc == local else watch.seen_outside.append(r.url))
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("console", lambda m: watch.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: watch.console_errors.append(f"uncaught: {e}"))
        # A load the page itself cancels (the favicon when the address changes) is aborted, not broken; a
        # missing file still shows up as a 4xx response below.
        page.on("requestfailed", lambda r: watch.failed.append(f"{r.failure} {r.url}")
                if urlsplit(r.url).netloc == local and r.failure != "net::ERR_ABORTED" else None)
        page.on("response", on_response)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):  # type: ignore[no-untyped-def]
    """A desktop-sized page whose requests to any host but the local server are aborted and recorded."""
    return new_page()


@pytest.fixture(scope="session")
def shot() -> object:
    """Save a full-page screenshot for a person to look at (not an assertion)."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:  # type: ignore[no-untyped-def]
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    return take
