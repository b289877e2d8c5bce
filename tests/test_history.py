"""The history stage against real git repositories: what each commit did, per-record dates, renames,
merges, the cache and building without git."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from gitrepo import Repo
from support import record

from generator.chars import FORBIDDEN
from generator.gitlog import parse_log
from generator.history import CACHE_FILE, History, ShownEvent, read_history
from generator.problems import Severity

GB1 = "national/GB-T-1-2020.yaml"
GB1_MOVED = "national/GB-T-1.1-2020.yaml"
DB37 = "local/DB37-T-1-2020.yaml"
GB2 = "national/GB-T-2-2021.yaml"

GB1_TEXT = """\
标准号: "GB/T 1-2020"
中文标准名称: "社区服务 通用要求"
实施日期: 2020-10-01
起草单位:
  - "甲研究院"
  - "乙中心"
领域: ["基础通用"]
"""


def summary(history: History) -> list[tuple[str, list[tuple[str, str, tuple[str, ...]]]]]:
    """(message, [(kind, path, fields)]) per update, newest first."""
    return [(u.commit.message, [(c.kind, c.path, c.fields) for c, _ in u.entries]) for u in history.updates]


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """Seven first-parent commits touching records, and a merged branch of two commits."""
    repo = Repo(tmp_path / "repo")
    repo.write({GB1: GB1_TEXT, DB37: record("DB37/T 1-2020", "养老服务规范", 发布日期="2020-01-02")})
    repo.commit("Add two standards", "2025-01-02")
    repo.write({GB1: GB1_TEXT.replace("2020-10-01", "2020-11-01").replace("乙中心", "丙中心")
                + '英文标准名称: "Community services"\n'})
    repo.commit("Fix the effective date", "2025-01-05")
    repo.move(GB1, GB1_MOVED)
    repo.commit("Move GB/T 1 to its corrected file", "2025-01-08")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write({GB2: record("GB/T 2-2021", "托育服务规范")})
    repo.commit("Branch: add GB/T 2", "2025-01-10")
    repo.write({GB2: record("GB/T 2-2021", "托育机构服务规范")})
    repo.commit("Branch: retitle GB/T 2", "2025-01-11")
    repo.git("checkout", "-q", "main")
    repo.write({DB37: record("DB37/T 1-2020", "养老服务规范", 发布日期="2020-01-02", 适用范围="养老机构")})
    repo.commit("Scope of DB37/T 1", "2025-01-12")
    repo.git("merge", "-q", "--no-ff", "feature", "-m", "Merge branch 'feature'", day="2025-01-15")
    repo.write({DB37: record("DB37/T 1-2020", "养老服务规范", 发布日期="2020-01-02", 适用范围="养老机构",
                             废止日期="2025-01-20")})
    repo.commit("Abolish DB37/T 1", "2025-01-20")
    repo.remove(GB2)
    repo.commit("Remove GB/T 2", "2025-01-25")
    return repo


def test_each_commit_says_what_it_did_to_which_records(repo: Repo) -> None:
    history = read_history(repo.db)
    assert history.available and history.problems == []
    assert summary(history) == [
        ("Remove GB/T 2", [("removed", GB2, ())]),
        ("Abolish DB37/T 1", [("abolished", DB37, ("废止日期",))]),
        ("Merge branch 'feature'", [("added", GB2, ())]),
        ("Scope of DB37/T 1", [("changed", DB37, ("适用范围",))]),
        ("Move GB/T 1 to its corrected file", [("renamed", GB1_MOVED, ())]),
        ("Fix the effective date", [("changed", GB1, ("实施日期", "起草单位", "英文标准名称"))]),
        ("Add two standards", [("added", DB37, ()), ("added", GB1, ())]),
    ]
    newest = history.updates[0].commit
    assert newest.date == dt.datetime(2025, 1, 25, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert len(newest.hash) == 40
    removed = history.updates[0].entries[0][0]
    assert (removed.number, removed.title) == ("GB/T 2-2021", "托育机构服务规范")
    assert history.updates[-1].entries[1][0].number == "GB/T 1-2020"


def test_a_merged_branch_counts_once_as_its_merge(repo: Repo) -> None:
    history = read_history(repo.db)
    messages = [u.commit.message for u in history.updates]
    assert "Branch: add GB/T 2" not in messages and "Branch: retitle GB/T 2" not in messages
    (change, gb2), = history.updates[2].entries
    assert [e.change.kind for e in gb2.events] == ["added", "removed"]
    assert gb2.path is None  # removed at HEAD
    assert GB2 not in history.records


def test_first_published_and_last_changed_follow_a_rename(repo: Repo) -> None:
    history = read_history(repo.db)
    gb1 = history.for_path(repo.db / GB1_MOVED)
    assert gb1 is not None and history.for_path(repo.db / GB1) is None
    assert gb1.path == GB1_MOVED
    assert gb1.first_published == dt.date(2025, 1, 2)
    assert gb1.last_changed == dt.date(2025, 1, 8)
    assert [(e.date.isoformat(), e.change.kind, e.commit.message) for e in gb1.recent(10)] == [
        ("2025-01-08", "renamed", "Move GB/T 1 to its corrected file"),
        ("2025-01-05", "changed", "Fix the effective date"),
        ("2025-01-02", "added", "Add two standards"),
    ]
    assert [e.change.kind for e in gb1.recent(1)] == ["renamed"]
    db37 = history.for_path(repo.db / DB37)
    assert (db37.first_published, db37.last_changed) == (dt.date(2025, 1, 2), dt.date(2025, 1, 20))


def test_a_page_shows_its_own_events_however_many_records_their_commit_touched(tmp_path: Path) -> None:
    """A county imports its whole list in one commit. A standard page's inputs are compared by value on every
    build, so what it gets of its history must not carry the import's other records (it once carried all of
    them: 10,000 records made every page's key 10,000 changes long)."""
    repo = Repo(tmp_path / "repo")
    repo.write({f"local/DB37-T-{i}-2020.yaml": record(f"DB37/T {i}-2020", f"养老服务规范 第{i}部分")
                for i in range(1, 301)})
    repo.commit("Import the county's list", "2025-03-01")
    repo.write({"local/DB37-T-1-2020.yaml": record("DB37/T 1-2020", "养老服务规范 第1部分", 适用范围="养老机构")})
    repo.commit("Scope of DB37/T 1", "2025-03-02")
    history = read_history(repo.db)
    first = history.for_path(repo.db / "local/DB37-T-1-2020.yaml")
    assert first is not None
    shown = first.shown(10)
    assert (shown.first_published, shown.last_changed, shown.count) == (dt.date(2025, 3, 1), dt.date(2025, 3, 2), 2)
    assert shown.recent == tuple(ShownEvent(e.date, e.change.kind, e.change.fields, e.commit.message)
                                 for e in first.recent(10))
    assert [(e.kind, e.fields, e.message) for e in shown.recent][0] == ("changed", ("适用范围",), "Scope of DB37/T 1")
    assert first.shown(1).recent == shown.recent[:1] and first.shown(1).count == 2
    sizes = set()
    for i in (2, 150, 300):
        other = history.for_path(repo.db / f"local/DB37-T-{i}-2020.yaml")
        assert other is not None
        text = repr(other.shown(10))
        assert "DB37-T-1-2020" not in text and "DB37/T 1-2020" not in text
        sizes.add(len(text))
    assert len(sizes) == 1, "the same event, told for records of the import, has the same size"


def test_a_rename_with_edits_names_the_fields(repo: Repo) -> None:
    repo.move(GB1_MOVED, "national/GB-T-1.2-2020.yaml")
    text = (repo.db / "national/GB-T-1.2-2020.yaml").read_text(encoding="utf-8")
    repo.write({"national/GB-T-1.2-2020.yaml": text.replace("GB/T 1-2020", "GB/T 1.2-2020")})
    repo.commit("Correct the number", "2025-02-01")
    history = read_history(repo.db)
    (change, rec), = history.updates[0].entries
    assert (change.kind, change.old_path, change.path, change.fields) == (
        "renamed", GB1_MOVED, "national/GB-T-1.2-2020.yaml", ("标准号",))
    assert rec.first_published == dt.date(2025, 1, 2) and len(rec.events) == 4


def test_the_cache_reads_only_new_commits(repo: Repo) -> None:
    first = read_history(repo.db)
    assert first.commits_read == 7  # every first-parent commit once; not the branch's own two
    cache = json.loads((repo.root / CACHE_FILE).read_text(encoding="utf-8"))
    assert cache["head"] == repo.git("rev-parse", "HEAD") and len(cache["commits"]) == 7

    again = read_history(repo.db)
    assert again.commits_read == 0
    assert summary(again) == summary(first)

    repo.write({"industry/MZ-T-1-2024.yaml": record("MZ/T 1-2024", "殡葬服务规范")})
    repo.commit("Add MZ/T 1", "2025-02-01")
    repo.write({"README.md": "说明\n"})  # outside the record folders: read, but not an update
    repo.commit("Docs", "2025-02-02")
    incremental = read_history(repo.db)
    assert incremental.commits_read == 2
    (repo.root / CACHE_FILE).unlink()
    full = read_history(repo.db)
    assert full.commits_read == 9
    assert summary(incremental) == summary(full)
    assert summary(full)[0] == ("Add MZ/T 1", [("added", "industry/MZ-T-1-2024.yaml", ())])


def test_a_rewritten_history_is_read_again_in_full(repo: Repo) -> None:
    read_history(repo.db)
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.write({DB37: record("DB37/T 1-2020", "养老服务规范（修订）")})
    repo.commit("Retitle instead", "2025-01-26")
    history = read_history(repo.db)
    assert history.commits_read == 7
    assert [u.commit.message for u in history.updates][:2] == ["Retitle instead", "Abolish DB37/T 1"]
    assert "Remove GB/T 2" not in [u.commit.message for u in history.updates]


def test_a_copy_without_git_has_no_history_and_no_error(repo: Repo, tmp_path: Path) -> None:
    copy = repo.export(tmp_path / "unpacked")
    history = read_history(copy / "standards")
    assert (history.available, history.updates, history.records, history.problems) == (False, [], {}, [])
    assert not (copy / CACHE_FILE).exists()


def test_an_empty_repository_has_no_history(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "empty")
    repo.write({GB1: GB1_TEXT})
    history = read_history(repo.db)
    assert not history.available and history.problems == []


def test_without_git_on_path_one_notice(repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    history = read_history(repo.db)
    assert not history.available
    (notice,) = history.problems
    assert notice.severity is Severity.NOTICE and "找不到 git 命令" in notice.message


def test_a_shallow_clone_says_so(repo: Repo, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    repo.git("clone", "-q", "--depth", "2", f"file://{repo.root}", str(clone))
    history = read_history(clone / "standards")
    assert history.shallow
    assert [p.message for p in history.problems if "浅克隆" in p.message]


def test_a_patch_names_nested_and_quoted_fields() -> None:
    header = "\0" + "a" * 40 + "\0" + "b" * 40 + "\0" + "2025-03-01T08:00:00+08:00\0Edit\0\0"
    patch = """
diff --git a/national/GB-T-9-2020.yaml b/national/GB-T-9-2020.yaml
index 1..2 100644
--- a/national/GB-T-9-2020.yaml
+++ b/national/GB-T-9-2020.yaml
@@ -1,9 +1,9 @@
 标准号: "GB/T 9-2020"
 # a comment
 起草单位:
 - "甲"
-- "乙"
+- "丙"
-"标准状态": 现行
+"标准状态": 废止
 来源:
   - 说明: "x"
-    链接: "https://a.example"
+    链接: "https://b.example"
"""
    (commit,) = parse_log(header + patch)
    (change,) = commit.changes
    assert (change.kind, change.fields, change.number) == ("abolished", ("起草单位", "标准状态", "来源"), "GB/T 9-2020")
    assert commit.parent == "b" * 40


def test_a_hosting_site_merge_is_titled_by_its_body() -> None:
    header = "\0" + "a" * 40 + "\0" + "b" * 40 + " " + "c" * 40 + "\0" + "2025-03-01T08:00:00+08:00\0"
    (commit,) = parse_log(header + "Merge pull request #7 from x/y\0\n收录三项养老标准\n\n细节\0\n")
    assert commit.message == "收录三项养老标准" and commit.changes == ()


def test_what_the_history_shows_has_none_of_the_characters_check_refuses(tmp_path: Path) -> None:
    """A commit message and a record deleted since were never checked (anyone whose merge request is merged writes
    them): control characters, bidirectional overrides and invisible ones are left out of what pages show."""
    repo = Repo(tmp_path / "repo")
    hostile = "历史\x0b\x1b[31m标题\u202e反向\u200b"
    repo.write({GB2: f'标准号: "GB/T 2-2021"\n中文标准名称: "{hostile}"\n'})
    repo.commit("收录\x0c两项\x1b[31m标准\u202e倒序\x07", "2025-01-02")
    repo.remove(GB2)
    repo.commit("删除\x0b两项标准", "2025-01-03")

    history = read_history(repo.db)

    texts = [u.commit.message for u in history.updates]
    texts += [change.title for u in history.updates for change, _ in u.entries]
    assert texts and all(not FORBIDDEN.search(text) for text in texts), texts
    assert "收录两项[31m标准倒序" in texts and "历史[31m标题反向" in texts
