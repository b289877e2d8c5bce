"""One page per standard: every field with the official labels, its replacement chain, related standards and
its sources."""

from __future__ import annotations

from typing import Any

from ..fields import FIELDS
from ..history import History
from ..model import Catalog, replacement_chain
from ..parallel import map_slices
from ..records import Standard
from ..search.documents import SearchDoc
from ..search.similar import Related
from ..verify import verify_links
from .base import Output, Page, RenderOptions, standard_src
from .updates import KIND_LABELS

__all__ = ["render_standard_pages", "replacement_chain"]

HISTORY_SHOWN = 10
"""Changes listed on a standard page; the updates page has the rest."""


def render_standard_pages(catalog: Catalog, options: RenderOptions, history: History | None = None,
                          docs: list[SearchDoc] | None = None) -> list[Output]:
    """`docs`: the search documents when the caller has them already (their terms give the related lists)."""
    page = Page(catalog, options)
    finder = Related(catalog, docs=docs)
    fields = [f for f in FIELDS if f.shown]
    standards = catalog.standards

    def render_slice(part: range) -> list[Output]:
        return [
            page.render(standard_src(s), "standard.html", s.display_title, region=s.region, own_feedback=s.feedback,
                        standard=s, status=catalog.status[s.number], fields=fields,
                        replaced_by=catalog.replaced_by[s.number], replaces=catalog.replaces[s.number],
                        chain=replacement_chain(catalog, s), related=finder.of(i),
                        verify=verify_links(s.parsed_number), **_history_context(history, s))
            for i, s in ((i, standards[i]) for i in part)
        ]

    return map_slices(render_slice, len(standards))


def _history_context(history: History | None, standard: Standard) -> dict[str, Any]:
    """What _history.html needs: the record's git history (None: 版本历史未收录)."""
    return {"record_history": history.for_path(standard.path) if history else None,
            "history_shown": HISTORY_SHOWN, "change_labels": KIND_LABELS}
