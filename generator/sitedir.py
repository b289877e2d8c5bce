"""Where a site may be written: never over the project, its sources or its history, never over a folder that
stdportal did not create.

Building a site empties its folder (MkDocs cleans it; `stdportal build` replaces it whole), so a mistyped
`--site-dir standards`, `docs`, `.` or `..` would delete what it names. Every check compares real paths, with
symbolic links resolved. A site folder *inside* the project is normal (`site/`); one that *is* or *contains* the
project, or lies inside its docs, database, theme overrides or `.git`, is refused.

A site that stdportal built carries the marker file MARKER, so that a later build knows the folder is its own.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError

__all__ = ["MARKER", "MARKER_TEXT", "Project", "check_replaceable", "check_site_dir", "empty", "is_ours", "mark",
           "real"]

MARKER = ".stdportal-site"
MARKER_TEXT = "本文件夹由 stdportal build 生成，下次生成网站时会被整个替换；请勿在此存放其他文件。\n"


@dataclass(frozen=True)
class Project:
    """The paths a site folder must stay clear of."""

    config_file: Path
    docs_dir: Path
    database: Path
    theme_dirs: tuple[Path, ...] = field(default=())
    """Theme folders of the project (custom_dir); an installed theme's own folder is not the project's."""

    @property
    def root(self) -> Path:
        return self.config_file.parent

    def protected(self) -> list[tuple[Path, str]]:
        """(path, what it is), the project root first."""
        return [
            (self.root, "项目文件夹（mkdocs.yml 所在的文件夹）"),
            (self.config_file, "网站配置文件"),
            (self.root / ".git", "项目的 git 仓库（.git 文件夹）"),
            (self.docs_dir, "手写页面文件夹（docs_dir）"),
            (self.database, "标准数据库文件夹"),
            *((folder, "主题覆盖文件夹（custom_dir）") for folder in self.theme_dirs),
        ]


def real(path: Path | str) -> Path:
    """The absolute path with every symbolic link resolved (also for a path that does not exist yet)."""
    return Path(os.path.realpath(os.path.abspath(path)))


def check_site_dir(site_dir: Path | str, project: Project) -> None:
    """Raise ConfigError when site_dir is, contains or lies inside anything the project cannot lose."""
    site = real(site_dir)
    for path, what in project.protected():
        target = real(path)
        if site == target:
            relation = f"就是{what}"
        elif target.is_relative_to(site):
            relation = f"包含{what}"
        elif site.is_relative_to(target) and path != project.root:
            relation = f"在{what}里面"
        else:
            continue
        raise ConfigError(f"不能把网站生成到 {site}：这个文件夹{relation} {target}。生成网站会清空并替换网站文件夹，"
                          "请另选一个文件夹，如项目中的 site（--site-dir site，或 mkdocs.yml 的 site_dir）。")


def is_ours(folder: Path) -> bool:
    """True for a folder that a stdportal build wrote (it carries the marker)."""
    return (folder / MARKER).is_file() and not (folder / MARKER).is_symlink()


def mark(folder: Path) -> None:
    """Leave the marker in a site folder a build wrote (`mkdocs build`; `stdportal build` marks its own)."""
    if not is_ours(folder):
        (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def empty(folder: Path) -> None:
    """Remove everything in a build's own folder (one that carries the marker; any other is left alone) but the
    hidden files at its top (the marker), so that a full build starts from nothing whatever an earlier site
    left there. Links are removed, never followed."""
    if not is_ours(folder):
        return
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(".") and entry.is_file(follow_symlinks=False):
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)


_SITE_FILES = (".html", ".xml", ".xml.gz", ".json", ".js", ".css", ".svg", ".png", ".ico", ".webmanifest")
"""What a built site holds at its top besides folders (the home page, 404.html, the sitemap …)."""
_SITE_NAMES = {"robots.txt", "CNAME", ".nojekyll"}
"""Files a host puts at a site's top (GitHub Pages' domain name and its switch)."""
_DATA_FOLDERS = {"assets", "search", "search-index", "feeds", "downloads", "system", "monitor", "standards"}
"""stdportal's and the theme's folders that hold data files besides pages (JSON, CSV, XLSX, feeds, styles)."""
_DATA_FILES = (".html", ".xml", ".json", ".js", ".css", ".svg", ".png", ".ico", ".csv", ".xlsx", ".gz", ".woff2")
_PAGE_FILES = (".html", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp")
"""What the folder of a page holds: the page and its pictures (a hand-written page's images)."""


def _built_by_an_earlier_version(folder: Path) -> bool:
    """Sites built before the marker existed: stdportal's home page, assets and search index, and nothing
    anywhere below that a built site does not hold. A file of another kind (notes.txt, a .docx; a .xlsx outside
    the site's data folders), a hidden entry (.git), a link, or a folder with no page in it (photos/) is
    someone else's: the folder is not taken for a site."""
    if not ((folder / "index.html").is_file() and (folder / "assets" / "stdportal").is_dir()
            and (folder / "search-index" / "manifest.json").is_file()):
        return False
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_symlink():
                return False
            if entry.is_dir():
                allowed = _DATA_FILES if entry.name in _DATA_FOLDERS else _PAGE_FILES
                if entry.name.startswith(".") or not _only(entry.path, allowed, entry.name not in _DATA_FOLDERS):
                    return False
            elif entry.name not in _SITE_NAMES and (entry.name.startswith(".") or not entry.name.endswith(_SITE_FILES)):
                return False
    return True


def _only(folder: str, suffixes: tuple[str, ...], page: bool) -> bool:
    """Whether everything below the folder is a folder or a file with one of the suffixes (no link, no hidden
    entry, nothing of another kind), and, when `page`, an .html file is among them (a folder of someone's photos
    holds none)."""
    paged = not page
    for root, folders, files in os.walk(folder):
        for name in folders:
            if name.startswith(".") or os.path.islink(os.path.join(root, name)):
                return False
        for name in files:
            if name.startswith(".") or not name.endswith(suffixes) or os.path.islink(os.path.join(root, name)):
                return False
            paged = paged or name.endswith(".html")
    return paged


def check_replaceable(site_dir: Path | str) -> None:
    """Raise ConfigError unless site_dir is missing, empty, or a site stdportal built: no command may delete
    what it did not create."""
    site = real(site_dir)
    if not os.path.lexists(site):
        return
    if not site.is_dir():
        raise ConfigError(f"网站文件夹 {site} 已存在，但它是一个文件：请另选一个文件夹，或先自行删除这个文件。")
    if _is_empty(site.iterdir()) or is_ours(site) or _built_by_an_earlier_version(site):
        return
    raise ConfigError(f"网站文件夹 {site} 中已有其他文件，看起来不是 stdportal 生成的网站。生成网站会替换整个文件夹，"
                      "为免误删，请另选一个新的或空的文件夹，或确认其中的文件不再需要后自行删除。")


def _is_empty(entries: Iterable[Path]) -> bool:
    return next(iter(entries), None) is None
