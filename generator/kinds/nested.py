"""Kinds of small structures: sources (a list of 链接 and/or 说明) and feedback (one 邮箱 or 链接)."""

from __future__ import annotations

import re
from typing import Any

from ..fields import Field
from ..records import Feedback, Source
from .base import LINE_BREAK, MAIL, URL, CellError, Context, Kind, cell_str, kind_name, nullable, quote, string

__all__ = ["Feedbacks", "Sources", "source_key"]

_SOURCE_KEYS = ("链接", "说明")
_SPLIT = re.compile(r"[；;\r\n]+")


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(URL, value.strip()) is not None


class Sources(Kind):
    cell_lines = True

    def check(self, c: Context, field: Field, value: Any) -> tuple[Source, ...] | None:
        if not isinstance(value, list):
            c.fail((field.key,), f"{field.key}: 应为列表，每项写 链接 和/或 说明")
            return None
        out = []
        for i, entry in enumerate(value):
            if isinstance(entry, str):
                entry = {"链接": entry} if _is_url(entry) else {"说明": entry}
            if not isinstance(entry, dict):
                c.fail((field.key, i), f"{field.key}: 第 {i + 1} 项应写 链接 和/或 说明")
                continue
            for key in entry:
                if key not in _SOURCE_KEYS:
                    c.fail((field.key, i, key), f"{field.key}: 第 {i + 1} 项有未知字段 \"{key}\"，只能写 链接 和 说明")
            url, note = entry.get("链接"), entry.get("说明")
            if url is not None and not _is_url(url):
                c.fail((field.key, i, "链接"), f"{field.key}: 第 {i + 1} 项的链接应以 http:// 或 https:// 开头")
            elif note is not None and not isinstance(note, str):
                c.fail((field.key, i, "说明"), f"{field.key}: 第 {i + 1} 项的说明应为一段文字，不是{kind_name(note)}")
            elif note and LINE_BREAK.search(note.strip()):
                c.fail((field.key, i, "说明"), f"{field.key}: 第 {i + 1} 项的说明不能换行，请写成一行；"
                       "几个来源请分成几项")
            elif url or note:
                out.append(Source(url.strip() if url else None, note.strip() if note else None))
        return tuple(out)

    def schema(self, field: Field) -> dict[str, Any]:
        entry = {
            "type": "object",
            "properties": {"链接": nullable(string(URL)), "说明": nullable({"type": "string"})},
            "additionalProperties": False,
        }
        return nullable({"type": "array", "items": {"anyOf": [entry, {"type": "string"}]}})

    def cell(self, field: Field, cell: Any) -> list[dict[str, str]] | None:
        return [_source(p.strip()) for p in _SPLIT.split(cell_str(cell)) if p.strip()] or None

    def item_lines(self, item: Any, indent: str) -> list[str]:
        """One entry as block-list lines: `- 链接: …` then `  说明: …`."""
        if not isinstance(item, dict):
            return super().item_lines(item, indent)
        lines: list[str] = []
        for k in _SOURCE_KEYS:
            if item.get(k):
                lines.append(f"{indent}{'  ' if lines else '- '}{k}: {quote(str(item[k]))}")
        return lines

    def plain(self, field: Field, value: Any) -> Any:
        return tuple(source_key(e) for e in (value if isinstance(value, list) else [value]))

    def export(self, value: Any) -> Any:
        return [{k: v for k, v in zip(_SOURCE_KEYS, (s.url, s.note), strict=True) if v} for s in value]

    def csv(self, exported: Any) -> str:
        return "；".join(" ".join(str(e[k]) for k in ("说明", "链接") if e.get(k)) for e in exported or ())


def _source(text: str) -> dict[str, str]:
    """`全国标准信息公共服务平台 https://…` → {链接, 说明}; a bare address or a bare note alone. In running text
    the address ends where full-width punctuation begins (`网站https://…/1.html，2023年第5号公告`), and a
    sentence's closing mark or bracket after it is not part of it."""
    match = re.search(_CELL_URL, text)
    if not match:
        return {"说明": text}
    url = match.group(0)
    while url[-1] in ".,;:!?'" or (url[-1] == ")" and url.count("(") < url.count(")")):
        url = url[:-1]
    if re.fullmatch(r"https?://", url):  # a scheme and nothing more is no address
        return {"说明": text}
    end = match.start() + len(url)
    note = (text[: match.start()] + text[end:]).strip(" ：:，,（）()。；;.“”‘’")
    return {"链接": url, "说明": note} if note else {"链接": url}


_CELL_URL = URL.replace('"<>', '"<>\u2010-\u206f\u3000-\u303f\uff00-\uffef')
"""An address in a spreadsheet cell's text: as a record's, up to the first full-width punctuation mark (or
general punctuation: curly quotes, dashes, ellipsis)."""


def source_key(entry: Any) -> tuple[str, str]:
    """An entry's (address, note), however it is written, for comparing entries."""
    if isinstance(entry, dict):
        return (str(entry.get("链接") or "").strip(), str(entry.get("说明") or "").strip())
    given = str(entry or "").strip()
    return (given, "") if _is_url(given) else ("", given)


class Feedbacks(Kind):
    """A record's own feedback channel. Not exported: it is a setting of the site, not a fact of the standard."""

    exported = False

    def check(self, c: Context, field: Field, value: Any) -> Feedback | None:
        if not isinstance(value, dict) or len(value) != 1 or not set(value) <= {"邮箱", "链接"}:
            c.fail((field.key,), f"{field.key}: 应只写一项：邮箱: 地址 或 链接: 网址模板")
            return None
        mail, url = value.get("邮箱"), value.get("链接")
        if "邮箱" in value and not (isinstance(mail, str) and re.fullmatch(MAIL, mail.strip())):
            c.fail((field.key, "邮箱"), f"{field.key}: 邮箱地址格式不对 \"{mail or ''}\"")
            return None
        if "链接" in value and not _is_url(url):
            c.fail((field.key, "链接"), f"{field.key}: 链接应以 http:// 或 https:// 开头")
            return None
        return Feedback(mail=mail.strip() if mail else None, url=url.strip() if url else None)

    def schema(self, field: Field) -> dict[str, Any]:
        return nullable({
            "type": "object",
            "properties": {"邮箱": string(MAIL), "链接": string(URL)},
            "additionalProperties": False,
            "minProperties": 1,
            "maxProperties": 1,
        })

    def cell(self, field: Field, cell: Any) -> dict[str, str]:
        given = cell_str(cell)
        if _is_url(given):
            return {"链接": given}
        if "@" in given:
            return {"邮箱": re.sub(r"(?i)^mailto:", "", given)}
        raise CellError(f"{field.key}: 应为邮箱地址或以 http(s):// 开头的网址，不是 \"{given}\"")

    def plain(self, field: Field, value: Any) -> Any:
        return tuple(sorted((str(k), str(v).strip()) for k, v in value.items())) if isinstance(value, dict) else value

