"""Find the record files of a database and read each into positioned YAML; nothing is typed yet."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .dbfiles import entry_names, unreadable
from .numbers import LEVELS
from .problems import Problem
from .vocab import SYSTEMS_DIR, VOCAB_DIR
from .yamlpos import Parsed, parse_yaml

__all__ = ["RawRecord", "load_records", "read_record", "record_files"]

_SKIPPED_NAMES = {"README.md", "readme.md", ".gitkeep"}


@dataclass(frozen=True)
class RawRecord:
    path: Path
    parsed: Parsed


def load_records(db_dir: Path) -> tuple[list[RawRecord], list[Problem]]:
    """Read every record file below db_dir's level folders; report files that cannot be records.

    Links are reported, never followed (see generator.dbfiles); vocabularies are vocab.py's to read."""
    records: list[RawRecord] = []
    problems: list[Problem] = []
    for path, refused in record_files(db_dir):
        if refused:
            problems.append(refused)
            continue
        record, issues = read_record(path, path.read_bytes())
        problems.extend(issues)
        if record:
            records.append(record)
    return records, problems


def record_files(db_dir: Path) -> Iterator[tuple[Path, Problem | None]]:
    """Each record file to read (with None), and each file below the database refused as a record (with why),
    in path order."""
    if not db_dir.is_dir():
        yield db_dir, Problem(db_dir, 0, 0, "找不到标准数据库文件夹")
        return
    top = str(db_dir)
    for parts in sorted(entry_names(db_dir)):  # the order of Paths: part by part
        if _ignored(parts):
            continue
        below = "/".join(parts)
        path = Path(f"{top}/{below}")
        suffix = _suffix(parts[-1])
        refused = unreadable(path, db_dir, below)
        misplaced = _misplaced(parts, suffix)
        if refused and (suffix == ".yaml" or os.path.islink(path)):
            yield path, Problem(path, 0, 0, refused)
        elif misplaced:
            yield path, Problem(path, 0, 0, misplaced)
        elif suffix == ".yaml":
            yield path, None


def _suffix(name: str) -> str:
    """The extension of a file name as Path.suffix gives it ("" for ".yaml" alone or "a.")."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _ignored(parts: tuple[str, ...]) -> bool:
    """Vocabularies, region system files, READMEs and hidden files are not records."""
    return parts[0] in (VOCAB_DIR, SYSTEMS_DIR) or parts[-1] in _SKIPPED_NAMES or any(p.startswith(".") for p in parts)


def _misplaced(parts: tuple[str, ...], suffix: str) -> str | None:
    """Why a file under the database is in the wrong place, or None when it is a record or not ours to judge."""
    if suffix in (".yml", ".YAML", ".YML"):
        return f"扩展名应为 .yaml，请改名为 {parts[-1].removesuffix(suffix)}.yaml"
    if suffix != ".yaml":
        return None
    if len(parts) != 2 or parts[0] not in {level.key for level in LEVELS}:
        folders = "、".join(f"{level.key}/（{level.name}）" for level in LEVELS)
        return f"标准文件应放在 {folders} 文件夹中"
    return None


def read_record(path: Path, data: bytes) -> tuple[RawRecord | None, list[Problem]]:
    """The record file `path`, whose bytes are `data`, as positioned YAML, and what is wrong with reading it."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        message = "文件不是 UTF-8 编码，请用 UTF-8 重新保存（常见于 Excel 或记事本存成的 GBK/ANSI 文件）"
        return None, [Problem(path, line, column, message)]
    parsed = parse_yaml(text)
    problems = [Problem(path, i.line, i.column, i.message) for i in parsed.issues]
    if parsed.data is None and not parsed.issues:
        problems.append(Problem(path, 1, 1, "文件是空的，至少要有 标准号 和 标准名称"))
    if parsed.data is None:
        return None, problems
    return RawRecord(path, parsed), problems
