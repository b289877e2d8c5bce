"""One page per standard: every field with the official labels, its replacement chain, related standards and
its sources."""

from __future__ import annotations

from typing import Any

from ..fields import FIELDS
from ..history import History
from ..memo import Memo
from ..model import Catalog, replacement_chain
from ..parallel import map_slices
from ..records import Standard
from ..search.documents import SearchDoc
from ..search.similar import Related
from ..verify import verify_links
from .base import Output, Page, RenderOptions, standard_src
from .downloads import record_json_path
from .updates import KIND_LABELS

__all__ = ["render_standard_page", "render_standard_pages", "replacement_chain"]

HISTORY_SHOWN = 10
"""Changes listed on a standard page; the updates page has the rest."""


def render_standard_pages(catalog: Catalog, options: RenderOptions, history: History | None = None,
                          docs: list[SearchDoc] | None = None, memo: Memo | None = None) -> list[Output]:
    """`docs`: the search documents when the caller has them already (their terms give the related lists);
    `memo`: pages of earlier builds, reused when everything a page is made from is the same."""
    page = Page(catalog, options)
    finder = Related(catalog, docs=docs)
    standards = catalog.standards

    def related_of(i: int) -> tuple[str, list[str], bool]:
        """(memo key, related numbers, whether they were computed now)."""
        if memo is None:
            return "", finder.of(i), True
        key = memo.key(("related", finder.signature(i)))
        return (key, memo.get(key), False) if memo.has(key) else (key, finder.of(i), True)

    def one(i: int) -> tuple[str, Output | bytes | None, tuple[str, list[str], bool]]:
        """(memo key, the page: None when the memo has it, only the key travels back; with a memo, as the memo
        keeps it, compressed by the worker), and the related list."""
        related = related_of(i)
        context = _context(catalog, standards[i], history, related[1])
        if memo is None:
            return "", _render(page, context), related
        return (*memo.pending(_inputs(catalog, context), lambda: _render(page, context)), related)

    if memo is not None:
        finder.digests()  # once, before the workers fork
    results = map_slices(lambda part: [one(i) for i in part], len(standards))
    outputs = []
    for key, made, (related_key, related, computed) in results:
        if memo is not None:
            assert not isinstance(made, Output)  # with a memo, a worker gives the memo's entry
            if computed:
                memo.put(related_key, related)
            else:
                memo.keep(related_key)
            made = memo.settle(key, made)
        assert isinstance(made, Output)
        outputs.append(made)
    return outputs


def render_standard_page(page: Page, standard: Standard, history: History | None, related: list[str]) -> Output:
    """One standard's page alone, with its related standards given (the preview's first answer after a save,
    generator.quickview); the same page render_standard_pages makes when `related` is the same."""
    return _render(page, _context(page.catalog, standard, history, related))


def _context(catalog: Catalog, s: Standard, history: History | None, related: list[str]) -> dict[str, Any]:
    """What the page shows that the record alone does not make: the memo's key is made from it (`_inputs`)."""
    record = history.for_path(s.path) if history else None
    return {
        "standard": s, "status": catalog.status[s.number], "replaced_by": catalog.replaced_by[s.number],
        "replaces": catalog.replaces[s.number], "chain": replacement_chain(catalog, s), "related": related,
        "record_history": record.shown(HISTORY_SHOWN) if record else None,  # None: 版本历史未收录
    }


def _render(page: Page, context: dict[str, Any]) -> Output:
    """The page; what it shows besides its context is made from the record and the code alone."""
    s = context["standard"]
    fields = [f for f in FIELDS if f.shown]
    return page.render(standard_src(s), "standard.html", s.display_title, region=s.region,
                       own_feedback=s.feedback, fields=fields, verify=verify_links(s.parsed_number),
                       json_src=record_json_path(s), history_shown=HISTORY_SHOWN, change_labels=KIND_LABELS,
                       **context)


def _inputs(catalog: Catalog, context: dict[str, Any]) -> tuple[Any, ...]:
    """Everything a standard page shows: its record and context, and of each standard it links to the number
    as referred to and as recorded (its address), title and status."""
    linked = {n for key in ("replaced_by", "replaces", "chain", "related") for n in context[key]}
    shown = []
    for n in sorted(linked):
        other = catalog.get(n)
        shown.append((n, other.number, other.display_title, catalog.status[other.number]) if other else (n,))
    return (sorted(context.items(), key=lambda item: item[0]), shown)
