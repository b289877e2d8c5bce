"""Write record files: the layout `stdportal new` and `stdportal import` share.

A record file lists the fields in the order of generator.fields.FIELDS, each under a comment with its help
text, and starts with a `yaml-language-server` line that points editors (VS Code's YAML extension) at the
JSON Schema, so they complete field names and flag wrong values while typing. A field left empty (`键:`)
reads as "not known" and passes `stdportal check`.

Values are written in one deterministic style: text in double quotes, dates bare (2023-07-01), lists as block
lists (generator.kinds writes each kind). Reading back with generator.yamlpos gives the same plain values.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import signal
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .chars import text_problem
from .dbfiles import link_on_the_way
from .errors import StdportalError, os_reason
from .fields import FIELDS, Field
from .kinds import is_empty, kind_of
from .load import RawRecord, load_records
from .numbers import StdNumber, number_key, read_number, slug
from .problems import Problem, Severity, shown_path
from .validate import validate
from .vocab import Vocabulary, load_vocabulary
from .yamlpos import parse_yaml

__all__ = [
    "SCHEMA_FILE",
    "ScaffoldError",
    "WriteError",
    "check_new_number",
    "create_record",
    "existing_numbers",
    "field_lines",
    "record_path",
    "record_problems",
    "record_text",
    "schema_ref",
    "write_files",
]

SCHEMA_FILE = Path("schema") / "standard.schema.json"
"""The JSON Schema, relative to the project root (the folder that holds the database folder)."""

SCHEMA_LINE = "# yaml-language-server: $schema="


class ScaffoldError(StdportalError):
    """A record cannot be created; the message says why and what to do."""


class WriteError(ScaffoldError):
    """Record files could not be written; none of them was changed. The message says why."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


# --- writing values -------------------------------------------------------------------------------------


def field_lines(field: Field, value: Any, indent: str = "  ") -> list[str]:
    """The lines of `key: value` for one field; an empty value gives `key:` alone."""
    return kind_of(field).lines(field, value, indent) if not is_empty(value) else [f"{field.key}:"]


def record_text(values: dict[str, Any], schema: str | None, *, all_fields: bool = True,
                comments: bool = True) -> str:
    """A record file: every field of FIELDS in order (or, with all_fields False, only the filled ones), each
    under its help comment; `values` maps field keys to plain values (str, list, dict)."""
    lines = [f"{SCHEMA_LINE}{schema}"] if schema else []
    for field in FIELDS:
        value = values.get(field.key)
        if is_empty(value) and not all_fields:
            continue
        if comments:
            lines.append(f"# {field.help}")
        lines.extend(field_lines(field, value))
    return "\n".join(lines) + "\n"


# --- where records go ------------------------------------------------------------------------------------


def record_path(db_dir: Path, number: StdNumber) -> Path:
    return db_dir / number.level.key / f"{slug(number.text)}.yaml"


def schema_ref(path: Path, db_dir: Path) -> str:
    """The schema's address relative to the record file, as the yaml-language-server line wants it."""
    schema = db_dir.parent / SCHEMA_FILE
    return Path(os.path.relpath(schema.resolve(), path.parent.resolve())).as_posix()


def existing_numbers(raws: Iterable[RawRecord]) -> dict[str, RawRecord]:
    """number_key → the record file that has that 标准号 (first file wins, as the duplicate check reports)."""
    found: dict[str, RawRecord] = {}
    for raw in raws:
        data = raw.parsed.data
        number = data.get("标准号") if isinstance(data, dict) else None
        if isinstance(number, str) and number.strip():
            found.setdefault(number_key(number.strip()), raw)
    return found


def record_problems(path: Path, text: str, vocab: Vocabulary) -> list[Problem]:
    """The errors `stdportal check` would report for this one file's text (cross-record checks aside)."""
    parsed = parse_yaml(text)
    problems = [Problem(path, i.line, i.column, i.message) for i in parsed.issues]
    if parsed.data is None:
        return problems or [Problem(path, 1, 1, "文件是空的")]
    _, found = validate([RawRecord(path, parsed)], vocab)
    return [*problems, *(p for p in found if p.severity is Severity.ERROR)]


# --- stdportal new ---------------------------------------------------------------------------------------


def check_new_number(db_dir: Path, text: str) -> StdNumber:
    """The number in any spelling `stdportal import` reads (its `text` is the canonical one the record gets) when
    it is not in the database yet; else ScaffoldError."""
    if not db_dir.is_dir():
        raise ScaffoldError(f"找不到标准数据库文件夹 {db_dir}，请在项目根目录运行，或用 --db 指定")
    text = text.strip()
    bad = text_problem("标准号", text)
    if bad:
        raise ScaffoldError(bad)
    number = read_number(text)
    if number is None:
        raise ScaffoldError(f"标准号格式不对 \"{text}\"，应形如 GB/T 35796-2017、MZ/T 133-2019 或 DB37/T 4591-2023")
    raws, _ = load_records(db_dir)
    existing = existing_numbers(raws).get(number_key(number.text))
    if existing is not None:
        raise ScaffoldError(f"标准号 {number.text} 已收录：{shown_path(existing.path)}，请直接修改该文件")
    path = record_path(db_dir, number)
    link = link_on_the_way(path, db_dir)
    if link:
        raise ScaffoldError(f"不能新建 {shown_path(path)}：{link}。不会经由链接写入文件")
    if path.exists():
        raise ScaffoldError(f"文件 {shown_path(path)} 已存在，请直接修改该文件")
    return number


def create_record(db_dir: Path, number_text: str, title: str) -> Path:
    """Write a new record with every field laid out; return its path."""
    number = check_new_number(db_dir, number_text)
    title = title.strip()
    if not title:
        raise ScaffoldError("中文标准名称不能为空")
    bad = text_problem("中文标准名称", title)
    if bad:
        raise ScaffoldError(bad)
    path = record_path(db_dir, number)
    text = record_text({"标准号": number.text, "中文标准名称": title}, schema_ref(path, db_dir))
    vocab, _ = load_vocabulary(db_dir)
    problems = record_problems(path, text, vocab)
    if problems:
        raise ScaffoldError("无法新建：" + "；".join(p.message for p in problems))
    write_files({path: text})
    return path


# --- writing files all or nothing --------------------------------------------------------------------------

def write_files(texts: dict[Path, str]) -> None:
    """Write every file or none: each text goes to a temporary file in its target's folder (flushed to disk),
    and only when all of them are written are they renamed into place. On any failure, Ctrl-C included,
    the temporary files are removed and every existing file keeps its bytes; OSError becomes WriteError."""
    staged: list[tuple[Path, Path]] = []
    made: list[Path] = []
    current: Path | None = None
    try:
        for path, text in texts.items():
            current = path
            made.extend(_make_folders(path.parent))
            tmp = _temp_name(path)
            staged.append((tmp, path))
            _write_temp(tmp, path, text.encode("utf-8"))
        current = None
        with _uninterrupted():
            _commit(staged)
    except BaseException as exc:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(exc, OSError):
            where = Path(exc.filename) if isinstance(exc.filename, str) else current
            why = os_reason(exc)
            shown = shown_path(where) if where is not None else "文件"
            raise WriteError(f"写入 {shown} 时出错：{why}", where) from None
        raise


def _make_folders(folder: Path) -> list[Path]:
    """Create folder and its missing parents; return the ones created, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        new.mkdir()
    return list(reversed(missing))


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


def _write_temp(tmp: Path, target: Path, data: bytes) -> None:
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with contextlib.suppress(OSError):  # keep the permissions of the file it replaces
            os.chmod(tmp, os.stat(target).st_mode & 0o7777)
        view = memoryview(data)
        while view:
            view = view[_write_chunk(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_chunk(fd: int, data: memoryview) -> int:
    """One os.write (a seam for tests that simulate a full disk)."""
    written = os.write(fd, data)
    if written <= 0:
        raise OSError(errno.EIO, os.strerror(errno.EIO))
    return written


def _commit(staged: list[tuple[Path, Path]]) -> None:
    """Rename every staged file into place; if one rename fails, put back the ones already done (from hard-link
    backups where the file system has them)."""
    done: list[tuple[Path, Path | None, bool]] = []  # target, backup, existed
    try:
        for tmp, path in staged:
            existed = path.exists()
            backup = None
            if existed:
                backup = path.with_name(f".{path.name}.{secrets.token_hex(4)}.bak")
                try:
                    os.link(path, backup)
                except OSError:
                    backup = None
            done.append((path, backup, existed))
            os.replace(tmp, path)
    except BaseException:
        for path, backup, existed in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, path)
                elif not existed:
                    path.unlink()
        raise
    finally:
        for _, backup, _ in done:
            if backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()
    for folder in dict.fromkeys(path.parent for _, path in staged):
        _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the renames) to disk where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def _uninterrupted() -> Iterator[None]:
    """Ignore Ctrl-C while the block runs: the renames take milliseconds, and stopping half way through them
    would leave some files new and some old. An interrupt then lets the writing finish."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
