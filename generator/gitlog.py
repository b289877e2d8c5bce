"""Read the database's commits from one `git log` process and say, per commit, what happened to each record.

The log is asked for with full-file context (`-U` larger than any record), so every changed file's old and new
text can be rebuilt from its hunk; comparing the two by top-level key names the fields that changed, without a
YAML parser and without failing on a record that was broken in some old commit.

Only the first parent is followed (`--first-parent -m`): a merged branch appears once, as its merge commit
with the merge's diff against the main line, and the branch's own commits are not listed. Each listed diff
then follows the previous one, so replaying them in order reproduces the main line exactly and nothing is
counted twice. `--sparse` lists first-parent commits that do not touch the database too (with no diff), so
that a caller can check where an incremental range starts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import subprocess
from dataclasses import dataclass

from .chars import FORBIDDEN
from .numbers import LEVELS

__all__ = ["Change", "Commit", "GitError", "KINDS", "git_env", "git_log", "parse_log"]

KINDS = ("added", "changed", "abolished", "renamed", "removed")
"""What a commit did to a record. `abolished` is a change that sets 废止日期 or 标准状态 废止/被代替."""

_LEVEL_KEYS = tuple(level.key for level in LEVELS)
# NUL cannot occur in a commit's fields or in a text diff, so it frames every commit unambiguously.
_FORMAT = "%x00%H%x00%P%x00%cI%x00%s%x00%b%x00"
_CONTEXT = 1_000_000  # more lines than any record has: each hunk is the whole file
_DIFF_LINE = re.compile(r"^diff --git ", re.M)
_CHANGED_LINE = re.compile(r"^[-+]", re.M)
_SIDE = {True: re.compile(r"^[ +](.*\n?)", re.M), False: re.compile(r"^[ -](.*\n?)", re.M)}
_COMMENT = re.compile(r"^[ \t]*#.*(?:\n|$)", re.M)
_TRAILING = re.compile(r"[ \t]+$", re.M)
# A top-level key: at the start of a line, plain or quoted, followed by a colon and a space or the line's end.
_KEY = re.compile(r"""^(?:"([^"\n]+)"|'([^'\n]+)'|([^\s#\-\[\]{}'"][^:\n]*?))[ \t]*:(?=[ \t\n]|$)""", re.M)
_ABOLISHED_STATES = ("废止", "被代替")


class GitError(Exception):
    """git ran but failed; the message is git's own first line of complaint."""


@dataclass(frozen=True)
class Change:
    """One record file in one commit. Paths are relative to the database folder."""

    kind: str
    path: str
    """Where the file is after the commit (before it, for `removed`)."""
    old_path: str = ""
    """Where it was before, for a rename."""
    fields: tuple[str, ...] = ()
    """Top-level keys whose value changed, in the file's order."""
    number: str = ""
    """标准号 as the file said then (before the commit, for `removed`)."""
    title: str = ""
    region: str = ""
    """地区 as written in a removed record (the others are looked up in the catalogue)."""
    domains: tuple[str, ...] = ()
    """领域 of a removed record."""


@dataclass(frozen=True)
class Commit:
    hash: str
    parent: str
    """The first parent, "" for a root commit."""
    date: dt.datetime
    """Committer date: when the change reached the repository."""
    message: str
    changes: tuple[Change, ...]


def git_log(git: str, db_dir: str, revisions: str) -> str:
    """The raw log of `revisions` for the record folders of db_dir, newest first."""
    args = [
        git, "-C", db_dir, "-c", "core.quotepath=false", "-c", "log.showSignature=false",
        "log", "--first-parent", "-m", "--sparse", "-M", "-p", f"-U{_CONTEXT}", "--relative",
        "--no-color", "--no-ext-diff", "--no-textconv", "--encoding=UTF-8", "--src-prefix=a/", "--dst-prefix=b/",
        f"--format={_FORMAT}", revisions, "--", *_LEVEL_KEYS,
    ]
    proc = subprocess.run(args, capture_output=True, env=git_env(), check=False)
    if proc.returncode != 0:
        raise GitError(_first_line(proc.stderr))
    return proc.stdout.decode("utf-8", errors="replace")


def parse_log(out: str) -> list[Commit]:
    """The commits of a raw log, in its order (newest first). Linear in the size of the output."""
    commits: list[Commit] = []
    start = out.find("\0")
    while start != -1:
        fields, pos = [], start + 1
        for _ in range(5):
            end = out.index("\0", pos)
            fields.append(out[pos:end])
            pos = end + 1
        start = out.find("\0", pos)
        patch = out[pos:] if start == -1 else out[pos:start]
        commits.append(_commit(fields, patch))
    return commits


def _commit(fields: list[str], patch: str) -> Commit:
    hash_, parents, date, subject, body = fields
    return Commit(hash_, parents.split(" ")[0], dt.datetime.fromisoformat(date), _shown(_message(subject, body)),
                  tuple(_shown_change(c) for c in map(_file_change, _file_sections(patch)) if c is not None))


def _shown(text: str) -> str:
    """A text of the history as the site may show it: without the characters `stdportal check` refuses in a
    record (controls, bidirectional overrides, invisible ones). A commit message, or a record deleted since, was
    never checked: anyone whose merge request is merged writes them."""
    return FORBIDDEN.sub("", text)


def _shown_change(change: Change) -> Change:
    return dataclasses.replace(change, number=_shown(change.number), title=_shown(change.title),
                               region=_shown(change.region), fields=tuple(map(_shown, change.fields)),
                               domains=tuple(map(_shown, change.domains)))


def _message(subject: str, body: str) -> str:
    """The subject; for a merge made by a hosting site ("Merge pull request #12 …") the title in its body."""
    first = next((line.strip() for line in body.splitlines() if line.strip()), "")
    return first if subject.startswith("Merge ") and first else subject


def _file_sections(patch: str) -> list[str]:
    """The patch cut into one piece per file, each starting after `diff --git `."""
    return _DIFF_LINE.split(patch)[1:]


def _file_change(section: str) -> Change | None:
    status, old, new, body = _header(section)
    old_is, new_is = _is_record(old), _is_record(new)
    if status == "R" and not (old_is and new_is):
        status = "A" if new_is else "D"  # moved into or out of the record folders
    if status == "A" and new_is:
        blocks = _blocks(body, new=True)
        return Change("added", new, number=_scalar(blocks, "标准号"), title=_title(blocks))
    if status == "D" and old_is:
        blocks = _blocks(body, new=False)
        return Change("removed", old, number=_scalar(blocks, "标准号"), title=_title(blocks),
                      region=_scalar(blocks, "地区"), domains=_items(blocks.get("领域", "")))
    if status in ("M", "R") and new_is:
        return _modified(status, old, new, body)
    return None


def _modified(status: str, old: str, new: str, body: str) -> Change | None:
    before, after = _blocks(body, new=False), _blocks(body, new=True)
    fields = tuple(k for k in {**after, **before} if before.get(k) != after.get(k))
    if status == "M" and not fields and not _CHANGED_LINE.search(body):
        return None  # a mode change only
    if _abolishes(before, after):
        kind = "abolished"
    else:
        kind = "renamed" if status == "R" else "changed"
    return Change(kind, new, old if status == "R" else "", fields, _scalar(after, "标准号"), _title(after))


def _abolishes(before: dict[str, str], after: dict[str, str]) -> bool:
    withdrawn = _scalar(after, "废止日期")
    state = _scalar(after, "标准状态")
    return bool(withdrawn and withdrawn != _scalar(before, "废止日期")) or (
        state in _ABOLISHED_STATES and state != _scalar(before, "标准状态"))


def _header(section: str) -> tuple[str, str, str, str]:
    """(status A/D/M/R, old path, new path, hunk text) of one file's piece of the patch."""
    hunk = section.find("\n@@")
    head = section if hunk == -1 else section[:hunk]
    body = "" if hunk == -1 else section[section.find("\n", hunk + 1) + 1:]
    status, old, new = "M", "", ""
    lines = head.split("\n")
    for line in lines[1:]:
        if line.startswith("new file mode"):
            status = "A"
        elif line.startswith("deleted file mode"):
            status = "D"
        elif line.startswith("rename from "):
            status, old = "R", _unquote(line[len("rename from "):])
        elif line.startswith("rename to "):
            new = _unquote(line[len("rename to "):])
        elif line.startswith("--- a/") or line.startswith('--- "a/'):
            old = _strip_prefix(line[4:])
        elif line.startswith("+++ b/") or line.startswith('+++ "b/'):
            new = _strip_prefix(line[4:])
    if not (old or new):  # binary or mode-only: the paths are only on the first line (records have no spaces)
        parts = lines[0].split(" b/", 1)
        old, new = parts[0][2:], parts[-1]
    return status, old or new, new or old, body


def _strip_prefix(text: str) -> str:
    return _unquote(text.rstrip("\t"))[2:]


def _unquote(text: str) -> str:
    """Undo git's C-style quoting of unusual path names."""
    if not (text.startswith('"') and text.endswith('"')):
        return text
    raw = text[1:-1].encode("latin-1", errors="backslashreplace").decode("unicode_escape")
    return raw.encode("latin-1", errors="replace").decode("utf-8", errors="replace")


def _is_record(path: str) -> bool:
    parts = path.split("/")
    return len(parts) == 2 and parts[0] in _LEVEL_KEYS and parts[1].endswith(".yaml")


def _blocks(hunk: str, *, new: bool) -> dict[str, str]:
    """One side of a whole-file hunk (the new text, or the old) split into top-level key → its text, with
    comments and trailing spaces left out. Regular expressions do the per-line work: this runs once per file
    per commit."""
    text = "".join(_SIDE[new].findall(hunk))
    text = _TRAILING.sub("", _COMMENT.sub("", text))
    keys = list(_KEY.finditer(text))
    ends = [m.start() for m in keys[1:]] + [len(text)] if keys else []
    return {(m.group(1) or m.group(2) or m.group(3)): text[m.start():end].rstrip("\n")
            for m, end in zip(keys, ends, strict=True)}


def _scalar(blocks: dict[str, str], key: str) -> str:
    """A one-line value (`key: "x"`), unquoted; "" when absent or not on the key's line."""
    block = blocks.get(key)
    if not block:
        return ""
    value = block.split("\n", 1)[0].split(":", 1)[1].strip()
    if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) >= 2:
        return value[1:-1]
    return value.split(" #", 1)[0].strip()


def _title(blocks: dict[str, str]) -> str:
    return _scalar(blocks, "中文标准名称") or _scalar(blocks, "英文标准名称")


def _items(block: str) -> tuple[str, ...]:
    """A list value in flow (`[a, b]`) or block (`- a`) form."""
    if not block:
        return ()
    lines = block.split("\n")
    head = lines[0].split(":", 1)[1].strip()
    if head.startswith("["):
        raw = re.split(r"[,，]", head.strip("[]"))
    else:
        raw = [line.strip()[2:] for line in lines[1:] if line.strip().startswith("- ")]
    return tuple(item.strip().strip("\"'") for item in raw if item.strip())


def git_env() -> dict[str, str]:
    # Messages in English so failures can be told apart; no pager, no prompts.
    return {**os.environ, "LC_ALL": "C", "LANGUAGE": "C", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0"}


def _first_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", errors="replace").strip()
    return text.splitlines()[0] if text else "git 命令失败"
