"""A region's own standard system file, standards/systems/<code>.yaml: read and checked like a record.

    体系名称: "某县基本公共服务标准体系"       # required
    编制单位: "某县市场监督管理局"
    版本日期: 2025-06-30                      # required
    采用标准:                                # standards of any level the system adopts
      - 标准号: "GB/T 10001-2020"
        体系位置: "服务提供标准"               # optional: else the record's own or the inferred one
        备注: "…"
    不采用标准:                              # the region's own local standards it leaves out, with a reason
      - 标准号: "DB37/T 1-2020"
        理由: "…"
    拟制定标准:                              # standards still to be written
      - 标准名称: "…"
        体系位置: "服务提供标准"
        领域: "老有所养"
        负责单位: "某县民政局"
        计划年份: 2026
        状态: "拟制定"                         # 拟制定 (default) or 制定中

Problems carry path:line:col and Chinese text: unknown keys, positions, domains and regions are errors; a
number the database lacks is a warning (the row is still shown, marked 本库未收录); a planned standard whose
title a standard of the database already has is a notice (it may now be adopted instead).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .dbfiles import list_entries, unreadable
from .numbers import number_key, parse_number
from .problems import Problem, Severity
from .records import Standard
from .vocab import SYSTEMS_DIR, Vocabulary
from .yamlpos import Parsed, parse_yaml

__all__ = ["PLANNED_STATUSES", "Adopted", "Excluded", "Planned", "RegionSystem", "load_systems"]

PLANNED_STATUSES = ("拟制定", "制定中")
_TOP = ("体系名称", "编制单位", "版本日期", "采用标准", "不采用标准", "拟制定标准", "备注")
_ADOPTED = ("标准号", "体系位置", "备注")
_EXCLUDED = ("标准号", "理由")
_PLANNED = ("标准名称", "体系位置", "领域", "负责单位", "计划年份", "状态", "备注")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class Adopted:
    number: str
    position: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Excluded:
    number: str
    reason: str


@dataclass(frozen=True)
class Planned:
    title: str
    position: str
    domain: str | None = None
    body: str | None = None
    year: int | None = None
    status: str = "拟制定"
    note: str = ""


@dataclass(frozen=True)
class RegionSystem:
    code: str
    name: str
    body: str | None
    version: dt.date
    path: Path
    adopted: tuple[Adopted, ...] = ()
    excluded: tuple[Excluded, ...] = ()
    planned: tuple[Planned, ...] = ()
    note: str = ""


def load_systems(db_dir: Path, vocab: Vocabulary,
                 standards: Iterable[Standard]) -> tuple[dict[str, RegionSystem], list[Problem]]:
    """Every system file of db_dir/systems/, checked against the vocabularies and the catalogue's standards.
    A file with an error is left out (its region keeps the inferred system)."""
    folder = db_dir / SYSTEMS_DIR
    if not folder.is_dir() or folder.is_symlink():
        refused = unreadable(folder, db_dir) if folder.is_symlink() else None
        return {}, [Problem(folder, 0, 0, refused)] if refused else []
    by_key = {number_key(s.number): s for s in standards}
    by_title = {_plain(s.title): s for s in by_key.values() if s.title}
    systems: dict[str, RegionSystem] = {}
    problems: list[Problem] = []
    for path in sorted(list_entries(folder)):
        if path.name.startswith(".") or path.name in ("README.md", "readme.md", ".gitkeep"):
            continue
        found = _FileChecker(path, vocab, by_key, by_title).run(db_dir)
        problems.extend(found.problems)
        if found.system is not None and not any(p.severity is Severity.ERROR for p in found.problems):
            systems[found.system.code] = found.system
    return systems, problems


def _plain(title: str) -> str:
    return re.sub(r"\s+", "", title)


class _FileChecker:
    def __init__(self, path: Path, vocab: Vocabulary, by_key: dict[str, Standard],
                 by_title: dict[str, Standard]) -> None:
        self.path = path
        self.vocab = vocab
        self.by_key = by_key
        self.by_title = by_title
        self.problems: list[Problem] = []
        self.parsed = Parsed(None)
        self.system: RegionSystem | None = None

    def fail(self, where: tuple[Any, ...], message: str, severity: Severity = Severity.ERROR,
             at_key: bool = False) -> None:
        line, column = (self.parsed.key_pos[where] if at_key and where in self.parsed.key_pos
                        else self.parsed.pos(where))
        self.problems.append(Problem(self.path, line, column, message, severity))

    def run(self, db_dir: Path) -> _FileChecker:
        refused = unreadable(self.path, db_dir)
        if refused:
            self.problems.append(Problem(self.path, 0, 0, refused))
            return self
        code = self.path.stem
        if self.path.suffix != ".yaml":
            self.problems.append(Problem(self.path, 0, 0,
                                         "标准体系文件应命名为“6 位行政区划代码.yaml”，如 370102.yaml"))
            return self
        if code not in self.vocab.regions:
            self.problems.append(Problem(self.path, 0, 0, f"文件名 {code} 不是行政区划代码表中的地区代码；"
                                                          "标准体系文件应命名为“6 位行政区划代码.yaml”"))
            return self
        try:
            text = self.path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            self.problems.append(Problem(self.path, 1, 1, "文件不是 UTF-8 编码，请用 UTF-8 重新保存"))
            return self
        self.parsed = parse_yaml(text)
        self.problems.extend(Problem(self.path, i.line, i.column, i.message) for i in self.parsed.issues)
        if self.parsed.issues:
            return self
        doc = self.parsed.data
        if not isinstance(doc, dict):
            self.problems.append(Problem(self.path, 1, 1,
                                         "标准体系文件内容应为“字段: 值”的形式，至少有 体系名称 和 版本日期"))
            return self
        self.system = self._system(code, doc)
        return self

    def _system(self, code: str, doc: dict[str, Any]) -> RegionSystem | None:
        self._keys(doc, (), _TOP, "标准体系文件")
        name = self._text(doc, ("体系名称",), required=True)
        version = self._date(doc.get("版本日期"), ("版本日期",))
        adopted = [self._adopted(e, i) for i, e in enumerate(self._list(doc, "采用标准"))]
        excluded = [self._excluded(e, i) for i, e in enumerate(self._list(doc, "不采用标准"))]
        planned = [self._planned(e, i) for i, e in enumerate(self._list(doc, "拟制定标准"))]
        self._no_twice(doc, adopted, excluded)
        if name is None or version is None:
            return None
        return RegionSystem(code, name, self._text(doc, ("编制单位",)), version, self.path,
                            tuple(a for a in adopted if a), tuple(e for e in excluded if e),
                            tuple(p for p in planned if p), self._text(doc, ("备注",)) or "")

    # --- pieces ---------------------------------------------------------------------------------------------

    def _keys(self, entry: dict[str, Any], where: tuple[Any, ...], allowed: tuple[str, ...], what: str) -> None:
        for key in entry:
            if key not in allowed:
                self.fail((*where, key), f"{what}: 未知的字段 \"{key}\"，可用的字段有 {'、'.join(allowed)}",
                          at_key=True)

    def _text(self, entry: dict[str, Any], where: tuple[Any, ...], required: bool = False) -> str | None:
        value = entry.get(where[-1])
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(where[:-1] or where, f"缺少 {where[-1]}")
            return None
        if not isinstance(value, str) or "\n" in value.strip():
            self.fail(where, f"{where[-1]}: 应为一行文字")
            return None
        return value.strip()

    def _date(self, value: Any, where: tuple[Any, ...]) -> dt.date | None:
        if value is None:
            self.fail((), "缺少 版本日期（形如 2025-06-30）")
            return None
        match = _DATE.fullmatch(str(value).strip())
        try:
            if match:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
        self.fail(where, f"版本日期: 不是有效日期 \"{value}\"，应形如 2025-06-30")
        return None

    def _list(self, doc: dict[str, Any], key: str) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
        raw = doc.get(key)
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.fail((key,), f"{key}: 应为列表，每项以“- ”开头")
            return []
        out = []
        for i, entry in enumerate(raw):
            if isinstance(entry, dict):
                out.append(((key, i), entry))
            else:
                self.fail((key, i), f"{key}第 {i + 1} 项: 应为“字段: 值”的形式")
        return out

    def _number(self, entry: dict[str, Any], where: tuple[Any, ...], what: str) -> str | None:
        number = self._text(entry, (*where, "标准号"), required=True)
        if number is None:
            return None
        parsed, suggestion = parse_number(number)
        if parsed is None:
            hint = f"，应写作 {suggestion}" if suggestion else ""
            self.fail((*where, "标准号"), f"{what}: 标准号格式不对 \"{number}\"{hint}")
            return None
        if number_key(number) not in self.by_key:
            self.fail((*where, "标准号"), f"{what}: 标准 {number} 未收录，请先添加它的标准记录或检查标准号",
                      Severity.WARNING)
        return number

    def _position(self, entry: dict[str, Any], where: tuple[Any, ...], what: str, required: bool) -> str | None:
        position = self._text(entry, (*where, "体系位置"), required=required)
        if position is not None and position not in self.vocab.slots:
            self.fail((*where, "体系位置"), f"{what}: 体系位置应为 GB/T 43507 体系中的 "
                                           f"{'、'.join(self.vocab.slots)} 之一，不是 \"{position}\"")
            return None
        return position

    def _adopted(self, item: tuple[tuple[Any, ...], dict[str, Any]], i: int) -> Adopted | None:
        where, entry = item
        what = f"采用标准第 {i + 1} 项"
        self._keys(entry, where, _ADOPTED, what)
        number = self._number(entry, where, what)
        position = self._position(entry, where, what, required=False)
        return Adopted(number, position, self._text(entry, (*where, "备注")) or "") if number else None

    def _excluded(self, item: tuple[tuple[Any, ...], dict[str, Any]], i: int) -> Excluded | None:
        where, entry = item
        what = f"不采用标准第 {i + 1} 项"
        self._keys(entry, where, _EXCLUDED, what)
        number = self._number(entry, where, what)
        reason = self._text(entry, (*where, "理由"), required=True)
        return Excluded(number, reason) if number and reason else None

    def _planned(self, item: tuple[tuple[Any, ...], dict[str, Any]], i: int) -> Planned | None:
        where, entry = item
        what = f"拟制定标准第 {i + 1} 项"
        self._keys(entry, where, _PLANNED, what)
        title = self._text(entry, (*where, "标准名称"), required=True)
        position = self._position(entry, where, what, required=True)
        domain = self._text(entry, (*where, "领域"))
        if domain is not None and self.vocab.domain(domain) is None:
            self.fail((*where, "领域"), f"{what}: 未知的领域 \"{domain}\"（见 standards/vocabularies/domains.yaml）")
            domain = None
        status = self._text(entry, (*where, "状态")) or PLANNED_STATUSES[0]
        if status not in PLANNED_STATUSES:
            self.fail((*where, "状态"), f"{what}: 状态应为 {'或'.join(PLANNED_STATUSES)}，不是 \"{status}\"")
        year = self._year(entry.get("计划年份"), (*where, "计划年份"), what)
        if title and _plain(title) in self.by_title:
            existing = self.by_title[_plain(title)]
            self.fail((*where, "标准名称"), f"{what}: 已收录同名标准 {existing.number}，"
                                           "如已发布，可从拟制定标准移到采用标准", Severity.NOTICE)
        if not title or not position:
            return None
        return Planned(title, position, domain, self._text(entry, (*where, "负责单位")), year, status,
                       self._text(entry, (*where, "备注")) or "")

    def _year(self, value: Any, where: tuple[Any, ...], what: str) -> int | None:
        if value is None:
            return None
        text = str(value).strip()
        if not re.fullmatch(r"\d{4}", text) or not 1949 <= int(text) <= 2100:
            self.fail(where, f"{what}: 计划年份应为 4 位年份，如 2026，不是 \"{text}\"")
            return None
        return int(text)

    def _no_twice(self, doc: dict[str, Any], adopted: list[Adopted | None],
                  excluded: list[Excluded | None]) -> None:
        seen: dict[str, str] = {}
        for key, entries in (("采用标准", adopted), ("不采用标准", excluded)):
            for i, entry in enumerate(entries):
                if entry is None:
                    continue
                number = number_key(entry.number)
                if number in seen:
                    self.fail((key, i, "标准号"), f"{key}第 {i + 1} 项: 标准 {entry.number} 已在{seen[number]}中列出")
                seen.setdefault(number, key)
