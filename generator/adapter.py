"""The MkDocs adapter: the only module that imports MkDocs.

As a plugin it feeds the generated pages to MkDocs as virtual files and puts the feedback link's target into
every page's context; `build` and `serve` let the CLI drive MkDocs without importing it.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, MkDocsException, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from .buildtime import pin_build_time
from .config_messages import chinese_config_messages
from .errors import BuildError, DataError, StdportalError
from .feedback import fill, parse_feedback_config, template_for
from .fsencoding import check_file_name_encoding
from .offline import make_offline
from .pipeline import resolve_as_of, run
from .problems import Problem, Severity, format_problem
from .render import RenderOptions
from .sitedir import Project, check_site_dir

if TYPE_CHECKING:
    from mkdocs.utils.templates import TemplateContext

__all__ = ["StdportalPlugin", "build", "project", "serve"]

BRIEF_DATA_ERROR = "标准数据有错误，网站未生成"
"""What MkDocs logs when `build`'s caller prints the problems itself (and may leave out)."""

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
    data_error: DataError | None = None
    brief_errors = False
    """Set by `build`: its caller prints the problems, so MkDocs' error line need not repeat them."""

    def on_config(self, config: Any) -> Any:
        base = Path(config.config_file_path or ".").parent
        self.db_dir = (base / self.config.database).resolve()
        try:
            check_file_name_encoding()
            check_site_dir(config.site_dir, _project(config, self.db_dir))  # before MkDocs empties it
            self.feedback = parse_feedback_config(self.config.feedback)
            as_of = resolve_as_of(self.config.as_of)
            pin_build_time(self.config.as_of)
        except StdportalError as exc:
            raise PluginError(str(exc)) from None
        templates = (base / self.config.templates,) if self.config.templates else ()
        self.options = RenderOptions(self.feedback, config.site_name, config.use_directory_urls, templates,
                                     site_url=config.site_url or "")
        self.as_of = as_of
        config.extra["stdportal_assets"] = _assets_version(config.theme.dirs)
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        try:
            outputs, problems = run(self.db_dir, self.as_of, self.options)
        except DataError as exc:
            self.data_error = exc  # `build` hands it to its caller, which prints the lines itself
            if self.brief_errors:
                raise PluginError(BRIEF_DATA_ERROR) from None
            raise PluginError("标准数据有错误：\n" + "\n".join(format_problem(p) for p in exc.problems)) from None
        except StdportalError as exc:
            raise PluginError(str(exc)) from None
        _log_problems(problems)
        hand_written = {file.src_uri for file in files}  # once: Files' own lookup re-indexes after each append
        for output in outputs:
            if output.path in hand_written:
                raise PluginError(f"docs/{output.path} 与生成的页面重名，请改名或删除")
            file = File.generated(config, output.path, content=output.content)
            if not output.in_nav:
                file.inclusion = InclusionLevel.NOT_IN_NAV
            files.append(file)
        return files

    # The ignores below: MkDocs' TemplateContext TypedDict lists only MkDocs' own keys, yet plugins add theirs.
    def on_page_context(self, context: TemplateContext, page: Any, config: Any, nav: Any) -> TemplateContext:
        template = page.meta.get("stdportal_feedback") or template_for(self.feedback.default)
        title = page.meta.get("stdportal_title") or page.title or config.site_name
        context["stdportal_feedback"] = self._link(template, title, page.canonical_url or "/" + page.url)  # type: ignore[typeddict-unknown-key]
        return context

    def on_template_context(self, context: TemplateContext, template_name: str, config: Any) -> TemplateContext:
        if template_name == "404.html":
            url = (config.site_url or "/") + "404.html"
            context["stdportal_feedback"] = self._link(template_for(self.feedback.default), "页面未找到", url)  # type: ignore[typeddict-unknown-key]
        return context

    def on_post_build(self, config: Any) -> None:
        make_offline(Path(config.site_dir), keep_search="search" in config.plugins)

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self.db_dir))
        return server

    def _link(self, template: str, title: str, url: str) -> dict[str, str]:
        return {"href": fill(template, title, url), "template": template, "title": title,
                "label": self.feedback.label}


def _log_problems(problems: list[Problem]) -> None:
    for problem in problems:
        level = logging.WARNING if problem.severity is Severity.WARNING else logging.INFO
        log.log(level, format_problem(problem))


def build(config_file: Path, site_dir: Path, *, as_of: str | None = None, strict: bool = False) -> int:
    """Build the site into site_dir; return the number of pages."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    plugin: StdportalPlugin | None = None
    try:
        with chinese_config_messages(config_file):
            config = load_config(str(config_file), site_dir=str(site_dir), strict=strict)
        plugin = _plugin(config, as_of)
        plugin.brief_errors = True
        mkdocs_build(config)
    except Abort:
        if plugin is not None and plugin.data_error is not None:
            raise plugin.data_error from None
        # MkDocs has already logged the cause as an ERROR line; its own Abort text says nothing more.
        raise BuildError("MkDocs 构建失败，原因见上方的 ERROR 信息") from None
    except (MkDocsException, OSError, ValueError) as exc:  # a broken mkdocs.yml among them
        raise BuildError(f"MkDocs 构建失败：{exc}") from None
    return sum(1 for _ in site_dir.rglob("index.html"))


def serve(config_file: Path, dev_addr: str) -> None:
    """Preview with live reload; edits to the database and docs rebuild the site."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    try:
        with chinese_config_messages(config_file):
            mkdocs_serve(str(config_file), dev_addr=dev_addr, livereload=True)
    except (Abort, PluginError) as exc:
        raise BuildError(f"预览服务启动失败：{exc}") from None


def project(config_file: Path) -> Project:
    """The folders of the project that config_file describes, for the site folder checks of `publish`."""
    from mkdocs.config import load_config

    # A site folder clear of everything, so that the checks of publish speak before MkDocs' own.
    probe = config_file.resolve().parent / ".stdportal-probe"
    try:
        with chinese_config_messages(config_file):
            config = load_config(str(config_file), site_dir=str(probe))
    except Abort:
        raise BuildError("MkDocs 构建失败，原因见上方的 ERROR 信息") from None
    except (MkDocsException, OSError, ValueError) as exc:
        raise BuildError(f"MkDocs 构建失败：{exc}") from None
    plugin = config.plugins.get("stdportal")
    if plugin is None:
        raise BuildError("mkdocs.yml 没有启用 stdportal 插件（plugins: - stdportal）")
    return _project(config, Path(config.config_file_path).parent / plugin.config.database)


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
