"""Open-data downloads: `downloads/standards.json`, `downloads/standards.csv` and the page that offers them.

The files are generator.export's serialisation, so `stdportal export` writes the very same bytes.
"""

from __future__ import annotations

from ..export import CSV_NAME, EXPORT_KEYS, JSON_NAME, STATUS_KEY, export_csv, export_json
from ..fields import FIELD_BY_KEY
from ..model import Catalog
from .base import Output, Page, RenderOptions

__all__ = ["render_downloads"]

_ABOUT = {
    CSV_NAME: "表格（CSV，UTF-8 编码，可直接用 Excel 或 WPS 打开），每项标准一行、每个字段一列，多个值用“；”分隔",
    JSON_NAME: "JSON 数据，供程序使用：“标准”是全部标准的列表，每项按字段名给出，多个值为列表，"
               "没有收录的为 null 或空列表；"
               "“状态计算日期”是计算状态所依据的日期",
}
_STATUS_ABOUT = "按状态计算日期由实施日期、废止日期和代替关系得出的状态（现行、即将实施、被代替、废止或状态未收录）"
_FIELD_ABOUT = {  # where a maintainer's help line does not suit a reader of the data
    "标准号": "标准编号，如 GB/T 35796-2017",
    "中文标准名称": "标准的中文名称",
    "标准状态": "来源网页所示的状态（采集时，未经官方核实）",
    "代替标准": "本标准代替的标准号，含其他记录载明的代替关系",
    "被代替标准": "代替本标准的标准号，含其他记录载明的代替关系",
    "地区": "地方标准的行政区划代码（6 位），未填写时由标准号得出",
}


def render_downloads(catalog: Catalog, options: RenderOptions) -> list[Output]:
    files = [Output(f"downloads/{JSON_NAME}", export_json(catalog), in_nav=False),
             Output(f"downloads/{CSV_NAME}", export_csv(catalog), in_nav=False)]
    listed = [
        {"path": f.path, "name": f.path.rsplit("/", 1)[1], "size": _size(len(f.data)),
         "about": _ABOUT[f.path.rsplit("/", 1)[1]]}
        for f in sorted(files, key=lambda f: f.path)
    ]
    fields = [(key, _STATUS_ABOUT if key == STATUS_KEY else _FIELD_ABOUT.get(key, FIELD_BY_KEY[key].help))
              for key in EXPORT_KEYS]
    page = Page(catalog, options).render("downloads/index.md", "downloads.html", "数据下载", in_nav=True,
                                         files=listed, fields=fields, count=len(catalog.standards))
    return [page, *files]


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
