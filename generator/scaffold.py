"""Write record files: the layout `stdportal new` and `stdportal import` share.

A record file lists the fields in the order of generator.fields.FIELDS, each under a comment with its help
text, and starts with a `yaml-language-server` line that points editors (VS Code's YAML extension) at the
JSON Schema, so they complete field names and flag wrong values while typing. A field left empty (`键:`)
reads as "not known" and passes `stdportal check`.

Values are written in one deterministic style: text in double quotes, dates bare (2023-07-01), lists as block
lists. Reading back with generator.yamlpos gives the same plain values.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .chars import text_problem
from .errors import StdportalError
from .fields import FIELDS, Field
from .load import RawRecord, load_records
from .numbers import StdNumber, number_key, parse_number, slug
from .problems import Problem, Severity, shown_path
from .validate import validate
from .vocab import Vocabulary, load_vocabulary
from .yamlpos import parse_yaml

__all__ = [
    "SCHEMA_FILE",
    "ScaffoldError",
    "check_new_number",
    "create_record",
    "existing_numbers",
    "field_lines",
    "record_path",
    "record_problems",
    "record_text",
    "schema_ref",
]

SCHEMA_FILE = Path("schema") / "standard.schema.json"
"""The JSON Schema, relative to the project root (the folder that holds the database folder)."""

SCHEMA_LINE = "# yaml-language-server: $schema="

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Characters JSON leaves raw but YAML reads as line breaks or refuses in a stream.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


class ScaffoldError(StdportalError):
    """A record cannot be created; the message says why and what to do."""


# --- writing values -------------------------------------------------------------------------------------


def quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(text, ensure_ascii=False))


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {} or value == ()


def field_lines(field: Field, value: Any, indent: str = "  ") -> list[str]:
    """The lines of `key: value` for one field; an empty value gives `key:` alone."""
    key = field.key
    if is_empty(value):
        return [f"{key}:"]
    if isinstance(value, str):
        shown = value if field.kind == "date" and _DATE.match(value) else quote(value)
        return [f"{key}: {shown}"]
    if isinstance(value, dict):  # 意见反馈
        return [f"{key}:", *(f"{indent}{k}: {quote(str(v))}" for k, v in value.items())]
    lines = [f"{key}:"]
    for item in value:
        if isinstance(item, dict):  # 来源 entries
            lines.extend(source_lines(item, indent))
        else:
            lines.append(f"{indent}- {quote(str(item))}")
    return lines


def source_lines(entry: dict[str, Any], indent: str = "  ") -> list[str]:
    """One 来源 entry as block-list lines: `- 链接: …` then `  说明: …`."""
    lines: list[str] = []
    for k in ("链接", "说明"):
        if entry.get(k):
            prefix = f"{indent}- " if not lines else f"{indent}  "
            lines.append(f"{prefix}{k}: {quote(str(entry[k]))}")
    return lines


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
    """The parsed number when it is well-formed and not in the database yet; else ScaffoldError."""
    if not db_dir.is_dir():
        raise ScaffoldError(f"找不到标准数据库文件夹 {db_dir}，请在项目根目录运行，或用 --db 指定")
    text = text.strip()
    bad = text_problem("标准号", text)
    if bad:
        raise ScaffoldError(bad)
    number, suggestion = parse_number(text)
    if number is None:
        if suggestion:
            raise ScaffoldError(f"标准号格式不对 \"{text}\"，应写作 {suggestion}")
        raise ScaffoldError(f"标准号格式不对 \"{text}\"，应形如 GB/T 35796-2017、MZ/T 133-2019 或 DB37/T 4591-2023")
    raws, _ = load_records(db_dir)
    existing = existing_numbers(raws).get(number_key(number.text))
    if existing is not None:
        raise ScaffoldError(f"标准号 {number.text} 已收录：{shown_path(existing.path)}，请直接修改该文件")
    path = record_path(db_dir, number)
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
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)
    return path

