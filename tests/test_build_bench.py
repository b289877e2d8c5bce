"""bench/build_bench.py's anchor: the generated pages written as plain MkDocs Markdown, in today's Output form
(content = front matter + HTML) and in the form with `meta` apart, build with Material alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support import REPO

sys.path.insert(0, str(REPO / "bench"))

import build_bench  # noqa: E402
import synth  # noqa: E402


@dataclass(frozen=True)
class PageOutput:
    """The Output form with the page's front matter apart from its HTML body."""

    path: str
    content: str
    in_nav: bool = True
    meta: dict[str, Any] | None = None


def split(output: Any) -> PageOutput:
    """The page with its meta apart (as it is, if the pipeline already hands it over so)."""
    if not output.path.endswith(".md") or getattr(output, "meta", None):
        return PageOutput(output.path, output.content, output.in_nav, getattr(output, "meta", None))
    _, front, body = output.content.split("---\n", 2)
    return PageOutput(output.path, body.removeprefix("\n"), output.in_nav, yaml.safe_load(front))


def joined(output: PageOutput) -> PageOutput:
    """The page as one Markdown text, front matter + HTML, meta None (today's form)."""
    if not output.meta:
        return output
    text = f"---\n{yaml.safe_dump(output.meta, allow_unicode=True)}---\n\n{output.content}"
    return PageOutput(output.path, text, output.in_nav, None)


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_anchor_docs_from_both_output_forms_build_with_material_alone(tmp_path: Path) -> None:
    project = synth.write_project(6, tmp_path / "project").parent
    outputs = build_bench.generate_pages(project)
    pages = [o for o in outputs if o.path.endswith(".md")]
    others = [o for o in outputs if not o.path.endswith(".md")]
    assert pages and others  # both kinds of file are exercised

    apart = [split(o) for o in outputs]
    build_bench.write_anchor_docs([joined(o) for o in apart], project / "docs", project / "docs-joined")
    count = build_bench.write_anchor_docs(apart, project / "docs", project / "docs-anchor")
    assert count == len(outputs)
    joined_docs, anchor = files_of(project / "docs-joined"), files_of(project / "docs-anchor")
    assert anchor.keys() == joined_docs.keys()
    for path, text in anchor.items():  # the same page whichever form the pipeline hands over
        if path.endswith(".md") and text.startswith(b"---\n"):
            mine, theirs = (t.decode().split("---\n", 2) for t in (text, joined_docs[path]))
            assert yaml.safe_load(mine[1]) == yaml.safe_load(theirs[1]) and mine[2] == theirs[2], path
        else:
            assert text == joined_docs[path], path
    for hand_written in (project / "docs").rglob("*.md"):
        assert str(hand_written.relative_to(project / "docs")) in anchor
    for other in others:
        written = anchor[other.path]
        assert written == (other.content.encode() if isinstance(other.content, str) else other.content)

    config = build_bench.anchor_config(project)
    parsed = yaml.safe_load(config.read_text(encoding="utf-8"))
    original = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    assert parsed["plugins"] == ["search"]
    assert parsed["docs_dir"] == "docs-anchor" and parsed["theme"]["custom_dir"] == "overrides-anchor"
    for key in ("site_name", "nav", "markdown_extensions"):
        assert parsed[key] == original[key]
    assert not (project / "overrides-anchor" / "partials" / "header.html").exists()
    assert (project / "overrides" / "partials" / "header.html").exists()

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config),
                           "--site-dir", str(tmp_path / "site")], cwd=project, env=env, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "site" / build_bench.record_page() / "index.html").read_text(encoding="utf-8")
    assert "养老机构服务质量基本规范" in page and "GB/T 35796-2024" in page
    index = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any("GB/T 35796-2024" in doc["title"] + doc["text"] for doc in index["docs"])


def test_edited_record_changes_only_the_title(tmp_path: Path) -> None:
    project = synth.write_project(6, tmp_path / "project").parent
    record = build_bench.record_file(project)
    original = record.read_text(encoding="utf-8")
    text, title = build_bench.edited(original, "（改1）")
    assert title == "养老机构服务质量基本规范（改1）"
    changed = [(a, b) for a, b in zip(original.splitlines(), text.splitlines(), strict=True) if a != b]
    assert changed == [('中文标准名称: "养老机构服务质量基本规范"', f'中文标准名称: "{title}"')]


def test_the_added_record_is_a_valid_new_standard(tmp_path: Path) -> None:
    """The bench's added standard: the edited record under a number synth.py never writes, in the file that
    number names, which `stdportal check` accepts (the records' checks are the build's)."""
    from generator.pipeline import check
    from generator.problems import Severity

    project = synth.write_project(6, tmp_path / "project").parent
    record = build_bench.record_file(project)
    new_file = build_bench.added_file(project)
    assert not new_file.exists()
    new_file.write_text(build_bench.added(record.read_text(encoding="utf-8")), encoding="utf-8")
    data = yaml.safe_load(new_file.read_text(encoding="utf-8"))
    assert data["标准号"] == build_bench.ADDED_NUMBER
    errors = [p for p in check(project / "db") if p.severity is Severity.ERROR]
    assert errors == []


@pytest.mark.parametrize("after_full", [False, True], ids=["next-edit", "after-full"])
def test_edit_pairs_builds_each_checkout_in_its_own_copy_and_reports_every_pair(tmp_path: Path,
                                                                              after_full: bool) -> None:
    """bench/edit_pairs.py with this checkout on both sides: both copies rebuilt after each edit (their sites
    show the last mark), and a report row per pair with a ratio; with --after-full, each edit follows a full
    build from nothing, and the report says so."""
    out = tmp_path / "pairs.md"
    done = subprocess.run([sys.executable, str(REPO / "bench" / "edit_pairs.py"), str(REPO), str(REPO), "--n", "60",
                           "--pairs", "2", "--work", str(tmp_path / "work"), "--out", str(out),
                           *(["--after-full"] if after_full else [])],
                          capture_output=True, text=True, timeout=600, env={**os.environ, "STDPORTAL_JOBS": "1"})
    assert done.returncode == 0, done.stderr
    report = out.read_text(encoding="utf-8")
    logs = {p.name for p in (tmp_path / "work" / "logs").glob("*.err")}
    assert ("first edit after a full build" in report) == after_full
    assert {"A-full-1.err", "B-full-2.err"} <= logs if after_full else "A-warmup.err" in logs
    rows = [line for line in report.splitlines() if line.startswith("| 1 |") or line.startswith("| 2 |")]
    assert len(rows) == 2 and all(float(row.split("|")[4]) > 0 for row in rows)
    assert "**median**" in report
    page = f"site/{build_bench.record_page()}index.html"
    for side in ("A", "B"):
        assert "（改2）" in (tmp_path / "work" / f"copy-{side}" / page).read_text(encoding="utf-8")
