"""The built site's theme files name no other host: source maps and the unused search files go, addresses
with a literal host become inert; SVG namespaces (names, not requests) stay."""

from __future__ import annotations

import re
from pathlib import Path

from generator.offline import make_offline

OUTSIDE = re.compile(r"https?://(?:[a-z0-9-]+\.)+[a-z]{2,}")


def theme(site: Path) -> None:
    files = {
        "javascripts/bundle.1.min.js": 'a=_t("https://unpkg.com/mermaid@11/m.js");b=`https://api.github.com/repos/${e}`;'
                                       "/*! clipboard.js | https://clipboardjs.com/ | MIT */"
                                       'c=document.createElementNS("http://www.w3.org/2000/svg","svg")\n'
                                       "//# sourceMappingURL=bundle.1.min.js.map",
        "javascripts/bundle.1.min.js.map": '{"sources": ["https://example.com/x.ts"]}',
        "javascripts/workers/search.1.min.js": "importScripts('lunr.js')",
        "javascripts/lunr/min/lunr.zh.min.js": "/* https://github.com/x */",
        "stylesheets/main.1.min.css": "/* Font Awesome by @fontawesome - https://fontawesome.com License */"
                                      ".i{background:url(\"data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg'/>\")}"
                                      "\n/*# sourceMappingURL=main.1.min.css.map */",
        "stylesheets/main.1.min.css.map": "{}",
    }
    for name, text in files.items():
        path = site / "assets" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_theme_files_are_made_inert(tmp_path: Path) -> None:
    theme(tmp_path)
    make_offline(tmp_path)
    assets = tmp_path / "assets"
    assert sorted(p.relative_to(assets).as_posix() for p in assets.rglob("*") if p.is_file()) == [
        "javascripts/bundle.1.min.js", "stylesheets/main.1.min.css"]
    js = (assets / "javascripts/bundle.1.min.js").read_text(encoding="utf-8")
    assert '_t("data:,mermaid@11/m.js")' in js and "`data:,repos/${e}`" in js
    assert "clipboard.js | clipboardjs.com/ | MIT" in js  # the licence keeps its address, without a scheme
    assert '"http://www.w3.org/2000/svg"' in js and "sourceMappingURL" not in js
    css = (assets / "stylesheets/main.1.min.css").read_text(encoding="utf-8")
    assert "xmlns='http://www.w3.org/2000/svg'" in css and "sourceMappingURL" not in css
    assert not [m for m in OUTSIDE.findall(js + css) if "www.w3.org" not in m]


def test_material_search_keeps_its_worker(tmp_path: Path) -> None:
    theme(tmp_path)
    make_offline(tmp_path, keep_search=True)
    assert (tmp_path / "assets/javascripts/workers/search.1.min.js").is_file()
    assert (tmp_path / "assets/javascripts/lunr/min/lunr.zh.min.js").is_file()

