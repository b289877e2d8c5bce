"""Kinds of one value: text, date, choice, url, slot, region."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..fields import Field
from ..numbers import ascii_fold, read_number
from ..search.analyzer import has_han
from .base import (
    ONE_LINE,
    URL,
    CellError,
    Context,
    Kind,
    cell_str,
    nullable,
    quote,
    schema_pattern,
    string,
    text,
    unwrapped,
    width_note,
)

__all__ = ["CALENDAR_DATE", "DATE", "LOOSE_DATE", "QUOTED_TITLE", "Choice", "Date", "Memo", "Region", "Slot",
           "SourceNumber", "Text", "Title", "Url", "date_serial"]

DATE = r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
_LEAP_YEAR = r"[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00"
CALENDAR_DATE = (r"(?!0000)[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)"
                 rf"|(?:0[13578]|1[02])-31)|(?:{_LEAP_YEAR})-02-29")
"""A DATE that is a day of the calendar, for the schema (the checker asks datetime)."""
# What a person writes for a date: 2017/12/29, 2017.12.29, 2017年12月29日 (after ascii_fold).
LOOSE_DATE = re.compile(r"([0-9]{4})\s*[./年-]\s*([0-9]{1,2})\s*[./月-]\s*([0-9]{1,2})\s*日?")
_COMPACT_DATE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_TIME_PART = re.compile(r"[ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EARLIEST = dt.date(1950, 1, 1)
"""No standard of the database is dated earlier (the first national standards date from the 1950s)."""
_YEAR_ONLY = re.compile(r"(19|20)[0-9]{2}(\.[0-9]{1,2}|年([0-9]{1,2}月)?)?")
_CELL_ALIASES = {
    "标准状态": {"现行有效": "现行", "有效": "现行", "作废": "废止", "已作废": "废止", "已废止": "废止",
                 "被替代": "被代替", "已被代替": "被代替", "已被替代": "被代替", "尚未实施": "即将实施",
                 "未实施": "即将实施"},
    "标准性质": {"推荐": "推荐性", "强制": "强制性", "指导性": "指导性技术文件", "指导": "指导性技术文件",
                 "推荐性标准": "推荐性", "强制性标准": "强制性", "推荐性国家标准": "推荐性", "强制性国家标准": "强制性",
                 "推荐性行业标准": "推荐性", "强制性行业标准": "强制性", "推荐性地方标准": "推荐性",
                 "强制性地方标准": "强制性", "国家标准化指导性技术文件": "指导性技术文件"},
}


class Text(Kind):
    def check(self, c: Context, field: Field, value: Any) -> Any:
        return text(c, field, value)

    def schema(self, field: Field) -> dict[str, Any]:
        return nullable(string(None if field.multiline else ONE_LINE))


QUOTED_TITLE = r"《[^《》]+》"
"""A title wholly in book-title marks, as notices and published lists quote it: 《养老机构服务质量基本规范》."""


class Title(Text):
    """A standard's name as its cover gives it. Notices and lists quote it in book-title marks: a spreadsheet
    cell loses them (the list's 《养老机构服务质量基本规范》 is the standard 养老机构服务质量基本规范), a record
    file is told to drop them. Marks inside a name (《…》编写规则) are part of it. A name is one: a cell that
    wraps it over lines is joined (`unwrapped`)."""

    wraps = True

    def __init__(self, chinese: bool = False) -> None:
        self.chinese = chinese
        """A Chinese name has at least one Chinese character: a sheet's "#N/A" or "0" (what a lookup formula gives
        for nothing) is no name (`unlike`)."""

    def check(self, c: Context, field: Field, value: Any) -> str | None:
        given = text(c, field, value)
        if given is not None and re.fullmatch(QUOTED_TITLE, given):
            c.fail((field.key,), f"{field.key}: 书名号《》不是标准名称的一部分，请去掉，写作 \"{_unquoted(given)}\"")
            return None
        return given

    def unlike(self, field: Field, title: str) -> str | None:
        """Why a Chinese name without a Chinese character is not like one, or None: `stdportal check` warns (a
        record may still say it), the importer does not take it from a sheet."""
        if not self.chinese or has_han(title):
            return None
        return (f"{field.key}: \"{title}\" 中没有汉字，不像是中文名称（来自表格时，可能是公式的错误值或空结果）；"
                "只有英文名称时请填在 英文标准名称 中")

    def schema(self, field: Field) -> dict[str, Any]:
        return nullable({**string(ONE_LINE), "not": {"pattern": schema_pattern(QUOTED_TITLE)}})

    def cell(self, field: Field, cell: Any) -> str | None:
        given = unwrapped(cell_str(cell))
        title = _unquoted(given) if re.fullmatch(QUOTED_TITLE, given) else given
        if title and (unlike := self.unlike(field, title)):
            raise CellError(unlike)  # a record may say it (check warns); a sheet's #N/A or 0 is not taken
        return title or None


def _unquoted(title: str) -> str:
    return title[1:-1].strip()


class Memo(Text):
    """A note for the maintainers: kept in the record file and checked, never on the site nor in the exports."""

    exported = False


class SourceNumber(Text):
    """标准号 as a source spelled it (DB 37/T 2904—2019): one line that reads as a number; the checker across
    fields asks that it name the record's own standard. Not on the site, not exported: a fact about the source."""

    exported = False

    def check(self, c: Context, field: Field, value: Any) -> str | None:
        given = text(c, field, value)
        if given is not None and read_number(given) is None:
            c.fail((field.key,), f"{field.key}: \"{given}\" 不是可识别的标准号写法")
            return None
        return given

    def cell(self, field: Field, cell: Any) -> str | None:
        return cell_str(cell) or None


class Date(Kind):
    table_type = "date"

    def check(self, c: Context, field: Field, value: Any) -> dt.date | None:
        given = text(c, field, value)
        if given is None:
            return None
        match = re.fullmatch(DATE, given)
        if not match:
            loose = LOOSE_DATE.fullmatch(ascii_fold(given))
            hint = (f"，应写作 {int(loose[1]):04d}-{int(loose[2]):02d}-{int(loose[3]):02d}" if loose
                    else "，应形如 2017-12-29")
            c.fail((field.key,), f"{field.key}: 日期格式不对 \"{given}\"{width_note(given)}{hint}")
            return None
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            c.fail((field.key,), f"{field.key}: 不是有效日期 \"{given}\"")
            return None

    def schema(self, field: Field) -> dict[str, Any]:
        return nullable(string(CALENDAR_DATE))

    def cell(self, field: Field, cell: Any) -> str:
        if isinstance(cell, dt.date):
            day = cell.date() if isinstance(cell, dt.datetime) else cell
            if day < _EARLIEST:  # a year typed into a date-formatted cell: 2021 shows as 1905-07-13
                serial = (day - _EXCEL_EPOCH).days
                hint = f"，可能是在日期格式的单元格中只填了年份 {serial}" if 1900 <= serial <= 2100 else ""
                raise CellError(f"{field.key}: 单元格显示为 {day.isoformat()}{hint}，不像标准的日期：请写出完整日期，"
                                "如 2021-07-01，不知道时留空")
            return cell_str(cell)
        number = isinstance(cell, (int, float)) and not isinstance(cell, bool)
        given = (f"{cell:.10g}" if number else _TIME_PART.sub("", _arabic_date(ascii_fold(str(cell)).strip())))
        if _YEAR_ONLY.fullmatch(given):  # 2021, or 2021.03 typed into a number cell: which day is not known
            raise CellError(f"{field.key}: \"{given}\" 只有年份或年月，看不出是哪一天：请写完整日期（如 2021-07-01），"
                            "不知道时留空")
        match = LOOSE_DATE.fullmatch(given) or _COMPACT_DATE.fullmatch(given)  # 20210701 as text or as a number
        if match:
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3])).isoformat()
            except ValueError:
                raise CellError(f"{field.key}: 不是有效日期 \"{given}\"") from None
        counted = date_serial(cell)
        if counted is not None:
            return _serial(field, counted)
        raise CellError(f"{field.key}: 无法识别的日期 \"{cell}\"，应形如 2023-07-01")

    def scalar(self, value: Any) -> str:
        return value if isinstance(value, str) and re.fullmatch(DATE, value) else quote(str(value))


_CHINESE_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                   "九": 9}
_CHINESE_DATE = re.compile("([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月"
                           "([一二三四五六七八九十]{1,3})日")


def _arabic_date(text: str) -> str:
    """A date a notice writes in Chinese numerals (二〇二一年四月九日, 二〇二一年十二月三十一日) in Arabic digits;
    any other text as it is."""
    match = _CHINESE_DATE.fullmatch(text)
    if not match:
        return text
    year = "".join(str(_CHINESE_DIGITS[ch]) for ch in match[1])
    return f"{year}年{_chinese_number(match[2])}月{_chinese_number(match[3])}日"


def _chinese_number(text: str) -> str:
    """一 … 三十一 as digits; text that is no such number as it is (the date is then not recognised)."""
    tens, _, ones = text.rpartition("十") if "十" in text else ("", "", text)
    if "十" in text:
        value = (_CHINESE_DIGITS.get(tens, -99) if tens else 1) * 10 + (_CHINESE_DIGITS.get(ones, -99) if ones else 0)
    else:
        value = _CHINESE_DIGITS.get(ones, -99)
    return str(value) if 0 < value < 100 else text


def date_serial(cell: Any) -> float | None:
    """The number a date column's cell holds when it is read as an Excel date serial: a number (a date typed into
    a General cell stays one), or five digits as text (a CSV saved from such a sheet); None for anything else,
    a date written as 20210701 included."""
    number = isinstance(cell, (int, float)) and not isinstance(cell, bool)
    given = f"{cell:.10g}" if number else ascii_fold(str(cell)).strip()
    if _YEAR_ONLY.fullmatch(given) or _COMPACT_DATE.fullmatch(given):
        return None
    if number or re.fullmatch(r"[0-9]{5}(\.0+)?", given):
        return float(given)
    return None


_LATEST_YEARS = 5
"""A serial read as a date may fall at most this many years after the current year (a 实施日期 announced ahead)."""


def _serial(field: Field, value: float) -> str:
    """An Excel date serial (days since 1899-12-30, the 1900 date system). A number that would be a date before
    _EARLIEST, or years ahead, is not one: it is some other number in a date column, and no date is made up from
    it."""
    day = _EXCEL_EPOCH + dt.timedelta(days=int(value)) if 1 <= value < 2958466 else None
    if day is None or day < _EARLIEST or day.year > dt.date.today().year + _LATEST_YEARS:
        raise CellError(f"{field.key}: 数字 {value:.10g} 不是日期：请写出完整日期，如 2023-07-01，不知道时留空")
    return day.isoformat()


class Choice(Kind):
    def check(self, c: Context, field: Field, value: Any) -> str | None:
        given = text(c, field, value)
        if given is not None and given not in field.choices:
            c.fail((field.key,), f"{field.key}: 应为 {'、'.join(field.choices)} 之一，不是 \"{given}\"")
            return None
        return given

    def schema(self, field: Field) -> dict[str, Any]:
        # The enum is what editors offer to complete; the pattern lets the spaces around it pass, as check does.
        padded = string("|".join(re.escape(choice) for choice in field.choices))
        return {"anyOf": [{"type": "string", "enum": list(field.choices)}, padded, {"type": "null"}]}

    def cell(self, field: Field, cell: Any) -> str | None:
        given = cell_str(cell)
        return _CELL_ALIASES.get(field.key, {}).get(given, given) or None


class Url(Kind):
    def check(self, c: Context, field: Field, value: Any) -> str | None:
        given = text(c, field, value)
        if given is not None and not re.fullmatch(URL, given):
            why = ("网址中不能有空格、引号、尖括号等字符（网址里的空格写作 %20）" if re.match(r"https?://", given)
                   else "应为以 http:// 或 https:// 开头的网址")
            c.fail((field.key,), f"{field.key}: {why}，不是 \"{given}\"")
            return None
        return given

    def schema(self, field: Field) -> dict[str, Any]:
        return nullable(string(URL))


class Slot(Kind):
    """A place in the GB/T 43507 system: its list is a vocabulary, beyond the schema."""

    def check(self, c: Context, field: Field, value: Any) -> str | None:
        given = text(c, field, value)
        if given is not None and given not in c.vocab.slots:
            choices = "、".join(c.vocab.slots)
            c.fail((field.key,), f"{field.key}: 应为 GB/T 43507 体系中的 {choices} 之一，不是 \"{given}\"")
            return None
        return given

    def schema(self, field: Field) -> dict[str, Any]:
        return nullable(string(ONE_LINE))


class Region(Kind):
    """A division code: the schema knows its shape, the vocabulary which codes exist."""

    def check(self, c: Context, field: Field, value: Any) -> str | None:
        given = text(c, field, value)
        if given is not None and given not in c.vocab.regions:
            c.fail((field.key,), f"{field.key}: 未知的行政区划代码 \"{given}\"，应为 6 位代码，如 370000")
            return None
        return given

    def schema(self, field: Field) -> dict[str, Any]:
        return nullable(string("[0-9]{6}"))

