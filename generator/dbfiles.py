"""Which files of the database folder are read: regular files of a sane size, never symbolic links.

A link in standards/ could publish a file from anywhere on the building machine as a record (a link to
/etc/passwd, or to another project's data), and a link inside the database would publish one record twice
under two names. So links are not followed at all, whether they point inside or outside the database, and
each is reported: a maintainer puts the file itself in its place. A linked folder is not entered. The database
folder itself may be a link (a host may keep the data elsewhere); only what is below it is judged.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .chars import FORBIDDEN
from .problems import shown_path

__all__ = ["MAX_FILE_BYTES", "TreeStamp", "entry_names", "link_on_the_way", "list_entries", "tree_stamp",
           "unreadable"]

MAX_FILE_BYTES = 1_000_000
"""Largest record or vocabulary file read; a real record is a few kilobytes, the region list 100 kB."""


def list_entries(db_dir: Path) -> Iterator[Path]:
    """Every file below db_dir, every link (to a file, a folder or nothing), without following links, and every
    folder named like a record file (x.yaml)."""
    for parts in entry_names(db_dir):
        yield db_dir.joinpath(*parts)


def entry_names(db_dir: Path) -> Iterator[tuple[str, ...]]:
    """What list_entries lists, as names relative to db_dir (the parts of each), made without a Path each: the
    record files are listed on every run, 10,000 of them at a national catalogue's size."""
    top = str(db_dir)
    for root, dirs, files in os.walk(top):  # followlinks=False: a linked folder is listed, not entered
        below = os.path.relpath(root, top)
        folder = () if below == os.curdir else tuple(below.split(os.sep))
        for name in files:
            yield (*folder, name)
        for name in dirs:  # a link, or a folder named as a record file is (reported, as `import` would meet it)
            if os.path.islink(os.path.join(root, name)) or name.endswith(".yaml"):
                yield (*folder, name)


@dataclass(frozen=True)
class TreeStamp:
    digest: str
    """of every entry's relative name, size, mtime_ns and inode"""
    newest_ns: int
    """the latest mtime_ns among them (0 for an empty folder)"""


def tree_stamp(db_dir: Path) -> TreeStamp:
    """A digest of what is below db_dir as the folder listing shows it (one stat per entry, links not followed):
    the same digest means that no file was added, removed, replaced or written since, as far as time stamps
    tell. A file written within a clock tick of the stamp may not show (see `TreeStamp.newest_ns`). Entries are
    taken in the folders' own order: a folder listed in another order only gives another digest."""
    digest = hashlib.blake2b(digest_size=16)
    newest = 0
    pending = [(str(db_dir), "")]
    while pending:
        folder, prefix = pending.pop()
        rows = [prefix]
        try:
            with os.scandir(folder) as scan:
                for entry in scan:
                    info = entry.stat(follow_symlinks=False)
                    if stat.S_ISDIR(info.st_mode):
                        pending.append((entry.path, f"{prefix}{entry.name}/"))
                        continue
                    rows.append(f"{entry.name}\0{info.st_mode}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ino}")
                    newest = max(newest, info.st_mtime_ns)
        except OSError:
            rows.append("\0?")  # unreadable: never equal to a listing that could be read
        digest.update("\n".join(rows).encode("utf-8", "surrogateescape") + b"\n\n")
    return TreeStamp(digest.hexdigest(), newest)


def unreadable(path: Path, db_dir: Path, below: str | None = None) -> str | None:
    """Why `path` must not be read, in Chinese for the maintainer, or None when it is a regular file to read.
    `below`: path's name relative to db_dir, when the caller has it."""
    try:
        info = os.lstat(path)
    except OSError:
        return "无法读取这个文件"
    if not _utf8_name(path, db_dir, below):
        return ("文件名或所在文件夹的名称不是 UTF-8 编码，显示为乱码，网址也会出错（常见于在 Windows 上压缩、"
                "在 Linux 上解压的文件），不会读取；请重新命名（记录文件按标准号命名，如 DB32-T-3997-2021.yaml），"
                "或解压时指定 GBK 编码（如 unzip -O GBK）")
    if stat.S_ISLNK(info.st_mode):
        return _link_reason(path, db_dir)
    if stat.S_ISDIR(info.st_mode):
        return "是一个文件夹，不是数据文件；文件夹名不要以 .yaml 结尾"
    if not stat.S_ISREG(info.st_mode):
        return "不是普通文件，不会读取"
    if info.st_size > MAX_FILE_BYTES:
        return (f"文件过大（{info.st_size / 1_000_000:.1f} MB），超过 {MAX_FILE_BYTES // 1_000_000} MB 的上限，"
                "不会读取；一条标准记录只有几 KB，请检查是否放错了文件")
    return None


def link_on_the_way(path: Path, db_dir: Path) -> str | None:
    """Why nothing may be written at `path` below db_dir, or None: the first symbolic link on the way there (a
    linked folder, or a link in the file's place), which a write would go through and `check` would not read."""
    step = db_dir
    for name in path.relative_to(db_dir).parts:
        step = step / name
        if step.is_symlink():
            return f"{shown_path(step)} {unreadable(step, db_dir)}"
    return None


def _utf8_name(path: Path, db_dir: Path, below: str | None) -> bool:
    """Whether the names below db_dir on the way to path are UTF-8 (an undecodable byte is read as a lone
    surrogate, which no page, address or message can carry)."""
    if below is None:
        try:
            below = str(path.relative_to(db_dir))
        except ValueError:
            below = path.name
    try:
        below.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _link_reason(path: Path, db_dir: Path) -> str:
    try:
        target = FORBIDDEN.sub("\ufffd", os.readlink(path))
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a loop of links: RuntimeError before Python 3.13, OSError after
        return "是循环链接，请删除这个链接或换成文件本身"
    if not resolved.exists():
        return f"是指向不存在的文件（{target}）的链接，请删除这个链接或换成文件本身"
    try:
        inside = resolved.relative_to(db_dir.resolve())
    except ValueError:
        return f"是指向数据库文件夹以外（{target}）的链接，为安全起见不会读取；请把文件本身放在这里"
    return f"是指向 {inside.as_posix()} 的链接；数据库中不读取链接，请把文件本身放在这里，或删除这个链接"
