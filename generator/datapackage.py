"""The open data's description: a Frictionless Data Package (`datapackage.json`) for the downloads.

Generated from generator.fields (names, English names) and generator.kinds (column types), so the
description cannot drift from the files: the CSV and the XLSX have one column per EXPORT_KEYS entry, the
JSON one member per key in each record. Field names are the Chinese keys in every format; `title` is the
English name, `description` the Chinese one the download page shows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .datatables import DataTable, resources
from .export import CSV_NAME, EXPORT_KEYS, JSON_NAME, STATUS_KEY, XLSX_NAME
from .fields import ENGLISH, FIELD_BY_KEY
from .kinds import kind_of
from .model import Catalog

__all__ = ["DATAPACKAGE_NAME", "datapackage", "field_about", "table_schema"]

DATAPACKAGE_NAME = "datapackage.json"
_STATUS_ABOUT = "按状态计算日期由实施日期、废止日期和代替关系得出的状态（现行、即将实施、被代替、废止或状态未收录）"
_FIELD_ABOUT = {  # where a maintainer's help line does not suit a reader of the data
    "标准号": "标准编号，如 GB/T 35796-2017",
    "中文标准名称": "标准的中文名称",
    "标准状态": "来源网页所示的状态（采集时，未经官方核实）",
    "代替标准": "本标准代替的标准号，含其他记录载明的代替关系",
    "被代替标准": "代替本标准的标准号，含其他记录载明的代替关系",
    "地区": "地方标准的行政区划代码（6 位），未填写时由标准号得出",
}
_LISTS = "；多个值在 CSV 和 XLSX 中以“；”分隔，在 JSON 中为列表"


def field_about(key: str) -> str:
    """What an exported column holds, in Chinese for a reader of the data."""
    if key == STATUS_KEY:
        return _STATUS_ABOUT
    return _FIELD_ABOUT.get(key, FIELD_BY_KEY[key].help)


def table_schema() -> dict[str, Any]:
    """The Table Schema of standards.csv and standards.xlsx."""
    fields = []
    for key in EXPORT_KEYS:
        field = FIELD_BY_KEY.get(key)
        kind = kind_of(field) if field else None
        about = field_about(key) + (_LISTS if kind is not None and kind.cell_lines else "")
        fields.append({"name": key, "title": ENGLISH[key], "description": about,
                       "type": kind.table_type if kind else "string"})
    return {"fields": fields, "primaryKey": ["标准号"], "missingValues": [""]}


def datapackage(catalog: Catalog, tables: Sequence[DataTable] = ()) -> str:
    """The description of the standards' files and of the monitoring `tables`' files (generator.datatables)."""
    schema = table_schema()
    package = {
        "name": "stdportal-standards",
        "title": "基本公共服务标准信息库：标准著录数据",
        "description": f"全部 {len(catalog.standards)} 项标准的著录信息，状态按 {catalog.as_of.isoformat()} 计算"
                       + ("；以及监测统计的各表和列表（monitor/ 下）。" if tables else "。")
                       + "Catalogue data of basic public service standards; field names are the Chinese keys, "
                       "each field's title gives its English name.",
        "resources": [
            {"name": "standards-csv", "path": CSV_NAME, "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8-sig", "title": "标准（CSV）", "schema": schema},
            {"name": "standards-xlsx", "path": XLSX_NAME, "format": "xlsx",
             "mediatype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "title": "标准（XLSX）", "schema": schema},
            {"name": "standards-json", "path": JSON_NAME, "format": "json", "mediatype": "application/json",
             "encoding": "utf-8", "title": "标准（JSON）",
             "description": "{\"状态计算日期\", \"标准数量\", \"标准\": [每项标准按字段名给出]}，字段与 CSV 相同"},
            *resources(tables),
        ],
    }
    return json.dumps(package, ensure_ascii=False, indent=1) + "\n"
