"""The JSON Schema of a record: generated from FIELDS, committed up to date, and true to the bundled records."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from support import BUNDLED_DB, REPO

from generator.cli import main
from generator.fields import FIELDS
from generator.numbers import LEVELS
from generator.schema import json_schema, schema_text
from generator.yamlpos import parse_yaml

COMMITTED = REPO / "schema" / "standard.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(validator: jsonschema.Draft202012Validator, text: str) -> list[str]:
    return sorted(e.message for e in validator.iter_errors(parse_yaml(text).data))


def test_committed_schema_is_up_to_date() -> None:
    message = "请运行 stdportal schema 重新生成 schema/standard.schema.json"
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), message


def test_schema_command_writes_the_same_file(tmp_path: Path) -> None:
    out = tmp_path / "s" / "standard.schema.json"

    result = CliRunner().invoke(main, ["schema", "--out", str(out)])

    assert result.exit_code == 0, result.output
    assert out.read_bytes() == COMMITTED.read_bytes()


def test_every_field_is_described() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert list(schema["properties"]) == [f.key for f in FIELDS]
    assert schema["required"] == ["标准号"] and schema["additionalProperties"] is False
    for field in FIELDS:
        prop = schema["properties"][field.key]
        assert prop["description"] == field.help
        if field.choices:
            assert prop["anyOf"][0]["enum"] == list(field.choices)


def test_bundled_records_match_the_schema(validator: jsonschema.Draft202012Validator) -> None:
    paths = [p for level in LEVELS for p in sorted((BUNDLED_DB / level.key).glob("*.yaml"))]
    assert len(paths) > 200
    for path in paths:
        assert errors(validator, path.read_text(encoding="utf-8")) == [], path


def test_a_new_record_with_empty_fields_matches(validator: jsonschema.Draft202012Validator, tmp_path: Path,
                                                make_db: Callable[..., Path],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    make_db({})
    assert CliRunner().invoke(main, ["new", "-n", "GB/T 1-2020", "-t", "测试"]).exit_code == 0

    assert errors(validator, (tmp_path / "standards/national/GB-T-1-2020.yaml").read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(("text", "fragment"), [
    ('标准号: "GB/T 1-2020"\n中文标准名称: a\n发布日期: 2020/1/1\n', "'2020/1/1' is not valid"),
    ('标准号: "GB/T 1-2020"\n中文标准名称: a\n标准性质: 推荐\n', "is not valid under any of the given schemas"),
    ('标准号: "GB/T 1-2020"\n中文标准名称: a\n标准名: b\n', "Additional properties are not allowed"),
    ('标准号: "GBT 1-2020"\n中文标准名称: a\n', "does not match"),
    ('标准号: "GB/T 1-2020"\n', "is not valid under any of the given schemas"),
    ('中文标准名称: a\n', "'标准号' is a required property"),
    ('标准号: "GB/T 1-2020"\n中文标准名称: a\n来源:\n  - 网址: x\n', "is not valid under any of the given schemas"),
    ('标准号: "GB/T 1-2020"\n中文标准名称: 《养老服务 术语》\n', "'《养老服务 术语》' is not valid under any"),
])
def test_schema_flags_what_check_would(validator: jsonschema.Draft202012Validator, text: str, fragment: str) -> None:
    found = errors(validator, text)
    assert found and any(fragment in e for e in found), found


def test_vscode_maps_the_schema_to_the_record_folders() -> None:
    settings = json.loads((REPO / ".vscode/settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert mapping == {"./schema/standard.schema.json": [f"standards/{level.key}/*.yaml" for level in LEVELS]}
    assert (REPO / "schema/standard.schema.json").is_file()
