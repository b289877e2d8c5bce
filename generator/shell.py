"""The theme's page around generated pages, rendered once per folder and filled in for each page.

Thousands of standard pages differ from one another only in their own values: the HTML body, the title, the
feedback link and the address. The engine renders the theme around one stand-in page whose values are markers;
`Shell` keeps the text between the markers, and each real page is that text with its own values put where the
markers stood, escaped the way the theme escapes them. The adapter proves a shell before it uses one: a
stand-in page with markup in its title, rendered both ways, must come out byte for byte the same (a theme
override that filters the title differently, say, fails the proof, and those pages are rendered one by one).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import escape

from .feedback import fill

__all__ = ["MARKERS", "SEARCH_INDEX_META", "Shell", "page_values", "shell_slug"]

MARKERS = {
    # The page body's marker is a heading: themes print a title heading of their own only for a body without
    # one (Material's content.html), and every page filled into a shell has its own <h1>.
    "content": "<h1>stdportalslot0content</h1>",
    "title": "stdportalslot0title",
    "title_lang": "stdportalslot0lang",
    "feedback_title": "stdportalslot0fbtitle",
    "feedback_href": "stdportalslot0fbhref",
    "feedback_template": "stdportalslot0fbtemplate",
    "slug": "stdportalslot0slug",
    "search_index": "stdportalslot0searchindex",
}
"""Slot → marker: plain ASCII letters and digits, which no escaping or URL quoting changes (the body's marker
is printed as it is, like the body)."""

SEARCH_INDEX_META = "stdportal_search_index"
"""The search page's metadata the theme prints as it is (its index manifest, escaped for an attribute by the
renderer): a slot of that page's own shell, since it changes with the number of standards."""

_SPLIT = re.compile("(" + "|".join(re.escape(m) for m in MARKERS.values()) + ")")
_SLOT = {marker: slot for slot, marker in MARKERS.items()}
_SAFE_SLUG = re.compile(r"^[A-Za-z0-9._-]+$")


@dataclass(frozen=True)
class Shell:
    parts: tuple[str, ...]
    """The theme's text between the markers; one more than `slots`."""
    slots: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Shell | None:
        """The shell of a page rendered with markers, or None when the page body is not there exactly once."""
        pieces = _SPLIT.split(text)
        slots = tuple(_SLOT[m] for m in pieces[1::2])
        if slots.count("content") != 1:
            return None
        return cls(tuple(pieces[0::2]), slots)

    def fill(self, values: Mapping[str, str]) -> str:
        out = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:], strict=True):
            out.append(values[slot])
            out.append(part)
        return "".join(out)


def shell_slug(src: str) -> str | None:
    """The last part of a page's address when a shell can stand for it (plain ASCII), else None."""
    name = src.rsplit("/", 1)[-1].removesuffix(".md")
    return name if _SAFE_SLUG.match(name) and name != "index" else None


def page_values(content: str, meta: Mapping[str, object], template: str, feedback_url: str,
                slug: str) -> dict[str, str]:
    """One page's values for the slots, in the form the theme prints them: `title` (already escaped by the
    renderer) and its language as they are, the feedback values through Jinja's `e`, the page body as it is."""
    raw_title = str(meta["stdportal_title"])
    return {
        "content": content,
        "title": str(meta["title"]),
        "title_lang": str(meta.get("stdportal_title_lang", "zh")),
        "feedback_title": str(escape(raw_title)),
        "feedback_href": str(escape(fill(template, raw_title, feedback_url))),
        "feedback_template": str(escape(template)),
        "slug": slug,
        "search_index": str(meta.get(SEARCH_INDEX_META, "")),
    }
