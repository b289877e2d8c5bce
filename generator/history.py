"""The history stage: when each record was first published and last changed, and what every commit did.

One `git log` process reads the whole database (see gitlog.py: first parent only, so a merged branch counts
once, as its merge commit). Apart from it, one `git rev-parse` finds the repository and HEAD; there is never
a process per file.

The parsed commits are cached in `<repository>/.stdportal/history.json`, keyed by HEAD. The next build reads
only `git log <cached head>..HEAD` and checks that the oldest new commit's first parent is the cached head;
if it is not (history rewritten, a branch switched) it reads everything again. Renames are followed by
replaying the commits oldest first, so a record keeps its history when its file moves.

No history is not an error: a tarball without .git, a repository with no commits, or no `git` on PATH (one
notice) give an empty History, and pages fall back to the records' own dates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .gitlog import Change, Commit, GitError, git_env, git_log, parse_log
from .problems import Problem, Severity

__all__ = ["Event", "History", "RecordHistory", "ShownEvent", "ShownHistory", "Update", "read_history"]

CACHE_FILE = Path(".stdportal") / "history.json"
_CACHE_VERSION = 2


@dataclass(frozen=True)
class Event:
    """One commit's change to one record."""

    commit: Commit
    change: Change

    @property
    def date(self) -> dt.date:
        return self.commit.date.date()


@dataclass
class RecordHistory:
    """One record's life, followed across renames."""

    path: str | None
    """Its file (relative to the database) at HEAD; None once removed."""
    events: list[Event] = field(default_factory=list)
    """Oldest first."""

    @property
    def first_published(self) -> dt.date | None:
        """The date of the commit that added it (None if it came in some other way, e.g. a shallow clone)."""
        return next((e.date for e in self.events if e.change.kind == "added"), None)

    @property
    def last_changed(self) -> dt.date | None:
        return self.events[-1].date if self.events else None

    @property
    def numbers(self) -> list[str]:
        """Every 标准号 the record has had, oldest first, each once (a pure rename shows none: it changed none)."""
        return list(dict.fromkeys(e.change.number for e in self.events if e.change.number))

    def recent(self, count: int) -> list[Event]:
        """The newest `count` events, newest first."""
        return self.events[::-1][:count]

    def shown(self, count: int) -> ShownHistory:
        """What a standard page shows of this history, with the newest `count` events."""
        recent = tuple(ShownEvent(e.date, e.change.kind, e.change.fields, e.commit.message) for e in self.recent(count))
        return ShownHistory(self.first_published, self.last_changed, recent, len(self.events))


@dataclass(frozen=True)
class ShownEvent:
    date: dt.date
    kind: str
    fields: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class ShownHistory:
    """A record's history as its page shows it. A page's inputs are compared by value, and an Event carries its
    whole commit (every change of an import of 10,000 records), so the page gets this small value instead."""

    first_published: dt.date | None
    last_changed: dt.date | None
    recent: tuple[ShownEvent, ...]
    """Newest first."""
    count: int
    """How many events the record has in all."""


@dataclass(frozen=True)
class Update:
    """A commit that touched records, each change with the record it belongs to."""

    commit: Commit
    entries: tuple[tuple[Change, RecordHistory], ...]


@dataclass
class History:
    available: bool = False
    """False without git or a repository: pages then say 版本历史未收录."""
    updates: list[Update] = field(default_factory=list)
    """Newest first."""
    records: dict[str, RecordHistory] = field(default_factory=dict)
    """By the record's current path relative to the database, e.g. `national/GB-T-35796-2017.yaml`."""
    head: str = ""
    shallow: bool = False
    commits_read: int = 0
    """How many commits this run read from git (0 when the cache was current)."""
    problems: list[Problem] = field(default_factory=list)
    """Notices for the maintainer (git missing, a shallow clone)."""

    def for_path(self, path: Path) -> RecordHistory | None:
        """The history of the record at `path` (any path ending in `<level>/<file>.yaml`)."""
        return self.records.get("/".join(path.parts[-2:]))


def read_history(db_dir: Path) -> History:
    git = shutil.which("git")
    if git is None:
        return History(problems=[_notice(db_dir, "找不到 git 命令，页面不显示首次收录和修改记录")])
    try:
        repo = _repository(git, db_dir)
        if repo is None:
            return History()
        root, prefix, head, shallow = repo
        cached = _load_cache(root / CACHE_FILE, prefix)
        commits, read = _commits(git, db_dir, head, cached)
    except GitError as exc:
        return History(problems=[_notice(db_dir, f"读取 git 历史失败（{exc}），页面不显示修改记录")])
    if read or not cached:
        _save_cache(root / CACHE_FILE, prefix, head, commits)
    history = build_history(commits)
    history.head, history.shallow, history.commits_read = head, shallow, read
    if shallow:
        history.problems.append(_notice(db_dir, "git 仓库是浅克隆，最早一次提交之前的历史未收录，首次收录日期可能偏晚；"
                                                "请用完整克隆生成网站（如 CI 中设置 fetch-depth: 0）"))
    return history


def build_history(commits: list[Commit]) -> History:
    """Replay the commits oldest first: follow renames, collect each record's events and each update."""
    alive: dict[str, RecordHistory] = {}
    updates: list[Update] = []
    for commit in commits:
        # Take every moved or removed record out first, so that swaps within one commit resolve.
        leaving = {_source(c): alive.pop(_source(c), None) for c in commit.changes if _leaves(c)}
        entries = []
        for change in commit.changes:
            if _leaves(change):
                record = leaving.get(_source(change))
            else:  # a re-added file starts a new record; its old events stay with the old one
                record = None if change.kind == "added" else alive.get(change.path)
            record = record if record is not None else RecordHistory(None)
            record.events.append(Event(commit, change))
            if change.kind != "removed":
                alive[change.path] = record
            entries.append((change, record))
        if entries:
            updates.append(Update(commit, tuple(entries)))
    for path, record in alive.items():
        record.path = path
    return History(available=True, updates=updates[::-1], records=alive)


def _leaves(change: Change) -> bool:
    return change.kind == "removed" or bool(change.old_path)


def _source(change: Change) -> str:
    return change.old_path or change.path


def _repository(git: str, db_dir: Path) -> tuple[Path, str, str, bool] | None:
    """(top folder, db_dir's path in it, HEAD, shallow?) or None when db_dir is in no repository with commits."""
    proc = subprocess.run([git, "-C", str(db_dir), "rev-parse", "--show-toplevel", "--show-prefix",
                           "--is-shallow-repository", "HEAD"], capture_output=True, env=git_env(), check=False)
    err = proc.stderr.decode("utf-8", errors="replace")
    if proc.returncode != 0:
        if "not a git repository" in err or "unknown revision" in err or not db_dir.is_dir():
            return None
        raise GitError(err.strip().splitlines()[0] if err.strip() else "git rev-parse")
    root, prefix, shallow, head = proc.stdout.decode("utf-8", errors="replace").splitlines()[:4]
    return Path(root), prefix, head.strip(), shallow.strip() == "true"


def _commits(git: str, db_dir: Path, head: str, cached: tuple[str, list[Commit]] | None) -> tuple[list[Commit], int]:
    """Every first-parent commit oldest first, and how many of them were read from git this time."""
    if cached and cached[0] == head:
        return cached[1], 0
    if cached:
        try:
            new = parse_log(git_log(git, str(db_dir), f"{cached[0]}..HEAD"))
        except GitError:  # the cached head is gone (gc after a rewrite)
            new = []
        if new and new[-1].parent == cached[0]:
            return cached[1] + _touching(new[::-1]), len(new)
    every = parse_log(git_log(git, str(db_dir), "HEAD"))
    return _touching(every[::-1]), len(every)


def _touching(commits: list[Commit]) -> list[Commit]:
    return [c for c in commits if c.changes]


def _load_cache(path: Path, prefix: str) -> tuple[str, list[Commit]] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != _CACHE_VERSION or data.get("prefix") != prefix:
            return None
        return data["head"], [_commit_from_json(c) for c in data["commits"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _save_cache(path: Path, prefix: str, head: str, commits: list[Commit]) -> None:
    data = {"version": _CACHE_VERSION, "prefix": prefix, "head": head,
            "commits": [_commit_to_json(c) for c in commits]}
    try:
        path.parent.mkdir(exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# stdportal 的缓存，可随时删除\n*\n", encoding="utf-8")
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".history-", suffix=".json")
        with os.fdopen(fd, "wb") as out:
            out.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only checkout builds fine, only without the cache


def _commit_to_json(commit: Commit) -> dict[str, object]:
    return {"hash": commit.hash, "parent": commit.parent, "date": commit.date.isoformat(),
            "message": commit.message, "changes": [_change_to_json(c) for c in commit.changes]}


def _change_to_json(change: Change) -> dict[str, object]:
    # Only what differs from the defaults: the cache of a large database stays small.
    defaults = Change("", "")
    return {f.name: getattr(change, f.name) for f in dataclasses.fields(Change)
            if f.name in ("kind", "path") or getattr(change, f.name) != getattr(defaults, f.name)}


def _commit_from_json(data: dict[str, Any]) -> Commit:
    changes = tuple(Change(**_change_fields(c)) for c in data["changes"])
    return Commit(data["hash"], data["parent"], dt.datetime.fromisoformat(data["date"]), data["message"], changes)


def _change_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}


def _notice(db_dir: Path, message: str) -> Problem:
    return Problem(db_dir, 0, 0, message, Severity.NOTICE)
