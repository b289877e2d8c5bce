"""The monitoring pages' lists and tables as DataTables (generator.datatables writes their files).

Each table is made from the very objects the page shows (a Coverage, the gaps, a change list, the statistics'
counts), so a file and its page cannot differ. The lists a province page shows (its coverage, gaps and change
lists) are not written once per province: each national file has a 省级地区代码 column, and a province's rows
are the rows with its code (the same rows, in the same order, as the province's page) — a fixed number of
files however many regions and standards there are.
"""

from __future__ import annotations

from collections.abc import Sequence

from .datatables import Cell, Column, DataTable
from .model import Catalog
from .monitor import NATIONAL_COLUMN, Change, ChangeKind, Coverage, Gap
from .records import Standard
from .vocab import Region

__all__ = ["LEVEL_COLUMN", "NATIONAL_SCOPE", "change_table", "coverage_table", "gaps_table",
           "province_coverage_table", "province_of", "statistics_tables"]

NATIONAL_SCOPE = "全国"
WHOLE_CATEGORY = "大类"
ITEM_ONLY = "服务项目"

LEVEL_COLUMN = Column("层级", "Level", "国家标准、行业标准或地方标准")
"""The level column, in every table that has one (the monitoring lists and the 明细表)."""
_COLUMNS = {c.name: c for c in (  # every column of a fixed name, described once
    Column("领域", "Domain", "《国家基本公共服务标准》的领域；“未归入领域”指标准未载明领域"),
    Column("大类", "Category", "领域下的大类"),
    Column("省级地区代码", "Province code",
           "省级地区的行政区划代码（6 位）：地方标准为发布地区所在的省级地区，国家标准和行业标准为空；"
           "按此列筛选即得该省监测页上的表或列表"),
    Column("省级地区", "Province", "省级地区的名称"),
    Column("地区代码", "Region code", "行政区划代码（6 位）"),
    Column("地区", "Region", "地区名称；“（省级）”指以全省名义发布的标准"),
    Column("范围代码", "Scope code", "空白所在范围的行政区划代码（6 位）；全国范围为空"),
    Column("范围", "Scope", "全国（国家、行业和地方标准均无），或某省级地区（该省及其下辖地区的地方标准均无）"),
    Column("空白", "Gap", "大类：该大类在范围内没有现行标准；服务项目：大类已有标准，但没有标准载明该服务项目"),
    Column("尚无标准的服务项目", "Service items without a standard",
           "范围内没有现行标准载明的服务项目；多个值在 CSV 和 XLSX 中以“；”分隔，在 JSON 中为列表"),
    Column("全国适用的现行国家和行业标准", "Current national and industry standards",
           "该大类全国适用的现行国家标准和行业标准项数；全国范围为空", "integer"),
    Column("标准号", "Standard number", "标准编号，如 GB/T 35796-2017"),
    Column("标准名称", "Title", "标准的中文名称（未收录时为英文名称）"),
    LEVEL_COLUMN,
    Column("状态", "Status", "按状态计算日期得出的状态"),
    Column("地区代码（标准）", "Standard's region code", "地方标准的发布地区的行政区划代码（6 位）；"
           "国家标准和行业标准为空"),
    Column("变化", "Change", "废止或被代替"),
    Column("发布年份", "Year issued", "发布日期的年份；“未收录”指发布日期未收录"),
    Column("合计", "Total", "该年发布的标准项数", "integer"),
    Column("项数", "Count", "标准项数", "integer"),
    Column("占比（%）", "Share (%)", "占全部标准的百分比，保留一位小数", "number"),
)}
_DATE_ABOUT = {
    "upcoming": ("Date in force", "实施日期：今后 180 天内开始实施"),
    "ended": ("Date abolished or replaced", "废止日期，或代替它的标准开始实施的日期"),
    "review": ("Five years in force", "实施满五年的日期"),
}


def _cols(*names: str) -> tuple[Column, ...]:
    return tuple(_COLUMNS[n] for n in names)


def province_of(catalog: Catalog, standard: Standard) -> Region | None:
    """The provincial-level unit a local standard was issued in (None: national, industry or unknown)."""
    chain = catalog.vocab.region_chain(standard.region) if standard.region else []
    return chain[0] if chain and chain[0].rank == "province" else None


def coverage_table(coverage: Coverage) -> DataTable:
    """The domains × provinces table of the monitoring page, as it is."""
    columns = [_COLUMNS["领域"]]
    for key, label in coverage.columns:
        if key == NATIONAL_COLUMN:
            columns.append(Column(label, "National and industry", "全国适用的现行国家标准和行业标准项数", "integer"))
        else:
            columns.append(Column(label, f"Current local standards: {key}", "该省级地区及其下辖地区发布的现行地方"
                                  "标准项数（每个省级地区一列，列名为其名称）", "integer", family="各省级地区"))
    counts = coverage.counts()
    rows: tuple[tuple[Cell, ...], ...] = tuple((name, *counts[i]) for i, name in enumerate(coverage.rows))
    return DataTable("coverage", coverage.title, "各领域 × 各省级地区的现行标准项数，即监测统计页上的覆盖表",
                     tuple(columns), rows)


def province_coverage_table(coverages: Sequence[tuple[Region, Coverage]], categories: Sequence[str]) -> DataTable:
    """Every province's categories × units table, one row per unit (the page's columns), one column per category."""
    columns = [*_cols("省级地区代码", "省级地区", "地区代码", "地区"),
               *(Column(name, f"Current local standards: category {i}",
                        "该地区该大类的现行地方标准项数（每个大类一列，列名为其名称）", "integer", family="各大类")
                 for i, name in enumerate(categories, 1))]
    rows: list[tuple[Cell, ...]] = []
    for province, coverage in coverages:
        if tuple(coverage.rows) != tuple(categories):
            raise ValueError(f"{province.code}: categories differ")
        counts = coverage.counts()
        for j, (code, label) in enumerate(coverage.columns):
            rows.append((province.code, province.name, code, label, *(row[j] for row in counts)))
    return DataTable("province-coverage", "各省各大类现行地方标准覆盖（按下辖地区）",
                     "各省监测页上的覆盖表（大类 × 下辖地区），每个地区一行、每个大类一列；"
                     "按省级地区代码筛选即得一省的表",
                     tuple(columns), tuple(rows))


def gaps_table(scopes: Sequence[tuple[Region | None, Sequence[Gap], Sequence[tuple[str, str, str]]]]) -> DataTable:
    """The gaps of the whole database (scope None) and of each province: a row per category without a current
    standard, then a row per service item without one in the categories that have some."""
    rows: list[tuple[Cell, ...]] = []
    for province, found, items in scopes:
        code, name = (province.code, province.name) if province else ("", NATIONAL_SCOPE)
        rows += [(code, name, WHOLE_CATEGORY, g.domain, g.category, g.items, g.elsewhere if province else None)
                 for g in found]
        rows += [(code, name, ITEM_ONLY, domain, category, (item,), None) for domain, category, item in items]
    return DataTable("gaps", "标准空白",
                     "全国和各省级地区尚无现行标准的大类和服务项目，即“标准空白”页和各省监测页上的空白",
                     _cols("范围代码", "范围", "空白", "领域", "大类", "尚无标准的服务项目",
                           "全国适用的现行国家和行业标准"),
                     tuple(rows))


def change_table(catalog: Catalog, kind: ChangeKind, listed: Sequence[Change]) -> DataTable:
    """A national change list, in its page's order, with each local standard's province."""
    english, about = _DATE_ABOUT[kind.slug]
    date = Column(kind.date_label, english, about, "date")
    extra = (_COLUMNS["变化"],) if kind.slug == "ended" else ()
    columns = (date, *extra,
               *_cols("标准号", "标准名称", "层级", "状态", "地区代码（标准）", "省级地区代码", "省级地区"))
    rows = []
    for change in listed:
        s = change.standard
        province = province_of(catalog, s)
        rows.append((change.date.isoformat(), *((change.note,) if extra else ()), s.number, s.display_title,
                     s.level.name, catalog.status[s.number].label, s.region or "",
                     province.code if province else "", province.name if province else ""))
    return DataTable(kind.slug, f"{kind.label}的标准", f"{kind.about}（全国；按省级地区代码筛选即得各省的列表）",
                     columns, tuple(rows))


def statistics_tables(levels: Sequence[str], years: Sequence[tuple[str, Sequence[int]]],
                      by_domain: Sequence[tuple[str, int]],
                      shares: Sequence[tuple[str, int, float]]) -> list[DataTable]:
    """The three tables of the statistics page."""
    level_columns = tuple(Column(name, f"Issued: {name}", f"该年发布的{name}项数", "integer", family="各层级")
                          for name in levels)
    return [
        DataTable("stat-years", "各年发布的标准数（按层级）", "标准统计页：各年发布的标准数（按层级）",
                  (_COLUMNS["发布年份"], *level_columns, _COLUMNS["合计"]),
                  tuple((year, *counts, sum(counts)) for year, counts in years)),
        DataTable("stat-domains", "各领域的标准数",
                  "标准统计页：各领域的标准数（一项标准可属于多个领域，各行之和可能多于标准总数）",
                  _cols("领域", "项数"),
                  tuple(by_domain)),
        DataTable("stat-status", "各状态的标准数及占比", "标准统计页：各状态的标准数及占比",
                  _cols("状态", "项数", "占比（%）"),
                  tuple(shares)),
    ]

