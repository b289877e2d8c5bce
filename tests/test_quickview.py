"""The preview's first answer after a save (generator.quickview): the edited record's page and JSON are written
into the served site at once; the rebuild that follows is still a warm one and ends with the bytes of a clean
build; and whatever it cannot show safely (an error, a renamed number, a file added, a change to something else)
it leaves to the rebuild."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import AS_OF, FIXTURE_FILES, make_project
from test_incremental import EXTRA, assert_same_site, build, clean_build, files_of

from generator import adapter, sitecache
from generator.quickview import QuickView

RECORD = "standards/national/GB-T-20003-2020.yaml"
PAGE = "standards/national/GB-T-20003-2020/index.html"
JSON = "standards/national/GB-T-20003-2020.json"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", {**FIXTURE_FILES, **EXTRA})


def _view(project: Path) -> QuickView:
    view = QuickView(adapter.render_setup(project / "mkdocs.yml", AS_OF.isoformat()))
    view.prime()
    return view


def _edit(project: Path, old: str, new: str, name: str = RECORD) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_saved_record_shows_at_once_and_the_rebuild_ends_as_a_clean_build(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = project / "site"
    build(project, site)
    view = _view(project)
    before = files_of(site)
    _edit(project, "第20003部分", "第20003部分（征求意见稿）")

    assert view.show(site) == ["GB/T 20003-2020"]
    after = files_of(site)
    assert "第20003部分（征求意见稿）" in after[PAGE].decode()
    assert "意见反馈" in after[PAGE].decode()  # filled into the theme's shell, feedback link and all
    assert json.loads(after[JSON])["标准"]["中文标准名称"].endswith("（征求意见稿）")
    assert sorted(name for name in after if after[name] != before[name]) == [JSON, PAGE]

    assembled: list[object] = []
    real = sitecache.assemble
    monkeypatch.setattr(adapter, "assemble", lambda *a: assembled.append(real(*a)) or assembled[-1])
    build(project, site)
    assert assembled and assembled[0] is not None  # the rebuild reused the site: the first answer did not spoil it
    clean_build(project, project / "clean", monkeypatch)
    assert_same_site(site, project / "clean")


@pytest.mark.parametrize("change", ["error", "renumbered", "added", "removed", "nothing"])
def test_what_it_cannot_show_safely_is_left_to_the_rebuild(change: str, project: Path) -> None:
    site = project / "site"
    build(project, site)
    view = _view(project)
    before = files_of(site)
    db = project / "standards"
    if change == "error":
        path = db / "national/GB-T-20003-2020.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "废止日期: 2020-13-45\n", encoding="utf-8")
    elif change == "renumbered":
        _edit(project, "GB/T 20003-2020", "GB/T 20003-2021")
    elif change == "added":
        (db / "national/GB-T-20009-2020.yaml").write_text(
            (db / "national/GB-T-20008-2020.yaml").read_text(encoding="utf-8").replace("20008", "20009"),
            encoding="utf-8")
        _edit(project, "第20003部分", "第20003部分（修订）")
    elif change == "removed":
        (db / "national/GB-T-20008-2020.yaml").unlink()
        _edit(project, "第20003部分", "第20003部分（修订）")
    assert view.show(site) == []
    assert files_of(site) == before


def test_a_site_another_build_replaced_is_not_written(project: Path) -> None:
    site = project / "site"
    build(project, site)
    view = _view(project)
    (site / PAGE).write_text("changed by hand", encoding="utf-8")  # not the site the state describes
    _edit(project, "第20003部分", "第20003部分（修订）")
    assert view.show(site) == []
    assert (site / PAGE).read_text(encoding="utf-8") == "changed by hand"


def test_a_record_saved_during_a_rebuild_is_still_shown_first(project: Path) -> None:
    site = project / "site"
    build(project, site)
    view = _view(project)
    seen_by_the_build = view.stamps_now()
    _edit(project, "第20003部分", "第20003部分（修订）")  # saved while the rebuild runs
    build(project, site)
    view.prime(seen_by_the_build)
    assert view.show(site) == ["GB/T 20003-2020"]
