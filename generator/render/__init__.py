"""Renderers: the catalogue in, `Output` values out. Nothing here touches the disk."""

from __future__ import annotations

from ..errors import ConfigError
from ..history import History
from ..memo import Memo
from ..model import Catalog
from ..parallel import in_background
from ..search.documents import search_documents
from .base import Output, RenderOptions
from .browse import render_browse_pages
from .downloads import render_downloads
from .monitor import render_monitor
from .redirects import render_redirects
from .search_index import render_search_index
from .standard_page import render_standard_pages
from .updates import render_updates

__all__ = ["Output", "RenderOptions", "render"]


def render(catalog: Catalog, options: RenderOptions, history: History | None = None,
           memo: Memo | None = None) -> list[Output]:
    """Every output of the site; without a history the pages say 版本历史未收录. `memo`: pages of earlier
    builds (generator.memo)."""
    unknown = [code for code in options.feedback.regions if code not in catalog.vocab.regions]
    if unknown:
        raise ConfigError(f"mkdocs.yml: feedback.regions 中的地区代码 {'、'.join(unknown)} 不存在，"
                          "应为 6 位行政区划代码")
    docs = search_documents(catalog, options.directory_urls, memo)  # once: the search index and related lists

    def others() -> tuple[list[Output], list[Output], list[Output]]:
        monitor, tables = render_monitor(catalog, options, memo)
        return render_search_index(catalog, options, docs), render_downloads(catalog, options, tables, memo), monitor

    # Monitoring, the search index and the downloads render in a second process meanwhile (about as long as the
    # rest, after one record changed at 10,000); the memo entries they used come back with their outputs.
    with in_background(memo.tracked(others) if memo is not None else lambda: (others(), {})) as background:
        outputs = [*render_browse_pages(catalog, options, memo),
                   *render_standard_pages(catalog, options, history, docs, memo)]
        updates = render_updates(catalog, options, history)
        (search, downloads, monitor), entries = background()
    if memo is not None:
        memo.adopt(entries)
    outputs += [*search, *updates, *downloads, *monitor]  # the navigation's order
    return outputs + render_redirects(catalog, options, history, {o.path for o in outputs})
