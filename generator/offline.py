"""The theme's files as the site serves them: no address of another host left in them.

Material's bundle names hosts it would fetch from in cases this site never meets: a ResizeObserver polyfill
for old browsers (overrides/main.html puts a local stand-in first), Mermaid for diagrams, and the GitHub API
for repository facts. Its source maps name many more, and its search worker and lunr files serve a search
this site replaces. After the build the maps and the unused search files are removed, and each address with
a literal host (https://, as every one of these is; http:// stands only in XML namespaces such as SVG's, which
are names, not requests) becomes inert: in a string, a `data:` URL that fetches nothing; elsewhere (a licence
comment), the address without its scheme.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

__all__ = ["make_offline"]

_URL = re.compile(r"(?P<quote>[\"'`])?https://(?P<host>(?:[a-z0-9-]+\.)+[a-z]{2,})(?P<slash>/?)")
_SOURCE_MAP = re.compile(r"\n?(?://# sourceMappingURL=\S+|/\*# sourceMappingURL=\S+ \*/)")
_THEME = ("javascripts", "stylesheets")


def make_offline(site_dir: Path, keep_search: bool = False) -> None:
    """keep_search: Material's own search plugin is on, so its worker and lunr files stay."""
    assets = site_dir / "assets"
    if not keep_search:
        for unused in ("lunr", "workers"):
            shutil.rmtree(assets / "javascripts" / unused, ignore_errors=True)
    for folder in _THEME:
        for file in sorted((assets / folder).rglob("*")):
            if file.suffix == ".map":
                file.unlink()
            elif file.suffix in (".js", ".css"):
                text = file.read_text(encoding="utf-8")
                inert = _URL.sub(_inert, _SOURCE_MAP.sub("", text))
                if inert != text:
                    file.write_text(inert, encoding="utf-8")


def _inert(match: re.Match[str]) -> str:
    quote = match.group("quote")
    return f"{quote}data:," if quote else match.group("host") + match.group("slash")
