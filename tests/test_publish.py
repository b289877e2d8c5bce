"""Putting a built site in place: never over the project, never over a folder stdportal did not create, in one
step where the platform allows, leftovers of killed builds removed, a mount point filled file by file."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import adapter, publish
from generator.errors import BuildError, ConfigError
from generator.sitedir import MARKER, Project, check_replaceable, check_site_dir


def _project(root: Path) -> Project:
    for folder in ("docs", "standards/national", "overrides", ".git/objects"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    return Project(root / "mkdocs.yml", root / "docs", root / "standards", (root / "overrides",))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A project layout; the MkDocs build is replaced by one that writes a page with the text in `content`."""
    proj = _project(tmp_path / "project")
    monkeypatch.setattr(adapter, "project", lambda config_file: proj)
    monkeypatch.setattr(adapter, "build", _fake_build)
    return proj


CONTENT = {"index.html": "new", "standards/a/index.html": "A"}


def _fake_build(config_file: Path, site_dir: Path, **_: object) -> adapter.Made:
    for name, text in CONTENT.items():
        (site_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / name).write_text(text, encoding="utf-8")
    return adapter.Made(len(CONTENT), reused=False)


def _files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _old_site(site: Path) -> None:
    (site / "sub").mkdir(parents=True)
    (site / "index.html").write_text("old", encoding="utf-8")
    (site / "sub" / "gone.html").write_text("old page", encoding="utf-8")
    (site / MARKER).write_text("", encoding="utf-8")


def _dots(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".site"))


# --- where a site may go ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("site", "fragment"),
    [
        (".", "就是项目文件夹"),
        ("..", "包含项目文件夹"),
        ("/", "包含项目文件夹"),
        ("standards", "就是标准数据库文件夹"),
        ("standards/national", "在标准数据库文件夹里面"),
        ("docs", "就是手写页面文件夹"),
        ("docs/site", "在手写页面文件夹（docs_dir）里面"),
        ("overrides", "就是主题覆盖文件夹"),
        ("overrides/assets", "在主题覆盖文件夹（custom_dir）里面"),
        (".git", "就是项目的 git 仓库"),
        (".git/site", "在项目的 git 仓库（.git 文件夹）里面"),
        ("mkdocs.yml", "就是网站配置文件"),
    ],
)
def test_a_site_folder_over_the_project_is_refused(tmp_path: Path, site: str, fragment: str) -> None:
    proj = _project(tmp_path / "project")
    with pytest.raises(ConfigError) as caught:
        check_site_dir(proj.root / site, proj)
    assert fragment in str(caught.value)
    assert "请另选一个文件夹" in str(caught.value)


@pytest.mark.parametrize(("link", "target"), [("db-link", "standards"), ("up", ".."), ("here", "."),
                                             ("in-docs", "docs/sub")])
def test_symbolic_links_do_not_hide_the_project(tmp_path: Path, link: str, target: str) -> None:
    proj = _project(tmp_path / "project")
    (proj.root / "docs" / "sub").mkdir()
    (tmp_path / link).symlink_to(os.path.normpath(proj.root / target), target_is_directory=True)
    with pytest.raises(ConfigError):
        check_site_dir(tmp_path / link, proj)


@pytest.mark.parametrize("site", ["site", "public/site", "../published", ".site-preview"])
def test_a_site_folder_beside_or_below_the_project_root_is_fine(tmp_path: Path, site: str) -> None:
    proj = _project(tmp_path / "project")
    check_site_dir(proj.root / site, proj)


def test_a_folder_stdportal_did_not_create_is_not_replaced(tmp_path: Path) -> None:
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(ConfigError, match="看起来不是 stdportal 生成的网站"):
        check_replaceable(foreign)
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ConfigError, match="它是一个文件"):
        check_replaceable(tmp_path / "notes.txt")
    empty = tmp_path / "empty"
    empty.mkdir()
    check_replaceable(empty)
    check_replaceable(tmp_path / "missing")
    (foreign / MARKER).write_text("", encoding="utf-8")
    check_replaceable(foreign)
    earlier = tmp_path / "earlier"  # built before the marker existed
    (earlier / "assets" / "stdportal").mkdir(parents=True)
    (earlier / "search-index").mkdir()
    (earlier / "search-index" / "manifest.json").write_text("{}", encoding="utf-8")
    (earlier / "index.html").write_text("", encoding="utf-8")
    check_replaceable(earlier)


def test_build_site_refuses_before_anything_is_written(project: Project) -> None:
    before = _files(project.root)
    for site in (project.root, project.database, project.docs_dir, project.root.parent):
        with pytest.raises(ConfigError):
            publish.build_site(project.config_file, site)
    home = project.root.parent / "home"
    home.mkdir()
    (home / "thesis.docx").write_text("irreplaceable", encoding="utf-8")
    with pytest.raises(ConfigError):
        publish.build_site(project.config_file, home)
    assert _files(project.root) == before
    assert _files(home) == {"thesis.docx": "irreplaceable"}
    assert _dots(project.root) == [] and _dots(project.root.parent) == []


# --- putting it in place ------------------------------------------------------------------------------------


def test_the_new_site_is_readable_by_others(project: Project) -> None:
    old = os.umask(0o022)
    try:
        built = publish.build_site(project.config_file, project.root / "site")
    finally:
        os.umask(old)
    site = project.root / "site"
    mode = stat.S_IMODE(site.stat().st_mode)
    assert mode == 0o755, oct(mode)
    assert built == publish.Built(2, copied=False)
    assert _files(site) == {**CONTENT, MARKER: (site / MARKER).read_text(encoding="utf-8")}
    assert (site / MARKER).read_text(encoding="utf-8").startswith("本文件夹由 stdportal build 生成")


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_site_is_replaced_whole(project: Project, monkeypatch: pytest.MonkeyPatch, exchange: bool) -> None:
    site = project.root / "site"
    _old_site(site)
    if not exchange:
        monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    inode = site.stat().st_ino
    publish.build_site(project.config_file, site)
    assert set(_files(site)) == {*CONTENT, MARKER}
    # A full build: the retired site shares nothing with the new one and is gone; the spare is the new site
    assert _dots(project.root) == [".site-spare"]
    _assert_linked_copy(site, project.root / ".site-spare")
    if exchange and os.uname().sysname == "Linux":
        assert site.stat().st_ino != inode  # the folder itself was swapped, not refilled


def _assert_linked_copy(site: Path, spare: Path) -> None:
    """The spare a full build leaves: every file of the site, as the same file (a hard link), with a marker of
    its own (one that the site does not share)."""
    files = {p.relative_to(site) for p in site.rglob("*") if p.is_file()}
    assert {p.relative_to(spare) for p in spare.rglob("*") if p.is_file()} == files
    for rel in files - {Path(MARKER)}:
        assert (spare / rel).stat().st_ino == (site / rel).stat().st_ino, rel
    assert (spare / MARKER).stat().st_ino != (site / MARKER).stat().st_ino


def test_the_spare_after_a_full_build_is_taken_by_the_next_build(project: Project,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    site, spare = project.root / "site", project.root / ".site-spare"
    publish.build_site(project.config_file, site)
    first = (site / "index.html").stat().st_ino
    taken: list[set[str]] = []

    def reusing(config_file: Path, site_dir: Path, **kwargs: object) -> adapter.Made:
        taken.append({p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()})
        assert (site_dir / "index.html").stat().st_ino == first  # the site's own file, where the build starts
        (site_dir / "standards/a/index.html").unlink()
        (site_dir / "standards/a/index.html").write_text("A2", encoding="utf-8")
        return adapter.Made(2, reused=True)

    monkeypatch.setattr(adapter, "build", reusing)
    publish.build_site(project.config_file, site)
    assert taken == [{*CONTENT, MARKER}]
    assert _files(site)["standards/a/index.html"] == "A2"
    assert _files(spare)["standards/a/index.html"] == "A"  # the retired site: nothing was written through a link
    assert _dots(project.root) == [".site-spare"]


def _site_with_a_link(site: Path) -> None:
    (site / "assets").symlink_to(site.parent / "docs", target_is_directory=True)


@pytest.mark.parametrize("obstacle", ["no-links", "symlink", "no-cache", "foreign-spare"])
def test_a_full_build_leaves_no_spare_where_it_cannot_or_may_not(project: Project,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 obstacle: str) -> None:
    """A file system without hard links, a site holding a symbolic link (the next build would not start from
    it), STDPORTAL_NO_CACHE=1, or a .site-spare that is not ours: no spare is made, no folder is left behind, and
    the site is whole."""
    site, spare = project.root / "site", project.root / ".site-spare"
    if obstacle == "no-links":
        def refused(*args: object, **kwargs: object) -> None:
            raise OSError(errno.EPERM, os.strerror(errno.EPERM))
        monkeypatch.setattr(publish.os, "link", refused)
    elif obstacle == "symlink":
        def linking(config_file: Path, site_dir: Path, **kwargs: object) -> adapter.Made:
            made = _fake_build(config_file, site_dir)
            _site_with_a_link(site_dir)
            return made
        monkeypatch.setattr(adapter, "build", linking)
    elif obstacle == "no-cache":
        monkeypatch.setenv("STDPORTAL_NO_CACHE", "1")
    else:
        spare.mkdir()
        (spare / "notes.txt").write_text("维护人员自己的文件", encoding="utf-8")
    publish.build_site(project.config_file, site)
    assert set(_files(site)) >= {*CONTENT, MARKER}
    if obstacle == "foreign-spare":
        assert _dots(project.root) == [".site-spare"] and _files(spare) == {"notes.txt": "维护人员自己的文件"}
    else:
        assert _dots(project.root) == []


def test_after_a_build_that_reused_the_old_site_the_old_site_is_kept_as_the_spare(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    site = project.root / "site"
    _old_site(site)
    old = _files(site)

    def reusing(config_file: Path, site_dir: Path, **kwargs: object) -> adapter.Made:
        return adapter.Made(_fake_build(config_file, site_dir).pages, reused=True)

    monkeypatch.setattr(adapter, "build", reusing)
    publish.build_site(project.config_file, site)
    assert _dots(project.root) == [".site-spare"]
    assert _files(project.root / ".site-spare") == old  # the retired site, whole, where the next build starts
    monkeypatch.setenv("STDPORTAL_NO_CACHE", "1")
    publish.build_site(project.config_file, site)
    assert _files(project.root / ".site-spare") == old  # neither taken nor replaced without the cache


def test_a_spare_that_cannot_be_made_is_no_error(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """The new site is in place before the spare is made: a full disk then means no spare, not a failed build."""
    site = project.root / "site"
    _old_site(site)
    real_mkdtemp = publish.tempfile.mkdtemp
    calls: list[str] = []

    def full_disk(*args: object, **kwargs: object) -> str:
        calls.append("mkdtemp")
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_mkdtemp(*args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(publish.tempfile, "mkdtemp", full_disk)
    assert publish.build_site(project.config_file, site) == publish.Built(2, copied=False)
    assert set(_files(site)) == {*CONTENT, MARKER} and len(calls) == 2
    assert _dots(project.root) == []


def test_a_build_that_leaves_no_reusable_site_leaves_no_spare(project: Project,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """With another plugin that writes files from every page, every build is a full one: a spare would be
    emptied unused."""
    def not_reusable(config_file: Path, site_dir: Path, **kwargs: object) -> adapter.Made:
        return adapter.Made(_fake_build(config_file, site_dir).pages, reused=False, reusable=False)

    monkeypatch.setattr(adapter, "build", not_reusable)
    publish.build_site(project.config_file, project.root / "site")
    assert _dots(project.root) == []


def test_the_spare_being_taken_is_never_free_for_another_builds_cleanup(project: Project,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Another build's remove_leftovers at the moment the spare has been renamed to a staging name, before it has
    its new marker: the spare's own marker is still locked, so the folder is left to the build that took it."""
    site, spare = project.root / "site", project.root / ".site-spare"
    publish.build_site(project.config_file, site)
    assert spare.is_dir()
    real_locked_marker = publish._locked_marker
    removed: list[Path] = []

    @contextlib.contextmanager
    def another_build_first(folder: Path) -> Iterator[None]:
        removed.extend(publish.remove_leftovers(site))
        with real_locked_marker(folder):
            yield

    seen: list[int] = []

    def reusing(config_file: Path, site_dir: Path, **kwargs: object) -> adapter.Made:
        seen.append((site_dir / "index.html").stat().st_ino)
        return adapter.Made(_fake_build(config_file, site_dir).pages, reused=True)

    inode = (site / "index.html").stat().st_ino
    monkeypatch.setattr(publish, "_locked_marker", another_build_first)
    monkeypatch.setattr(adapter, "build", reusing)
    publish.build_site(project.config_file, site)
    assert removed == [] and seen == [inode]  # the build started from the spare it took, whole


def test_the_spare_is_never_renamed_over_a_folder_even_an_empty_one(tmp_path: Path) -> None:
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "index.html").write_text("x", encoding="utf-8")
    (tmp_path / ".site-spare").mkdir()  # somebody's empty folder
    publish._to_spare(tmp_path / "copy", tmp_path / "site")
    assert (tmp_path / "copy" / "index.html").is_file() and list((tmp_path / ".site-spare").iterdir()) == []
    with pytest.raises(FileExistsError):
        publish._rename_noreplace(tmp_path / "copy", tmp_path / ".site-spare")


def test_a_staging_folder_killed_while_its_marker_was_written_is_removed(project: Project) -> None:
    parent = project.root
    (parent / ".site-new-killed").mkdir()
    (parent / ".site-new-killed" / f"{MARKER}.new").write_text("", encoding="utf-8")
    assert publish.remove_leftovers(parent / "site") == [parent / ".site-new-killed"]


def test_a_failed_build_keeps_the_old_site(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    site = project.root / "site"
    _old_site(site)
    before = _files(site)

    def failing(*_: object, **__: object) -> int:
        raise BuildError("构建失败")

    monkeypatch.setattr(adapter, "build", failing)
    with pytest.raises(BuildError):
        publish.build_site(project.config_file, site)
    assert _files(site) == before
    assert _dots(project.root) == []


def test_leftovers_of_killed_builds_are_removed_and_only_they(project: Project) -> None:
    parent = project.root
    for name in (".site-new-killed1", ".site-old-killed2", ".site-new-running", ".site-new-foreign", ".site-x"):
        (parent / name).mkdir()
        (parent / name / "index.html").write_text("x", encoding="utf-8")
        if name != ".site-new-foreign":
            (parent / name / MARKER).write_text("", encoding="utf-8")
    fd = os.open(parent / ".site-new-running" / MARKER, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a build still running
    try:
        publish.build_site(project.config_file, parent / "site")
    finally:
        os.close(fd)
    assert _dots(parent) == [".site-new-foreign", ".site-new-running", ".site-spare", ".site-x"]
    publish.remove_leftovers(parent / "site")
    assert _dots(parent) == [".site-new-foreign", ".site-spare", ".site-x"]  # the spare is not a leftover


def test_a_leftover_loses_its_marker_last(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build killed while it removes an earlier build's leftover leaves it marked: the next build still knows
    it for its own and removes it (removing it whole could take the marker first and leave the rest unclaimed)."""
    leftover = project.root / ".site-new-killed"
    (leftover / "standards" / "a").mkdir(parents=True)
    (leftover / "standards" / "a" / "index.html").write_text("x", encoding="utf-8")
    (leftover / "index.html").write_text("x", encoding="utf-8")
    (leftover / MARKER).write_text("", encoding="utf-8")
    unlinked: list[str] = []
    real_unlink = os.unlink

    def unlink(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        unlinked.append(os.path.basename(path))
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", unlink)
    assert publish.remove_leftovers(project.root / "site") == [leftover]
    assert unlinked[-1] == MARKER and len(unlinked) == 3 and not leftover.exists()


def test_a_mount_point_is_filled_file_by_file(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    site = project.root / "site"
    _old_site(site)
    (site / "standards").write_text("a file where the new site has a folder", encoding="utf-8")
    monkeypatch.setattr(publish.os.path, "ismount", lambda path: Path(path) == site)
    inode = site.stat().st_ino
    built = publish.build_site(project.config_file, site)
    assert built.copied
    assert site.stat().st_ino == inode  # the mount point itself stays
    assert set(_files(site)) == {*CONTENT, MARKER}
    assert _files(site)["standards/a/index.html"] == "A"
    assert _dots(project.root) == [] and not list(site.rglob("*.stdportal-tmp"))


def test_a_bind_mount_that_refuses_the_rename_is_filled_too(project: Project,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    site = project.root / "site"
    _old_site(site)

    def busy(a: Path, b: Path) -> bool:
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(b))

    monkeypatch.setattr(publish, "_exchange", busy)
    assert publish.build_site(project.config_file, site).copied
    assert set(_files(site)) == {*CONTENT, MARKER}


def test_a_rename_refused_for_another_reason_is_a_chinese_error(project: Project,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    site = project.root / "site"
    _old_site(site)
    before = _files(site)

    def denied(a: Path, b: Path) -> bool:
        raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(b))

    monkeypatch.setattr(publish, "_exchange", denied)
    with pytest.raises(BuildError, match="无法替换网站文件夹"):
        publish.build_site(project.config_file, site)
    assert _files(site) == before
    assert _dots(project.root) == []
