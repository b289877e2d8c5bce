"""A renamed record (its 标准号 changed, its file renamed with it, within a level or into another) leaves a redirect
page and a copy of its JSON at its old address; a live address or one two records had is never taken."""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import Repo
from support import AS_OF, REPO, record

from generator.feedback import FeedbackConfig
from generator.history import read_history
from generator.pipeline import load_catalog
from generator.records import Feedback
from generator.render import Output, RenderOptions, render

OPTIONS = RenderOptions(FeedbackConfig(Feedback(mail="f@example.org")))


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "project")
    repo.write({"national/GB-T-1-2020.yaml": record("GB/T 1-2020", "社区服务 通用要求"),
                "local/DB37-T-5-2020.yaml": record("DB37/T 5-2020", "养老服务规范"),
                "industry/MZ-T-7-2020.yaml": record("MZ/T 7-2020", "救助服务"),
                "national/GB-T-3-2020.yaml": record("GB/T 3-2020", "托育服务"),
                "national/GB-T-9-2021.yaml": record("GB/T 9-2021", "不改的标准")})
    repo.commit("收录", "2025-01-02")
    # A file renamed with its number corrected.
    repo.move("national/GB-T-1-2020.yaml", "national/GB-T-1.1-2020.yaml")
    repo.write({"national/GB-T-1.1-2020.yaml": record("GB/T 1.1-2020", "社区服务 通用要求")})
    # Two more in the same commit, one of them into another level (the file follows its number).
    repo.move("local/DB37-T-5-2020.yaml", "local/DB37-T-6-2020.yaml")
    repo.move("industry/MZ-T-7-2020.yaml", "national/GB-T-7-2020.yaml")
    repo.write({"local/DB37-T-6-2020.yaml": record("DB37/T 6-2020", "养老服务规范"),
                "national/GB-T-7-2020.yaml": record("GB/T 7-2020", "救助服务")})
    repo.commit("更正标准号", "2025-02-01")
    # GB/T 3-2020 became GB/T 4-2020, and a new record took GB/T 3-2020 again: its address is live.
    repo.move("national/GB-T-3-2020.yaml", "national/GB-T-4-2020.yaml")
    repo.write({"national/GB-T-4-2020.yaml": record("GB/T 4-2020", "托育服务")})
    repo.commit("GB/T 3 改为 GB/T 4", "2025-03-01")
    repo.write({"national/GB-T-3-2020.yaml": record("GB/T 3-2020", "另一项标准")})
    repo.commit("收录新的 GB/T 3-2020", "2025-03-02")
    return repo


def _render(repo: Repo, options: RenderOptions = OPTIONS, history: bool = True) -> dict[str, Output]:
    catalog, _ = load_catalog(repo.db, AS_OF)
    return {o.path: o for o in render(catalog, options, read_history(repo.db) if history else None)}


def _target(page: str, text: str) -> str:
    """Where the redirect page at `page` leads: its refresh, its canonical link and its visible link agree."""
    refresh = re.findall(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', text)
    canonical = re.findall(r'<link rel="canonical" href="([^"]+)">', text)
    visible = re.findall(r'<p>本标准页面已迁至 <a href="([^"]+)">', text)
    assert len(refresh) == len(canonical) == len(visible) == 1 and refresh == canonical == visible, text
    assert "<script" not in text
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), refresh[0])) + "/"


def test_old_addresses_lead_to_the_records_now(repo: Repo) -> None:
    outputs = _render(repo)
    moved = {"standards/national/GB-T-1-2020/index.html": "standards/national/GB-T-1.1-2020/",
             "standards/local/DB37-T-5-2020/index.html": "standards/local/DB37-T-6-2020/",
             "standards/industry/MZ-T-7-2020/index.html": "standards/national/GB-T-7-2020/"}
    redirects = {p for p in outputs if p.endswith("/index.html")}
    assert redirects == set(moved)  # none for GB/T 3-2020 (live again), none for records never renamed
    for page, target in moved.items():
        text = outputs[page].text
        assert _target(page, text) == target
        assert target.removesuffix("/") + ".md" in outputs  # it leads to a live page
        assert "本标准页面已迁至 <a href=" in text and 'lang="zh-CN"' in text
    assert "原标准号 MZ/T 7-2020 已改为 GB/T 7-2020" in outputs["standards/industry/MZ-T-7-2020/index.html"].text
    # The live page at a reused number is the new record's, and no redirect file shadows it.
    assert "另一项标准" in outputs["standards/national/GB-T-3-2020.md"].content
    assert json.loads(outputs["standards/national/GB-T-3-2020.json"].text)["标准"]["中文标准名称"] == "另一项标准"


def test_old_json_addresses_keep_the_document(repo: Repo) -> None:
    outputs = _render(repo)
    old = json.loads(outputs["standards/industry/MZ-T-7-2020.json"].text)
    new = json.loads(outputs["standards/national/GB-T-7-2020.json"].text)
    assert old["原标准号"] == "MZ/T 7-2020"
    assert posixpath.normpath(posixpath.join("standards/industry", old["新地址"])) == \
        "standards/national/GB-T-7-2020.json"
    assert {k: v for k, v in old.items() if k not in ("原标准号", "新地址")} == new
    assert "standards/national/GB-T-4-2020.json" in outputs and "standards/national/GB-T-3-2020.json" in outputs


def test_without_history_or_with_plain_urls(repo: Repo) -> None:
    assert not any(p.endswith(".html") for p in _render(repo, history=False))
    plain = _render(repo, RenderOptions(OPTIONS.feedback, directory_urls=False, site_url="https://example.org/s/"))
    text = plain["standards/local/DB37-T-5-2020.html"].text
    assert 'content="0; url=DB37-T-6-2020.html"' in text
    assert '<link rel="canonical" href="https://example.org/s/standards/local/DB37-T-6-2020.html">' in text


def test_a_number_two_records_had_gets_no_redirect(repo: Repo) -> None:
    """GB/T 9-2021 is renamed to GB/T 9.1-2021; a record added later as GB/T 9-2021 is renamed to GB/T 9.2-2021:
    both live records once had the number, and nobody can tell which one the old address meant."""
    repo.move("national/GB-T-9-2021.yaml", "national/GB-T-9.1-2021.yaml")
    repo.write({"national/GB-T-9.1-2021.yaml": record("GB/T 9.1-2021", "不改的标准")})
    repo.commit("更正", "2025-04-01")
    repo.write({"national/GB-T-9-2021.yaml": record("GB/T 9-2021", "另一项记录", 发布日期="2021-05-01")})
    repo.commit("收录", "2025-04-02")
    repo.move("national/GB-T-9-2021.yaml", "national/GB-T-9.2-2021.yaml")
    repo.write({"national/GB-T-9.2-2021.yaml": record("GB/T 9.2-2021", "另一项记录", 发布日期="2021-05-01")})
    repo.commit("再更正", "2025-04-03")
    catalog, _ = load_catalog(repo.db, AS_OF)
    history = read_history(repo.db)
    assert [history.for_path(catalog.get(n).path).numbers for n in ("GB/T 9.1-2021", "GB/T 9.2-2021")] == [
        ["GB/T 9-2021", "GB/T 9.1-2021"], ["GB/T 9-2021", "GB/T 9.2-2021"]]
    outputs = _render(repo)
    assert "standards/national/GB-T-9-2021/index.html" not in outputs
    assert "standards/national/GB-T-9-2021.json" not in outputs


def test_a_built_site_serves_the_redirect(repo: Repo) -> None:
    """Through `stdportal build`: the redirect file is in the site as written, at the old page's address."""
    shutil.copy2(REPO / "mkdocs.yml", repo.root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", repo.root / "docs")
    shutil.copytree(REPO / "overrides", repo.root / "overrides")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-c", "from generator.cli import main; main()", "build"], cwd=repo.root,
                          env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert proc.returncode == 0, proc.stderr
    site = repo.root / "site"
    text = (site / "standards/national/GB-T-1-2020/index.html").read_text(encoding="utf-8")
    assert _target("standards/national/GB-T-1-2020/index.html", text) == "standards/national/GB-T-1.1-2020/"
    assert (site / "standards/national/GB-T-1.1-2020/index.html").is_file()
    assert json.loads((site / "standards/national/GB-T-1-2020.json").read_text("utf-8"))["原标准号"] == "GB/T 1-2020"
