"""The analyzer: how text and queries are cut into terms. Mirrored line for line by
overrides/assets/stdportal/search.js (`analyze`, `queryTerms`); tests run both over the same strings.

Chinese has no spaces, so a run of Han characters becomes its overlapping character bigrams (养老机构 →
养老 老机 机构), which needs no dictionary in the browser; a run of one character stays a unigram. Latin
letters and digits become lower-case words. Standard numbers get extra terms so that every usual spelling
meets: `GB/T 35796-2017`, `GB/T35796`, `gbt 35796`, `35796` all find GB/T 35796-2017.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["HAN", "SYNONYM_FACTOR", "Expanded", "Variant", "analyze", "code_terms", "expand", "find_place", "fold",
           "has_han", "number_terms", "place_table", "query_terms", "simplified", "simplified_table",
           "standard_code_terms", "standard_number_terms", "synonym_table", "unigrams"]

SYNONYM_FACTOR = 0.8
"""A variant with words replaced by their synonyms scores this share of what the same match would score as
typed: a title saying what the reader typed ranks above one saying its synonym."""
MAX_VARIANTS = 8
"""The query as typed and at most 7 rewritten ones."""
_PLACE_SUFFIXES = ("特别行政区", "维吾尔自治区", "自治区", "自治州", "自治县", "自治旗", "地区", "新区", "林区",
                   "省", "市", "县", "区", "盟", "旗")
_NATIONALITIES = ("汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家",
                  "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇",
                  "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米",
                  "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙",
                  "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "各")
"""The 56 nationalities (GB/T 3304), as an autonomous area's name holds them (延边朝鲜族自治州), and 各 (各族)."""
_NATIONAL = re.compile("(?:" + "|".join(sorted(_NATIONALITIES, key=len, reverse=True)) + ")族?(?:自治|$)")
"""A name that is a nationality's and no place's: 藏族自治州 and 蒙古族 are left when a province's name is cut off."""

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""The Han character ranges, for a regular expression's character class (the same in search.js)."""
_TOKEN = re.compile(f"[{HAN}]+|[a-z0-9]+")  # ASCII digits only, as in JavaScript
_IS_HAN = re.compile(f"[{HAN}]")
# In a query with spaces and slashes removed: letters, maybe a region number and a kind letter, a serial,
# maybe a year — db37t4591-2023, gbt35796, mzt133-2019.
_NUMBER = re.compile(r"[a-z]+[0-9]*[a-z]?[0-9]+(?:\.[0-9]+)*(?:-[0-9]{2,4})?")
# A standard code typed on its own, not followed by a serial: GB, MZ/T, DB32, db3211/t, GB/T 养老. Letters are at
# most four (GB, MZ, WS, JGJ); a local code is DB and a division code's first 2, 4 or 6 digits.
_CODE = re.compile(r"(?<![a-z0-9])(db[0-9]{2,6}|[a-z]{1,4})(?:/([tzj]))?(?![ \t\n\r\f\v]*[a-z0-9/])")
_AROUND_SLASH = re.compile(r"[ \t\n\r\f\v]*/[ \t\n\r\f\v]*")
_REGION_CODE = re.compile(r"db[0-9]{2}(?:[0-9]{2})?")
"""DB32, DB3211: the code of a province's or a city's local standards, which names many standards, not one."""
_DASHES = str.maketrans({"—": "-", "–": "-", "―": "-", "－": "-"})
_HAN_GAP = re.compile(f"(?<=[{HAN}])[ \\t\\n\\r\\f\\v]+(?=[{HAN}])")
"""A gap between two Chinese characters (synonyms are looked for without it: _joined)."""
_WORD_GAP = re.compile(r"[ \t\n\r\f\v]+")
"""What separates the words of a query: explicit, as \\s and str.split() differ between Python and JavaScript
(U+001C, U+0085, U+FEFF); an ideographic space is a space once folded."""


def fold(text: str) -> str:
    """Full-width to half-width, lower case, one kind of dash."""
    return unicodedata.normalize("NFKC", text).lower().translate(_DASHES)


def simplified_table(chars: Iterable[str]) -> dict[str, str]:
    """Traditional character → its simplified one, for the simplified characters among `chars` (what the index
    holds), so that a query in traditional characters (養老機構) finds 养老机构. A character the index holds itself
    is not changed (乾 of 乾隆 is no 干 there). From OpenCC's table of characters (t2s)."""
    have = set(chars)
    return {t: s for t, s in _traditional().items() if s in have and t not in have}


@functools.lru_cache(maxsize=1)
def _traditional() -> dict[str, str]:
    import opencc

    convert = opencc.OpenCC("t2s").convert
    found = {}
    for first, last in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)):  # HAN
        for point in range(first, last + 1):
            simple = convert(chr(point))
            if simple != chr(point) and len(simple) == 1 and ord(simple) < 0x10000:  # one UTF-16 unit, as in JS
                found[chr(point)] = simple
    return found


def simplified(text: str, table: Mapping[str, str]) -> str:
    """text with each character of the table in its simplified form (search.js simplified)."""
    return "".join(table.get(ch, ch) for ch in text) if table else text


def has_han(text: str) -> bool:
    """Whether text holds a Han character anywhere."""
    return _IS_HAN.search(text) is not None


def analyze(text: str) -> list[str]:
    """Terms of ordinary text, in order, repeats kept (the index counts them)."""
    out: list[str] = []
    for token in _TOKEN.findall(fold(text)):
        if _IS_HAN.match(token) and len(token) > 1:
            out.extend(token[i : i + 2] for i in range(len(token) - 1))
        else:
            out.append(token)
    return out


def unigrams(text: str) -> list[str]:
    """Every Han character on its own: titles are indexed with these too, so a one-character query finds them."""
    return [ch for token in _TOKEN.findall(fold(text)) if _IS_HAN.match(token) for ch in token]


def number_terms(text: str) -> list[str]:
    """Standard-number terms found in a query: each compact number with and without its year."""
    compact = re.sub(r"[ \t\n\r\f\v/]+", "", fold(text))  # explicit: \s differs between Python and JS
    out: list[str] = []
    for match in _NUMBER.findall(compact):
        out.append(match)
        if "-" in match:
            out.append(match.split("-", 1)[0])
    return out


def code_terms(text: str) -> list[str]:
    """The terms of the standard codes typed in text (MZ/T → mz t mzt, DB32 → db32): they find every standard of
    that code (and kind)."""
    text = _AROUND_SLASH.sub("/", fold(text))
    out: list[str] = []
    for m in _CODE.finditer(text):
        # Letters alone (GB, MZ) are a code beside Chinese words or on their own, not in English: old age care.
        if m[2] or m[1].startswith("db") or has_han(text) or text.strip() == m[0]:
            out.extend(analyze(m[0]) + ([m[1] + m[2]] if m[2] else []))
    return list(dict.fromkeys(out))


def query_terms(query: str) -> list[str]:
    """The distinct terms of a query: its words and bigrams, then any standard-number and code terms. The year of
    a number in the query is not a term of its own: GB/T 99999-2019 must not find every standard that mentions
    2019."""
    numbers = number_terms(query)
    years = {n.split("-", 1)[1] for n in numbers if "-" in n}
    return list(dict.fromkeys(t for t in [*analyze(query), *numbers, *code_terms(query)] if t not in years))


def standard_number_terms(code: str, kind: str, serial: str, year: str) -> list[str]:
    """The terms that index a standard's own number (code DB37, kind T, serial 4591.1, year 2023)."""
    head = f"{code}{kind}{serial}".lower()
    base = serial.split(".", 1)[0]
    return list(dict.fromkeys([f"{head}-{year}", head, serial, base]))


def standard_code_terms(code: str, kind: str) -> list[str]:
    """The terms that index a standard's code, alone and with its kind (GB, GB/T): a query of the code finds every
    standard that has it. A city's or county's local code is also found by its province's (DB3211 by DB32)."""
    code, kind = re.sub("[^0-9a-z]", "", code.lower()), kind.lower()
    heads = [code[:4], code[:6], code] if _REGION_CODE.match(code) else [code]
    return list(dict.fromkeys(t for head in heads for t in (head, head + kind) if t))


# --- synonyms, regions and codes typed in a query --------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    terms: list[str]
    factor: float
    """1 for the query as typed, SYNONYM_FACTOR for a rewritten one"""
    numbers: list[str]
    """the standard-number terms among `terms` and its runs of 3 or more digits (GB/T 35796 2017): a document
    matching one is shown however few words it shares. A province's or city's code (DB32) is not one: it names
    many standards, and DB32 养老 asks for those of them on 养老."""
    qualifiers: list[str] = field(default_factory=list)
    """the terms among `terms` of the region the query names and of the standard codes it types, when it says
    more than those: they add to a document's score (the region's own standards, the standards of that code rank
    first) but a document must match the other words to be shown (镇江 殡葬 does not list a Zhenjiang standard on
    housing that bears 镇江 in its issuing body; GB/T 养老 does not list every GB/T)"""


@dataclass(frozen=True)
class Expanded:
    variants: list[Variant]
    place: str | None
    """the code of a region named in the query, else None"""
    widened: list[str] = field(default_factory=list)
    """the official words the query was also searched with (养老院 → 养老机构), once each: what the reader is told"""
    place_name: str = ""
    """the name by which the query names that region (镇江), else """""

    @property
    def terms(self) -> list[str]:
        """Every term of every variant, once each, in order: what the index is asked for."""
        return list(dict.fromkeys(t for v in self.variants for t in v.terms))


def synonym_table(entries: Iterable[tuple[Sequence[str], Sequence[str], bool]]) -> dict[str, list[str]]:
    """word → the words it is also searched as, folded, from (words, targets, two_way) entries (vocab.Synonym)."""
    table: dict[str, list[str]] = {}
    for words, targets, two_way in entries:
        pairs = [(w, targets) for w in words] + ([(t, words) for t in targets] if two_way else [])
        for word, others in pairs:
            key = fold(word)
            found = table.setdefault(key, [])
            found.extend(f for f in map(fold, others) if f != key and f not in found)
    return {key: value for key, value in sorted(table.items()) if value}


def place_table(regions: Iterable[tuple[str, str]], titles: Iterable[str] = ()) -> dict[str, str]:
    """Region name → code, from (code, name) pairs: each full name (镇江市) and the short forms people say (镇江;
    延边 for 延边朝鲜族自治州, 浦东 for 浦东新区, 雄安新区 and 雄安 for 河北雄安新区, a name that begins with its
    province's), kept only when one region has it, or one province among others (海南: the province, not 海南藏族
    自治州; 吉林: the province, which holds 吉林市), or one that holds the others (恩施: the prefecture, which holds
    恩施市), or else one prefecture among counties (西安: 西安市, not the districts named 西安区; 中山: 中山市).
    A short form the standards' `titles` use as a word of their own (互助 in 农村互助养老, 通道 in 无障碍通道) is
    no place: the full name still is (互助土族自治县)."""
    pairs = [(code, fold(name).strip()) for code, name in regions]
    provinces = {_core(full) for code, full in pairs if code.endswith("0000")} - {""}
    names: dict[str, set[str]] = {}
    for code, full in pairs:
        forms = {full, _core(full)}
        for province in provinces:
            rest = full.removeprefix(province)
            # 河北雄安新区 → 雄安新区, 雄安; never a nationality (海南藏族自治州 is not 藏族自治州, 藏族)
            if rest != full and not code.endswith("0000") and len(_core(rest)) >= 2 and not _NATIONAL.match(rest):
                forms |= {rest, _core(rest)}
        for each in forms - {""}:
            names.setdefault(each, set()).add(code)
    table = {}
    for name, codes in sorted(names.items()):
        chosen = codes if len(codes) == 1 else ({c for c in codes if c.endswith("0000")}
                                                 or {c for c in codes if all(_holds(c, o) for o in codes)}
                                                 or {c for c in codes if c.endswith("00")})
        if len(chosen) == 1 and len(name) >= 2:
            table[name] = chosen.pop()
    full_names = dict(pairs)
    shorts = {name for name, code in table.items() if name != full_names[code]}
    used = _used_as_words(shorts, set(full_names.values()), [fold(title) for title in titles])
    return {name: code for name, code in table.items() if name not in used}


def _used_as_words(shorts: set[str], fulls: set[str], titles: Sequence[str]) -> set[str]:
    """The short forms of region names that some title has other than inside a region's full name (吉林 in
    吉林市…, 海南 in 海南藏族自治州… name places): one pass over the titles finds where the first two characters of
    each short form and of each full name are."""
    starts: dict[str, list[tuple[int, int]]] = {name[:2]: [] for name in (*shorts, *fulls)}
    for t, title in enumerate(titles):
        for i in range(len(title) - 1):
            found = starts.get(title[i:i + 2])
            if found is not None:
                found.append((t, i))
    placed: dict[int, list[tuple[int, int]]] = {}  # title → the spans of the full names in it
    for full in fulls:
        for t, at in starts[full[:2]]:
            if titles[t].startswith(full, at):
                placed.setdefault(t, []).append((at, at + len(full)))
    used = set()
    for short in shorts:
        for t, at in starts[short[:2]]:
            if titles[t].startswith(short, at) and not any(
                    start <= at and at + len(short) <= end for start, end in placed.get(t, ())):
                used.add(short)
                break
    return used


def _core(name: str) -> str:
    """A region's name without its kind (市, 新区, 自治州 …) and the nationalities of an autonomous area, when at
    least two characters are left; "" when nothing shorter is left."""
    core = name
    suffix = max((s for s in _PLACE_SUFFIXES if core.endswith(s) and len(core) - len(s) >= 2), key=len, default="")
    core = core[: len(core) - len(suffix)]
    if suffix.startswith("自治"):  # 延边朝鲜族, 湘西土家族苗族, 伊犁哈萨克 (some names leave out 族)
        while nationality := max((n + tail for n in _NATIONALITIES for tail in ("族", "")
                                  if core.endswith(n + tail) and len(n + tail) >= 2 and len(core) - len(n + tail) >= 2),
                                 key=len, default=""):
            core = core[: -len(nationality)]
    return core if len(core) >= 2 and core != name else ""


def _holds(code: str, other: str) -> bool:
    """Whether the region `code` is `other` or holds it (a province its prefectures, a prefecture its counties)."""
    prefix = code.removesuffix("0000") if code.endswith("0000") else code.removesuffix("00")
    return other.startswith(prefix)


def find_place(query: str, places: Mapping[str, str]) -> tuple[str | None, str]:
    """The code of the longest region name that begins a word of the query (the first in sorted order among
    equally long ones) and that name; (None, "") when it names none. A name inside a word is not one: 友好 (a
    district's short name) in 儿童友好, 和平 in 世界和平."""
    words = [word for word in _WORD_GAP.split(fold(query)) if word]
    for size in range(max(map(len, words), default=0), 0, -1):  # each word's beginnings, the longest first
        found = sorted(word[:size] for word in words if len(word) >= size and word[:size] in places)
        if found:
            return places[found[0]], found[0]
    return None, ""


def _variant(text: str, factor: float, named: Sequence[str]) -> Variant:
    terms = query_terms(text)
    numbers = set(number_terms(text))
    qualifiers = [t for t in terms if t in named] if any(t not in named for t in terms) else []
    return Variant(terms, factor, [t for t in terms if (t in numbers and not _REGION_CODE.fullmatch(t))
                                   or (len(t) >= 3 and t.isdigit())], qualifiers)


def expand(query: str, synonyms: Mapping[str, Sequence[str]] | None = None,
           places: Mapping[str, str] | None = None) -> Expanded:
    """The variants a query is searched as, and the region it names (whose terms, with those of the codes it
    types, are each variant's `qualifiers`)."""
    place, name = find_place(query, places or {})
    text = fold(query)
    named = [*(query_terms(name) if name else []), *code_terms(text)]
    variants = [_variant(text, 1.0, named)]
    # Synonyms are looked for with the gaps between Chinese words left out (看病 报销 is 看病报销); what a synonym
    # replaces is the words it spans, gaps and all, and the rest of the query keeps its gaps.
    joined, where = _joined(text)
    matches = _synonym_matches(joined, synonyms or {})
    spans = [(where[at], where[at + len(key) - 1] + 1, targets) for at, key, targets in matches]
    seen = {tuple(variants[0].terms)}
    for m, (_, _, targets) in enumerate(spans):
        for choice in targets:
            out, last = "", 0
            for k, (start, end, options) in enumerate(spans):
                out += text[last:start] + (choice if k == m else options[0])
                last = end
            out += text[last:]
            variant = _variant(out, SYNONYM_FACTOR, named)
            if variant.terms and tuple(variant.terms) not in seen and len(variants) < MAX_VARIANTS:
                seen.add(tuple(variant.terms))
                variants.append(variant)
    widened = list(dict.fromkeys(word for _, _, targets in matches for word in targets)) if len(variants) > 1 else []
    return Expanded(variants if variants[0].terms else [], place, widened, name)


def words_apart(query: str, place_name: str = "") -> list[str]:
    """The words of a query to search one at a time too (学校 校车: no title has both, so each alone, and the one
    with the fewest results, the most telling, is shown; local_index.search_database says when): the words between
    its gaps that hold a Chinese character, once each, but the region's name the query named (it stays the
    filter); none when fewer than two are left. A query of one word (养老火星探测器) is never split, nor a code or a
    number from the words beside it (GB/T 99999-2019 is not every GB/T; 35796 火星 is not 火星)."""
    words = list(dict.fromkeys(word for word in _WORD_GAP.split(fold(query))
                               if has_han(word) and word != place_name))
    return words if len(words) >= 2 else []


def _joined(text: str) -> tuple[str, list[int]]:
    """text without the gaps between two Chinese characters, and where each of its characters is in text."""
    dropped = {i for gap in _HAN_GAP.finditer(text) for i in range(gap.start(), gap.end())}
    where = [i for i in range(len(text)) if i not in dropped]
    return "".join(text[i] for i in where), where


def _synonym_matches(text: str, synonyms: Mapping[str, Sequence[str]]) -> list[tuple[int, str, Sequence[str]]]:
    """The synonym words in text, left to right, the longest at each place, not overlapping; a word that is part
    of one of its own targets there (小学 in 中小学) is not one."""
    keys = sorted(synonyms, key=lambda k: (-len(k), k))
    out = []
    at = 0
    while at < len(text):
        key = next((k for k in keys if text.startswith(k, at) and not _inside_target(text, at, k, synonyms[k])),
                   None)
        if key is None:
            at += 1
            continue
        out.append((at, key, synonyms[key]))
        at += len(key)
    return out


def _inside_target(text: str, at: int, key: str, targets: Sequence[str]) -> bool:
    for target in targets:
        offset = target.find(key)
        while offset >= 0:
            start = at - offset
            if start >= 0 and text[start : start + len(target)] == target:
                return True
            offset = target.find(key, offset + 1)
    return False
