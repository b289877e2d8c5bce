"""Ready-made pipelines under deploy/: they parse, check every change, publish only from main; publish.sh keeps
the old site when anything fails."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from support import REPO

DEPLOY = REPO / "deploy"
PIPELINES = ["github-actions.yml", "gitlab-ci.yml", "gitee-go.yml"]


def load(name: str) -> dict:
    return yaml.safe_load((DEPLOY / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", PIPELINES)
def test_pipelines_parse_and_check(name: str) -> None:
    text = (DEPLOY / name).read_text(encoding="utf-8")
    assert isinstance(load(name), dict)
    assert "stdportal check" in text and "stdportal build" in text
    for external in ("cdn.", "fonts.googleapis", "googletagmanager", "analytics"):
        assert external not in text


def test_github_actions_checks_every_change_and_publishes_main() -> None:
    workflow = load("github-actions.yml")
    events = workflow[True]  # PyYAML reads the bare key `on` as True
    assert "push" in events and "pull_request" in events
    steps = [step.get("run", "") for step in workflow["jobs"]["check"]["steps"]]
    assert "stdportal check" in steps
    assert workflow["jobs"]["publish"]["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert workflow["jobs"]["publish"]["needs"] == "check"


def test_gitlab_ci_checks_every_change_and_publishes_the_default_branch() -> None:
    pipeline = load("gitlab-ci.yml")
    assert "stdportal check" in pipeline["check"]["script"]
    assert {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'} in pipeline["check"]["rules"]
    assert pipeline["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert pipeline["pages"]["artifacts"]["paths"] == ["public"]
    assert "stdportal check" in pipeline["pages"]["script"]


def test_gitee_go_checks_then_publishes() -> None:
    pipeline = load("gitee-go.yml")
    assert set(pipeline["triggers"]) >= {"push", "pr"}
    check, publish = pipeline["stages"]
    assert "stdportal check" in check["steps"][0]["commands"]
    assert any('!= "main"' in line for line in publish["steps"][0]["script"])


def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks == [{
        "id": "stdportal-check", "name": "stdportal check（检查标准数据）",
        "description": "检查 standards/ 中的标准数据，有错误时阻止提交",
        "entry": "stdportal check", "language": "python", "pass_filenames": False, "files": "^standards/",
    }]


def test_docs_explain_publishing() -> None:
    text = (REPO / "docs/publishing.md").read_text(encoding="utf-8")
    assert text.startswith("# 发布与自动化")
    for needle in [*PIPELINES, "publish.sh", "pre-commit", ".pre-commit-config.yaml", "yaml.schemas", "VS Code"]:
        assert needle in text, needle
    assert "(publishing.md)" in (REPO / "docs/maintainers.md").read_text(encoding="utf-8")
    nav = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    # For maintainers, not in the citizens' menu: reached from every page's footer.
    assert "publishing.md" not in nav.partition("\nnav:\n")[2] and "  - 数据下载: downloads/index.md\n" in nav
    assert "  /publishing.md\n" in nav.partition("not_in_nav: |\n")[2]
    assert "('publishing' ~ ending) | url" in (REPO / "overrides/partials/copyright.html").read_text(encoding="utf-8")


def test_publish_sh_is_valid_bash() -> None:
    result = subprocess.run(["bash", "-n", str(DEPLOY / "publish.sh")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- publish.sh end to end, with a stand-in stdportal -----------------------------------------------------

STUB = """#!/usr/bin/env bash
# A stand-in for stdportal: `check` and `build` fail when told to; build writes the commit it built.
case "$1" in
  check) exit "${STUB_CHECK:-0}" ;;
  build)
    [ "${STUB_BUILD:-0}" = 0 ] || { echo "build failed" >&2; exit 1; }
    mkdir -p "$3" && : > "$3/.stdportal-site" && git rev-parse --short HEAD > "$3/index.html" ;;
esac
"""


@pytest.fixture
def repo(tmp_path: Path) -> dict[str, object]:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path)}
    upstream, work = tmp_path / "upstream", tmp_path / "work"

    def git(*args: str, cwd: Path) -> str:
        return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout

    upstream.mkdir()
    git("init", "-q", "-b", "main", cwd=upstream)
    (upstream / "deploy").mkdir()
    shutil.copy2(DEPLOY / "publish.sh", upstream / "deploy/publish.sh")
    (upstream / "data.txt").write_text("1\n", encoding="utf-8")
    git("add", ".", cwd=upstream)
    git("commit", "-q", "-m", "one", cwd=upstream)
    git("clone", "-q", str(upstream), str(work), cwd=tmp_path)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "stdportal").write_text(STUB, encoding="utf-8")
    (bin_dir / "stdportal").chmod(0o755)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    env["WEB_ROOT"] = str(tmp_path / "www")

    def commit(content: str) -> str:
        (upstream / "data.txt").write_text(content, encoding="utf-8")
        git("commit", "-q", "-am", content, cwd=upstream)
        return git("rev-parse", "--short", "HEAD", cwd=upstream).strip()

    def publish(**extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", str(work / "deploy/publish.sh")], env={**env, **extra}, capture_output=True,
                              text=True, timeout=60)

    return {"web": tmp_path / "www", "work": work, "commit": commit, "publish": publish,
            "head": lambda: git("rev-parse", "--short", "HEAD", cwd=work).strip()}


def test_publish_pulls_builds_and_copies(repo: dict) -> None:
    result = repo["publish"]()

    assert result.returncode == 0, result.stdout + result.stderr
    assert (repo["web"] / "index.html").read_text().strip() == repo["head"]()
    assert (repo["work"] / ".site-publish" / "index.html").exists()  # kept: the next build starts from it
    assert repo["web"].stat().st_mode & 0o055 == 0o055  # the web server (another user) reads it
    assert sorted(p.name for p in repo["web"].parent.glob("www*")) == ["www"]  # no copy left beside it
    # A new commit upstream is pulled and published.
    new = repo["commit"]("2\n")
    assert repo["publish"]().returncode == 0
    assert (repo["web"] / "index.html").read_text().strip() == new


@pytest.mark.parametrize("failing", ["STUB_CHECK", "STUB_BUILD"])
def test_publish_keeps_the_old_site_when_check_or_build_fails(repo: dict, failing: str) -> None:
    assert repo["publish"]().returncode == 0
    before = (repo["web"] / "index.html").read_text()
    repo["commit"]("2\n")

    result = repo["publish"](**{failing: "1"})

    assert result.returncode == 1
    assert "网站保持原样" in result.stdout
    assert (repo["web"] / "index.html").read_text() == before


@pytest.mark.parametrize("found", ["home", "file", "linked marker"])
def test_publish_leaves_a_web_root_of_someone_elses_alone(repo: dict, tmp_path: Path, found: str) -> None:
    """A WEB_ROOT with files that no publish put there (a home folder set by mistake) is never emptied."""
    home = tmp_path / "home"
    if found == "file":
        home.write_text("notes", encoding="utf-8")
    else:
        (home / "Documents").mkdir(parents=True)
        (home / "Documents" / "论文.docx").write_text("irreplaceable", encoding="utf-8")
        (home / ".bashrc").write_text("x", encoding="utf-8")
        if found == "linked marker":
            (home / ".stdportal-site").symlink_to(home / ".bashrc")
    before = sorted(p.relative_to(tmp_path).as_posix() for p in [home, *home.rglob("*")]) if home.is_dir() else []

    result = repo["publish"](WEB_ROOT=str(home))

    assert result.returncode == 1 and "为免误删，未发布" in result.stdout
    if found == "file":
        assert home.read_text(encoding="utf-8") == "notes"
    else:
        assert sorted(p.relative_to(tmp_path).as_posix() for p in [home, *home.rglob("*")]) == before
        assert (home / "Documents" / "论文.docx").read_text(encoding="utf-8") == "irreplaceable"


def test_publish_needs_a_web_root(repo: dict) -> None:
    result = repo["publish"](WEB_ROOT="")

    assert result.returncode != 0
    assert "请设置环境变量 WEB_ROOT" in result.stderr
