"""Long lists of standards split into pages of `PAGE_SIZE`, so that no page grows with the database.

The first page of a list keeps the list's own address (`levels/national.md`); the others follow it as
`levels/national/2.md`, `levels/national/3.md` …, each with links to the pages around it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..memo import Memo
from ..records import Standard
from .base import Output, Page

__all__ = ["PAGE_SIZE", "PREVIEW_SIZE", "Pager", "page_srcs", "paged"]

PAGE_SIZE = 100
"""Standards on one page of a list."""
PREVIEW_SIZE = 10
"""Standards a page shows of a group (a category on a domain page) before linking to the group's own list."""


@dataclass(frozen=True)
class Pager:
    number: int
    """This page, from 1."""
    pages: tuple[str, ...]
    """The src of every page of the list, in order."""
    total: int
    """Standards in the whole list."""

    @property
    def count(self) -> int:
        return len(self.pages)

    @property
    def first_shown(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1

    def neighbours(self, around: int = 2) -> list[tuple[int, str]]:
        """(number, src) of the first and last page and of those near this one; 0 stands for a gap."""
        near = range(max(1, self.number - around), min(self.count, self.number + around) + 1)
        shown = sorted({1, self.count, *near})
        out: list[tuple[int, str]] = []
        for n in shown:
            if out and n > out[-1][0] + 1:
                out.append((0, ""))
            out.append((n, self.pages[n - 1]))
        return out


def page_srcs(src: str, total: int) -> tuple[str, ...]:
    """The src of each page of a list of `total` standards whose first page is `src`."""
    stem = src.removesuffix(".md")
    count = max(1, -(-total // PAGE_SIZE))
    return (src, *(f"{stem}/{n}.md" for n in range(2, count + 1)))


def paged(page: Page, src: str, template: str, title: str, standards: Sequence[Standard], *,
          memo: Memo | None = None, **context: Any) -> list[Output]:
    """The pages of one list; the template gets `standards` (this page's), `pager` and the rest of `context`.
    With `memo`, a page whose standards (as a list shows them) and context are unchanged is not rendered again;
    the context must then be small values whose repr says everything the template uses of them."""
    srcs = page_srcs(src, len(standards))
    status = page.catalog.status
    outputs = []
    for number, this in enumerate(srcs, start=1):
        chunk = standards[(number - 1) * PAGE_SIZE: number * PAGE_SIZE]
        shown = title if number == 1 else f"{title}（第 {number} 页）"
        pager = Pager(number, srcs, len(standards))
        key = ""
        if memo is not None:
            listed = [(s.number, s.title, s.title_en, s.issued, s.effective, status[s.number].kind) for s in chunk]
            # The pager is its number and the list's length: its pages' addresses follow from them and `this`.
            key = memo.key(("list", template, this, shown, number, len(standards), listed, sorted(context.items())))
            if memo.has(key):
                outputs.append(memo.get(key))
                continue
        output = page.render(this, template, shown, standards=chunk, pager=pager, **context)
        outputs.append(memo.put(key, output) if memo is not None else output)
    return outputs
