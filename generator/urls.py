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
    folder = posixpath.dirname(here)
    base = here if here.endswith("/") or not here else folder + "/" if folder else ""
    return _relative(base, page_url(to_src, directory_urls)) + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=1 << 16)
def _relative(base: str, there: str) -> str:
    """The link from the folder `base` ("" or ending in /) to `there`; "./" for the folder itself. Climbing
    goes through the parent folder, whose links are cached: thousands of pages of one folder share them."""
    return _climb(base, there) or "./"


@functools.lru_cache(maxsize=1 << 16)
def _climb(base: str, there: str) -> str:
    if there.startswith(base):
        return there[len(base):]
    parent = base[:-1].rpartition("/")[0]
    return "../" + _climb(parent + "/" if parent else "", there)
