"""The updates page, the Atom feeds and the standard page's history, from histories built in memory; and one
end-to-end build of a git project."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from gitrepo import Repo
from support import AS_OF, FIXTURE_FILES, REPO, record

from generator.feedback import FeedbackConfig
from generator.gitlog import Change, Commit
from generator.history import History, build_history
from generator.pipeline import load_catalog
from generator.records import Feedback
from generator.render import Output, RenderOptions, render
from generator.render.base import for_readers

CST = dt.timezone(dt.timedelta(hours=8))
SCRIPT = "<script>alert(1)</script> 废止旧版"
DB11 = "local/DB11-T-5-2022.yaml"
GONE = "local/DB37-T-9-2019.yaml"


def sha(n: int) -> str:
    return str(n) * 40


def commit(n: int, message: str, *changes: Change) -> Commit:
    return Commit(sha(n), sha(n - 1) if n > 1 else "", dt.datetime(2025, n, n + 1, 9, 30, tzinfo=CST),
                  message, changes)


HISTORY_COMMITS = [
    commit(1, "收录首批标准", *(Change("added", path) for path in [*FIXTURE_FILES, DB11]),
           Change("added", GONE, number="DB37/T 9-2019", title="误收标准")),
    commit(2, "更新 GB/T 10001-2020 的实施日期",
           Change("changed", "national/GB-T-10001-2020.yaml", fields=("实施日期",))),
    commit(3, SCRIPT, Change("abolished", "national/GB-T-10001-2010.yaml", fields=("废止日期",))),
    commit(4, "删除误收的记录",
           Change("removed", GONE, number="DB37/T 9-2019", title="误收标准", domains=("老有所养",))),
    commit(5, "北京标准补充适用范围", Change("changed", DB11, fields=("适用范围",))),
]


@pytest.fixture
def catalog(make_db):
    files = {**FIXTURE_FILES, DB11: record("DB11/T 5-2022", "社区养老服务驿站规范", 领域=["老有所养"])}
    catalog, _ = load_catalog(make_db(files), AS_OF)
    return catalog


def outputs(catalog, history: History | None, site_url: str = "") -> dict[str, Output]:
    options = RenderOptions(FeedbackConfig(Feedback(mail="feedback@example.org")), site_url=site_url)
    return {o.path: o for o in render(catalog, options, history)}


@pytest.fixture
def site(catalog) -> dict[str, Output]:
    return outputs(catalog, build_history(HISTORY_COMMITS))


def parse(output: Output) -> feedparser.FeedParserDict:
    feed = feedparser.parse(output.content.encode("utf-8"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_the_updates_page_lists_commits_newest_first(site: dict[str, Output]) -> None:
    page = site["updates/index.md"]
    assert page.in_nav
    body = page.content
    order = [body.index(m) for m in ("北京标准补充适用范围", "删除误收的记录", "更新 GB/T 10001-2020 的实施日期",
                                     "收录首批标准")]
    assert order == sorted(order)
    assert '<time datetime="2025-05-06T09:30:00+08:00">2025-05-06</time> 北京标准补充适用范围' in body
    assert '<section class="sp-update" id="c-555555555555">' in body  # anchors are commit hashes
    # What changed, linked to the pages of standards that still exist; removed ones are text only.
    link = '<a href="../standards/national/GB-T-10001-2020/">GB/T 10001-2020</a> 社区公共服务 通用要求'
    assert link + "：实施日期" in body
    assert "<strong>废止</strong> 1 项" in body and "GB/T 10001-2010</a> 社区公共服务 通用要求：废止日期" in body
    assert "<li>DB37/T 9-2019 误收标准</li>" in body
    assert "DB37-T-9-2019/" not in body
    assert "<strong>新增</strong> 7 项" in body
    # Markup in a commit message is text.
    assert "<script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt; 废止旧版" in body


def test_the_updates_page_links_the_feeds(site: dict[str, Output]) -> None:
    body = site["updates/index.md"].content
    assert '<a href="../feeds/updates.xml" type="application/atom+xml">全站更新（Atom）</a>' in body
    assert '<a href="../feeds/regions/370000.xml" type="application/atom+xml">山东省</a>' in body
    assert '<a href="../feeds/domains/elderly.xml" type="application/atom+xml">老有所养</a>' in body
    # Citizens' words only: how the list is made and what site_url does are in docs/maintainers.md.
    assert not re.search(r"git|site_url|mkdocs|提交", body), body
    assert site["updates/index.md"].meta["stdportal_feeds"] == [
        {"href": "feeds/updates.xml", "title": "基本公共服务标准信息库：最近更新"}]
    feeds = {p for p in site if p.startswith("feeds/")}
    assert {"feeds/updates.xml", "feeds/regions/370000.xml", "feeds/regions/110000.xml",
            "feeds/domains/childcare.xml"} <= feeds
    assert all(not site[p].in_nav for p in feeds)
    for path in re.findall(r'href="\.\./(feeds/[^"]+)"', body):
        assert path in site, path


def test_the_site_feed(site: dict[str, Output]) -> None:
    feed = parse(site["feeds/updates.xml"])
    assert feed.feed.title == "基本公共服务标准信息库：最近更新"
    assert [e.title for e in feed.entries] == [c.message for c in reversed(HISTORY_COMMITS)]
    first = feed.entries[0]
    assert first.link == "../updates/#c-" + sha(5)[:12]
    assert first.id == f"tag:stdportal,2025-05-06:{sha(5)}"
    assert first.updated_parsed[:6] == (2025, 5, 6, 1, 30, 0)  # UTC
    assert len({e.id for e in feed.entries}) == len(feed.entries)
    assert '<a href="../standards/local/DB11-T-5-2022/">DB11/T 5-2022</a>' in first.content[0].value
    assert feed.feed.updated_parsed[:3] == (2025, 5, 6)


def test_markup_in_a_message_is_escaped_in_the_feed(site: dict[str, Output]) -> None:
    raw = site["feeds/updates.xml"].content
    assert "<script>" not in raw and "&lt;script&gt;alert(1)&lt;/script&gt; 废止旧版" in raw
    feed = parse(site["feeds/updates.xml"])
    assert feed.entries[2].title == SCRIPT


def test_a_region_feed_has_only_that_regions_standards(site: dict[str, Output]) -> None:
    shandong = parse(site["feeds/regions/370000.xml"])
    assert shandong.feed.title == "基本公共服务标准信息库：山东省地方标准更新"
    assert [e.title for e in shandong.entries] == ["删除误收的记录", "收录首批标准"]
    content = shandong.entries[1].content[0].value
    assert "DB37/T 4000-2025" in content and "DB37/T 9-2019" in content
    assert "DB11" not in content and "GB/T" not in content
    assert shandong.entries[1].id.endswith("/regions/370000")
    beijing = parse(site["feeds/regions/110000.xml"])
    assert [e.title for e in beijing.entries] == ["北京标准补充适用范围", "收录首批标准"]
    assert "DB37" not in beijing.entries[1].content[0].value


def test_a_domain_feed_has_only_that_domains_standards(site: dict[str, Output]) -> None:
    childcare = parse(site["feeds/domains/childcare.xml"])
    assert [e.title for e in childcare.entries] == ["更新 GB/T 10001-2020 的实施日期", "收录首批标准"]
    elderly = parse(site["feeds/domains/elderly.xml"])  # the removed record still reaches its domain's readers
    assert [e.title for e in elderly.entries] == ["北京标准补充适用范围", "删除误收的记录", "收录首批标准"]


def test_with_a_site_url_links_and_ids_are_absolute(catalog) -> None:
    site = outputs(catalog, build_history(HISTORY_COMMITS), site_url="https://example.org/bzk/")
    feed = parse(site["feeds/regions/370000.xml"])
    assert feed.feed.id == "https://example.org/bzk/feeds/regions/370000.xml"
    assert feed.feed.link == "https://example.org/bzk/regions/370000/"
    entry = feed.entries[1]
    assert entry.link == "https://example.org/bzk/updates/#c-" + sha(1)[:12]
    assert entry.id == f"https://example.org/bzk/updates/#{sha(1)}/regions/370000"
    assert 'href="https://example.org/bzk/standards/local/DB37-T-4000-2025/"' in entry.content[0].value
    assert "site_url" not in site["updates/index.md"].content


def test_the_standard_page_shows_its_history(site: dict[str, Output]) -> None:
    page = site["standards/national/GB-T-10001-2020.md"].content
    assert "<p>首次收录：2025-01-02　最后修改：2025-02-03</p>" in page
    assert ('<li><time datetime="2025-02-03">2025-02-03</time> 修改（实施日期）：更新 GB/T 10001-2020 的实施日期</li>'
            in page)
    assert '<li><time datetime="2025-01-02">2025-01-02</time> 新增：收录首批标准</li>' in page
    old = site["standards/national/GB-T-10001-2010.md"].content
    assert "废止（废止日期）：&lt;script&gt;alert(1)&lt;/script&gt; 废止旧版" in old


def test_without_history_pages_say_so_and_feeds_are_empty(catalog) -> None:
    site = outputs(catalog, None)
    assert "<p>版本历史未收录。各项标准的发布日期和实施日期见标准页面。</p>" in site["updates/index.md"].content
    page = site["standards/national/GB-T-10001-2020.md"].content
    assert "<p>版本历史未收录。标准本身的日期：发布日期 2020-03-06，实施日期 2020-10-01。</p>" in page
    feed = parse(site["feeds/updates.xml"])
    assert feed.entries == [] and feed.feed.updated_parsed[:3] == (2026, 1, 1)


def test_a_big_import_is_listed_with_a_count(catalog) -> None:
    many = commit(1, "导入", *(Change("added", f"national/GB-T-{n}-2020.yaml", number=f"GB/T {n}-2020")
                               for n in range(1, 121)))
    body = outputs(catalog, build_history([many]))["updates/index.md"].content
    assert "<strong>新增</strong> 120 项" in body and "<li>……另有 70 项</li>" in body


# --- end to end: a git project built with `stdportal build` ----------------------------------------------


def test_a_git_project_builds_with_updates_and_history(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "project")
    shutil.copy2(REPO / "mkdocs.yml", repo.root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", repo.root / "docs")
    shutil.copytree(REPO / "overrides", repo.root / "overrides")
    repo.write(FIXTURE_FILES)
    repo.commit("收录首批标准", "2025-03-01")
    path = repo.db / "national/GB-T-10001-2020.yaml"
    path.write_text(path.read_text(encoding="utf-8") + '适用范围: "社区公共服务的提供与评价"\n', encoding="utf-8")
    repo.commit("补充 GB/T 10001-2020 的适用范围", "2025-03-09")

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600"}
    proc = subprocess.run([sys.executable, "-c", "from generator.cli import main; main()", "build"], cwd=repo.root,
                          env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert proc.returncode == 0, proc.stderr
    site = repo.root / "site"
    updates = (site / "updates/index.html").read_text(encoding="utf-8")
    assert "补充 GB/T 10001-2020 的适用范围" in updates and "收录首批标准" in updates
    link = '<a href="../standards/national/GB-T-10001-2020/">GB/T 10001-2020</a> 社区公共服务 通用要求'
    assert link + "：适用范围" in updates
    discovery = r'<link rel="alternate feed" type="application/atom\+xml" title="[^"]+" href="\.\./feeds/updates\.xml">'
    assert re.search(discovery, updates)
    feed = feedparser.parse((site / "feeds/updates.xml").read_bytes())
    assert not feed.bozo and [e.title for e in feed.entries] == ["补充 GB/T 10001-2020 的适用范围", "收录首批标准"]
    page = (site / "standards/national/GB-T-10001-2020/index.html").read_text(encoding="utf-8")
    assert "首次收录：2025-03-01　最后修改：2025-03-09" in page
    assert "修改（适用范围）：补充 GB/T 10001-2020 的适用范围" in page
    assert (repo.root / ".stdportal/history.json").is_file()
    assert "最近更新" in (site / "index.html").read_text(encoding="utf-8")  # in the navigation


@pytest.mark.parametrize(("message", "shown"), [
    ("收录首批标准", True),
    ("更新 DB3211/T 1035-2022、DB3211/T 1048-2022 的实施日期", True),  # codes are no English
    ("补充 MZ/T 208-2024 的英文名称 Operating procedures", True),
    ("<b>注意</b>: 废止旧版", True),
    ("JGJ 39-2016 局部修订", True),
    ("导入表格 </h3><iframe src=javascript:alert(303)></iframe>", True),  # shown as text
    ("Tests: fix fixture", False),
    ("Fix: 修正实施日期", False),
    ("Records cite only sources a reader can open, curation notes move to 维护备注", False),
    ("Data: editorial 类别 for records whose titles name a category without one", False),
])
def test_a_message_is_shown_when_it_is_written_in_chinese(message: str, shown: bool) -> None:
    assert for_readers(message) == (message if shown else "")


@pytest.mark.parametrize("message", [
    "Tests: fix fixture",
    # An English note that names the fields it touched (a real commit of this repository's data).
    "Data: editorial 类别 for records whose titles name a category without one, each with a 维护备注",
])
def test_a_message_not_written_in_chinese_is_not_shown_to_readers(catalog, message: str) -> None:
    """The repository's own developer notes (English) are not what a citizen reads; what changed still is."""
    english = [*HISTORY_COMMITS[:4], commit(5, message, Change("changed", DB11, fields=("适用范围",)))]
    site = outputs(catalog, build_history(english))
    body = site["updates/index.md"].content
    assert message not in body
    assert '<time datetime="2025-05-06T09:30:00+08:00">2025-05-06</time> 标准数据更新</h3>' in body
    assert "收录首批标准" in body  # a Chinese message is shown as before
    assert parse(site["feeds/updates.xml"]).entries[0].title == "2025-05-06 标准数据更新"
    page = site["standards/local/DB11-T-5-2022.md"].content
    assert message not in page
    assert re.search(r"2025-05-06</time> 修改（适用范围）</li>", page), page[page.index("收录与修改记录"):][:600]
    assert "：收录首批标准</li>" in page
