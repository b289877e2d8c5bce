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
from .kinds import NUMBER, kind_of, string

__all__ = ["json_schema", "schema_text"]


def _property(field: Field) -> dict[str, Any]:
    # The number is required, and a record has one: not a text that may be empty.
    body = string(NUMBER) if field.key == "标准号" else kind_of(field).schema(field)
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
