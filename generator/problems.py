"""Problems found in the database: one per line, every one reported at once.

A problem is data, not an exception: stages collect them and the edges (CLI, MkDocs adapter) decide how to
show them. The text is for a maintainer, so the message is Simplified Chinese and names the field.
"""

from __future__ import annotations

import enum
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Problem", "Severity", "format_problem", "has_errors", "shown_path"]


class Severity(enum.Enum):
    ERROR = "错误"
    WARNING = "警告"
    NOTICE = "提示"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one file; line and column count from 1 (0: the whole file)."""

    path: Path
    line: int
    column: int
    message: str
    severity: Severity = Severity.ERROR

    def sort_key(self) -> tuple[str, int, int]:
        return (str(self.path), self.line, self.column)


def format_problem(problem: Problem, cwd: Path | None = None) -> str:
    """`path:line:column: message`, path relative to the working directory where that is shorter; `path: message`
    for a problem with the whole file (line 0), as compilers write it: no 0:0 that points nowhere."""
    path = shown_path(problem.path, cwd)
    prefix = "" if problem.severity is Severity.ERROR else f"{problem.severity.value}: "
    where = f"{path}:{problem.line}:{problem.column}" if problem.line else path
    return f"{where}: {prefix}{problem.message}"


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)


def shown_path(path: Path, cwd: Path | None = None) -> str:
    """A path as problem lines show it: relative to the working directory."""
    try:
        shown = os.path.relpath(path, cwd or Path.cwd())
    except ValueError:  # another drive on Windows
        shown = str(path)
    return _printable(shown)


def _printable(path: str) -> str:
    """A path with names whose bytes are not UTF-8 (read as lone surrogates, which no terminal can print): each
    such name as GBK reads it when it can (a zip made on Chinese Windows names files so), else with those bytes
    as \\xNN; the other names as they are."""
    shown, as_gbk = [], False
    for name in path.split(os.sep):
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            raw = name.encode("utf-8", "surrogateescape")
            try:
                name, as_gbk = raw.decode("gbk"), True
            except UnicodeDecodeError:
                name = raw.decode("utf-8", "backslashreplace")
        shown.append(name)
    text = os.sep.join(shown)
    escaped = "".join(ch.encode("unicode_escape").decode("ascii") if _invisible(ch) else ch for ch in text)
    return escaped + ("（名称按 GBK 编码显示）" if as_gbk else "") + (
        "（名称中有换行等看不见的字符，按 \\n 这样的写法显示，请改名）" if escaped != text else "")


def _invisible(ch: str) -> bool:
    """A character a terminal does not show as itself: a control (a newline breaks the problem's line in two),
    a format character (zero-width, direction) or a line or paragraph separator."""
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
