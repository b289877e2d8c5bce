"""What every renderer shares: the Output value, the options, the Jinja environment and page framing."""

from __future__ import annotations

import hashlib
import html
import os
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..feedback import FeedbackConfig, channel_for, template_for
from ..model import Catalog, body_slug
from ..numbers import LEVELS
from ..records import Feedback
from ..search.analyzer import has_han
from ..urls import relative_url, standard_src

__all__ = ["Output", "Page", "RenderOptions", "standard_src"]

_TEMPLATES = Path(__file__).with_name("templates")


@dataclass(frozen=True, init=False)
class Output:
    """One file of the site: `path` relative to the docs root; `in_nav` False keeps it out of navigation.

    A page (`meta` is not None, path ending in .md) carries its HTML body in `content` and its metadata as a
    mapping: the two never meet in one text, so no value in a record can be read as metadata or as markup by
    the engine (the adapter hands both over as they are; nothing is parsed again). Any other file (JSON, XML,
    CSV) is `content` as it is written.

    Text is kept as UTF-8 bytes (`data`) and decoded when asked for (`content`, `text`): a build holds every
    output until the site is written, and Chinese pages take a third less memory encoded than as str."""

    path: str
    data: bytes
    """The bytes of the file as written (text in UTF-8)."""
    in_nav: bool = True
    meta: Mapping[str, Any] | None = None
    binary: bool = False
    """True when the content was given as bytes (a workbook): `content` is then `data` itself."""
    digest: str = field(default="", compare=False, repr=False)
    """A digest of everything the output writes (its path, navigation flag, metadata and content), made once
    with it: a page kept between builds (generator.memo) brings its digest along, and a rebuild tells an
    unchanged file from a changed one without hashing 30,000 files again (generator.sitecache)."""

    def __init__(self, path: str, content: str | bytes, in_nav: bool = True,
                 meta: Mapping[str, Any] | None = None) -> None:
        binary = isinstance(content, bytes)
        data = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
        # The content's bytes are hashed as they are (a repr of 10,000 pages would cost seconds); the metadata
        # is the renderer's and is not changed afterwards.
        sha = hashlib.sha256(repr((path, in_nav, sorted((meta or {}).items()), binary)).encode())
        sha.update(data)
        for name, value in (("path", path), ("data", data), ("in_nav", in_nav), ("meta", meta), ("binary", binary),
                            ("digest", sha.hexdigest())):
            object.__setattr__(self, name, value)

    @classmethod
    def stored(cls, path: str, packed: bytes, in_nav: bool, meta: Mapping[str, Any] | None, binary: bool,
               digest: str) -> Output:
        """An output as generator.memo keeps it: its bytes compressed (`packed`) and decompressed only when read.
        A rebuild keeps most pages as they were and needs only their paths and digests (generator.sitecache)."""
        output = cls.__new__(cls)
        for name, value in (("path", path), ("_packed", packed), ("in_nav", in_nav), ("meta", meta),
                            ("binary", binary), ("digest", digest)):
            object.__setattr__(output, name, value)
        return output

    def packed(self) -> bytes:
        """The bytes compressed, as `stored` takes them (not compressed again when they came that way)."""
        return self.__dict__.get("_packed") or zlib.compress(self.data, 1)

    def __getattr__(self, name: str) -> Any:  # only for a missing attribute: `data` of a stored output
        packed = self.__dict__.get("_packed")
        if name != "data" or packed is None:
            raise AttributeError(name)
        data = zlib.decompress(packed)
        object.__setattr__(self, "data", data)
        self.__dict__.pop("_packed", None)  # read once: the page is held as its bytes from now on, not twice
        return data

    @property
    def content(self) -> str | bytes:
        return self.data if self.binary else self.data.decode("utf-8", "surrogatepass")

    @property
    def is_page(self) -> bool:
        return self.meta is not None

    @property
    def text(self) -> str:
        """The content of a page or of a text file (a workbook's content is bytes)."""
        if self.binary:
            raise TypeError(f"{self.path} is not text")
        return self.data.decode("utf-8", "surrogatepass")


@dataclass(frozen=True)
class RenderOptions:
    feedback: FeedbackConfig
    site_name: str = "基本公共服务标准信息库"
    directory_urls: bool = True
    template_dirs: tuple[Path, ...] = field(default=())
    """Operator folders searched before the built-in templates (reachable as `default:NAME`)."""
    site_url: str = ""
    """The site's public address (mkdocs.yml site_url); feeds use it for absolute links and entry ids."""
    template_cache: Path | None = field(default=None, repr=False, compare=False)
    """Where compiled templates are kept between builds (Jinja's bytecode cache; a template whose source changed
    is compiled again), None for none. Out of the repr, which is part of the page memo's salt: where a cache
    lives changes no page."""



def _shared(catalog: Catalog) -> dict[str, Any]:
    """What several templates show of the whole catalogue: the counts per level and per domain."""
    domain_counts = [(d, len(catalog.by_domain(d.name))) for d in catalog.vocab.domains]
    return {
        "level_cards": [(f"levels/{v.key}.md", v.name, len(catalog.by_level(v))) for v in LEVELS],
        "domain_cards": [(f"domains/{d.slug}.md", d.name, count) for d, count in domain_counts],
        "domain_counts": domain_counts,
    }


class Page:
    """Renders one page: a Jinja template into an HTML body, with the page's metadata beside it (Output.meta)."""

    def __init__(self, catalog: Catalog, options: RenderOptions) -> None:
        self.catalog = catalog
        self.options = options
        self.env = _environment(options.template_dirs, options.template_cache)
        self.shared = catalog.derived(_shared)

    def render(self, src: str, template: str, title: str, *, in_nav: bool = False, region: str | None = None,
               own_feedback: Feedback | None = None, meta: dict[str, Any] | None = None,
               **context: Any) -> Output:
        def url(target: str, anchor: str = "") -> str:
            return relative_url(src, target, self.options.directory_urls, anchor)

        body = self.env.get_template(template).render(
            catalog=self.catalog, options=self.options, url=url, std_url=lambda s: url(standard_src(s)),
            title=title, **self.shared, **context,
        )
        channel = channel_for(self.options.feedback, self.catalog.vocab, region, own_feedback)
        meta = {
            # MkDocs and Material print the title unescaped in places; the escaped form renders as text.
            "title": html.escape(title),
            "stdportal_title": title,
            "stdportal_feedback": template_for(channel),
            # The header bar shows the title: an English one (a standard with no Chinese title) is marked so.
            "stdportal_title_lang": "en" if lang_attribute(title) else "zh",
            **(meta or {}),
        }
        return Output(src, body.strip(), in_nav, meta)


def for_readers(message: str) -> str:
    """A commit message as the site shows it to readers: written in Chinese, it is shown; otherwise (a
    developer's English note on the repository) it is left out, and the page lists what changed without it. A
    developer's note may quote field names (`Data: editorial 类别 for …`): one that opens with an English word
    is not for readers either (a standard's code in capitals, JGJ or GB/T, is no English word)."""
    opening = _OPENING_WORD.match(message)
    english = opening is not None and len(opening.group(1)) >= 3 and not opening.group(1).isupper()
    return message if has_han(message) and not english else ""


_OPENING_WORD = re.compile(r"\s*([A-Za-z]+)")


def _environment(template_dirs: tuple[Path, ...], cache: Path | None = None) -> jinja2.Environment:
    """A new environment for each renderer, so that an operator's template added while `serve` runs is found;
    with `cache`, a template is compiled once, not again by each renderer, worker process and build (compiling
    them all takes a third of a second)."""
    builtin = jinja2.FileSystemLoader(str(_TEMPLATES))
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        jinja2.PrefixLoader({"default": builtin}, delimiter=":"),
        builtin,
    ])
    env = jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined, finalize=_shown,
                             bytecode_cache=_CompiledTemplates(str(cache)) if cache else None)
    env.globals["standard_src"] = standard_src
    env.globals["body_slug"] = body_slug
    env.filters["for_readers"] = for_readers
    env.filters["lang"] = lang_attribute
    return env


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates (one file per template, written whole and renamed into place, so
    that processes rendering side by side never read half a file), in a folder made when first needed. A cache
    that cannot be read or written (a read-only project, a file where its folder would be) is only not used.
    A template's compiled code depends on the environment too (finalize, autoescape …): the checksum Jinja
    compares is of the template and of the generator's code, so that no other version's compiled code is used."""

    def get_source_checksum(self, source: str) -> str:
        from ..recordstore import code_digest

        return hashlib.sha256(f"{code_digest()}\0{source}".encode("utf-8", "surrogatepass")).hexdigest()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            pass

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _shown(value: Any) -> Any:
    """What an expression prints: a missing value (None) prints nothing, never the word None."""
    return "" if value is None else value


_LATIN = re.compile("[A-Za-z]")


def lang_attribute(text: object) -> Markup:
    """` lang="en"` for a text in English (Latin letters, no Han character: an issuer or a committee the source
    names in English), so that a screen reader speaks it as English; nothing for any other text."""
    value = str(text or "")
    return Markup(' lang="en"' if _LATIN.search(value) and not has_han(value) else "")
