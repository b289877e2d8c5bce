"""Redirects for renamed records: a standard's page and JSON keep answering at the address of every number the
record had before (git history: the record is followed across file renames, and each commit says its 标准号).

At an old page address goes a small HTML file of its own, not a themed page: a meta refresh, a canonical link
and a visible link 本标准页面已迁至 …, all relative (the site may live under a sub-path), no script. At the old
JSON address goes a copy of the record's JSON with 原标准号 and 新地址 in front: a program that read the old
address keeps getting the same document (an HTML redirect cannot redirect a program), and can see where the
file is now. An old address that is live (another record has that number now), or that two records once had,
gets nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from html import escape

from ..export import export_record_json
from ..history import History
from ..model import Catalog
from ..numbers import read_number, slug
from ..records import Standard
from ..urls import page_url, relative_url
from .base import Output, RenderOptions, standard_src
from .downloads import json_src, record_json_path

__all__ = ["old_addresses", "redirect_file", "render_redirects"]


def old_addresses(catalog: Catalog, history: History) -> dict[str, tuple[str, Standard]]:
    """Old page src → (the number it was for, the live standard now there), for the numbers the live
    records had before; an address claimed by two records is left out."""
    claims: dict[str, list[tuple[str, Standard]]] = defaultdict(list)
    for s in catalog.standards:
        record = history.for_path(s.path)
        if record is None:
            continue
        for number in record.numbers:
            parsed = read_number(number)
            if parsed is None or slug(parsed.text) == slug(s.number):
                continue
            src = f"standards/{parsed.level.key}/{slug(parsed.text)}.md"
            if all(other is not s for _, other in claims[src]):
                claims[src].append((parsed.text, s))
    return {src: found[0] for src, found in claims.items() if len(found) == 1}


def redirect_file(src: str, directory_urls: bool) -> str:
    """The file a browser gets at the address of page `src`: …/<slug>/index.html, or …/<slug>.html."""
    url = page_url(src, directory_urls)
    return url + "index.html" if url.endswith("/") else url


def render_redirects(catalog: Catalog, options: RenderOptions, history: History | None,
                     taken: Collection[str]) -> list[Output]:
    """The redirect pages and JSON copies; `taken`: the paths of every other output (never overwritten)."""
    if history is None or not history.available:
        return []
    out: list[Output] = []
    for old_src, (number, standard) in sorted(old_addresses(catalog, history).items()):
        page, old_json = redirect_file(old_src, options.directory_urls), json_src(old_src)
        if {old_src, page, old_json} & set(taken):
            continue
        new_src = standard_src(standard)
        link = relative_url(old_src, new_src, options.directory_urls)
        canonical = options.site_url.rstrip("/") + "/" + page_url(new_src, options.directory_urls) \
            if options.site_url else link
        out.append(Output(page, _page(number, standard, link, canonical), in_nav=False))
        moved = (number, relative_url(old_json, record_json_path(standard), options.directory_urls))
        out.append(Output(old_json, export_record_json(catalog, standard, moved), in_nav=False))
    return out


def _page(number: str, standard: Standard, link: str, canonical: str) -> str:
    new = escape(f"{standard.number} {standard.display_title}")
    href, canon = escape(link, quote=True), escape(canonical, quote=True)
    return (f'<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f'<title>本标准页面已迁至 {new}</title>\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="robots" content="noindex">\n<link rel="canonical" href="{canon}">\n'
            f'<meta http-equiv="refresh" content="0; url={href}">\n</head>\n<body>\n'
            f'<p>本标准页面已迁至 <a href="{href}">{new}</a>。</p>\n'
            f'<p>原标准号 {escape(number)} 已改为 {escape(standard.number)}；'
            f'如果页面没有自动跳转，请点击上面的链接。</p>\n'
            f'</body>\n</html>\n')
