"""Check raw records against the fields table and each other; return typed standards and every problem.

Each check adds a Problem with the file, line and column of the value at fault and goes on: a maintainer sees
all that is wrong in one run. A record with an error is left out of the typed result.
"""

from __future__ import annotations

import difflib
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .fields import FIELD_BY_KEY, FIELDS, Field
from .kinds import CELL_UNITS, Kind, cell_overflow, kind_of, width_note
from .kinds.scalars import Title
from .load import RawRecord
from .numbers import StdNumber, number_key, parse_number, read_number, slug
from .problems import Problem, Severity, shown_path
from .records import Standard
from .search.similar import likely_duplicates
from .vocab import Vocabulary
from .yamlpos import Parsed

__all__ = ["Checked", "check_across", "check_record", "likely_problems", "validate"]


class _Checker:
    """Checks one record, collecting problems against its positions."""

    def __init__(self, raw: RawRecord, vocab: Vocabulary) -> None:
        self.raw = raw
        self.vocab = vocab
        self.problems: list[Problem] = []
        self.faulted: set[str] = set()
        """Fields whose value its kind's check refused with a problem of its own."""

    def fail(self, path: tuple[Any, ...], message: str, severity: Severity = Severity.ERROR) -> None:
        line, column = self.raw.parsed.pos(path)
        self.problems.append(Problem(self.raw.path, line, column, message, severity))

    def fail_key(self, key: str, message: str) -> None:
        line, column = self.raw.parsed.key_pos.get((key,), (1, 1))
        self.problems.append(Problem(self.raw.path, line, column, message))

    def refused(self, key: str) -> bool:
        """Whether the record writes a value for `key` that was refused, by reading the YAML (a tag such as
        !!binary) or by the field's check (《养老服务 术语》, a number for a text): that is reported, so the
        field is not also reported as missing."""
        if key in self.faulted:
            return True
        at = self.raw.parsed.value_pos.get((key,))
        return at is not None and any((issue.line, issue.column) == at for issue in self.raw.parsed.issues)


@dataclass(frozen=True)
class Checked:
    """One record file after the checks that look at it alone. It keeps no parse tree, only the positions the
    checks across records may need (at 100,000 records the trees were most of the memory a build held; positions
    are for messages)."""

    path: Path
    standard: Standard | None
    """The typed record when its number parses (with errors or not: the duplicate check counts it)."""
    problems: tuple[Problem, ...]
    valid: bool
    """No error of its own: it goes into the catalogue unless a check across records finds one."""
    positions: Parsed
    """Where the fields the checks across records speak of stand (`_ACROSS`), without values."""


_ACROSS = frozenset({"标准号", "中文标准名称", "代替标准", "被代替标准"})
"""The fields a check across records points at (duplicates, references, replacements, likely duplicates)."""


def _across_positions(parsed: Parsed) -> Parsed:
    def kept(positions: dict[tuple[Any, ...], tuple[int, int]]) -> dict[tuple[Any, ...], tuple[int, int]]:
        return {path: pos for path, pos in positions.items() if not path or path[0] in _ACROSS}

    return Parsed(None, kept(parsed.key_pos), kept(parsed.value_pos))


def validate(raws: list[RawRecord], vocab: Vocabulary) -> tuple[list[Standard], list[Problem]]:
    return check_across([check_record(raw, vocab) for raw in raws])


def check_record(raw: RawRecord, vocab: Vocabulary) -> Checked:
    """The checks of one record on its own; what it says depends only on the file and the vocabularies."""
    checker = _Checker(raw, vocab)
    standard = _check_record(checker)
    # A YAML issue (duplicate key, forbidden character, too long …) is an error the loader reported.
    valid = standard is not None and not raw.parsed.issues and not any(
        p.severity is Severity.ERROR for p in checker.problems)
    return Checked(raw.path, standard, tuple(checker.problems), valid, _across_positions(raw.parsed))


def check_across(records: list[Checked], *, likely: bool = True) -> tuple[list[Standard], list[Problem]]:
    """The valid standards, and every problem: each record's own and those across records (duplicates,
    references, replacements that look wrong, likely duplicates). `likely` False leaves the likely duplicates
    out, for a caller that runs `likely_problems` meanwhile (they only warn)."""
    problems = [p for c in records for p in c.problems]
    numbered = [c.standard for c in records if c.standard is not None]
    standards = [c.standard for c in records if c.valid and c.standard is not None]
    at = _placer(records)
    problems.extend(_check_duplicates(numbered, at))
    problems.extend(_check_references(standards, at))
    problems.extend(_check_replacements(standards, at))
    problems.extend(_check_titles(standards, at))
    if likely:
        problems.extend(likely_duplicates(standards, at))
    return standards, problems


def _check_titles(standards: list[Standard], at: _At) -> list[Problem]:
    """A warning for a Chinese name without a Chinese character (generator.kinds Title.unlike)."""
    field = FIELD_BY_KEY["中文标准名称"]
    kind = kind_of(field)
    assert isinstance(kind, Title)
    return [at(s, (field.key,), why, Severity.WARNING) for s in standards
            if s.title and (why := kind.unlike(field, s.title))]


def likely_problems(records: list[Checked], standards: list[Standard]) -> list[Problem]:
    """The likely-duplicate warnings check_across leaves out with `likely` False (`standards`: what it gave)."""
    return likely_duplicates(standards, _placer(records))


def _placer(records: list[Checked]) -> Callable[..., Problem]:
    """`at(standard, where, message, severity)`: a problem at a field of a record, from the records' positions."""
    positions = {c.path: c.positions for c in records}

    def at(standard: Standard, where: tuple[Any, ...], message: str, severity: Severity = Severity.ERROR) -> Problem:
        line, column = positions[standard.path].pos(where)
        return Problem(standard.path, line, column, message, severity)

    return at


def _check_record(c: _Checker) -> Standard | None:
    data = c.raw.parsed.data
    if not isinstance(data, dict):
        c.fail((), "文件内容应为“字段: 值”的形式（每行一个字段，英文冒号后加空格）")
        return None
    for key in data:
        if key not in FIELD_BY_KEY:
            c.fail_key(key, _unknown_field_message(key))
    values: dict[str, Any] = {}
    for field in FIELDS:
        if data.get(field.key) is not None:
            kind = kind_of(field)
            reported = len(c.problems)
            values[field.attr] = kind.check(c, field, data[field.key])
            if values[field.attr] is None and len(c.problems) > reported:
                c.faulted.add(field.key)
            if values[field.attr] is not None and kind.exported:
                _check_cell(c, field, kind, values[field.attr])
    number = _check_number(c, values.get("number"))
    if not values.get("title") and not values.get("title_en") and not (c.refused("中文标准名称")
                                                                      or c.refused("英文标准名称")):
        c.fail((), "缺少 中文标准名称（没有中文名称时至少填写 英文标准名称）")
    if number is None:
        return None
    _check_source_number(c, number, values)
    _check_dates(c, values)
    _check_region(c, number, values)
    _check_categories(c, values)
    fields = {k: v for k, v in values.items() if v is not None}
    fields["number"] = number.text
    return Standard(path=c.raw.path, parsed_number=number, **fields)


def _check_cell(c: _Checker, field: Field, kind: Kind, typed: Any) -> None:
    """A field fits in one spreadsheet cell: the downloads' XLSX and the sheets maintainers import hold it whole."""
    units = cell_overflow(kind, typed)
    if units:
        what = "各项合起来" if isinstance(typed, tuple | list) else "内容"
        c.fail((field.key,), f"{field.key}: {what}过长，写进表格的一格有 {units} 个字符，Excel 每格最多 "
                             f"{CELL_UNITS} 个（表情等符号每个算 2 个），请删减")


def _unknown_field_message(key: str) -> str:
    close = difflib.get_close_matches(key, FIELD_BY_KEY, n=1, cutoff=0.4)
    hint = f"，是不是“{close[0]}”？" if close else "；可用字段见维护指南"
    return f"{key}: 未知字段{hint}"


def _check_number(c: _Checker, text: str | None):  # -> StdNumber | None
    if not text:
        if not c.refused("标准号"):
            c.fail((), "缺少必填字段 标准号")
        return None
    number, suggestion = parse_number(text)
    if number is None:
        hint = f"，应写作 {suggestion}" if suggestion else "，应形如 GB/T 35796-2017、MZ/T 133-2019 或 DB37/T 4591-2023"
        c.fail(("标准号",), f"标准号: 格式不对 \"{text}\"{width_note(text)}{hint}")
        return None
    folder, expected = c.raw.path.parent.name, f"{slug(number.text)}.yaml"
    if folder != number.level.key:
        c.fail(("标准号",), f"标准号: {number.text} 是{number.level.name}，文件应放在 {number.level.key}/ 文件夹中")
    if c.raw.path.name != expected:
        c.fail(("标准号",), f"标准号: 与文件名不符，按标准号 {number.text} 文件应命名为 {expected}")
    if number.level.key == "local" and number.region_code is None:
        c.fail(("标准号",), f"标准号: 地方标准代号 {number.code} 应为 DB 加 2、4 或 6 位行政区划代码")
    return number


def _check_source_number(c: _Checker, number, values: dict[str, Any]) -> None:
    """原文标准号 is another spelling of this record's own number, not of some other standard."""
    given = values.get("source_number")
    read = read_number(given) if given else None
    if read is not None and read.text != number.text:
        c.fail(("原文标准号",), f"原文标准号: \"{given}\" 是 {read.text}，与标准号 {number.text} 不是同一标准")


def _check_dates(c: _Checker, values: dict[str, Any]) -> None:
    issued, effective, withdrawn = values.get("issued"), values.get("effective"), values.get("withdrawn")
    if issued and effective and effective < issued:
        c.fail(("实施日期",), f"实施日期: {effective} 早于发布日期 {issued}")
    if effective and withdrawn and withdrawn < effective:
        c.fail(("废止日期",), f"废止日期: {withdrawn} 早于实施日期 {effective}")


def _check_region(c: _Checker, number, values: dict[str, Any]) -> None:
    derived = number.region_code
    if number.level.key != "local":
        if values.get("region"):
            c.fail(("地区",), "地区: 只有地方标准填写地区")
        return
    if derived and derived not in c.vocab.regions:
        c.fail(("标准号",), f"标准号: 代号 {number.code} 对应的行政区划 {derived} 不存在")
        return
    given = values.get("region")
    if given and derived and given != derived:
        name = c.vocab.regions[derived].name if derived in c.vocab.regions else derived
        c.fail(("地区",), f"地区: {given} 与标准号的代号 {number.code}（{derived} {name}）不符")
    values["region"] = given or derived


def _check_categories(c: _Checker, values: dict[str, Any]) -> None:
    """A category must sit in one of the record's domains; with no domain given, its categories' are taken."""
    if not values.get("domains") and values.get("categories"):
        found = [c.vocab.category(name) for name in values["categories"]]
        values["domains"] = tuple(dict.fromkeys(cat.domain for cat in found if cat))
    domains = set(values.get("domains") or ())
    for i, name in enumerate(values.get("categories") or ()):
        category = c.vocab.category(name)
        if category and domains and category.domain not in domains:
            c.fail(("类别", i), f"类别: “{name}”属于领域“{category.domain}”，请在 领域 中也填上它")


# --- across records -----------------------------------------------------------------------------------


_At = Callable[..., Problem]


def _check_duplicates(standards: list[Standard], at: _At) -> list[Problem]:
    seen: dict[str, Standard] = {}
    problems = []
    for standard in sorted(standards, key=lambda s: str(s.path)):
        key = number_key(standard.number)
        if key in seen:
            first = seen[key]
            problems.append(at(standard, ("标准号",), f"标准号: {standard.number} 与 {shown_path(first.path)} 重复"))
        else:
            seen[key] = standard
    return problems



def _check_references(standards: list[Standard], at: _At) -> list[Problem]:
    known = {number_key(s.number) for s in standards}
    problems = []
    for standard in standards:
        for label, refs in (("代替标准", standard.replaces), ("被代替标准", standard.replaced_by_stated)):
            for i, ref in enumerate(refs):
                if number_key(ref) == number_key(standard.number):
                    problems.append(at(standard, (label, i), f"{label}: 不能引用本标准自己 {ref}"))
                elif number_key(ref) not in known:
                    message = f"{label}: {ref} 未收录于数据库，页面上不会链接到它"
                    problems.append(at(standard, (label, i), message, Severity.NOTICE))
    return problems


@dataclass(frozen=True)
class _Replacement:
    """One replacement as a record states it: `new` replaces `old`, written at (`label`, `index`) of `record`
    (代替标准 on the new edition, 被代替标准 on the old one)."""

    record: Standard
    label: str
    index: int
    new: str
    old: str


def _check_replacements(standards: list[Standard], at: _At) -> list[Problem]:
    """Warnings for replacements that are likely a typo, at the line that states them; each of them changes
    the status of a standard in silence (the replaced one shows 被代替), but may still be right, so a person
    looks:

    - a cycle (A replaces B and B replaces A, or a longer loop): the cycle alone is told, not the other rules;
    - the replaced standard is newer: 发布日期 when both records have one, else the years of the numbers;
    - a local standard replaces a national or industry one (a national one replacing local ones is normal); or
      the local standard of another province. Within a province regions merge and a province takes up a
      city's standard, so that is left alone. A number outside the database counts as national by its code
      (GB, GBJ, GBZ) but not as industry: any letters read as an industry code (Shenzhen's old SZDB/Z too).
    """
    by_key = {number_key(s.number): s for s in standards}
    stated = []
    for s in standards:
        for i, ref in enumerate(s.replaces):
            stated.append(_Replacement(s, "代替标准", i, new=s.number, old=ref))
        for i, ref in enumerate(s.replaced_by_stated):
            stated.append(_Replacement(s, "被代替标准", i, new=ref, old=s.number))
    stated = [r for r in stated if number_key(r.new) != number_key(r.old)]  # an error of _check_references
    loops = _replacement_loops([(r.new, r.old) for r in stated])
    problems = []
    for r in stated:
        ref = r.old if r.label == "代替标准" else r.new
        loop = loops.get((number_key(r.new), number_key(r.old)))
        if loop:
            message = (f"{r.label}: 代替关系成了循环：{loop}；循环中的标准都会被算作被代替，"
                       f"请核对哪一项是新版，改正写反或写错的标准号")
            problems.append(at(r.record, (r.label, r.index), message, Severity.WARNING))
            continue
        new, old = by_key.get(number_key(r.new)), by_key.get(number_key(r.old))
        for odd in (_replaced_by_earlier(r, new, old), _replaced_across_levels(r, old)):
            if odd:
                problems.append(at(r.record, (r.label, r.index), f"{r.label}: {ref}{odd}", Severity.WARNING))
    return problems


def _replaced_by_earlier(r: _Replacement, new: Standard | None, old: Standard | None) -> str | None:
    """What is odd when the replacing standard came out before the one it replaces, else None."""
    if new is not None and old is not None and new.issued and old.issued:
        if new.issued >= old.issued:
            return None
        new_when, old_when = f"发布日期 {new.issued}", f"发布日期 {old.issued}"
    else:
        new_number, old_number = _number_of(r.new, new), _number_of(r.old, old)
        if new_number is None or old_number is None or new_number.full_year >= old_number.full_year:
            return None
        new_when, old_when = f"标准号年份 {new_number.full_year}", f"标准号年份 {old_number.full_year}"
    if r.label == "代替标准":
        return (f"（{old_when}）比本标准（{new_when}）晚，被代替的标准应早于代替它的标准；"
                f"请核对标准号是否写错，或是否应填在 被代替标准 中")
    return (f"（{new_when}）比本标准（{old_when}）早，代替本标准的标准应晚于本标准；"
            f"请核对标准号是否写错，或是否应填在 代替标准 中")


def _replaced_across_levels(r: _Replacement, old: Standard | None) -> str | None:
    """What is odd when a local standard replaces a national or industry one, or another province's."""
    new_number, old_number = read_number(r.new), _number_of(r.old, old)
    if new_number is None or old_number is None or new_number.level.key != "local":
        return None
    level = old_number.level
    if level.key == "national" or (level.key == "industry" and old is not None):
        if r.label == "代替标准":
            return f" 是{level.name}，地方标准不能代替{level.name}；请核对标准号是否写错"
        return f" 是地方标准，地方标准不能代替{level.name}；请核对标准号是否写错"
    new_region, old_region = new_number.region_code, old_number.region_code
    if level.key == "local" and new_region and old_region and new_region[:2] != old_region[:2]:
        if r.label == "代替标准":
            return (f" 是另一省份（代号 {old_number.code}）的地方标准，地方标准只在本地区适用，"
                    f"不能代替其他省份的地方标准；请核对标准号是否写错")
        return (f" 是另一省份（代号 {new_number.code}）的地方标准，地方标准只在本地区适用，"
                f"不能代替其他省份的地方标准；请核对标准号是否写错")
    return None


def _number_of(text: str, record: Standard | None) -> StdNumber | None:
    return record.parsed_number if record is not None else read_number(text)


_LOOP_SHOWN = 6
"""A cycle among at most this many standards is spelled out in full; a larger one is told by its size."""


def _replacement_loops(relations: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(new key, old key) of each replacement on a cycle → the cycle through it, in words, from that replacement
    round to it again. Edges on a cycle are those within one strongly connected component (Tarjan's algorithm,
    without recursion: a chain may be as long as the database). The shortest cycle through each edge is found
    only in small components, so that one huge loop costs linear time, not quadratic."""
    shown: dict[str, str] = {}
    edges: dict[str, list[str]] = defaultdict(list)
    for new, old in relations:
        a, b = number_key(new), number_key(old)
        shown.setdefault(a, new)
        shown.setdefault(b, old)
        if b not in edges[a]:
            edges[a].append(b)
    for targets in edges.values():
        targets.sort()
    component = _components(sorted(shown), edges)
    size = Counter(component.values())
    loops: dict[tuple[str, str], str] = {}
    for a, targets in edges.items():
        for b in targets:
            if a == b or component[a] != component[b]:
                continue
            if size[component[a]] <= _LOOP_SHOWN:
                loop = [a, *_path(b, a, edges, component)]
                loops[(a, b)] = "，".join(f"{shown[x]} 代替 {shown[y]}" for x, y in itertools.pairwise(loop))
            else:
                loops[(a, b)] = (f"{shown[a]} 代替 {shown[b]}，{shown[b]} 又直接或间接代替了 {shown[a]}"
                                 f"（循环涉及 {size[component[a]]} 项标准）")
    return loops


def _components(nodes: list[str], edges: dict[str, list[str]]) -> dict[str, int]:
    """Node → the number of its strongly connected component (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    component: dict[str, int] = {}
    components = 0
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in nodes:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, next_edge = work.pop()
            if next_edge == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = edges.get(node, [])
            if next_edge < len(targets):
                work.append((node, next_edge + 1))
                target = targets[next_edge]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                components += 1
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = components
                    if member == node:
                        break
    return component


def _path(start: str, goal: str, edges: dict[str, list[str]], component: dict[str, int]) -> list[str]:
    """The shortest path of keys from `start` to `goal` inside their component (breadth first), both included."""
    came_from: dict[str, str | None] = {start: None}
    frontier = [start]
    while frontier and goal not in came_from:
        following = []
        for node in frontier:
            for target in edges.get(node, ()):
                if target not in came_from and component[target] == component[start]:
                    came_from[target] = node
                    following.append(target)
        frontier = following
    path = [goal]
    while (step := came_from[path[-1]]) is not None:
        path.append(step)
    return path[::-1]
