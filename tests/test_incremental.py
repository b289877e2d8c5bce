"""A build that reuses what earlier builds left (the record store, remembered pages, the previous site) gives
the very bytes of a clean build, whatever changed in between: a record, a vocabulary, a page template, a
hand-written page, the configuration. And the pages filled into a theme shell are the pages the theme renders.

Builds run in-process through generator.publish (as `stdportal build` does); the clean build of each case goes
to another folder with every cache bypassed (STDPORTAL_NO_CACHE=1, no previous site).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from support import AS_OF, FIXTURE_FILES, make_project, record

from generator.publish import build_site
from generator.sitecache import STATE_FILE, load_state

# A few records more than the fixture, so that a list and a folder of standard pages have several entries.
EXTRA = {f"national/GB-T-{n}-2020.yaml": record(f"GB/T {n}-2020", f"养老机构服务规范 第{n}部分", 领域=["老有所养"])
         for n in range(20001, 20009)}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", {**FIXTURE_FILES, **EXTRA})


def build(project: Path, site: Path) -> None:
    build_site(project / "mkdocs.yml", site, as_of=AS_OF.isoformat())


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_site(warm: Path, clean: Path) -> None:
    a, b = files_of(warm), files_of(clean)
    assert a.keys() == b.keys()
    different = [name for name in a if a[name] != b[name]]
    assert different == [], different[:5]


def clean_build(project: Path, target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as m:
        m.setenv("STDPORTAL_NO_CACHE", "1")
        build(project, target)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _record(project: Path) -> None:
    _edit(project / "standards/national/GB-T-20003-2020.yaml", "第20003部分", "第20003部分（修订）")


def _local(project: Path) -> None:
    """A local record: its region's pages, the regions below that preview it, and its region's documents."""
    _edit(project / "standards/local/DB37-T-4000-2025.yaml", "养老服务站点建设规范", "养老服务站点建设与运营规范")


def _status(project: Path) -> None:
    """A national record withdrawn: counts on every region page and the national documents."""
    path = project / "standards/national/GB-T-20004-2020.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "废止日期: 2025-06-01\n", encoding="utf-8")


def _replacement(project: Path) -> None:
    """A record that now says it replaces another: the other's page, lists, status and its row in the downloads
    change though its own file does not."""
    path = project / "standards/national/GB-T-20008-2020.yaml"
    path.write_text(path.read_text(encoding="utf-8") + '代替标准:\n  - "GB/T 20007-2020"\n', encoding="utf-8")


def _respelled(project: Path) -> None:
    """A record that another refers to, renumbered to another canonical spelling of the same number (MZT for
    MZ/T): the referring page links to the new address and shows the record's status."""
    _edit(project / "standards/national/GB-T-20001-2020.yaml", "领域:", '代替标准: ["MZ/T 300-2019"]\n领域:')
    build(project, project / "site")  # the reference's first build; the renumbering below is what is tested
    old = project / "standards/industry/MZ-T-300-2019.yaml"
    text = old.read_text(encoding="utf-8").replace('"MZ/T 300-2019"', '"MZT 300-2019"', 1)
    old.unlink()
    (project / "standards/industry/MZT-300-2019.yaml").write_text(text, encoding="utf-8")


def _domain(project: Path) -> None:
    """A national record moved to another domain: the domain tables of every region page."""
    _edit(project / "standards/national/GB-T-10001-2020.yaml", '领域: ["幼有所育"]\n类别: ["儿童健康服务"]',
          '领域: ["老有所养"]')


def _position(project: Path) -> None:
    """A national record given a position in the standard system: the position tables and the documents."""
    _edit(project / "standards/national/GB-T-10001-2020.yaml", '体系位置: "服务提供标准"', '体系位置: "服务保障标准"')


def _excluded(project: Path) -> None:
    """A standard a region's system file names as not adopted comes into the database: the system's page
    links it (the page shows no row of it, so only its list of excluded standards changes)."""
    (project / "standards/systems").mkdir(exist_ok=True)
    (project / "standards/systems/370000.yaml").write_text(
        '体系名称: "山东省基本公共服务标准体系"\n版本日期: 2025-06-30\n不采用标准:\n'
        '  - 标准号: "GB/T 20009-2020"\n    理由: "不适用"\n', encoding="utf-8")
    build(project, project / "site")  # the system file's first build; the record below is what is tested
    (project / "standards/national/GB-T-20009-2020.yaml").write_text(
        record("GB/T 20009-2020", "养老机构服务规范 第20009部分", 领域=["老有所养"]), encoding="utf-8")


def _vocabulary(project: Path) -> None:
    regions = project / "standards/vocabularies"
    file = regions / "regions-mca2024.txt"
    _edit(file, "山东省", "山东省（测试）")


def _template(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates/standard.html").write_text(
        '{% extends "default:standard.html" %}\n', encoding="utf-8")
    _edit(project / "mkdocs.yml", "  - stdportal:\n", "  - stdportal:\n      templates: templates\n")
    build(project, project / "site")  # the option's first build; the change below is what is tested
    (project / "templates/standard.html").write_text(
        '<p class="operator">本地模板</p>\n{% include "default:standard.html" %}\n', encoding="utf-8")


def _doc(project: Path) -> None:
    _edit(project / "docs/about.md", "\n", "\n\n本段为测试所加。\n")


def _config(project: Path) -> None:
    _edit(project / "mkdocs.yml", "site_name: 基本公共服务标准信息库", "site_name: 测试标准信息库")


def _nothing(project: Path) -> None:
    pass


CHANGES: dict[str, Callable[[Path], None]] = {
    "nothing": _nothing, "record": _record, "local": _local, "status": _status, "replacement": _replacement,
    "respelled": _respelled,
    "domain": _domain,
    "position": _position, "excluded": _excluded, "vocabulary": _vocabulary, "template": _template, "doc": _doc,
    "config": _config,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_warm_build_equals_a_clean_build(change: str, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = project / "site"
    build(project, site)
    build(project, site)  # every cache filled and a site to reuse
    before = files_of(site)
    CHANGES[change](project)
    build(project, site)
    clean_build(project, project / "clean", monkeypatch)
    assert_same_site(site, project / "clean")
    if change == "nothing":
        assert files_of(site) == before
    else:
        assert files_of(site) != before


def test_a_one_record_change_reuses_the_previous_site(project: Path) -> None:
    site = project / "site"
    build(project, site)
    build(project, site)
    inodes = {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    _record(project)
    build(project, site)
    state = load_state(project / STATE_FILE)
    assert state is not None
    after = {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    rewritten = sorted(name for name in after if after[name] != inodes.get(name))
    # The record's own page, the pages that list or link it, the search index and the data files; not the theme.
    assert "standards/national/GB-T-20003-2020/index.html" in rewritten
    assert not any(name.startswith("assets/") for name in rewritten)
    assert len(rewritten) < len(after) / 2, rewritten


@pytest.mark.parametrize("change", ["status", "domain"])
def test_a_changed_navigation_page_is_filled_into_its_own_shell(change: str, project: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A withdrawn standard changes the counts on the home page and the status index, a moved one those on the
    domain index (so may any edit the file sizes on the downloads page): pages in the navigation, each filled
    into a shell of its own, so that the build still reuses the previous site instead of running the engine."""
    from generator import adapter

    made: list[adapter.Made] = []
    real_build = adapter.build
    monkeypatch.setattr(adapter, "build", lambda *a, **k: made.append(real_build(*a, **k)) or made[-1])
    site = project / "site"
    build(project, site)
    build(project, site)
    nav_pages = ["index.html", "status/index.html", "domains/index.html", "downloads/index.html"]
    before = {name: (site / name).read_bytes() for name in nav_pages}
    CHANGES[change](project)
    build(project, site)
    assert made[-1].reused
    changed = [name for name in nav_pages if (site / name).read_bytes() != before[name]]
    assert changed, "the change should reach a page in the navigation"
    clean_build(project, project / "clean", monkeypatch)
    assert_same_site(site, project / "clean")


def test_a_site_touched_since_is_built_in_full(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = project / "site"
    build(project, site)
    (site / "about" / "index.html").write_text("changed by hand", encoding="utf-8")
    _record(project)
    build(project, site)
    clean_build(project, project / "clean", monkeypatch)
    assert_same_site(site, project / "clean")


@pytest.mark.parametrize("failure", [PermissionError("无法读取"), RuntimeError("background task ended")])
def test_a_survey_that_failed_means_a_full_build(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                 failure: Exception) -> None:
    """The walk of the site and staging folders runs beside the pipeline: a folder it cannot read, or a walk
    that never gave its result, leads to a full build, not to a failed or a wrong one."""
    site = project / "site"
    build(project, site)
    _record(project)

    def failed(previous: Path, staging: Path) -> None:
        raise failure

    monkeypatch.setattr("generator.adapter.survey", failed)
    build(project, site)
    assert load_state(project / STATE_FILE) is not None
    clean_build(project, project / "clean", monkeypatch)
    assert_same_site(site, project / "clean")
    assert "第20003部分（修订）" in (site / "standards/national/GB-T-20003-2020/index.html").read_text(encoding="utf-8")


def test_pages_from_a_shell_are_the_pages_the_theme_renders(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(project, project / "shells")
    with monkeypatch.context() as m:
        m.setenv("STDPORTAL_NO_SHELL", "1")
        m.setenv("STDPORTAL_NO_CACHE", "1")
        build(project, project / "theme")
    assert_same_site(project / "shells", project / "theme")


def test_a_folder_named_like_a_page_keeps_its_folder_shell() -> None:
    """A folder's shell and a page's own shell are told apart by their keys, not by how a name ends: pages in a
    folder named `care.md` (a domain code is the operator's) share that folder's shell."""
    from generator.adapter import _shell_key
    from generator.render import Output

    meta = {"title": "甲", "stdportal_title": "甲", "stdportal_feedback": "", "stdportal_title_lang": "zh"}
    listed = Output("domains/care.md/c1.md", "<h1>甲</h1>", False, meta)
    alone = Output("domains/care.md", "<h1>甲</h1>", True, meta)
    assert _shell_key(listed) == _shell_key(Output("domains/care.md/c2.md", "<h1>乙</h1>", False, meta))
    assert _shell_key(listed) != _shell_key(alone) == "domains/care.md"


def test_with_another_plugin_a_rebuild_is_a_full_build(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Material's own search plugin writes its index from every page: a site put together from the previous one
    would keep the old index, so with any plugin beside stdportal every build is a full one."""
    _edit(project / "mkdocs.yml", "  - stdportal:\n", "  - search\n  - stdportal:\n")
    site = project / "site"
    build(project, site)
    build(project, site)
    _record(project)
    build(project, site)
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert any("第20003部分（修订）" in doc["title"] + doc["text"] for doc in index["docs"])
    clean_build(project, project / "clean", monkeypatch)
    assert_same_site(site, project / "clean")



# --- the retired site as the next build's start (generator.publish: .site-spare) ------------------------------


def _retitle(number: int, title: str) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        path = project / f"standards/national/GB-T-{number}-2020.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r'(?m)^中文标准名称: .*$', f'中文标准名称: "{title}"', text), encoding="utf-8")
    return change


def _remove(number: int) -> Callable[[Path], None]:
    return lambda project: (project / f"standards/national/GB-T-{number}-2020.yaml").unlink()


def _add(number: int) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        (project / f"standards/national/GB-T-{number}-2020.yaml").write_text(
            record(f"GB/T {number}-2020", f"养老机构服务规范 第{number}部分", 领域=["老有所养"]), encoding="utf-8")
    return change


def _clean_twin(project: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean build of a copy of the project: its own caches, so that the project's state still describes
    the project's site and the next build there is not made a full one."""
    twin = project.parent / name
    shutil.copytree(project, twin, ignore=shutil.ignore_patterns("site", ".site-*", ".stdportal", "clean*"))
    clean_build(twin, twin / "site", monkeypatch)
    return twin / "site"


def test_each_build_from_the_retired_site_is_a_clean_build(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a build that reused the old site, the next one starts from the site it retired. Each build equals a
    clean build; the spare an incremental build leaves is exactly the site it replaced (nothing written through a
    shared file), a full build's is a copy of the new site (its retired site shares nothing with it); and a page
    unchanged since is one file in the site and the spare (what makes the next build cheap)."""
    from generator import adapter

    reused: list[bool] = []  # of the builds of `site` (not of the clean twins)
    real_build = adapter.build
    site, spare = project / "site", project / ".site-spare"

    def spy(*args: object, **kwargs: object) -> adapter.Made:
        made = real_build(*args, **kwargs)  # type: ignore[arg-type]
        if kwargs.get("previous") == site:
            reused.append(made.reused)
        return made

    monkeypatch.setattr(adapter, "build", spy)
    build(project, site)
    steps = [_retitle(20003, "养老机构服务规范（第一次修改）"), _retitle(20005, "养老机构服务规范（另一项修改）"),
             _retitle(20003, "养老机构服务规范 第20003部分"), _remove(20007), _add(20009), _nothing,
             _retitle(20004, "养老机构服务规范（修改）")]
    for n, step in enumerate(steps):
        before = files_of(site)
        step(project)
        build(project, site)
        assert files_of(spare) == (before if reused[-1] else files_of(site)), n
        assert_same_site(site, _clean_twin(project, f"twin{n}", monkeypatch))
    assert reused[1:] == [True] * 7  # a page more or less too
    assert (site / "about/index.html").stat().st_ino == (spare / "about/index.html").stat().st_ino
    assert not list(spare.glob("standards/national/GB-T-20007-2020*"))  # the removed page went from the spare too
    assert list(spare.glob("standards/national/GB-T-20009-2020*/index.html"))


def _reuse_spy(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each build to come reused the previous site (adapter.Made.reused), in order."""
    from generator import adapter

    reused: list[bool] = []
    real_build = adapter.build

    def spy(*args: object, **kwargs: object) -> adapter.Made:
        made = real_build(*args, **kwargs)  # type: ignore[arg-type]
        reused.append(made.reused)
        return made

    monkeypatch.setattr(adapter, "build", spy)
    return reused


def _sitemap_addresses(site: Path) -> list[str]:
    return re.findall(r"<loc>(.*?)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))


def test_a_standard_added_or_removed_reuses_the_site_and_the_sitemap_follows(project: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """With site_url set the sitemap lists every page; a standard added or removed rewrites it (and its .gz)
    as the engine writes them, instead of a full build, and every other file is what a clean build makes."""
    import gzip

    _edit(project / "mkdocs.yml", '# site_url: ""', 'site_url: "https://example.org/biaozhun/"')
    reused = _reuse_spy(monkeypatch)
    site = project / "site"
    build(project, site)
    build(project, site)
    address = "https://example.org/biaozhun/standards/national/GB-T-20009-2020/"
    assert address not in _sitemap_addresses(site)
    for n, step in enumerate([_add(20009), _remove(20009), _remove(20002)]):
        step(project)
        build(project, site)
        assert reused[-1], n
        assert_same_site(site, _clean_twin(project, f"twin{n}", monkeypatch))
        listed = _sitemap_addresses(site)
        assert (address in listed) == (n == 0), n
        assert "https://example.org/biaozhun/standards/national/GB-T-20001-2020/" in listed
        assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()
    assert not list(site.glob("standards/national/GB-T-20002-2020*"))


def test_a_page_linked_by_hand_or_a_theme_that_lists_pages_means_a_full_build(project: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Two cases where a page more or less changes what the engine makes beyond the sitemap: a hand-written page
    links to it (the engine resolves the link, or warns of it, by whether the file is there), and a theme
    override prints the list of pages. Both are full builds, and equal a clean build."""
    reused = _reuse_spy(monkeypatch)
    site = project / "site"
    _edit(project / "docs/about.md", "\n", "\n\n见[新标准](standards/national/GB-T-20009-2020.md)。\n")
    build(project, site)
    build(project, site)
    _add(20009)(project)
    build(project, site)
    assert reused[-2:] == [True, False]
    assert_same_site(site, _clean_twin(project, "twin-linked", monkeypatch))
    assert 'href="../standards/national/GB-T-20009-2020/"' in (site / "about/index.html").read_text(encoding="utf-8")

    footer = project / "overrides/partials/copyright.html"
    footer.write_text(footer.read_text(encoding="utf-8") + "<p>共 {{ pages | length }} 页</p>\n", encoding="utf-8")
    build(project, site)
    _remove(20008)(project)
    build(project, site)
    assert reused[-1] is False
    assert_same_site(site, _clean_twin(project, "twin-listed", monkeypatch))


def test_whatever_the_spare_holds_the_build_is_a_clean_build(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    from generator import adapter, sitecache

    reused: list[bool] = []

    def assemble(*args: object) -> object:
        state = sitecache.assemble(*args)  # type: ignore[arg-type]
        reused.append(state is not None)
        return state

    monkeypatch.setattr(adapter, "assemble", assemble)
    site, spare = project / "site", project / ".site-spare"
    build(project, site)
    _record(project)
    build(project, site)
    # Stray files and folders, and a page changed in place: replaced or removed, the build stays incremental.
    (spare / "stray.html").write_text("旧文件", encoding="utf-8")
    (spare / "stray" / "deep").mkdir(parents=True)
    (spare / "about" / "index.html").unlink()
    (spare / "about" / "index.html").write_text("改过的页面", encoding="utf-8")
    _retitle(20004, "养老机构服务规范（修改）")(project)
    build(project, site)
    assert reused[-1]
    assert_same_site(site, _clean_twin(project, "twin1", monkeypatch))
    # A folder where a page goes, a link to a folder outside: the build is a full one, from an emptied folder.
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("不是网站的文件", encoding="utf-8")
    page = next(spare.glob("standards/national/*/index.html"))
    page.unlink()
    page.mkdir()
    (spare / "assets" / "elsewhere").symlink_to(outside, target_is_directory=True)
    _retitle(20004, "养老机构服务规范（再次修改）")(project)
    build(project, site)
    assert not reused[-1]
    assert_same_site(site, _clean_twin(project, "twin2", monkeypatch))
    assert [p.name for p in outside.iterdir()] == ["keep.txt"]  # followed by nothing, emptied by nothing


def test_a_spare_that_is_not_ours_is_left_alone(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site, spare = project / "site", project / ".site-spare"
    spare.mkdir()
    (spare / "notes.txt").write_text("维护人员自己的文件", encoding="utf-8")
    for _ in range(3):
        build(project, site)
    assert [p.name for p in spare.iterdir()] == ["notes.txt"]
    clean_build(project, project / "clean", monkeypatch)
    assert_same_site(site, project / "clean")


def test_without_the_cache_no_spare_is_taken_or_kept(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site, spare = project / "site", project / ".site-spare"
    clean_build(project, site, monkeypatch)  # STDPORTAL_NO_CACHE=1
    assert not spare.exists()
    build(project, site)
    kept = files_of(spare)
    inode = (spare / "index.html").stat().st_ino
    _record(project)
    clean_build(project, site, monkeypatch)
    assert files_of(spare) == kept and (spare / "index.html").stat().st_ino == inode  # neither taken nor replaced


def test_the_first_edit_after_a_full_build_starts_from_the_spare(project: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """After a full build the spare is the new site in hard links: the next build, a one-record edit, starts from
    it and links no file (every unchanged file of its folder is the live site's already), and equals a clean
    build."""
    from generator import sitecache

    site = project / "site"
    reused = _reuse_spy(monkeypatch)
    build(project, site)
    linked: list[str] = []
    real_link = os.link

    def link(src: str, dst: str, *args: object, **kwargs: object) -> None:
        linked.append(dst)
        real_link(src, dst)

    _retitle(20004, "养老机构服务规范（修改）")(project)
    with monkeypatch.context() as m:
        m.setattr(sitecache.os, "link", link)
        build(project, site)
    assert reused == [False, True]
    assert linked == []  # every unchanged file was in place already
    assert_same_site(site, _clean_twin(project, "twin", monkeypatch))


def test_an_upgraded_library_or_python_is_another_code_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every stored result (records, pages, the engine's part) is keyed by the code digest: it names the Python,
    its Unicode tables and each library the build runs on, the indirect ones too (MarkupSafe escapes what Jinja
    renders), so that an upgrade never meets a result made before it."""
    from importlib import metadata

    from generator import recordstore

    before = recordstore.runtime()
    for name in ("pyyaml", "jinja2", "markupsafe", "xlsxwriter", "mkdocs-material"):
        assert f"('{name}', '{metadata.version(name)}')" in before
    real = metadata.distribution

    class Upgraded:
        version = "999.0"
        requires: list[str] = []

    digest = recordstore.code_digest()
    try:
        with monkeypatch.context() as m:
            m.setattr(metadata, "distribution", lambda name: Upgraded() if name == "markupsafe" else real(name))
            recordstore.code_digest.cache_clear()
            assert "('markupsafe', '999.0')" in recordstore.runtime()
            assert recordstore.code_digest() != digest
        with monkeypatch.context() as m:
            m.setattr(recordstore.sys, "version", "3.99.0")
            recordstore.code_digest.cache_clear()
            assert recordstore.code_digest() != digest
    finally:
        recordstore.code_digest.cache_clear()
    assert recordstore.code_digest() == digest


def test_a_stored_record_is_named_by_what_made_it(project: Path) -> None:
    """The page memo's keys spell a record the record store gave by the digest of its file, its place and the
    rules (generator.records.identify): the same file gives the same spelling, a changed one another; the
    spelling stays out of the store's pickle and of equality."""
    import pickle

    from generator.recordstore import checked_records
    from generator.vocab import load_vocabulary

    db = project / "standards"
    vocab, _ = load_vocabulary(db)

    def spelled() -> dict[str, str]:
        records, _ = checked_records(db, vocab)
        return {c.standard.number: repr(c.standard) for c in records if c.standard}

    first = spelled()
    assert all(re.fullmatch(r"Standard\(<[0-9a-f]{64}>\)", text) for text in first.values())
    assert len(set(first.values())) == len(first)
    assert spelled() == first
    _record(project)
    second = spelled()
    assert [n for n in first if first[n] != second[n]] == ["GB/T 20003-2020"]
    records, _ = checked_records(db, vocab)
    standard = records[0].standard
    assert standard is not None
    again = pickle.loads(pickle.dumps(standard))
    assert again == standard and b"_repr" not in pickle.dumps(standard)
    assert repr(again).startswith("Standard(path=") and f"number='{standard.number}'" in repr(again)


def test_a_kept_page_is_decompressed_only_when_its_bytes_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild reads every kept page back from the memo but needs only the digests of the unchanged ones: their
    bytes stay compressed until something reads them, and then they are the page's bytes exactly."""
    import zlib

    from generator.memo import Memo
    from generator.render.base import Output

    page = Output("standards/national/GB-T-1-2020.md", "<h1>标题</h1><p>正文</p>", in_nav=False, meta={"title": "标题"})
    data = Output("downloads/standards.csv", b"\xef\xbb\xbf\xe6\xa0\x87\xe5\x87\x86\n")
    memo = Memo(None, "salt")
    memo.put("pages", [page, {"again": page}, data])
    memo.old = dict(memo.new)
    decompressed: list[int] = []
    real = zlib.decompress
    monkeypatch.setattr(zlib, "decompress", lambda packed: decompressed.append(1) or real(packed))

    kept, holder, file = memo.get("pages")

    assert holder["again"] is kept  # one page stays one object
    assert (kept.path, kept.digest, kept.meta, kept.in_nav) == (page.path, page.digest, page.meta, page.in_nav)
    assert decompressed == []
    assert kept.text == page.text and kept == page and file.content == data.content and file.binary
    assert len(decompressed) == 2


def test_a_new_page_is_held_as_the_memo_keeps_it() -> None:
    """A page put in the memo, or sent by a worker as its entry (pending, settle), comes back with its bytes still
    compressed: a full build does not hold every page twice (its bytes and its entry) until the site is written."""
    from generator.memo import Memo
    from generator.render.base import Output

    page = Output("standards/national/GB-T-1-2020.md", "<h1>标题</h1><p>正文</p>" * 50, in_nav=False,
                  meta={"title": "标题"})
    memo = Memo(None, "salt")
    kept = memo.put("page", page)
    assert kept is not page and "data" not in vars(kept) and len(vars(kept)["_packed"]) < len(page.data)
    key, entry = memo.pending(("page", 2), lambda: [page])
    assert isinstance(entry, bytes) and memo.pending(("page", 2), lambda: [page])[1] == entry
    [sent] = memo.settle(key, entry)
    assert "data" not in vars(sent) and memo.new.keys() == {"page", key}
    assert (kept.digest, kept.text, sent.digest, sent.text) == (page.digest, page.text, page.digest, page.text)
    memo.old = dict(memo.new)
    assert memo.pending(("page", 2), lambda: [page]) == (key, None)  # a worker sends only the key of a kept page


def test_values_remembered_in_runs_are_made_again_only_for_the_runs_that_changed() -> None:
    """Memo.made_each: each item's value as make gives it, in order; after an edit, an insertion and a removal
    only the runs holding them are made again, and a run is never taken for another."""
    from generator.memo import Memo

    made: list[str] = []

    def make(item: str) -> str:
        made.append(item)
        return item.upper()

    items = [f"record {i}" for i in range(1000)]
    memo = Memo(None, "salt")
    assert memo.made_each(items, lambda x: ("v", x), make) == [x.upper() for x in items] and len(made) == 1000
    runs = len(memo.new)
    assert 10 < runs < 100  # about CHUNK items each
    for changed in (items[:500] + ["record 500 edited"] + items[501:],  # one edited
                    items[:300] + ["record new"] + items[300:],  # one added
                    items[:700] + items[701:]):  # one removed
        memo.old, memo.new, made[:] = dict(memo.new), {}, []
        assert memo.made_each(changed, lambda x: ("v", x), make) == [x.upper() for x in changed]
        assert 0 < len(made) <= 2 * 4 * 32 and len(made) < len(changed) / 4, len(made)
        memo.old, memo.new = {**memo.old, **memo.new}, {}
        made[:] = []
        assert memo.made_each(changed, lambda x: ("v", x), make) == [x.upper() for x in changed] and made == []
    memo.old, memo.new, made[:] = dict(memo.old), {}, []
    assert memo.made_each(items, lambda x: ("w", x), make) == [x.upper() for x in items] and len(made) == 1000


def test_a_compiled_template_is_kept_and_compiled_again_when_it_changed(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Renderers load their templates from the compiled ones an earlier renderer or build kept; an operator's
    template that changed since is compiled again, and a cache that cannot be written is only not kept."""
    import jinja2

    from generator.render.base import _environment

    compiled: list[str] = []
    real = jinja2.Environment.compile

    def compile(self: jinja2.Environment, source: str, name: str | None = None, *args: object) -> object:
        compiled.append(str(name))
        return real(self, source, name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "standard.html").write_text("<p>第一版</p>", encoding="utf-8")
    assert _environment((templates,), cache).get_template("standard.html").render() == "<p>第一版</p>"
    assert compiled == ["standard.html"] and list(cache.iterdir())
    assert _environment((templates,), cache).get_template("standard.html").render() == "<p>第一版</p>"
    assert compiled == ["standard.html"]  # the second environment took the compiled template
    (templates / "standard.html").write_text("<p>第二版</p>", encoding="utf-8")
    assert _environment((templates,), cache).get_template("standard.html").render() == "<p>第二版</p>"
    assert compiled == ["standard.html"] * 2
    blocked = tmp_path / "blocked"
    blocked.write_text("", encoding="utf-8")  # a file where the cache's folder would be made
    assert _environment((templates,), blocked / "cache").get_template("standard.html").render() == "<p>第二版</p>"


@pytest.mark.parametrize("collecting", [True, False])
def test_a_cache_gives_back_the_callers_paths_and_leaves_the_collector_as_it_was(tmp_path: Path,
                                                                                   collecting: bool) -> None:
    """A cache keeps a path as its text and gives back the caller's own Path object for it when it has one (the
    record store names 10,000 files the listing has just made), else an equal Path; the collector, off while
    the cache is read, is as it was afterwards."""
    import gc

    from generator.cachefile import read_cache, write_cache

    listed, other = tmp_path / "standards/national/GB-T-1-2020.yaml", tmp_path / "standards/other.yaml"
    write_cache(tmp_path / "cache.pickle", {"records": [listed, listed], "other": (other, "文本")})
    again = Path(str(listed))
    was = gc.isenabled()
    try:
        (gc.enable if collecting else gc.disable)()
        stored = read_cache(tmp_path / "cache.pickle", {str(listed): again})
        assert gc.isenabled() is collecting
    finally:
        (gc.enable if was else gc.disable)()
    assert stored["records"][0] is again and stored["records"][1] is again
    assert stored["other"] == (other, "文本") and isinstance(stored["other"][0], Path)
    assert read_cache(tmp_path / "cache.pickle")["records"] == [listed, listed]
    (tmp_path / "torn.pickle").write_bytes((tmp_path / "cache.pickle").read_bytes()[:40])
    assert read_cache(tmp_path / "torn.pickle") is None


def test_a_status_is_spelled_once_and_only_by_its_fields() -> None:
    """Statuses, regions and table rows spell their repr once (memo keys repeat them page after page): the same
    text as the dataclass's own, kept out of equality and pickles."""
    import pickle

    from generator.status import CURRENT, Status

    status = Status(CURRENT, "实施日期 2020-01-01 已到")
    text = repr(status)
    assert text == "Status(kind=StatusKind(label='现行', slug='current'), basis='实施日期 2020-01-01 已到')"
    assert repr(status) is text  # made once
    copy = pickle.loads(pickle.dumps(status))
    assert b"_repr" not in pickle.dumps(status) and copy == status and repr(copy) == text
    assert Status(CURRENT, "其他") != status and repr(Status(CURRENT, "其他")) != text


@pytest.mark.parametrize("jobs", ["2", "1"])
def test_a_build_saves_the_record_store_while_it_renders(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                         jobs: str) -> None:
    """A build leaves saving the record store to the second process that runs while it renders (or to the end,
    with one process): afterwards the store holds every record, and a check reads none of them again."""
    from generator import recordstore
    from generator.pipeline import check

    monkeypatch.setenv("STDPORTAL_JOBS", jobs)
    store = project / ".stdportal" / "records.pickle"
    _record(project)
    build(project, project / "site")
    assert store.is_file()
    parsed: list[Path] = []
    real = recordstore.read_record
    monkeypatch.setattr(recordstore, "read_record", lambda path, data: parsed.append(path) or real(path, data))
    assert check(project / "standards") is not None
    assert parsed == []
    _edit(project / "standards/national/GB-T-20004-2020.yaml", "第20004部分", "第20004部分（修订）")
    check(project / "standards")
    assert [p.name for p in parsed] == ["GB-T-20004-2020.yaml"]
