"""Open-data downloads: the whole database as `downloads/standards.json`, `.csv` and `.xlsx`, described by
`downloads/datapackage.json` (Frictionless), one `standards/<level>/<slug>.json` beside each standard's page,
and the page that offers them; datapackage.json and the page also describe the monitoring tables' files
(generator.datatables).

The JSON and CSV are generator.export's serialisation, so `stdportal export` writes the very same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..datapackage import DATAPACKAGE_NAME, datapackage, field_about
from ..datatables import FORMATS, DataTable
from ..export import (
    CSV_NAME,
    EXPORT_KEYS,
    JSON_NAME,
    XLSX_NAME,
    Exported,
    export_csv,
    export_json,
    export_xlsx,
    exported,
)
from ..fields import ENGLISH
from ..memo import Memo
from ..model import Catalog
from ..records import Standard
from .base import Output, Page, RenderOptions, standard_src

__all__ = ["json_src", "record_json_path", "render_downloads"]

_ABOUT = {
    CSV_NAME: "表格（CSV，UTF-8 编码，可直接用 Excel 或 WPS 打开），每项标准一行、每个字段一列，多个值用“；”分隔",
    XLSX_NAME: "Excel 工作簿（XLSX），与 CSV 的行、列和内容相同，每个单元格都是文本",
    JSON_NAME: "JSON 数据，供程序使用：“标准”是全部标准的列表，每项按字段名给出，多个值为列表，"
               "没有收录的为 null 或空列表；"
               "“状态计算日期”是计算状态所依据的日期",
    DATAPACKAGE_NAME: "以上三个文件的说明（Frictionless Data Package 格式）：字段名、英文名、类型和含义，"
                      "可用 frictionless 等工具校验和读取",
}


def record_json_path(standard: Standard) -> str:
    """A standard's own JSON file, beside its page: standards/<level>/<slug>.json (the page's address with
    .json instead of /), so it stays where it is as long as the standard number does."""
    return json_src(standard_src(standard))


def json_src(page_src: str) -> str:
    """The JSON file beside the page `page_src`."""
    return page_src.removesuffix(".md") + ".json"


def render_downloads(catalog: Catalog, options: RenderOptions, tables: Sequence[DataTable] = (),
                     memo: Memo | None = None) -> list[Output]:
    """The page, the whole database's files, datapackage.json (describing them and the monitoring `tables`'
    files, which generator.render.monitor writes) and one JSON per standard. `memo`: each standard as the files
    write it, from earlier builds (generator.memo)."""
    standards = _exported(catalog, memo)  # once for every format
    files = [Output(f"downloads/{JSON_NAME}", export_json(catalog, standards), in_nav=False),
             Output(f"downloads/{CSV_NAME}", export_csv(catalog, standards), in_nav=False),
             Output(f"downloads/{XLSX_NAME}", export_xlsx(catalog, standards), in_nav=False),
             Output(f"downloads/{DATAPACKAGE_NAME}", datapackage(catalog, tables), in_nav=False)]
    listed = [
        {"path": f.path, "name": f.path.rsplit("/", 1)[1], "size": _size(len(f.data)),
         "about": _ABOUT[f.path.rsplit("/", 1)[1]]}
        for f in files
    ]
    fields = [(key, ENGLISH[key], field_about(key)) for key in EXPORT_KEYS]
    example = catalog.standards[0] if catalog.standards else None
    page = Page(catalog, options).render("downloads/index.md", "downloads.html", "数据下载", in_nav=True,
                                         files=listed, fields=fields, count=len(catalog.standards),
                                         example=record_json_path(example) if example else None,
                                         example_number=example.number if example else "", tables=tables,
                                         formats=FORMATS)
    own = [Output(record_json_path(s), e.own, in_nav=False) for s, e in zip(catalog.standards, standards, strict=True)]
    return [page, *files, *own]


def _exported(catalog: Catalog, memo: Memo | None) -> list[Exported]:
    """Each standard as the files write it: from the memo when its record and everything the export adds to it
    (status, replacements, the date) are the same."""
    if memo is None:
        return [exported(catalog, s) for s in catalog.standards]

    def inputs(s: Standard) -> tuple[Any, ...]:
        number = s.number
        return ("exported", s, catalog.status[number].label, catalog.replaces.get(number),
                catalog.replaced_by.get(number), catalog.as_of)

    return memo.made_each(catalog.standards, inputs, lambda s: exported(catalog, s))


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
