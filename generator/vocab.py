"""Controlled vocabularies that live beside the records in standards/vocabularies/.

- domains.yaml: the 9 domains + 基础通用, the 22 categories of the national basic public service standard
  and the service items known so far;
- gbt43507.yaml: the three sub-systems of GB/T 43507-2023 and their parts;
- regions-mca2024.txt: MCA county-and-above divisions, one `code name` a line;
- regions-extra.txt (optional): areas that issue local standards under a code of their own but are not in the
  MCA list (河北雄安新区, DB1331), in the same form, `#` lines being the source notes.
- synonyms.yaml (optional): the words people type (俗称) and the official words of titles (规范用语) a search
  also looks for; each entry names its source (依据 note or 链接 address).
- position-rules.yaml (optional): how a 体系位置 is inferred where a record states none (generator.positions).

Region standard system files live in their own folder beside the records (SYSTEMS_DIR, generator.system).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .dbfiles import unreadable
from .memo import repr_once
from .positions import RULES_FILE, PositionRules, read_position_rules
from .problems import Problem
from .records import Source
from .yamlpos import parse_yaml

__all__ = ["SYNONYMS_FILE", "SYSTEMS_DIR", "VOCAB_DIR", "Category", "Domain", "Item", "Region", "Slot", "Synonym",
           "Vocabulary", "load_vocabulary"]

VOCAB_DIR = "vocabularies"
SYSTEMS_DIR = "systems"
"""Regions' own standard system files, standards/systems/<code>.yaml (generator.system reads them)."""
REGIONS_FILE = "regions-mca2024.txt"
EXTRA_REGIONS_FILE = "regions-extra.txt"
SYNONYMS_FILE = "synonyms.yaml"


@dataclass(frozen=True)
class Item:
    name: str
    category: str
    target: str | None = None


@dataclass(frozen=True)
class Category:
    number: int
    name: str
    domain: str
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Domain:
    name: str
    slug: str
    categories: tuple[Category, ...] = ()


@repr_once
@dataclass(frozen=True)
class Region:
    code: str
    name: str
    rank: str
    """province | prefecture | county"""
    parent: str | None


@dataclass(frozen=True)
class Slot:
    name: str
    clause: str
    subsystem: str


@dataclass(frozen=True)
class Synonym:
    """One entry of synonyms.yaml: a query holding one of `words` is also searched with each of `targets`
    in its place (and the other way round when `two_way`)."""

    words: tuple[str, ...]
    targets: tuple[str, ...]
    two_way: bool = False
    note: str | None = None
    link: str | None = None


@dataclass
class Vocabulary:
    domains: tuple[Domain, ...] = ()
    regions: dict[str, Region] = field(default_factory=dict)
    slots: dict[str, Slot] = field(default_factory=dict)
    subsystems: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    synonyms: tuple[Synonym, ...] = ()
    positions: PositionRules = field(default_factory=PositionRules)

    def domain(self, name: str) -> Domain | None:
        return next((d for d in self.domains if d.name == name), None)

    def category(self, name: str) -> Category | None:
        return next((c for d in self.domains for c in d.categories if c.name == name), None)

    def item(self, name: str) -> Item | None:
        return next((i for d in self.domains for c in d.categories for i in c.items if i.name == name), None)

    def region_chain(self, code: str) -> list[Region]:
        """The region and its ancestors, province first."""
        chain: list[Region] = []
        region = self.regions.get(code)
        while region is not None:
            chain.insert(0, region)
            region = self.regions.get(region.parent) if region.parent else None
        return chain


def load_vocabulary(db_dir: Path) -> tuple[Vocabulary, list[Problem]]:
    folder = db_dir / VOCAB_DIR
    problems: list[Problem] = []
    vocab = Vocabulary()
    if folder.is_symlink():  # links are not followed: see generator.dbfiles
        return vocab, [Problem(folder, 0, 0, unreadable(folder, db_dir) or "")]
    domains_doc = _read_yaml(folder / "domains.yaml", problems)
    if domains_doc is not None:
        vocab.domains = tuple(_interpret(folder / "domains.yaml", _domains, domains_doc, problems, []))
        problems.extend(_slug_problems(folder / "domains.yaml", vocab.domains))  # errors: nothing is built
        vocab.sources = tuple(_interpret(folder / "domains.yaml", _sources, domains_doc.get("来源"), problems, []))
    structure = _read_yaml(folder / "gbt43507.yaml", problems)
    if structure is not None:
        vocab.subsystems = tuple(
            _interpret(folder / "gbt43507.yaml", _subsystems, structure, problems, []))
        vocab.slots = _interpret(folder / "gbt43507.yaml", _slots, structure, problems, {})
    vocab.regions = _regions(folder / REGIONS_FILE, problems, folder / EXTRA_REGIONS_FILE)
    vocab.synonyms = _synonyms(folder / SYNONYMS_FILE, problems)
    vocab.positions = _position_rules(folder / RULES_FILE, vocab, problems)
    return vocab, problems


def _position_rules(path: Path, vocab: Vocabulary, problems: list[Problem]) -> PositionRules:
    """The inference rules; without the file nothing is inferred (every unstated position stays unknown)."""
    if (not path.exists() and not path.is_symlink()) or not vocab.slots or not vocab.domains:
        return PositionRules()  # without the structure or the domains (reported already) no rule can be checked
    text = _read_text(path, problems)
    if text is None:
        return PositionRules()
    parsed = parse_yaml(text)
    problems.extend(Problem(path, i.line, i.column, i.message) for i in parsed.issues)
    if parsed.issues:
        return PositionRules()
    categories = [c.name for d in vocab.domains for c in d.categories]
    rules, found = read_position_rules(path, parsed, vocab.slots, [d.name for d in vocab.domains], categories)
    problems.extend(found)
    return rules


def _interpret(path: Path, read: Any, doc: Any, problems: list[Problem], empty: Any) -> Any:
    """Run one reader over a vocabulary document; a wrong shape becomes a problem, never a traceback."""
    try:
        return read(doc)
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        problems.append(Problem(path, 1, 1, f"词表格式不对（{type(exc).__name__}: {exc}）："
                                            "请对照原有条目的写法检查名称、序号、代码等字段"))
        return empty


def _subsystems(doc: dict[str, Any]) -> list[str]:
    return [str(s["名称"]) for s in doc.get("子体系") or []]


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    refused = unreadable(path, path.parent.parent)
    if refused:
        problems.append(Problem(path, 0, 0, refused))
        return None
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem(path, 1, 1, "文件不是 UTF-8 编码，请用 UTF-8 重新保存"))
        return None


def _read_yaml(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    if not path.is_file() and not path.is_symlink():
        problems.append(Problem(path, 0, 0, "缺少词表文件"))
        return None
    text = _read_text(path, problems)
    if text is None:
        return None
    parsed = parse_yaml(text)
    problems.extend(Problem(path, i.line, i.column, i.message) for i in parsed.issues)
    if parsed.issues:
        return None
    if not isinstance(parsed.data, dict):
        problems.append(Problem(path, 1, 1, "词表文件内容应为“字段: 值”的形式"))
        return None
    return parsed.data


def _domains(doc: dict[str, Any]) -> list[Domain]:
    domains = []
    for entry in doc.get("领域") or []:
        name = str(entry["名称"])
        categories = tuple(
            Category(
                number=int(c["序号"]),
                name=str(c["名称"]),
                domain=name,
                items=tuple(Item(str(i["名称"]), str(c["名称"]), i.get("服务对象")) for i in c.get("服务项目") or []),
            )
            for c in entry.get("大类") or []
        )
        domains.append(Domain(name, str(entry["代码"]), categories))
    return domains


_SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_TAKEN_SLUGS = {"index"}
"""Names of the site's own pages in domains/ (domains/index.md)."""


def _slug_problems(path: Path, domains: tuple[Domain, ...]) -> list[Problem]:
    """A domain's 代码 names its pages and feed (domains/<代码>/, feeds/domains/<代码>.xml): lower-case letters,
    digits and single hyphens, unique, not a name of the site's own; anything else could name a page elsewhere."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    problems, seen = [], set()
    for domain in domains:
        slug = domain.slug
        why = ("应为小写英文字母、数字和连字符（-），以字母开头，如 elderly、culture-sports"
               if not _SLUG.fullmatch(slug) else f"“{slug}”是网站自己的页面名称，请换一个" if slug in _TAKEN_SLUGS
               else "与其他领域的代码相同，每个领域的代码应不同" if slug in seen else None)
        seen.add(slug)
        if why:
            line = next((i for i, text in enumerate(lines, start=1) if "代码" in text and slug in text), 1)
            problems.append(Problem(path, line, 1, f"领域“{domain.name}”的代码 \"{slug}\" 不能用：{why}"))
    return problems


def _slots(doc: dict[str, Any]) -> dict[str, Slot]:
    slots = {}
    for subsystem in doc.get("子体系") or []:
        for part in subsystem.get("组成") or []:
            slots[str(part["名称"])] = Slot(str(part["名称"]), str(part["章条"]), str(subsystem["名称"]))
    return slots


def _sources(raw: Any) -> list[Source]:
    return [Source(s.get("链接"), s.get("说明")) for s in raw or [] if isinstance(s, dict)]


def _regions(path: Path, problems: list[Problem], extra: Path | None = None) -> dict[str, Region]:
    if not path.is_file() and not path.is_symlink():
        problems.append(Problem(path, 0, 0, "缺少行政区划文件"))
        return {}
    names = _region_names(path, problems, comments=False)
    if extra is not None and (extra.is_file() or extra.is_symlink()):
        for code, name in _region_names(extra, problems, comments=True).items():
            names.setdefault(code, name)  # the MCA list wins: an extension never renames a division
    return {code: Region(code, name, _rank(code), _parent(code, names)) for code, name in names.items()}


def _region_names(path: Path, problems: list[Problem], *, comments: bool) -> dict[str, str]:
    names: dict[str, str] = {}
    text = _read_text(path, problems)
    for number, line in enumerate((text or "").splitlines(), start=1):
        if comments and (not line.strip() or line.lstrip().startswith("#")):
            continue
        code, _, name = line.strip().partition(" ")
        if len(code) != 6 or not code.isdigit() or not name:
            problems.append(Problem(path, number, 1, "每行应为“6 位代码 名称”"))
            continue
        names[code] = name.strip()
    return names


def _rank(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    return "prefecture" if code.endswith("00") else "county"


def _parent(code: str, names: dict[str, str]) -> str | None:
    """A county's prefecture, or its province where there is none (municipal districts, province-direct units)."""
    if code.endswith("0000"):
        return None
    province = code[:2] + "0000"
    prefecture = code[:4] + "00"
    if not code.endswith("00") and prefecture in names:
        return prefecture
    return province if province in names else None


# --- synonyms.yaml ----------------------------------------------------------------------------------------

_SYNONYM_FIELDS = {"俗称", "规范用语", "双向", "依据", "链接"}
_YES = {"是": True, "否": False, "true": True, "false": False, "yes": True, "no": False}


def _synonyms(path: Path, problems: list[Problem]) -> tuple[Synonym, ...]:
    """The entries of synonyms.yaml; each malformed entry is a problem at its line and is left out.
    The file is optional: a database without it searches with the words as typed."""
    if not path.is_file() and not path.is_symlink():
        return ()
    text = _read_text(path, problems)
    if text is None:
        return ()
    parsed = parse_yaml(text)
    problems.extend(Problem(path, i.line, i.column, i.message) for i in parsed.issues)
    if parsed.issues:
        return ()
    doc = parsed.data
    if not isinstance(doc, dict) or not isinstance(doc.get("同义词"), list):
        problems.append(Problem(path, 1, 1, "同义词表应有“同义词:”一项，其下每条以“- 俗称:”开头"))
        return ()
    out: list[Synonym] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(doc["同义词"]):
        def problem(message: str, key: str | None = None, _i: int = i) -> None:
            line, col = parsed.pos(("同义词", _i, key) if key else ("同义词", _i))
            problems.append(Problem(path, line, col, message))

        if not isinstance(entry, dict):
            problem("每条同义词应写成“俗称: [...]”“规范用语: [...]”“依据: ...”几项")
            continue
        bad = False
        for key in sorted(set(entry) - _SYNONYM_FIELDS):
            problem(f"{key}: 不认识的字段，同义词条目只能有 俗称、规范用语、双向、依据、链接", key)
            bad = True
        lists: dict[str, tuple[str, ...]] = {}
        for key in ("俗称", "规范用语"):
            words = _word_list(entry.get(key))
            if words is None:
                problem(f"{key}: 应为一个或几个词，如 [养老院, 敬老院]", key)
                bad = True
            else:
                wrong = [w for w in words if not _searchable(w)]
                if wrong:
                    problem(f"{key}: “{wrong[0]}”中没有汉字、字母或数字，搜索用不上", key)
                    bad = True
                lists[key] = words
        note, link = entry.get("依据"), entry.get("链接")
        if not (isinstance(note, str) and note.strip()) and not (isinstance(link, str) and link.strip()):
            problem("缺少来源：请写“依据”（编者说明，如规范用语出现在哪些标准名称中）或“链接”（来源网址）")
            bad = True
        if link is not None and not (isinstance(link, str) and link.strip().startswith(("http://", "https://"))):
            problem("链接: 应为以 http:// 或 https:// 开头的网址", "链接")
            bad = True
        two_way = entry.get("双向", "否")
        if str(two_way).strip().lower() not in _YES:
            problem("双向: 只能写“是”或“否”", "双向")
            bad = True
        if bad:
            continue
        words, targets = lists["俗称"], lists["规范用语"]
        both = set(words) & set(targets)
        if both:
            problem(f"“{sorted(both)[0]}”既是俗称又是规范用语", "俗称")
            continue
        repeated = [w for w in words if w in seen]
        if repeated:
            problem(f"俗称: “{repeated[0]}”在第 {seen[repeated[0]]} 行已经写过，同一个词只能有一条", "俗称")
            continue
        for word in words:
            seen[word] = parsed.pos(("同义词", i, "俗称"))[0]
        out.append(Synonym(words, targets, _YES[str(two_way).strip().lower()],
                           note.strip() if isinstance(note, str) else None,
                           link.strip() if isinstance(link, str) else None))
    return tuple(out)


def _word_list(value: Any) -> tuple[str, ...] | None:
    """A word or a list of words, each stripped; None when that is not what it is."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(w, str) and w.strip() for w in value):
        return None
    return tuple(dict.fromkeys(w.strip() for w in value))


def _searchable(word: str) -> bool:
    return any(ch.isalnum() for ch in word)
