"""The JSON Schema of a record file, generated from the fields table (FIELDS), never written by hand.

Editors use it to complete field names and flag wrong values while a maintainer types (VS Code's YAML
extension reads the `# yaml-language-server: $schema=…` line at the top of each record, or the mapping in
.vscode/settings.json). `stdportal check` stays the authority: vocabularies, file names and relations between
records are beyond a schema. An empty value (`键:`) is null and allowed: it means "not known".
"""

from __future__ import annotations

import json
from typing import Any

from .fields import FIELDS, Field

__all__ = ["json_schema", "schema_text"]

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
# GBT is GB/T with the slash left out (the checker says so); no real code is spelled GBT.
NUMBER_PATTERN = r"^(?!GBT[ /])[A-Z]{1,6}\d{0,6}(/[TZJ])? \d+(\.\d+)*-(\d{4}|\d{2})(\(\d{4}年版\))?$"
URL_PATTERN = r"^https?://\S+$"
_CCS_PATTERN = r"^[A-Z]\d{2}$"
_ICS_PATTERN = r"^\d{2}(\.\d{3}(\.\d{2})?)?$"
_REGION_PATTERN = r"^\d{6}$"


def _string(pattern: str | None = None) -> dict[str, Any]:
    return {"type": "string", **({"pattern": pattern} if pattern else {})}


def _list_of(item: dict[str, Any]) -> dict[str, Any]:
    """A list, or a single value standing for a list of one (the checker accepts both)."""
    return {"anyOf": [{"type": "array", "items": {"anyOf": [item, {"type": "null"}]}}, item, {"type": "null"}]}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _property(field: Field) -> dict[str, Any]:
    kind = field.kind
    if field.key == "标准号":
        body: dict[str, Any] = _string(NUMBER_PATTERN)
    elif kind == "choice":
        body = _nullable({"type": "string", "enum": list(field.choices)})
    elif kind == "date":
        body = _nullable(_string(DATE_PATTERN))
    elif kind == "url":
        body = _nullable(_string(URL_PATTERN))
    elif kind == "region":
        body = _nullable(_string(_REGION_PATTERN))
    elif kind == "numbers":
        body = _list_of(_string(NUMBER_PATTERN))
    elif kind == "ccs":
        body = _list_of(_string(_CCS_PATTERN))
    elif kind == "ics":
        body = _list_of(_string(_ICS_PATTERN))
    elif kind in ("texts", "domains", "categories", "items"):
        body = _list_of(_string())
    elif kind == "sources":
        entry = {
            "type": "object",
            "properties": {"链接": _string(URL_PATTERN), "说明": {"type": "string"}},
            "additionalProperties": False,
            "minProperties": 1,
        }
        body = _nullable({"type": "array", "items": {"anyOf": [entry, {"type": "string"}]}})
    elif kind == "feedback":
        body = _nullable({
            "type": "object",
            "properties": {"邮箱": {"type": "string", "format": "email"}, "链接": _string(URL_PATTERN)},
            "additionalProperties": False,
            "minProperties": 1,
            "maxProperties": 1,
        })
    else:  # text, slot
        body = _nullable(_string())
    return {"description": field.help, **body}


def json_schema() -> dict[str, Any]:
    """Draft 2020-12 schema of one record file."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "基本公共服务标准记录",
        "description": "standards/ 下每项标准一个 YAML 文件；由 stdportal schema 根据字段表生成，请勿手工修改。",
        "type": "object",
        "properties": {field.key: _property(field) for field in FIELDS},
        "required": ["标准号"],
        "anyOf": [
            {"required": [key], "properties": {key: {"type": "string", "minLength": 1}}}
            for key in ("中文标准名称", "英文标准名称")
        ],
        "additionalProperties": False,
    }


def schema_text() -> str:
    """The schema file's text: stable key order, two-space indent, a final newline."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
