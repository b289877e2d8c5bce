"""Renderers: the catalogue in, `Output` values out. Nothing here touches the disk."""

from __future__ import annotations

from ..model import Catalog
from .base import Output, RenderOptions
from .browse import render_browse_pages
from .standard_page import render_standard_pages

__all__ = ["Output", "RenderOptions", "render"]


def render(catalog: Catalog, options: RenderOptions) -> list[Output]:
    return [*render_browse_pages(catalog, options), *render_standard_pages(catalog, options)]
