"""The fields of a standard record: their YAML keys, types and the help text a maintainer reads.

Keys are the labels of the official portals (std.samr.gov.cn, dbba.sacinfo.org.cn) so that a maintainer can
copy from them without translating; our own fields (领域, 来源 …) follow after. This table is the single
definition: the validator, the standard page and the maintainer docs all read it; the rules of each
`kind` (checking, JSON Schema, spreadsheet cells, YAML, export) are in generator.kinds.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ENGLISH", "FIELDS", "FIELD_BY_KEY", "Field", "NATURES", "STATED_STATUSES"]

NATURES = ("强制性", "推荐性", "指导性技术文件")
STATED_STATUSES = ("现行", "即将实施", "废止", "被代替")


@dataclass(frozen=True)
class Field:
    key: str
    """The YAML key, also the label on the page."""
    attr: str
    """The attribute of the typed record."""
    kind: str
    """text | title | texts | date | choice | numbers | url | ccs | ics | domains | categories | items | slot | region
    | sources | feedback | source_number | memo."""
    help: str
    """One line of Chinese for maintainers: what goes here."""
    choices: tuple[str, ...] = ()
    shown: bool = True
    """Shown as a row of the standard page's field table."""
    multiline: bool = False
    """May hold line breaks. Every other text is one line: a name or number with a line break in it is a
    copying mistake, and it would break the page title, the feeds and the exports."""


FIELDS: tuple[Field, ...] = (
    Field("标准号", "number", "text", "必填。如 GB/T 35796-2017、MZ/T 133-2019、DB37/T 4591-2023；文件名由它得出"),
    Field("原文标准号", "source_number", "source_number",
          "来源中标准号的原写法，与标准号不同时才填，如 DB 37/T 2904—2019；只留在文件中，网站不显示", shown=False),
    Field("中文标准名称", "title", "chinese_title", "中文标准名称与英文标准名称至少填一个；不加书名号《》"),
    Field("英文标准名称", "title_en", "title", "标准的英文名称"),
    Field("标准性质", "nature", "choice", "强制性、推荐性或指导性技术文件", NATURES),
    Field("标准状态", "stated_status", "choice",
          "来源所示状态；有日期时页面按日期计算状态，仅在没有日期时显示此项", STATED_STATUSES),
    Field("发布日期", "issued", "date", "形如 2017-12-29"),
    Field("实施日期", "effective", "date", "形如 2018-07-01；不能早于发布日期"),
    Field("废止日期", "withdrawn", "date", "形如 2024-01-01；标准被废止的日期"),
    Field("代替标准", "replaces", "numbers", "本标准代替的标准号列表"),
    Field("被代替标准", "replaced_by_stated", "numbers",
          "代替本标准的标准号列表；代替它的标准已收录时可不填，会自动得出"),
    Field("中国标准分类号", "ccs", "ccs", "CCS 分类号，如 A12，可填多个"),
    Field("国际标准分类号", "ics", "ics", "ICS 分类号，如 03.080.30，可填多个"),
    Field("主管部门", "supervisor", "text", "标准的主管部门"),
    Field("归口单位", "committee", "text", "归口单位或技术委员会"),
    Field("发布单位", "issuer", "text", "发布单位（批准发布部门）"),
    Field("提出单位", "proposer", "text", "提出单位"),
    Field("起草单位", "drafters", "texts", "起草单位列表"),
    Field("起草人", "drafting_people", "texts", "起草人列表"),
    Field("备案号", "filing_no", "text", "地方标准的备案号"),
    Field("适用范围", "scope", "text", "标准的适用范围", multiline=True),
    Field("全文链接", "full_text", "url", "可阅读标准全文的网址（以 http:// 或 https:// 开头）"),
    Field("领域", "domains", "domains", "基本公共服务领域，取自 standards/vocabularies/domains.yaml"),
    Field("类别", "categories", "categories", "国家基本公共服务标准的大类名称，须属于所填领域"),
    Field("服务项目", "items", "items", "国家基本公共服务标准的服务项目名称"),
    Field("体系位置", "slot", "slot", "在 GB/T 43507 县域标准体系中的位置，如 服务提供标准"),
    Field("地区", "region", "region",
          "地方标准的行政区划代码（6 位）；不填时由标准号得出，如 DB37 → 370000"),
    Field("来源", "sources", "sources", "信息来源列表，每项含 链接 和/或 说明", shown=False, multiline=True),
    Field("备注", "notes", "text", "给读者看的中文说明，显示在标准页上", shown=False, multiline=True),
    Field("维护备注", "maintainer_notes", "memo",
          "给维护者的说明，如来源之间的出入、待核实的事项；只留在文件中，网站不显示，也不导出",
          shown=False, multiline=True),
    Field("意见反馈", "feedback", "feedback",
          "本标准专用的反馈渠道：邮箱 或 链接（可含 {title} 与 {url}）", shown=False),
)

FIELD_BY_KEY = {f.key: f for f in FIELDS}

ENGLISH: dict[str, str] = {
    "标准号": "Standard number",
    "原文标准号": "Number as written in the source",
    "中文标准名称": "Chinese title",
    "英文标准名称": "English title",
    "标准性质": "Nature (mandatory, recommended, guidance)",
    "标准状态": "Status stated by the source",
    "状态": "Status computed from the dates",
    "发布日期": "Date issued",
    "实施日期": "Date in force",
    "废止日期": "Date abolished",
    "代替标准": "Replaces",
    "被代替标准": "Replaced by",
    "中国标准分类号": "CCS classification",
    "国际标准分类号": "ICS classification",
    "主管部门": "Competent authority",
    "归口单位": "Technical committee",
    "发布单位": "Issuing body",
    "提出单位": "Proposing body",
    "起草单位": "Drafting organisations",
    "起草人": "Drafters",
    "备案号": "Filing number",
    "适用范围": "Scope",
    "全文链接": "Full text URL",
    "领域": "Public service domains",
    "类别": "Service categories",
    "服务项目": "Service items",
    "体系位置": "Position in the GB/T 43507 standard system",
    "地区": "Region code (local standards)",
    "来源": "Sources",
    "备注": "Notes",
    "维护备注": "Maintainer notes",
    "意见反馈": "Feedback channel",
}
"""The English name of every field (and of the exported 状态): the open data's documentation in both languages
(generator.datapackage, the download page); field names themselves are the Chinese keys in every format."""
