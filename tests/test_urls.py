"""Page URLs and relative links: a link resolved by a browser from the linking page lands on the target."""

from __future__ import annotations

import itertools
import posixpath
from urllib.parse import urljoin

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.urls import page_url, relative_url

SOURCES = [
    "index.md",
    "help.md",
    "levels/index.md",
    "levels/national.md",
    "regions/320500.md",
    "standards/national/GB-T-35796-2017.md",
    "standards/local/DB37-T-4591-2023.md",
]


@pytest.mark.parametrize(
    ("src", "directory", "flat"),
    [
        ("index.md", "", "index.html"),
        ("levels/index.md", "levels/", "levels/index.html"),
        ("levels/national.md", "levels/national/", "levels/national.html"),
        ("standards/national/GB-T-35796-2017.md", "standards/national/GB-T-35796-2017/",
         "standards/national/GB-T-35796-2017.html"),
        ("assets/stdportal/stdportal.css", "assets/stdportal/stdportal.css", "assets/stdportal/stdportal.css"),
    ],
)
def test_page_url(src, directory, flat) -> None:
    assert page_url(src) == directory
    assert page_url(src, directory_urls=False) == flat


@pytest.mark.parametrize("base", ["https://example.org/", "https://example.gov.cn/bzk/", "http://h:8000/a/b/c/"])
@pytest.mark.parametrize("directory_urls", [True, False])
def test_every_link_resolves_to_its_target_under_any_base(base, directory_urls) -> None:
    for src, dst in itertools.product(SOURCES, SOURCES + ["assets/stdportal/stdportal.css"]):
        here = urljoin(base, page_url(src, directory_urls))
        link = relative_url(src, dst, directory_urls)
        assert not link.startswith("/"), link  # relative, so a sub-path works
        assert urljoin(here, link) == urljoin(base, page_url(dst, directory_urls)), (src, dst, link)


@pytest.mark.parametrize(
    ("src", "dst", "expected"),
    [
        ("index.md", "levels/index.md", "levels/"),
        ("index.md", "index.md", "./"),
        ("levels/national.md", "index.md", "../../"),
        ("standards/national/GB-T-35796-2017.md", "levels/national.md", "../../../levels/national/"),
        ("standards/national/GB-T-35796-2017.md", "standards/local/DB37-T-4591-2023.md",
         "../../local/DB37-T-4591-2023/"),
    ],
)
def test_relative_url_examples(src, dst, expected) -> None:
    assert relative_url(src, dst) == expected


def test_anchor_is_appended() -> None:
    assert relative_url("domains/index.md", "domains/childcare.md", anchor="c2") == "childcare/#c2"
    assert relative_url("index.md", "help.md", directory_urls=False, anchor="x") == "help.html#x"


def _relpath_reference(from_src: str, to_src: str, directory_urls: bool) -> str:
    """The link as posixpath.relpath computes it (what relative_url computed before it cached by folder)."""
    here, there = page_url(from_src, directory_urls), page_url(to_src, directory_urls)
    base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    rel = posixpath.relpath(there or ".", base.rstrip("/") or ".")
    if there.endswith("/") or there == "":
        rel = rel.rstrip("/") + "/" if rel != "." else "./"
    return rel


_SEGMENT = st.sampled_from(["a", "b", "ab", "index", "standards", "GB-T-1-2020"])
_SRC = st.builds(lambda parts, ext: "/".join(parts) + ext, st.lists(_SEGMENT, min_size=1, max_size=4),
                 st.sampled_from([".md", ".json", ".xml"]))


@given(_SRC, _SRC, st.booleans())
def test_relative_url_agrees_with_relpath(from_src: str, to_src: str, directory_urls: bool) -> None:
    assert relative_url(from_src, to_src, directory_urls) == _relpath_reference(from_src, to_src, directory_urls)
