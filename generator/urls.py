"""Where a generated page lands and how one page links to another, relative so any sub-path works."""

from __future__ import annotations

import functools
import posixpath
from typing import TYPE_CHECKING

from .numbers import slug

if TYPE_CHECKING:
    from .records import Standard

__all__ = ["page_url", "relative_url", "standard_src"]


def standard_src(standard: Standard) -> str:
    """The generated page of a standard: standards/<level>/<slug>.md."""
    return f"standards/{standard.level.key}/{slug(standard.number)}.md"


def page_url(src: str, directory_urls: bool = True) -> str:
    """The site-relative URL MkDocs gives the page `src` (`a/b.md` → `a/b/` or `a/b.html`)."""
    if not src.endswith(".md"):
        return src
    stem = src[: -len(".md")]
    if not directory_urls:
        return f"{stem}.html"
    if posixpath.basename(stem) == "index":
        parent = posixpath.dirname(stem)
        return f"{parent}/" if parent else ""
    return f"{stem}/"


def relative_url(from_src: str, to_src: str, directory_urls: bool = True, anchor: str = "") -> str:
    """A link from page `from_src` to page or file `to_src` that works under any base path."""
    here = page_url(from_src, directory_urls)
    base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    return _relative(base, page_url(to_src, directory_urls)) + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=1 << 16)
def _relative(base: str, there: str) -> str:
    """Pages of one folder link to the same targets (thousands of standard pages share one): computed once."""
    rel = posixpath.relpath(there or ".", base.rstrip("/") or ".")
    if there.endswith("/") or there == "":
        rel = rel.rstrip("/") + "/" if rel != "." else "./"
    return rel
