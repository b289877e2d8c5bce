"""What a reader sees in the built site, in headless Chromium, with the site hosted under a sub-path and every
request to another host blocked (see conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urljoin, urlsplit

import pytest
import yaml

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NEW = "standards/national/GB-T-28220-2023/"
OLD = "standards/national/GB-T-28220-2011/"
SEARCH = "search/"


def expect(target):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect as pw_expect

    return pw_expect(target)


def feedback_mail() -> str:
    """The feedback address configured in mkdocs.yml (the plugin's feedback.mail)."""
    class Lenient(yaml.SafeLoader):
        pass

    Lenient.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Lenient)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "stdportal" in plugin:
            return plugin["stdportal"]["feedback"]["mail"]
    raise AssertionError("mkdocs.yml has no stdportal plugin")


def search_results(page):  # type: ignore[no-untyped-def]
    """The result list of the search page once it has answered (see test_search.py for the search itself)."""
    expect(page.locator("#sp-summary")).to_have_text(re.compile(r"^找到 \d+ 项标准"))
    return page.locator("#sp-results [data-search-result] a.sp-number")


def field_cell(page, label: str):  # type: ignore[no-untyped-def]
    """The value of the field named `label` in a standard page's 标准信息 list."""
    return page.locator("dl.sp-fields > div").filter(has=page.locator("dt", has_text=re.compile(f"^{label}$"))) \
        .locator("dd")


def test_standard_page_shows_number_title_status_and_missing_fields(page, server, shot):
    response = page.goto(server + NEW)
    assert response is not None and response.status == 200
    expect(page.locator(".sp-standard__number")).to_have_text("GB/T 28220-2023")
    expect(page.get_by_role("heading", level=1)).to_have_text("公共图书馆服务规范")
    expect(page).to_have_title(re.compile("公共图书馆服务规范"))
    badge = page.locator(".sp-status-panel .sp-status")
    expect(badge).to_be_visible()
    expect(badge).to_have_text("现行")
    expect(page.locator(".sp-status-words")).to_have_text("现行有效")
    expect(field_cell(page, "实施日期")).to_have_text("2023-07-01")
    # Known fields are listed; the missing ones are named on one line after them.
    unknown = page.locator(".sp-unknown-fields")
    expect(unknown).to_be_visible()
    for label in ("废止日期", "起草单位", "适用范围"):
        expect(unknown).to_contain_text(label)
        expect(field_cell(page, label)).to_have_count(0)
    shot(page, "standard-GB-T-28220-2023")

    other = page.goto(server + "standards/national/GB-T-43507-2023/")
    assert other is not None and other.status == 200
    expect(page.locator(".sp-standard__number")).to_have_text("GB/T 43507-2023")
    expect(page.get_by_role("heading", level=1)).not_to_be_empty()


def test_replacement_link_leads_to_the_replaced_standard_and_back(page, server, shot):
    page.goto(server + NEW)
    in_row = field_cell(page, "代替标准").get_by_role("link", name="GB/T 28220-2011")
    expect(in_row).to_be_visible()
    chain = page.locator("ol.sp-chain")
    expect(chain.get_by_role("link", name="GB/T 28220-2011")).to_be_visible()
    expect(chain.locator("li").last).to_contain_text("GB/T 28220-2023（本标准）")

    in_row.click()
    expect(page).to_have_url(server + OLD)
    expect(page.locator(".sp-standard__number")).to_have_text("GB/T 28220-2011")
    expect(page.locator(".sp-status-panel .sp-status")).to_have_text("被代替")
    words = page.locator(".sp-status-words")
    expect(words).to_have_text("已被 GB/T 28220-2023 代替")
    expect(words.get_by_role("link", name="GB/T 28220-2023")).to_have_attribute("href", "../GB-T-28220-2023/")
    back = field_cell(page, "被代替标准").get_by_role("link", name="GB/T 28220-2023")
    expect(back).to_be_visible()
    shot(page, "standard-GB-T-28220-2011")
    back.click()
    expect(page).to_have_url(server + NEW)


FEEDBACK_PAGES = [
    ("home", "", "基本公共服务标准信息库"),
    ("level", "levels/national/", "国家标准"),
    ("domain", "domains/elderly/", "老有所养"),
    ("region", "regions/110000/", "北京市"),
    ("standard", NEW, "公共图书馆服务规范"),
    ("handwritten", "help/", "使用帮助"),
    ("missing", "no/such/page/", "页面未找到"),
]


@pytest.mark.parametrize(("kind", "path", "title"), FEEDBACK_PAGES, ids=[k for k, _, _ in FEEDBACK_PAGES])
def test_feedback_link_names_the_page_and_its_address(page, server, shot, kind, path, title):
    response = page.goto(server + path)
    assert response is not None
    assert response.status == (404 if kind == "missing" else 200)
    shot(page, f"feedback-{kind}")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    links = page.locator("[data-feedback]")
    expect(links).to_have_count(1)
    link = links.first
    expect(link).to_be_visible()
    expect(link).to_have_text("意见反馈")
    href = link.get_attribute("href") or ""
    parts = urlsplit(href)
    assert parts.scheme == "mailto", href
    assert unquote(parts.path) == feedback_mail()
    query = parse_qs(parts.query)
    assert title in query["subject"][0]
    assert page.url == server + path
    assert page.url in query["body"][0], f"feedback body {query['body'][0]!r} lacks the address {page.url}"


def test_no_request_leaves_the_site(page, server, watch, shot):
    page.goto(server, wait_until="networkidle")
    page.goto(server + NEW, wait_until="networkidle")
    box = page.locator("form.sp-header-search input[name=q]")
    box.fill("养老")
    box.press("Enter")
    expect(search_results(page).first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert watch.outside == [], "requests to other hosts were made (and blocked)"
    assert watch.seen_outside == []
    assert watch.failed == [], "local loads failed"
    assert not [m for m in watch.console_errors if re.search(r"fail|load|net::|40\d|refused", m, re.I)], \
        watch.console_errors
    assert watch.console_errors == []


def test_standard_page_fits_a_phone(new_page, server, shot):
    page = new_page({"width": 412, "height": 900})
    page.goto(server + NEW)
    expect(page.get_by_role("heading", level=1)).to_have_text("公共图书馆服务规范")
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert inner == 412
    assert width <= inner + 1, f"page scrolls sideways: {width}px content in a {inner}px window"
    sizes = page.evaluate("""() => [...document.querySelectorAll(
        'article p, article td, article th, article li, article dd, article dt')]
        .filter(e => e.offsetParent && e.innerText.trim())
        .map(e => [e.tagName + ' ' + e.innerText.trim().slice(0, 20), parseFloat(getComputedStyle(e).fontSize)])""")
    assert sizes, "no body text found"
    small = [(text, px) for text, px in sizes if px < 16]
    # Notes (.sp-note, .sp-url) are deliberately 0.9em; everything a reader must read is at least 16px.
    body = page.evaluate("parseFloat(getComputedStyle(document.querySelector('article.md-typeset')).fontSize)")
    assert body >= 16, f"body text is {body}px"
    for label in ("发布日期", "实施日期"):
        px = field_cell(page, label).evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert px >= 16, f"{label} value is {px}px"
    assert all(px >= 14 for _, px in small), small
    shot(page, "mobile-standard")


def results_link_to_standard_pages(page, server) -> None:  # type: ignore[no-untyped-def]
    results = search_results(page)
    expect(results.first).to_be_visible()
    hrefs = results.evaluate_all("links => links.map(a => a.href)")
    assert hrefs and all(h.startswith(server + "standards/") for h in hrefs), hrefs


def test_site_search_finds_standards_offline(page, server, watch, shot):
    """The search is the site's own (Material's built-in search is not used): every file it needs is local."""
    page.goto(server)
    assert page.locator("input[data-md-component=search-query]").count() == 0
    box = page.locator("form.sp-header-search input[name=q]")
    box.fill("养老")
    box.press("Enter")
    expect(page).to_have_url(server + SEARCH + "?q=" + quote("养老"))
    results_link_to_standard_pages(page, server)
    shot(page, "search-results")
    assert watch.outside == []


def test_home_search_box_opens_site_search_with_the_query(page, server, watch, shot):
    page.goto(server)
    form = page.locator("article form.sp-search")
    box = form.get_by_role("searchbox", name="查找标准")
    expect(box).to_be_visible()
    box.fill("养老")
    box.press("Enter")
    expect(page).to_have_url(server + SEARCH + "?q=" + quote("养老"))  # the search page, under the sub-path
    query = page.locator("#sp-q")
    expect(query).to_have_value("养老")
    results_link_to_standard_pages(page, server)
    shot(page, "home-search")
    assert watch.outside == []


@pytest.mark.parametrize("path", ["no/such/page/", "standards/national/GB-T-1-1999/", "a/b/c/d/e/f/"])
def test_missing_page_is_styled_under_a_sub_path(page, server, watch, path):
    """Without site_url, 404.html finds the site root itself: from a folder of the site in the address, else by
    asking the server for the stylesheet folder by folder (HEAD requests that may miss). Nothing is requested
    relative to the missing address: the stylesheets and scripts are written after the <base> is set, out of
    the look-ahead parser's sight."""
    response = page.goto(server + path)
    assert response is not None and response.status == 404
    heading = page.get_by_role("heading", level=1, name="页面未找到")
    box = heading.bounding_box()
    assert box is not None and box["y"] < 900, f"the 404 heading is pushed down to y={box and box['y']}px"
    expect(page.locator(".sp-access")).to_be_visible()  # the site's stylesheet and scripts are loaded
    expect(page.get_by_role("link", name="返回首页")).to_have_attribute("href", "./index.html")
    assert page.evaluate("document.baseURI") == server
    probes = [f for f in watch.failed if f.endswith("assets/stdportal/stdportal.css")]
    assert [f for f in watch.failed if f not in probes] == []
    assert not [f for f in probes if f.startswith("404 " + server + path)], "requested at the missing address"
    if path.startswith("standards/"):
        assert probes == []  # known from the address alone
    page.get_by_role("link", name="返回首页").click()
    expect(page).to_have_url(server + "index.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("基本公共服务标准信息库")


def test_missing_page_after_a_visit_needs_no_probe(page, server, watch):
    """A page of the site, once seen, tells the 404 page where the site starts."""
    page.goto(server)
    page.goto(server + "no/such/page/")
    expect(page.locator(".sp-access")).to_be_visible()
    assert not [f for f in watch.failed if f.endswith("assets/stdportal/stdportal.css")], "probed the server"


def test_county_without_local_standards_sees_national_layer_diagram_and_table(page, server: str) -> None:  # type: ignore[no-untyped-def]
    # 320102 (玄武区, 南京市): no local standard of its own; the province and the city have some.
    page.goto(server + "regions/320102/")
    expect(page.locator("h1")).to_have_text("玄武区")
    layers = page.locator(".sp-layers")
    expect(layers).to_contain_text("国家标准和行业标准")
    expect(layers).to_contain_text("江苏省发布的地方标准")
    expect(page.locator(".sp-empty")).to_contain_text("本地区尚无收录的地方标准")
    page.locator(".sp-layers a", has_text="国家标准和行业标准").click()
    expect(page.locator("h1")).to_have_text("国家标准和行业标准体系")
    svg_url = page.locator("figure.sp-diagram a").first.get_attribute("href")
    assert svg_url and svg_url.endswith(".svg")
    assert page.locator("figure.sp-diagram img").evaluate("img => img.complete && img.naturalWidth > 0")
    with page.expect_download() as download:
        page.locator("a", has_text="CSV").first.click()
    path = download.value.path()
    text = Path(path).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "序号,体系位置,标准号,标准名称,层级,状态,实施日期,代替,备注"
    rows = page.locator("table.sp-detail tbody tr")
    assert len(text.splitlines()) - 1 >= rows.count() > 0
    page.goto(urljoin(page.url, svg_url))
    assert page.locator("svg title").first.text_content() == "国家标准和行业标准体系"


@pytest.mark.parametrize("path", ["", "levels/national/", "regions/321100/", "domains/elderly/"])
def test_a_listed_standard_is_one_link_of_its_number_and_title(page, server, path):
    """A finger aims at the Chinese title: in every list of standards the number and the title are one link
    (one Tab stop a row) whose text says which standard it is."""
    page.goto(server + path)
    rows = page.locator("ul.sp-stdlist > li").filter(has=page.locator(".sp-number"))
    assert rows.count() > 0
    for i in range(min(rows.count(), 8)):
        row = rows.nth(i)
        links = row.get_by_role("link")
        expect(links).to_have_count(1)
        name = links.first.inner_text()
        assert row.locator(".sp-number").inner_text() in name
        assert row.locator(".sp-stdlist__title").inner_text().strip() in name
    first = rows.first
    href = first.get_by_role("link").get_attribute("href") or ""
    first.scroll_into_view_if_needed()
    box = first.locator(".sp-stdlist__title").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + min(box["width"] - 2, 40), box["y"] + box["height"] / 2)
    expect(page).to_have_url(urljoin(server + path, href))
    expect(page.locator(".sp-standard__number")).to_be_visible()


@pytest.mark.parametrize("path", ["levels/national/", "updates/", "monitor/", "monitor/review/", "regions/321181/",
                                  "domains/elderly/", NEW])
def test_breadcrumbs_have_a_separator_only_between_items(page, server, path):
    page.goto(server + path)
    crumbs = page.locator("nav.sp-crumbs")
    text = crumbs.inner_text().strip()
    assert [part.strip() for part in text.split("›")] == crumbs.get_by_role("link").all_inner_texts(), text


def test_a_standard_of_unknown_status_says_so_once(page, server):
    page.goto(server + "standards/national/GB-T-35796-2017/")
    line = page.locator(".sp-status-panel p").first
    assert line.inner_text().count("状态未收录") == 1, line.inner_text()
    expect(line).to_contain_text("请到官方平台核实")


def test_the_home_page_is_titled_with_the_site_name_once(page, server):
    page.goto(server)
    expect(page).to_have_title("基本公共服务标准信息库")
    page.goto(server + NEW)
    expect(page).to_have_title("公共图书馆服务规范 - 基本公共服务标准信息库")


_ENGLISH_ONLY_JS = """(titles) => {
  const walker = document.createTreeWalker(document.querySelector("article") || document.body, NodeFilter.SHOW_TEXT);
  const unmarked = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (titles.some((t) => text && t.includes(text) && text.length >= 8) && !node.parentElement.closest("[lang=en]")) {
      unmarked.push(text);
    }
  }
  return unmarked;
}"""


def test_every_title_shown_in_english_is_marked_as_english(page, server, site_dir):
    """Wherever a standard without a Chinese title is listed (lists, system tables, relations, related standards,
    monitoring, search results), its English title is inside an element marked lang="en"; so is the name of a
    body a source gives in English, on the standard's page and the bodies' pages."""
    from generator.pipeline import load_catalog
    from generator.search.analyzer import has_han
    from tests.relevance.evaluate import AS_OF, BUNDLED_DB

    catalog, _ = load_catalog(BUNDLED_DB, AS_OF)
    english = {s.number: s.title_en for s in catalog.standards if not s.title and s.title_en}
    assert english, "the bundled database has standards with an English title only"
    # Bodies the sources name in English (AQSIQ, State Administration for …): on standard pages and bodies pages.
    bodies = {name for s in catalog.standards for name in (s.issuer, s.committee, s.supervisor, s.proposer)
              if name and not has_han(name) and re.search("[A-Za-z]{4}", name)}
    english.update({f"body {i}": name for i, name in enumerate(sorted(bodies))})
    escaped = [t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for t in english.values()]
    pages = sorted(str(p.relative_to(site_dir).parent) for p in site_dir.rglob("index.html")
                   if any(t in p.read_text(encoding="utf-8") for t in escaped))
    assert len(pages) > len(english), pages  # their own pages and the lists that show them
    unmarked = {}
    for rel in pages[:: max(1, len(pages) // 60)]:  # at most ~60 pages, spread over the site
        page.goto(server + ("" if rel == "." else rel + "/"))
        found = page.evaluate(_ENGLISH_ONLY_JS, list(english.values()))
        if found:
            unmarked[rel] = found
    page.goto(server + SEARCH + "?q=" + quote(next(iter(english.values()))))
    expect(search_results(page).first).to_be_visible()
    found = page.evaluate(_ENGLISH_ONLY_JS, list(english.values()))
    if found:
        unmarked["search"] = found
    assert not unmarked, unmarked


def test_english_titles_are_marked_as_english(page, server):
    """A screen reader reads an English title in English, not as Chinese letters."""
    page.goto(server + "standards/industry/MZ-T-188-2021/")
    expect(field_cell(page, "英文标准名称").locator("[lang=en]")).to_have_text(
        re.compile(r"^\s*Basic specification of reception service"))
    page.goto(server + "standards/national/GB-T-10001.9-2008/")  # no Chinese title: the heading is English
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "en")
    topic = page.locator("[data-md-component=header-topic] .md-ellipsis")  # the title in the header bar
    expect(topic).to_have_attribute("lang", "en")
    page.goto(server + "standards/industry/MZ-T-188-2021/")
    expect(topic).to_have_attribute("lang", "zh")
    expect(page.locator(".sp-note").first).not_to_have_attribute("lang", "en")
    page.goto(server + "levels/national/")
    row = page.locator("ul.sp-stdlist > li").filter(has_text="GB/T 10001.9-2008")
    expect(row.locator("[lang=en]")).to_have_text(re.compile(r"^Public information graphical symbols"))
    expect(row.locator(".sp-stdlist__title .sp-missing")).not_to_have_attribute("lang", "en")
