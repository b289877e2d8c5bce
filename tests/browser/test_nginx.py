"""The site served by a real nginx (Debian's package) with the configuration that docs/publishing.md documents
(deploy/nginx.conf), under /std/, built with site_url: every page kind loads with the Content-Security-Policy
and nothing fails, and a missing page gets the styled 404 page."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import AS_OF, ROOT
from .test_access import PAGE_KINDS

pytestmark = pytest.mark.browser

NGINX = "/usr/sbin/nginx"
CONF = ROOT / "deploy" / "nginx.conf"


def test_the_documented_configuration_is_the_tested_one() -> None:
    doc = (ROOT / "docs" / "publishing.md").read_text(encoding="utf-8")
    block = re.search(r"```nginx\n(# stdportal: the site under /std/.*?)```", doc, re.S)
    assert block, "docs/publishing.md shows deploy/nginx.conf in an ```nginx block"
    assert block.group(1) == CONF.read_text(encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def nginx_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(NGINX).is_file():
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed (apt-get install nginx)", pytrace=False)
        pytest.skip("nginx is not installed (apt-get install nginx)")
    work = tmp_path_factory.mktemp("nginx")
    port = free_port()
    base = f"http://127.0.0.1:{port}/std/"
    project = work / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".git", "site", ".stdportal", "node_modules",
                                                                   "__pycache__", ".*cache"))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace('# site_url: ""', f"site_url: {base}"),
                      encoding="utf-8")
    site = work / "www"
    exe = shutil.which("stdportal")
    cmd = [exe] if exe else [sys.executable, "-c", "from generator.cli import main; main()"]
    result = subprocess.run([*cmd, "build", "--as-of", AS_OF, "--site-dir", str(site)], cwd=project,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    snippet = CONF.read_text(encoding="utf-8").replace("/var/www/std/", f"{site}/")
    # Run as root (a container), nginx's workers would become nobody, who cannot read pytest's private folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(f"""{user}daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {work}/tmp; proxy_temp_path {work}/tmp; fastcgi_temp_path {work}/tmp;
    uwsgi_temp_path {work}/tmp; scgi_temp_path {work}/tmp;
    server {{
        listen 127.0.0.1:{port};
{snippet}
    }}
}}
""", encoding="utf-8")
    (work / "tmp").mkdir()
    proc = subprocess.Popen([NGINX, "-p", str(work), "-c", str(work / "nginx.conf")], stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"nginx did not start: {(work / 'error.log').read_text(errors='replace')}")
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


def test_every_page_kind_passes_the_policy_under_nginx(browser, nginx_site) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    failed: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document" else None)
    missing_document = "Failed to load resource: the server responded with a status of 404 (Not Found)"
    try:
        for kind, path in PAGE_KINDS.items():
            response = page.goto(nginx_site + path, wait_until="networkidle")
            assert response is not None and response.status == (404 if kind == "missing" else 200), kind
            assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")
            if "search/?q=" in path:
                page.locator("#sp-summary").filter(has_text=re.compile(".")).wait_for()
            if kind == "missing":  # Chromium reports the 404 document itself on the console
                assert errors.pop() == missing_document
            assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
            assert errors == [], f"{kind}: {errors}"  # a blocked script or style says 'Refused to …' here
        assert failed == []
        page.goto(nginx_site + "no/such/page/")
        assert page.locator(".sp-access").is_visible()  # the 404 page is styled, with no inline script
        # An address cut short to a folder without a page of its own: the site's 404 page, not nginx's 403.
        for folder in ("standards/", "standards/national/", "system/"):
            response = page.goto(nginx_site + folder)
            assert response is not None and response.status == 404, folder
            assert page.locator(".sp-access").is_visible() and page.locator("[data-feedback]").count() == 1
        # The sub-path without its final slash leads to the home page.
        response = page.goto(nginx_site.rstrip("/"))
        assert response is not None and response.status == 200 and page.url == nginx_site
        gz = page.request.get(nginx_site + "assets/stdportal/stdportal.css", headers={"Accept-Encoding": "gzip"})
        assert gz.headers.get("content-encoding") == "gzip" and "max-age=604800" in gz.headers["cache-control"]
    finally:
        context.close()
