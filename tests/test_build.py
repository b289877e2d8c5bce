"""End to end: `mkdocs build --strict` and `stdportal build` in a temporary project, and the bundled database.

Each build runs in a subprocess, as a maintainer runs it; the temporary project holds copies of mkdocs.yml,
docs/ and overrides/ and the small fixture database of support.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from support import AS_OF, FIXTURE_FILES, REPO, XSS_TITLE
from support import make_project as make_fixture_project

from generator.numbers import parse_number, slug

EPOCH = str(int(dt.datetime(AS_OF.year, AS_OF.month, AS_OF.day, tzinfo=dt.timezone.utc).timestamp()))
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": EPOCH}
UPCOMING = "local/DB37-T-4000-2025"  # 实施日期 2026-02-20


def make_project(root: Path) -> Path:
    return make_fixture_project(root, FIXTURE_FILES)


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=ENV, capture_output=True, text=True, encoding="utf-8", timeout=300)


def stdportal(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-c", "from generator.cli import main; main()", *args], cwd)


def mkdocs_build(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "mkdocs", "build", "--strict", *args], cwd)


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def status_of(site: Path, page: str) -> str:
    text = (site / "standards" / page / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<div class="sp-status-panel">\s*<p><span class="sp-status sp-status--\w+">([^<]+)</span>', text)
    assert match, page
    return match.group(1)


def leftovers(parent: Path) -> list[str]:
    """What builds left beside the site, but the spare that the last one kept on purpose (generator.publish)."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".site-") and p.name != ".site-spare")


# --- (a) mkdocs build --strict of the fixture project ------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("mkdocs") / "project")
    proc = mkdocs_build(project)
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr
    return project / "site"


def test_a_page_per_standard(built: Path) -> None:
    for name in FIXTURE_FILES:
        number = parse_number(re.search(r'标准号: "([^"]+)"', FIXTURE_FILES[name]).group(1))[0]
        page = built / "standards" / number.level.key / slug(number.text) / "index.html"
        assert page.is_file(), page
        assert f'<p class="sp-standard__number">{number.text}</p>' in page.read_text(encoding="utf-8")
    pages = [p.parent.name for p in (built / "standards").glob("*/*/index.html")]
    assert len(pages) == len(FIXTURE_FILES)


def test_markup_in_a_title_is_only_text_in_the_built_site(built: Path) -> None:
    for path in built.rglob("*"):
        if path.is_file() and path.suffix != ".csv":  # the CSV download holds the data as it is (text/csv)
            data = path.read_bytes()
            assert b"<script>alert(1)" not in data, path
            assert b"alert(1)</script>" not in data, path
    page = (built / "standards/national/GB-T-99999-2023/index.html").read_text(encoding="utf-8")
    assert "<h1>标准&lt;script&gt;alert(1)&lt;/script&gt; *markdown* [x](y)</h1>" in page
    assert "<em>markdown</em>" not in page and 'href="y"' not in page
    assert "<title>标准&lt;script&gt;alert(1)&lt;/script&gt; *markdown* [x](y) - " in page


def test_every_built_page_has_a_feedback_link(built: Path) -> None:
    pages = sorted(built.rglob("*.html"))
    assert built / "404.html" in pages
    assert len(pages) > 20
    assert [p.relative_to(built).as_posix() for p in pages if "data-feedback" not in p.read_text("utf-8")] == []


def test_the_feedback_link_carries_the_page_title(built: Path) -> None:
    page = (built / "standards/national/GB-T-99999-2023/index.html").read_text(encoding="utf-8")
    href = html.unescape(re.search(r'data-feedback\s+href="([^"]+)"', page).group(1))
    parts = urlsplit(href)
    assert (parts.scheme, parts.path) == ("mailto", "feedback@example.org")
    query = parse_qs(parts.query)
    assert query["subject"] == ["意见反馈：" + XSS_TITLE]
    (body,) = query["body"]
    assert body.startswith("页面地址：") and body.endswith("/standards/national/GB-T-99999-2023/")


# --- (b) and (c) stdportal build: status by --as-of, failed builds leave the site alone ---------------------


def test_as_of_decides_the_status(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    early = stdportal("build", "--as-of", "2026-01-01", "--site-dir", "early", cwd=project)
    late = stdportal("build", "--as-of", "2026-06-01", "--site-dir", "late", cwd=project)
    assert early.returncode == late.returncode == 0, early.stderr + late.stderr

    assert status_of(project / "early", UPCOMING) == "即将实施"
    assert status_of(project / "late", UPCOMING) == "现行"
    # The status lists agree with the pages.
    assert "DB37/T 4000-2025" in (project / "early/status/upcoming/index.html").read_text("utf-8")
    assert "DB37/T 4000-2025" not in (project / "late/status/upcoming/index.html").read_text("utf-8")
    # A standard in force on both dates does not change.
    assert status_of(project / "early", "national/GB-T-10001-2020") == "现行"
    assert status_of(project / "late", "national/GB-T-10001-2020") == "现行"
    assert status_of(project / "early", "national/GB-T-10001-2010") == "被代替"


def test_a_failed_build_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    site = project / "site"
    site.mkdir()
    (site / "stale.html").write_text("上一次的网站", encoding="utf-8")
    (site / ".stdportal-site").write_text("", encoding="utf-8")  # an earlier build's: ours to replace
    good = stdportal("build", "--as-of", "2026-01-01", "--site-dir", "site", cwd=project)
    assert good.returncode == 0, good.stderr
    assert good.stdout.startswith("网站已生成：site/（")
    assert not (site / "stale.html").exists()  # a good build replaces the whole folder
    assert (site / "index.html").is_file()
    assert leftovers(project) == []
    before = tree_hash(site)

    # Broken data: the build stops at the stdportal plugin; only the problem lines and one summary are printed.
    broken = project / "standards/national/GB-T-20001-2020.yaml"
    broken.write_text('标准号: "GB/T 20001-2020"\n中文标准名称: 测试\n发布日期: 2017-13-01\n', encoding="utf-8")
    failed = stdportal("build", "--as-of", "2026-01-01", "--site-dir", "site", cwd=project)
    assert failed.returncode == 1
    assert failed.stdout.splitlines() == [
        'standards/national/GB-T-20001-2020.yaml:3:7: 发布日期: 不是有效日期 "2017-13-01"'
    ]
    assert failed.stderr.strip() == "标准数据有 1 个错误，网站未生成（site/ 保持原样）。"
    assert "Traceback" not in failed.stdout + failed.stderr
    assert tree_hash(site) == before
    assert leftovers(project) == []
    broken.unlink()

    # A failure inside MkDocs, after the temporary site folder was made: a hand-written page collides.
    (project / "docs/levels").mkdir()
    (project / "docs/levels/index.md").write_text("# 按层级\n", encoding="utf-8")
    failed = stdportal("build", "--as-of", "2026-01-01", "--site-dir", "site", cwd=project)
    assert failed.returncode == 1
    assert "docs/levels/index.md 与生成的页面重名，请改名或删除" in failed.stderr
    assert "网站未生成（site/ 保持原样）。" in failed.stderr
    assert "Traceback" not in failed.stdout + failed.stderr
    assert tree_hash(site) == before
    assert leftovers(project) == []


FULL_DISK = """
import errno, pathlib
from generator.cli import main
written = pathlib.Path.write_bytes
count = [0]
def write_bytes(self, data):
    count[0] += 1
    if count[0] > 20:  # the disk fills up in the middle of the build
        raise OSError(errno.ENOSPC, "No space left on device", str(self))
    return written(self, data)
pathlib.Path.write_bytes = write_bytes
main()
"""


@pytest.mark.parametrize("cache", ["1", "0"], ids=["no-cache", "cache"])
def test_a_full_disk_stops_the_build_with_a_chinese_reason_and_keeps_the_site(tmp_path: Path, cache: str) -> None:
    project = make_project(tmp_path / "project")
    good = stdportal("build", "--as-of", "2026-01-01", "--site-dir", "site", cwd=project)
    assert good.returncode == 0, good.stderr
    before = tree_hash(project / "site")
    (project / "docs/about.md").write_text("# 关于\n\n改过的说明。\n", encoding="utf-8")  # something to write
    failed = subprocess.run([sys.executable, "-c", FULL_DISK, "build", "--as-of", "2025-06-01", "--site-dir", "site"],
                            cwd=project, env={**ENV, "STDPORTAL_NO_CACHE": cache}, capture_output=True, text=True,
                            encoding="utf-8", timeout=300)
    said = failed.stdout + failed.stderr
    assert failed.returncode == 1, said
    assert "磁盘空间不足，请清理磁盘后再试" in failed.stderr and "网站未生成（site/ 保持原样）。" in failed.stderr, said
    assert "No space left" not in said and "Traceback" not in said, said
    assert tree_hash(project / "site") == before
    assert leftovers(project) == []
    # Room again: the next build goes through, with the change, from whatever the failed one kept.
    again = stdportal("build", "--as-of", "2025-06-01", "--site-dir", "site", cwd=project)
    assert again.returncode == 0, again.stderr
    assert "改过的说明" in (project / "site/about/index.html").read_text(encoding="utf-8")
    assert leftovers(project) == []


def test_a_bad_as_of_is_a_chinese_error(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    proc = stdportal("build", "--as-of", "2026-13-01", cwd=project)
    assert proc.returncode == 1
    said = '状态计算日期（--as-of 或 mkdocs.yml 中的 as_of）"2026-13-01" 不是有效日期（没有这一天），应形如 2026-01-31'
    assert said in proc.stderr
    assert not (project / "site").exists()
    assert leftovers(project) == []


# --- (d) the bundled database ----------------------------------------------------------------------------


def test_the_bundled_site_builds_strict(tmp_path: Path) -> None:
    site = tmp_path / "site"
    proc = mkdocs_build(REPO, "--site-dir", str(site))
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr
    records = [p for p in (REPO / "standards").glob("*/*.yaml") if p.parent.name != "vocabularies"]
    pages = list((site / "standards").glob("*/*/index.html"))
    assert len(pages) == len(records) > 200
    assert {p.parent.name for p in pages} == {p.stem for p in records}
    assert "data-feedback" in (site / "404.html").read_text(encoding="utf-8")


def test_our_assets_are_addressed_with_a_version_that_follows_their_content(built: Path, tmp_path: Path) -> None:
    """An update of search.js must not meet a browser's cached old copy: its address carries a content hash."""
    from generator.adapter import _assets_version

    page = (built / "search" / "index.html").read_text(encoding="utf-8")
    version = _assets_version([str(REPO / "overrides")])
    assert re.fullmatch(r"[0-9a-f]{10}", version)
    for asset in ("search.js", "search-ui.js", "stdportal.css", "stdportal.js"):
        assert f"assets/stdportal/{asset}?v={version}" in page, asset
    shutil.copytree(REPO / "overrides", tmp_path / "theme")
    assert _assets_version([str(tmp_path / "empty"), str(tmp_path / "theme")]) == version
    search_js = tmp_path / "theme" / "assets" / "stdportal" / "search.js"
    search_js.write_text(search_js.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _assets_version([str(tmp_path / "theme")]) != version


def test_the_built_site_names_no_other_host_in_its_theme_files(built: Path) -> None:
    assets = built / "assets"
    assert not list(assets.rglob("*.map"))
    assert not (assets / "javascripts" / "workers").exists() and not (assets / "javascripts" / "lunr").exists()
    for file in [*assets.rglob("*.js"), *assets.rglob("*.css")]:
        text = file.read_text(encoding="utf-8")
        found = [m for m in re.findall(r"https?://(?:[a-z0-9-]+\.)+[a-z]{2,}", text) if m != "http://www.w3.org"]
        assert found == [], file
