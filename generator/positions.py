"""Positions in the GB/T 43507 system (体系位置): the record's own, a region system's, or inferred.

A record that states no 体系位置 gets one inferred from its title and classification by the rules of ONE file,
standards/vocabularies/position-rules.yaml, which a maintainer reads and changes like any vocabulary: rules are
tried top to bottom, the first whose conditions all hold gives the position (名称含: any of the words is in the
title; 领域 / 类别: the record has any of them), and 逐条指定 sets (or, with null, suppresses) the inference for
one standard. An inferred position is always marked as such (`Position.inferred`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .memo import repr_once
from .numbers import number_key
from .problems import Problem, Severity
from .records import Standard
from .yamlpos import Parsed

__all__ = ["RULES_FILE", "Position", "PositionRules", "Rule", "check_rule_numbers", "infer_position",
           "read_position_rules", "stated_or_inferred"]

RULES_FILE = "position-rules.yaml"

STATED = "stated"
"""The record's own 体系位置."""
SYSTEM = "system"
"""Assigned by the region's standard system file."""
INFERRED = "inferred"
"""Inferred by a rule (or set per standard in the rules file): never the record's own statement."""
NONE = "none"


@repr_once
@dataclass(frozen=True)
class Position:
    name: str | None
    """A part of GB/T 43507 (a vocabulary Slot name), or None when it is not known."""
    source: str = NONE
    """stated | system | inferred | none."""
    why: str = ""
    """For an inferred position: which rule gave it, in Chinese."""

    @property
    def inferred(self) -> bool:
        return self.source == INFERRED

    @property
    def label(self) -> str:
        """As tables show it: 服务提供标准（推断）, or 体系位置未确定."""
        if self.name is None:
            return "体系位置未确定"
        return f"{self.name}（推断）" if self.inferred else self.name


@dataclass(frozen=True)
class Rule:
    position: str
    words: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    line: int = 0

    def matches(self, standard: Standard) -> bool:
        title = standard.title or standard.title_en or ""
        return ((not self.words or any(w in title for w in self.words))
                and (not self.domains or any(d in standard.domains for d in self.domains))
                and (not self.categories or any(c in standard.categories for c in self.categories)))

    def describe(self) -> str:
        parts = []
        if self.words:
            parts.append("名称含“" + "、".join(self.words) + "”之一")
        if self.domains:
            parts.append("领域为" + "、".join(self.domains) + "之一")
        if self.categories:
            parts.append("类别为" + "、".join(self.categories) + "之一")
        return f"按推断规则（第 {self.line} 行：{'，'.join(parts)}）"


@dataclass(frozen=True)
class PositionRules:
    rules: tuple[Rule, ...] = ()
    overrides: dict[str, str | None] = field(default_factory=dict)
    """number key → position (None: do not infer)."""
    override_lines: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    """number key → (number as written, line, column), for the check against the database."""
    path: Path | None = None


def infer_position(standard: Standard, rules: PositionRules) -> Position:
    key = number_key(standard.number)
    if key in rules.overrides:
        name = rules.overrides[key]
        return Position(name, INFERRED if name else NONE, "规则文件逐条指定" if name else "")
    for rule in rules.rules:
        if rule.matches(standard):
            return Position(rule.position, INFERRED, rule.describe())
    return Position(None)


def stated_or_inferred(standard: Standard, rules: PositionRules) -> Position:
    """The record's own position, else the inferred one."""
    if standard.slot:
        return Position(standard.slot, STATED, "标准记录载明")
    return infer_position(standard, rules)


def read_position_rules(path: Path, parsed: Parsed, slots: Iterable[str], domains: Iterable[str],
                        categories: Iterable[str]) -> tuple[PositionRules, list[Problem]]:
    """The rules file as rules, and a problem (path:line:col, Chinese) for everything it says wrong."""
    problems: list[Problem] = []
    known = {"slot": set(slots), "domain": set(domains), "category": set(categories)}

    def fail(where: tuple[Any, ...], message: str, at_key: bool = False) -> None:
        line, column = parsed.key_pos[where] if at_key and where in parsed.key_pos else parsed.pos(where)
        problems.append(Problem(path, line, column, message))

    doc = parsed.data
    if not isinstance(doc, dict):
        fail((), "推断规则文件应为“规则: …”和“逐条指定: …”两部分")
        return PositionRules(path=path), problems
    for key in doc:
        if key not in ("规则", "逐条指定"):
            fail((key,), f"未知的字段 \"{key}\"：推断规则文件只有 规则 和 逐条指定 两部分", at_key=True)
    rules = _rules(doc.get("规则"), known, fail, parsed)
    overrides, lines = _overrides(doc.get("逐条指定"), known["slot"], fail, parsed)
    return PositionRules(tuple(rules), overrides, lines, path), problems


def _rules(raw: Any, known: dict[str, set[str]], fail: Any, parsed: Parsed) -> list[Rule]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        fail(("规则",), "规则: 应为列表，每项以“- 体系位置: …”开头")
        return []
    rules = []
    for i, entry in enumerate(raw):
        where = ("规则", i)
        if not isinstance(entry, dict):
            fail(where, f"规则第 {i + 1} 项: 应含 体系位置 和 名称含 / 领域 / 类别")
            continue
        lists: dict[str, tuple[str, ...]] = {}
        good = True
        for key in entry:
            if key not in ("体系位置", "名称含", "领域", "类别"):
                fail((*where, key), f"规则第 {i + 1} 项: 未知的字段 \"{key}\"，可用 体系位置、名称含、领域、类别",
                     at_key=True)
                good = False
        for key, vocab in (("名称含", None), ("领域", "domain"), ("类别", "category")):
            values = entry.get(key)
            if values is None:
                continue
            if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
                fail((*where, key), f"规则第 {i + 1} 项: {key} 应为非空文字的列表，如 [\"评价\", \"评估\"]")
                good = False
                continue
            for j, value in enumerate(values):
                if vocab and value not in known[vocab]:
                    fail((*where, key, j), f"规则第 {i + 1} 项: 未知的{key} \"{value}\"（见 domains.yaml）")
                    good = False
            lists[key] = tuple(values)
        position = entry.get("体系位置")
        if not isinstance(position, str) or position not in known["slot"]:
            fail((*where, "体系位置"), f"规则第 {i + 1} 项: 体系位置应为 GB/T 43507 体系中的 "
                                       f"{'、'.join(sorted(known['slot']))} 之一，不是 \"{position or ''}\"")
            good = False
        if not lists:
            fail(where, f"规则第 {i + 1} 项: 至少要写 名称含、领域、类别 中的一项，否则每项标准都会符合")
            good = False
        if good:
            rules.append(Rule(str(position), lists.get("名称含", ()), lists.get("领域", ()), lists.get("类别", ()),
                              parsed.pos(where)[0]))
    return rules


def _overrides(raw: Any, slots: set[str], fail: Any, parsed: Parsed) -> tuple[dict[str, str | None],
                                                                               dict[str, tuple[str, int, int]]]:
    overrides: dict[str, str | None] = {}
    lines: dict[str, tuple[str, int, int]] = {}
    if raw is None:
        return overrides, lines
    if not isinstance(raw, dict):
        fail(("逐条指定",), "逐条指定: 应为“标准号: 体系位置”的形式，如 \"GB/T 35796-2017\": \"服务提供标准\"")
        return overrides, lines
    for number, position in raw.items():
        if position is not None and position not in slots:
            fail(("逐条指定", number), f"逐条指定 {number}: 体系位置应为 GB/T 43507 体系中的 "
                                       f"{'、'.join(sorted(slots))} 之一或 null，不是 \"{position}\"")
            continue
        overrides[number_key(str(number))] = position
        line, column = parsed.key_pos.get(("逐条指定", number), (1, 1))
        lines[number_key(str(number))] = (str(number), line, column)
    return overrides, lines


def check_rule_numbers(rules: PositionRules, standards: Iterable[Standard]) -> list[Problem]:
    """A notice for each 逐条指定 number that names no standard of the database (a typo, or not yet added)."""
    if rules.path is None or not rules.override_lines:
        return []
    known = {number_key(s.number) for s in standards}
    return [Problem(rules.path, line, column, f"逐条指定的标准 {number} 未收录，这一条不起作用", Severity.NOTICE)
            for key, (number, line, column) in rules.override_lines.items() if key not in known]
