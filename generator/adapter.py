"""The MkDocs adapter: the only module that imports MkDocs.

As a plugin it feeds the generated pages to MkDocs as virtual files and puts the feedback link's target into
every page's context; `build` and `serve` let the CLI drive MkDocs without importing it.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import hashlib
import logging
import os
import posixpath
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import jinja2
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, MkDocsException, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import YAML_RE

from .buildtime import pin_build_time
from .config_messages import chinese_config_messages
from .errors import BuildError, DataError, StdportalError, os_reason
from .feedback import example_channels, fill, parse_feedback_config, template_for
from .footer import site_footer
from .fsencoding import check_file_name_encoding
from .offline import make_offline
from .parallel import in_background
from .pipeline import resolve_as_of, run
from .problems import Problem, Severity, format_problem
from .recordstore import code_digest
from .render import Output, RenderOptions
from .shell import MARKERS, SEARCH_INDEX_META, Shell, page_values, shell_slug
from .sitecache import (
    STATE_FILE,
    Placed,
    SiteState,
    assemble,
    digest_tree,
    forget_state,
    load_state,
    save_state,
    snapshot,
    survey,
)
from .sitedir import Project, check_replaceable, check_site_dir, empty, mark

if TYPE_CHECKING:
    from mkdocs.utils.templates import TemplateContext

__all__ = ["RenderSetup", "StdportalPlugin", "build", "live_server", "project", "render_setup"]

# Under mkdocs.plugins so that `mkdocs build --strict` fails on data warnings.
log = logging.getLogger("mkdocs.plugins.stdportal")


class StdportalConfig(Config):
    database = c.Type(str, default="standards")
    """The standards database folder, relative to mkdocs.yml."""
    as_of = c.Optional(c.Type(str))
    """Compute status as of this date (YYYY-MM-DD); default SOURCE_DATE_EPOCH, else today."""
    feedback = c.Type(dict, default={})
    """The feedback channel: `mail: address` or `url: template with {title} and {url}`; `regions:` overrides."""
    templates = c.Optional(c.Type(str))
    """A folder of page templates searched before the built-in ones (relative to mkdocs.yml)."""
    footer = c.Type(dict, default={})
    """The government-site footer: sponsor, contact, icp, police, site_code (generator.footer)."""


def _assets_version(theme_dirs: list[str]) -> str:
    """A short hash of our scripts and stylesheet (assets/stdportal/ in the first theme folder that has it), put
    after their address as ?v=: a browser that cached the previous version fetches the new one after an update,
    instead of running an old search.js on a new index."""
    digest = hashlib.sha256()
    for folder in theme_dirs:
        assets = Path(folder) / "assets" / "stdportal"
        if assets.is_dir():
            for file in sorted(assets.iterdir()):
                if file.is_file():
                    digest.update(file.name.encode() + b"\0" + file.read_bytes())
            break
    return digest.hexdigest()[:10]


class StdportalPlugin(BasePlugin[StdportalConfig]):
    shells: dict[str, Shell] = {}  # noqa: RUF012 - replaced per build in on_env
    prepared: tuple[list[Output], list[Problem]] | None = None
    """Set by `build`, which runs the pipeline before MkDocs starts: data errors never travel through MkDocs.
    Left None under `mkdocs build` and `mkdocs serve`, where the plugin runs the pipeline itself."""

    def on_config(self, config: Any) -> Any:
        base = Path(config.config_file_path or ".").parent
        self.db_dir = (base / self.config.database).resolve()
        try:
            check_file_name_encoding()
            check_site_dir(config.site_dir, _project(config, self.db_dir))  # before MkDocs empties it
            check_replaceable(config.site_dir)  # nor a folder stdportal did not make (`mkdocs build -d …`)
            self.feedback = parse_feedback_config(self.config.feedback)
            config.extra["stdportal_footer"] = site_footer(self.config.footer)
            as_of = resolve_as_of(self.config.as_of)
            pin_build_time(self.config.as_of)
        except StdportalError as exc:
            raise PluginError(str(exc)) from None
        templates = (base / self.config.templates,) if self.config.templates else ()
        self.options = RenderOptions(self.feedback, config.site_name, config.use_directory_urls, templates,
                                     site_url=config.site_url or "")
        self.as_of = as_of
        self.generated: dict[str, Output] = {}
        config.extra["stdportal_assets"] = _assets_version(config.theme.dirs)
        return config

    def on_nav(self, nav: Any, config: Any, files: Files) -> Any:
        self.nav = nav
        return nav

    def on_files(self, files: Files, config: Any) -> Files:
        if self.prepared is not None:
            outputs, problems = self.prepared
        else:
            try:
                outputs, problems = run(self.db_dir, self.as_of, self.options)
            except DataError as exc:
                raise PluginError("标准数据有错误：\n" + "\n".join(format_problem(p) for p in exc.problems)) from None
            except StdportalError as exc:
                raise PluginError(str(exc)) from None
        _log_problems(problems)
        # The site's top-level folders, for the 404 page that finds the site root at any address (404.html).
        self.top_names = _top_names(files, outputs)
        hand_written = {file.src_uri for file in files}  # once: Files' own lookup re-indexes after each append
        nav_titles = _nav_titles(config.nav)
        self.generated = {}
        self.files_of: dict[str, File] = {}
        self._plain: dict[str, Output] = {}
        self.batches: dict[str, list[_GeneratedPage]] = defaultdict(list)
        """shell key (_shell_key) → the pages to fill into that shell"""
        for output in outputs:
            if output.path in hand_written:
                raise PluginError(f"docs/{output.path} 与生成的页面重名，请改名或删除")
            file = File.generated(config, output.path, content="" if output.is_page else output.data)
            if not output.in_nav:
                file.inclusion = InclusionLevel.NOT_IN_NAV
            self.files_of[output.path] = file
            if not output.is_page:
                self._plain[output.path] = output
            if output.is_page:
                page = _GeneratedPage(output, nav_titles.get(output.path), file, config)
                self.generated[output.path] = output
                key = _shell_key(output)
                if key is not None:
                    self.batches[key].append(page)
            files.append(file)
        return files

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        """Render the proven shells: one per folder of generated pages, and one for each other generated page
        (those in the navigation among them). MkDocs then renders those pages to nothing (an empty template)
        and `on_post_build` writes them from their shells."""
        self.shells = {}
        # The hand-written pages as the sitemap lists them (before the generated ones): _page_list_files.
        self.documents = tuple(f.src_uri for f in files.documentation_pages() if f.src_uri not in self.generated)
        if os.environ.get("STDPORTAL_NO_SHELL") != "1":
            doc_files = files.documentation_pages()
            for key in sorted(self.batches):
                pages = self.batches[key]
                if key.endswith("/"):
                    shell = self._proven_shell(key.removesuffix("/"), pages[0], env, config, doc_files)
                else:
                    shell = self._proven_own_shell(pages[0], env, config, doc_files)
                if shell is None:
                    log.info(f"{key}：主题模板不能共用一个页面框架，逐页生成")
                    continue
                self.shells[key] = shell
                for page in pages:
                    page.meta["template"] = _DEFERRED
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({_DEFERRED: ""}), env.loader])
        return env

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        if page.file.src_uri not in self.generated and not page.meta and YAML_RE.match(markdown):
            # MkDocs keeps a front matter it cannot read as page text, unescaped: refuse to ship that page.
            raise PluginError(f"docs/{page.file.src_uri}: 页面开头 --- 之间的元数据无法读取（YAML 格式不对），"
                              "请修改后重新生成")
        return markdown

    # The ignores below: MkDocs' TemplateContext TypedDict lists only MkDocs' own keys, yet plugins add theirs.
    def on_page_context(self, context: TemplateContext, page: Any, config: Any, nav: Any) -> TemplateContext:
        if getattr(page, "marked", False):
            context["stdportal_feedback"] = {  # type: ignore[typeddict-unknown-key]
                "href": MARKERS["feedback_href"], "template": MARKERS["feedback_template"],
                "title": MARKERS["feedback_title"], "label": self.feedback.label}
            return context
        if page.file.src_uri in self.generated and "stdportal_title" not in page.meta:
            raise PluginError(f"生成的页面 {page.file.src_uri} 缺少元数据，网站未生成")  # never ship such a page
        template, title, url = self._feedback_of(page, config)
        context["stdportal_feedback"] = self._link(template, title, url)  # type: ignore[typeddict-unknown-key]
        return context

    def _feedback_of(self, page: Any, config: Any) -> tuple[str, str, str]:
        """The feedback template, title and page address of a page."""
        template = page.meta.get("stdportal_feedback") or template_for(self.feedback.default)
        title = page.meta.get("stdportal_title") or page.title or config.site_name
        return template, title, _address(page)

    def _proven_shell(self, folder: str, sample: _GeneratedPage, env: Any, config: Any,
                      doc_files: Any) -> Shell | None:
        """The shell of `folder`'s pages, if a stand-in page (the body of `sample`, markup in its title and
        feedback setting) comes out of the shell exactly as the theme renders it."""
        marker = _MarkerPage(folder, config)
        shell = Shell.parse(_render_theme(marker, env, config, self.nav, doc_files))
        stand_in = Output(f"{folder}/{_PROOF_SLUG}.md", sample.output.content, False, _PROOF_META)
        proof = _GeneratedPage(stand_in, None, File.generated(config, stand_in.path, content=""), config)
        proof.read_source(config)
        proof.render(config, None)
        direct = _render_theme(proof, env, config, self.nav, doc_files)
        if shell is None or shell.fill(self._values(proof, config)) != direct:
            return None
        return shell

    def _proven_own_shell(self, page: _GeneratedPage, env: Any, config: Any, doc_files: Any) -> Shell | None:
        """The shell of one page in its own place (in the navigation, say), if the page with markup in its title
        and feedback setting, and the page itself, come out of the shell exactly as the theme renders them."""
        def rendered() -> str:
            return _render_theme(page, env, config, self.nav, doc_files)

        with page.standing_in(MARKERS["content"], {**_theme_meta(page.output), **_MARKER_META}, marked=True):
            shell = Shell.parse(rendered())
        if shell is None:
            return None
        with page.standing_in(page.output.text, {**_theme_meta(page.output, marked=False), **_PROOF_META}):
            proven = shell.fill(self._values(page, config)) == rendered()
        return shell if proven and shell.fill(self._values(page, config)) == rendered() else None

    def _values(self, page: _GeneratedPage, config: Any) -> dict[str, str]:
        template, _, url = self._feedback_of(page, config)
        return page_values(page.output.text, page.meta, template, url, page.file.name)

    def filled(self) -> dict[str, str]:
        """The outputs written from a shell in this build: path → the shell's key."""
        return {page.output.path: key for key in self.shells for page in self.batches[key]}

    def site_state(self, key: str, config: Any, site_dir: Path) -> SiteState:
        """What the next build needs to put a site together from this one (generator.sitecache)."""
        filled = self.filled()
        placed = {}
        for path, file in self.files_of.items():
            if path in filled:
                _, _, url = self._feedback_of(file.page, config)
                placed[path] = Placed(file.dest_uri, filled[path], url)
            else:
                placed[path] = Placed(file.dest_uri)
        digests = {path: (self.generated.get(path) or self._plain[path]).digest for path in self.files_of}
        return SiteState(key, dict(self.shells), placed, digests, template_for(self.feedback.default),
                         snapshot(site_dir), self.documents)

    def _write_from_shells(self, config: Any) -> None:
        for key, shell in self.shells.items():
            for page in self.batches[key]:
                html = shell.fill(self._values(page, config))
                path = Path(page.file.abs_dest_path)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(html.encode("utf-8", errors="xmlcharrefreplace"))  # as MkDocs writes a page

    def on_template_context(self, context: TemplateContext, template_name: str, config: Any) -> TemplateContext:
        if template_name == "404.html":
            url = (config.site_url or "/") + "404.html"
            if not config.site_url:  # links relative to the root that 404.html's script finds at run time
                context["base_url"] = "."
            context["stdportal_top_names"] = self.top_names  # type: ignore[typeddict-unknown-key]
            context["stdportal_feedback"] = self._link(template_for(self.feedback.default), "页面未找到", url)  # type: ignore[typeddict-unknown-key]
        return context

    def on_post_build(self, config: Any) -> None:
        self._write_from_shells(config)
        make_offline(Path(config.site_dir), keep_search="search" in config.plugins)
        mark(Path(config.site_dir))  # the next build may replace it

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self.db_dir))
        return server

    def _link(self, template: str, title: str, url: str) -> dict[str, str]:
        return {"href": fill(template, title, url), "template": template, "title": title,
                "label": self.feedback.label}


class _GeneratedPage(Page):
    """A page the pipeline made: its metadata and HTML are handed over as values. Nothing is parsed: there is
    no front matter that MkDocs could fail to read and then show as text, and the HTML is not run through
    Markdown again (which cost half of a build)."""

    marked = False
    """True while the page stands in for a shell: its values are markers."""

    def __init__(self, output: Output, title: str | None, file: File, config: Any) -> None:
        self.output = output
        self._rendered = False
        self._replaced: str | None = None
        super().__init__(title, file, config)

    @property  # type: ignore[override]
    def content(self) -> str | None:
        """The HTML body, decoded from the output each time it is asked for: MkDocs keeps every page's content
        until the build ends, and a second copy of all of them as str would double a large build's memory."""
        if self._replaced is not None:
            return self._replaced
        return self.output.text if self._rendered else None

    @content.setter
    def content(self, value: str | None) -> None:
        """A plugin may change the body; only a body that differs from the output's is kept."""
        self._replaced = value if value is not None and self._rendered and value != self.output.text else None

    def read_source(self, config: Any) -> None:
        self.markdown = ""
        self.meta = dict(self.output.meta or {})

    def render(self, config: Any, files: Any) -> None:
        self._rendered = True
        self.toc = get_toc([])
        self.present_anchor_ids = None  # anchors into generated pages are ours, not for MkDocs to check

    @contextmanager
    def standing_in(self, content: str, meta: dict[str, str], *, marked: bool = False) -> Iterator[None]:
        """For the time of a proof: the page, in its own place, with this body and metadata."""
        kept = self.output, self.meta, self._rendered, self._replaced
        self.output = Output(self.output.path, content, self.output.in_nav, meta)
        self.meta, self._rendered, self._replaced, self.marked = dict(meta), True, None, marked
        try:
            yield
        finally:
            self.output, self.meta, self._rendered, self._replaced = kept
            self.marked = False


class _MarkerPage(_GeneratedPage):
    """The stand-in page a shell is rendered from: markers where each page's own values go."""

    marked = True

    def __init__(self, folder: str, config: Any) -> None:
        output = Output(f"{folder}/{MARKERS['slug']}.md", MARKERS["content"], False, _MARKER_META)
        super().__init__(output, None, File.generated(config, output.path, content=""), config)
        self.read_source(config)
        self.render(config, None)


_MARKER_META = {"title": MARKERS["title"], "stdportal_title": MARKERS["feedback_title"],
                "stdportal_feedback": MARKERS["feedback_template"], "stdportal_title_lang": MARKERS["title_lang"]}
_SHELL_META = set(_MARKER_META)
"""The metadata a page may carry and still be filled into a shell (others are read by the theme)."""
_DEFERRED = "stdportal-deferred.html"
"""An empty template: MkDocs renders a page from a shell to nothing and skips it; we write it afterwards."""
_PROOF_SLUG = "stdportal-shell-proof"
_PROOF_META = {"title": "&lt;b&gt;证明&amp;&quot;&#x27;&lt;/b&gt;", "stdportal_title": "<b>证明&\"'</b> {title}",
               "stdportal_feedback": "mailto:a@example.org?subject={title}&body=\"{url}\"",
               "stdportal_title_lang": "en"}


def _shell_key(output: Output) -> str | None:
    """The shell a page is filled into, if any (it has its own heading): its folder's (named by the folder and a
    slash), for a page out of the navigation whose address and metadata a folder's shell can carry; else one
    of its own, named by its path (metadata the theme reads itself, such as the search page's `hide`, are then
    part of the engine key)."""
    if not output.is_page or b"<h1" not in output.data:
        return None
    if not output.in_nav and shell_slug(output.path) is not None and set(output.meta or ()) <= _SHELL_META:
        return posixpath.dirname(output.path) + "/"
    return output.path


def _address(page: Page) -> str:
    """The address a page's feedback link names: its canonical one when site_url is set."""
    return page.canonical_url or "/" + page.url


def _theme_meta(output: Output, *, marked: bool = True) -> dict[str, Any]:
    """A page's metadata that the theme reads itself, beside the values a folder's shell carries; `marked`: the
    search page's index manifest as its marker (a slot of its own shell carries it), as the engine key and the
    shell's stand-in take it."""
    meta = {name: value for name, value in (output.meta or {}).items() if name not in _SHELL_META}
    if marked and SEARCH_INDEX_META in meta:
        meta[SEARCH_INDEX_META] = MARKERS["search_index"]
    return meta


def _render_theme(page: Any, env: Any, config: Any, nav: Any, doc_files: Any) -> str:
    """A page through the theme, as MkDocs' own page build does it."""
    from mkdocs.commands.build import get_context

    page.active = True
    try:
        context = get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        return str(config.plugins.on_post_page(template.render(context), page=page, config=config))
    finally:
        page.active = False


def _nav_titles(nav: Any) -> dict[str, str]:
    """src path → the title mkdocs.yml's nav gives it (a page MkDocs did not create keeps its nav label)."""
    titles: dict[str, str] = {}
    items = nav if isinstance(nav, list) else [nav] if nav else []
    for item in items:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    titles[value] = str(title)
                else:
                    titles.update(_nav_titles(value))
    return titles


def _log_problems(problems: list[Problem]) -> None:
    for problem in problems:
        level = logging.WARNING if problem.severity is Severity.WARNING else logging.INFO
        log.log(level, format_problem(problem))


class Made(NamedTuple):
    pages: int
    reused: bool
    """True when the site was put together from `previous` (generator.sitecache), False for a full build."""
    reusable: bool = True
    """False when the next build cannot be put together from this site either (another plugin writes files from
    every page): a spare copy of it would be emptied unused."""


def build(config_file: Path, site_dir: Path, *, as_of: str | None = None, strict: bool = False,
          previous: Path | None = None) -> Made:
    """Build the site into site_dir; return the number of pages and whether the previous site was reused. The
    pipeline runs first, outside MkDocs: DataError comes straight from it, and `strict` fails on its warnings
    before MkDocs starts. With `previous` (the site as it is now), a build whose engine inputs are unchanged
    reuses it (generator.sitecache) instead of running MkDocs."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    with _engine_errors():
        with chinese_config_messages(config_file):
            config = load_config(str(config_file), site_dir=str(site_dir), strict=strict)
        plugin = _plugin(config, as_of)
        plugin.on_config(config)  # MkDocs runs it again in its build; it only reads the options
        state_file = Path(config.config_file_path).parent / STATE_FILE
        # Another plugin may write files from every page (Material's search index): only a full build updates them.
        alone = set(config.plugins) <= {"stdportal"}
        reusable = previous if alone and previous is not None and previous.is_dir() and state_file.is_file() else None
        # The folders assemble() needs are walked in a second process while the pipeline runs.
        walk = in_background(functools.partial(survey, reusable, site_dir)) if reusable else nullcontext(None)
        with walk as surveyed:
            outputs, problems = run(plugin.db_dir, plugin.as_of, plugin.options)
            problems = [*problems, *_example_feedback(config_file, plugin)]
            warnings = [p for p in problems if p.severity is Severity.WARNING]
            if strict and warnings:
                raise DataError(warnings)
            state = load_state(state_file) if reusable else None
            placing = _placing(config, state, outputs) if state is not None else None
            if state is not None and reusable is not None and placing is not None:
                filled = {path for path, placed in (*state.placed.items(), *placing.items())
                          if placed.shell is not None}
                # a page kept as it was fitted its shell last time (and is not even decompressed to ask)
                fits = all(_shell_key(o) == state.placed[o.path].shell for o in outputs
                           if o.path in state.placed and o.path in filled and o.digest != state.digests.get(o.path))
                if fits and state.engine_key == _engine_key(config, plugin, outputs, filled, strict) and \
                        (listing := _page_list_files(config, state, outputs, placing)) is not None:
                    reused = assemble(state, outputs, reusable, site_dir, surveyed, placing, listing)
                    if reused is not None:
                        _log_problems(problems)  # what MkDocs would have shown through the plugin
                        save_state(state_file, reused)
                        return Made(sum(1 for name in reused.files if name.endswith("index.html")), reused=True)
        forget_state(state_file)
        empty(site_dir)  # it may hold a site an earlier build retired (generator.publish)
        plugin.prepared = (outputs, problems)
        mkdocs_build(config)
        key = _engine_key(config, plugin, outputs, set(plugin.filled()), strict)
        save_state(state_file, plugin.site_state(key, config, site_dir))
    return Made(sum(1 for _ in site_dir.rglob("index.html")), reused=False, reusable=alone)


def _engine_key(config: Any, plugin: StdportalPlugin, outputs: list[Output], filled: set[str],
                strict: bool) -> str:
    """A digest of everything the engine's part of the site depends on: configuration, hand-written pages,
    theme, our code, the build date, the site's top folders (the 404 page names them), the title of each page
    in the navigation (every page prints them), the metadata the theme reads of each page in a shell of its own,
    and each page not filled into a shell. Not the list of pages: a page added to or removed from a folder with
    a shell changes only the sitemap (_page_list_files)."""
    from importlib.metadata import version

    from mkdocs.utils import get_build_date

    folders = [Path(config.config_file_path), Path(config.docs_dir)]
    folders += [Path(d) for d in (config.theme.custom_dir, *plugin.options.template_dirs) if d]
    parts = [code_digest(), version("mkdocs"), version("mkdocs-material"), str(strict), get_build_date(),
             digest_tree(folders), repr(_top_names([], outputs)),
             repr(sorted((o.path, str((o.meta or {}).get("title"))) for o in outputs if o.in_nav)),
             repr(sorted((o.path, sorted(_theme_meta(o).items())) for o in outputs if o.path in filled
                         and _theme_meta(o))),
             *sorted(o.digest for o in outputs if o.is_page and o.path not in filled)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _top_names(files: Any, outputs: list[Output]) -> list[str]:
    """The site's top-level folders (the 404 page finds the site's root among them at any address)."""
    return sorted({f.dest_uri.partition("/")[0] for f in files if "/" in f.dest_uri}
                  | {o.path.partition("/")[0] for o in outputs if "/" in o.path})


def _placing(config: Any, state: SiteState, outputs: list[Output]) -> dict[str, Placed] | None:
    """Where each output the last site did not have goes (a standard added), as a full build would place it; None
    when a new page has no shell in the state (a page of a new folder, or one the theme renders itself)."""
    placing = {}
    for output in outputs:
        if output.path in state.placed:
            continue
        file = _file(config, output.path)
        key = _shell_key(output)
        if not output.is_page:
            placing[output.path] = Placed(file.dest_uri)
        elif key is None or key not in state.shells:
            return None
        else:
            placing[output.path] = Placed(file.dest_uri, key, _address(Page(None, file, config)))
    return placing


def _file(config: Any, path: str) -> File:
    """A file of the site at `path`, to ask where it goes (outside a build, where File.generated is not for us)."""
    return File(path, src_dir=None, dest_dir=config.site_dir, use_directory_urls=config.use_directory_urls)


def _page_list_files(config: Any, state: SiteState, outputs: list[Output],
                     placing: dict[str, Placed]) -> dict[str, bytes] | None:
    """When outputs were added or removed: the engine's files that list every page (the sitemap), made again as
    MkDocs makes them; None when only a full build gives the same site, because mkdocs.yml or a hand-written page
    names one of those files (MkDocs links to a file, or warns of a missing one, as it exists), or a theme template
    reads the list of pages. Nothing to make when the list is the same."""
    gone = state.placed.keys() - {o.path for o in outputs}
    if not placing and not gone:
        return {}
    if _named_by_hand(config, {*placing, *gone}) or _theme_reads_pages(config):
        return None
    return _sitemap(config, [*state.documents, *(o.path for o in outputs if o.is_page)])


def _named_by_hand(config: Any, paths: set[str]) -> bool:
    """Whether mkdocs.yml (its navigation) or a hand-written page names the file of one of these outputs."""
    from mkdocs.utils import markdown_extensions

    names = {posixpath.basename(path) for path in paths}
    texts = [Path(config.config_file_path),
             *(p for p in Path(config.docs_dir).rglob("*") if p.suffix in markdown_extensions and p.is_file())]
    for text in texts:
        content = text.read_text(encoding="utf-8", errors="replace")
        if any(name in content for name in names):
            return True
    return False


def _theme_reads_pages(config: Any) -> bool:
    """Whether a theme template (an operator's override included) reads `pages`, the list of every page that
    MkDocs gives every template; the sitemap's is made again (_sitemap)."""
    from jinja2 import meta

    env = config.theme.get_env()
    # Not the theme's icons (Material's .icons/ holds 10,000 SVG files, no template among them).
    for name in env.list_templates(filter_func=lambda name: name != _SITEMAP and not name.startswith(".icons/")):
        try:
            source = env.loader.get_source(env, name)[0]
        except UnicodeDecodeError:
            continue  # an image beside the templates
        if "pages" in source and "pages" in meta.find_undeclared_variables(env.parse(source)):
            return True
    return False


_SITEMAP = "sitemap.xml"


def _sitemap(config: Any, pages: list[str]) -> dict[str, bytes] | None:
    """sitemap.xml and sitemap.xml.gz of a site with these pages, in order, byte for byte as MkDocs writes them
    (mkdocs.commands.build._build_theme_template); None when the theme's template reads more than the pages."""
    import gzip
    import io

    from jinja2 import meta
    from mkdocs.commands.build import get_context
    from mkdocs.utils import get_build_timestamp

    env = config.theme.get_env()
    try:
        source = env.loader.get_source(env, _SITEMAP)[0]
    except jinja2.TemplateNotFound:
        return {}
    if _SITEMAP not in config.theme.static_templates:
        return {}
    if not meta.find_undeclared_variables(env.parse(source)) <= {"pages"}:
        return None
    files = [_file(config, path) for path in pages]
    listed = [Page(None, file, config) for file in files]
    text = env.get_template(_SITEMAP).render(get_context(None, files, config))  # type: ignore[arg-type]
    if not text.strip():
        return {}
    data = text.encode("utf-8")
    packed = io.BytesIO()
    with gzip.GzipFile(fileobj=packed, filename=f"{_SITEMAP}.gz", mode="wb",
                       mtime=get_build_timestamp(pages=listed)) as gz:
        gz.write(data)
    return {_SITEMAP: data, f"{_SITEMAP}.gz": packed.getvalue()}


def _example_feedback(config_file: Path, plugin: StdportalPlugin) -> list[Problem]:
    """A warning for each feedback channel that is still an example address: readers' messages would reach
    nobody. At the line of mkdocs.yml that names it, where it can be found."""
    problems = []
    text = config_file.read_text(encoding="utf-8", errors="replace").splitlines()
    for target in example_channels(plugin.feedback):
        line, column = next(((n, row.index(target) + 1) for n, row in enumerate(text, 1) if target in row), (0, 0))
        message = (f"意见反馈渠道 {target} 是示例地址，读者的反馈不会有人收到；"
                   "请在 mkdocs.yml 的 plugins.stdportal.feedback 中改为贵单位的邮箱或网址")
        problems.append(Problem(config_file, line, column, message, Severity.WARNING))
    return problems


@dataclass(frozen=True)
class RenderSetup:
    """What the pipeline needs from mkdocs.yml to render pages outside a build (the preview's first answer)."""

    db_dir: Path
    as_of: dt.date
    options: RenderOptions
    state_file: Path
    """The site state the last build left (generator.sitecache)."""


def render_setup(config_file: Path, as_of: str | None = None) -> RenderSetup:
    with _engine_errors():
        config = _probe_config(config_file)
        plugin = _plugin(config, as_of)
        plugin.on_config(config)
    return RenderSetup(plugin.db_dir, plugin.as_of, plugin.options,
                       Path(config.config_file_path).parent / STATE_FILE)


def live_server(config_file: Path, root: Path, rebuild: Callable[[Callable[[], None]], None], watched: list[Path],
                dev_addr: str) -> None:
    """Serve the site folder `root` at dev_addr under the path of site_url, with live reload: a change under
    any of `watched` runs `rebuild(reload)`, then open pages reload; `reload()` reloads them at once, in the
    middle of a rebuild that has something to show early. Returns when interrupted."""
    import threading
    from urllib.parse import urlsplit

    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer, _timestamp

    with chinese_config_messages(config_file):
        config = load_config(str(config_file), site_dir=str(root))
    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit():
        raise BuildError(f"预览地址应形如 127.0.0.1:8000，不是 \"{dev_addr}\"")
    server: LiveReloadServer

    def reload() -> None:
        # MkDocs reloads the open pages when the build it started ends: it then shows its "wanted" epoch, taken
        # when the build started. Showing a newer one now, and making it the wanted one, reloads the pages now
        # and again when the build ends (the pages loaded in between carry this epoch).
        condition: threading.Condition = server._epoch_cond
        with condition:
            server._wanted_epoch = server._visible_epoch = _timestamp()
            condition.notify_all()

    server = LiveReloadServer(builder=lambda: rebuild(reload), host=host, port=int(port), root=str(root),
                              mount_path=urlsplit(config.site_url or "/").path)

    def missing_page(code: int) -> bytes | None:
        page = root / f"{code}.html"
        return page.read_bytes() if code == 404 and page.is_file() else None

    server.error_handler = missing_page
    try:
        for path in watched:
            if path.exists():
                server.watch(str(path))
        server.serve()
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        raise BuildError(f"预览服务启动失败：{_server_reason(exc, dev_addr)}") from None
    finally:
        server.shutdown()


def _server_reason(exc: OSError, dev_addr: str) -> str:
    """Why the preview could not listen at dev_addr or watch the project's folders, and what to do."""
    other = "用 -a 换一个端口，如 -a 127.0.0.1:8001"
    reasons = {
        errno.EADDRINUSE: f"地址 {dev_addr} 已被占用（可能已有一个预览在运行）：请先停止它，或{other}",
        errno.EACCES: f"无权使用地址 {dev_addr}（1024 以下的端口需要管理员权限）：请{other}",
        errno.EADDRNOTAVAIL: f"本机没有地址 {dev_addr}：请用 -a 127.0.0.1:8000",
        # the file watcher (inotify on Linux) says so when its limits are reached
        errno.ENOSPC: "要监视的文件夹超出了系统的限额：请调大 fs.inotify.max_user_watches（Linux）",
        errno.EMFILE: "同时打开的文件过多：请调大 fs.inotify.max_user_instances 或 ulimit -n（Linux）",
    }
    return reasons.get(exc.errno or 0) or f"{os_reason(exc)}（地址 {dev_addr}）"


def project(config_file: Path) -> Project:
    """The folders of the project that config_file describes, for the site folder checks of `publish`."""
    with _engine_errors():
        config = _probe_config(config_file)
    plugin = config.plugins.get("stdportal")
    if plugin is None:
        raise BuildError("mkdocs.yml 没有启用 stdportal 插件（plugins: - stdportal）")
    return _project(config, Path(config.config_file_path).parent / plugin.config.database)


def _probe_config(config_file: Path) -> Any:
    """mkdocs.yml loaded with a site folder clear of everything, so that the checks of publish speak before
    MkDocs' own."""
    from mkdocs.config import load_config

    with chinese_config_messages(config_file):
        return load_config(str(config_file), site_dir=str(config_file.resolve().parent / ".stdportal-probe"))


@contextmanager
def _engine_errors() -> Iterator[None]:
    """MkDocs' failures as BuildError: a message in Chinese, never a traceback."""
    try:
        yield
    except Abort:
        # MkDocs has already logged the cause as an ERROR line; its own Abort text says nothing more.
        raise BuildError("MkDocs 构建失败，原因见上方的 ERROR 信息") from None
    except PluginError as exc:
        raise BuildError(str(exc)) from None
    except OSError as exc:
        where = f"（{exc.filename}）" if exc.filename else ""
        raise BuildError(f"MkDocs 构建失败：{os_reason(exc)}{where}") from None
    except (MkDocsException, ValueError) as exc:  # a broken mkdocs.yml among them
        raise BuildError(f"MkDocs 构建失败：{exc}") from None


def _project(config: Any, database: Path) -> Project:
    custom_dir = config.theme.custom_dir
    return Project(Path(config.config_file_path), Path(config.docs_dir), database,
                   (Path(custom_dir),) if custom_dir else ())


def _plugin(config: Any, as_of: str | None) -> StdportalPlugin:
    plugin = config.plugins.get("stdportal")
    if plugin is None:
        raise BuildError("mkdocs.yml 没有启用 stdportal 插件（plugins: - stdportal）")
    if as_of:
        plugin.config.as_of = as_of
    return plugin
