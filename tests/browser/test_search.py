"""The site's own search in headless Chromium: the header form on every page, the search page with its filters,
the no-result advice, numbers in their usual spellings, and searching on without a network once the index
files a query needs are in the page. The site is served under a sub-path with other hosts blocked (conftest.py).
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import quote

import pytest

from .conftest import AS_OF, ROOT

pytestmark = pytest.mark.browser

SEARCH = "search/"
FIRST = "GB/T 35796-2017"
FIRST_PAGE = "standards/national/GB-T-35796-2017/"
FAVICON = "/assets/images/favicon.png"


def expect(target):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect as pw_expect

    return pw_expect(target)


@cache
def domain_members(domain: str) -> frozenset[str]:
    """The standard numbers of a domain, from the same database and date the site was built from."""
    import datetime as dt

    from generator.pipeline import load_catalog

    catalog, _ = load_catalog(ROOT / "standards", dt.date.fromisoformat(AS_OF))
    return frozenset(s.number for s in catalog.standards if domain in s.domains)


def search_url(server: str, query: str, **filters: str) -> str:
    params = "&".join(f"{k}={quote(v)}" for k, v in {"q": query, **filters}.items())
    return f"{server}{SEARCH}?{params}"


def settled(page, url_part: str | None = None) -> str:  # type: ignore[no-untyped-def]
    """Wait until the search the page started (after its address shows `url_part`) has answered; the summary.

    search-ui.js writes the address, sets the summary to 正在搜索…… and marks the list busy in one step, so once
    the address shows the new query or filter, the next summary other than that is this search's."""
    if url_part is not None:
        expect(page).to_have_url(re.compile(re.escape(url_part)))
    summary = page.locator("#sp-summary")
    expect(summary).to_have_text(re.compile(r"^(找到 \d+ 项标准|没有找到|搜索索引加载失败)"))
    # Results come in one by one after the summary (each as its data arrives); the list says when it is whole.
    expect(page.locator("#sp-results")).to_have_attribute("aria-busy", "false")
    return summary.inner_text()


def found(summary: str) -> int:
    match = re.match(r"找到 (\d+) 项标准", summary)
    assert match, f"no results: {summary}"
    return int(match.group(1))


def results(page):  # type: ignore[no-untyped-def]
    return page.locator("#sp-results [data-search-result]")


def numbers(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("#sp-results [data-search-result] .sp-number").all_inner_texts()


def no_trouble(watch, offline: bool = False) -> None:  # type: ignore[no-untyped-def]
    assert watch.outside == [], "requests to other hosts were made (and blocked)"
    assert watch.seen_outside == []
    # Offline, Chromium's own re-fetch of the favicon (it asks again when the page changes its address) fails.
    favicon = [f for f in watch.failed if offline and f.endswith(FAVICON)]
    assert [f for f in watch.failed if f not in favicon] == [], "local loads failed"
    disconnected = [m for m in watch.console_errors if m == "Failed to load resource: net::ERR_INTERNET_DISCONNECTED"]
    assert len(disconnected) <= len(favicon), watch.console_errors  # each logged once, as the console does
    assert [m for m in watch.console_errors if m not in disconnected] == []


@pytest.mark.parametrize(("start", "query", "first"), [
    ("", "养老机构服务质量", FIRST),
    ("standards/national/GB-T-28220-2023/", "35796", FIRST),
    ("domains/elderly/", "城市书房", "DB37/T 4591-2023"),
], ids=["home", "standard-page", "list-page"])
def test_header_search_opens_the_search_page_with_results(page, server, watch, shot, start, query, first):
    page.goto(server + start)
    box = page.locator("form.sp-header-search input[name=q]")
    expect(box).to_be_visible()
    box.fill(query)
    box.press("Enter")
    expect(page).to_have_url(re.compile("^" + re.escape(server + SEARCH) + r"\?q="))
    summary = settled(page)
    assert found(summary) >= 1
    expect(page.locator("#sp-q")).to_have_value(query)
    expect(results(page).first.locator(".sp-number")).to_have_text(first)
    expect(results(page).first.locator(".sp-stdlist__title")).not_to_be_empty()
    href = results(page).first.locator("a.sp-number").get_attribute("href") or ""
    assert href.startswith(server + "standards/"), href
    shot(page, f"search-header-{start.strip('/').replace('/', '-') or 'home'}")
    no_trouble(watch)


def test_filters_change_the_list_accordingly(page, server, watch, shot):
    page.goto(search_url(server, "服务规范"))
    everything = found(settled(page))
    shown = page.locator("#sp-results .sp-level").all_inner_texts()
    assert len(set(shown)) > 1, f"an unfiltered 服务规范 should show several levels: {set(shown)}"

    page.select_option("select[name=level]", "local")
    local = found(settled(page, "level=local"))
    assert local < everything
    assert set(page.locator("#sp-results .sp-level").all_inner_texts()) == {"地方标准"}

    page.select_option("select[name=status]", "current")
    current_local = found(settled(page, "status=current"))
    assert current_local < local
    badges = page.locator("#sp-results .sp-status")
    assert set(badges.all_inner_texts()) == {"现行"}
    assert all("sp-status--current" in (c or "") for c in badges.evaluate_all("els => els.map(e => e.className)"))
    assert set(page.locator("#sp-results .sp-level").all_inner_texts()) == {"地方标准"}
    shot(page, "search-filters-local-current")

    page.select_option("select[name=level]", "")
    page.select_option("select[name=status]", "")
    page.select_option("#sp-region-1", "370000")
    assert found(settled(page, "region=370000")) < everything
    # What applies in Shandong: national and industry standards, and Shandong's own local ones.
    shandong = numbers(page)
    assert shandong and all(not n.startswith("DB") or n.startswith("DB37") for n in shandong), shandong
    page.select_option("select[name=level]", "local")
    settled(page, "level=local")
    shandong_local = numbers(page)
    assert shandong_local and all(n.startswith("DB37") for n in shandong_local), shandong_local
    page.select_option("select[name=level]", "")
    settled(page, "?q=" + quote("服务规范") + "&region=370000")

    page.select_option("#sp-region-1", "")
    page.select_option("select[name=domain]", "老有所养")
    assert found(settled(page, "domain=" + quote("老有所养"))) < everything
    elderly = numbers(page)
    assert elderly and set(elderly) <= domain_members("老有所养"), set(elderly) - domain_members("老有所养")

    page.select_option("select[name=domain]", "")
    assert found(settled(page, SEARCH + "?q=")) == everything
    expect(page).to_have_url(search_url(server, "服务规范"))
    no_trouble(watch)


def test_filters_in_the_address_are_applied(page, server, watch):
    page.goto(search_url(server, "殡葬", level="local"))
    expect(page.locator("select[name=level]")).to_have_value("local")
    assert found(settled(page)) == 2
    assert sorted(numbers(page)) == ["DB37/T 4216-2020", "DB46/T 563.2-2021"]
    no_trouble(watch)


def test_result_opens_the_standard_page_and_back_returns(page, server, watch):
    page.goto(search_url(server, "养老机构服务质量"))
    settled(page)
    first = results(page).first.locator("a.sp-number")
    expect(first).to_have_text(FIRST)
    # The query's words are marked in the title, so a reader sees why it was found.
    expect(results(page).first.locator(".sp-stdlist__title mark")).to_have_text(["养老机构服务质量"])
    expect(results(page).first.locator(".sp-stdlist__title")).to_have_text("养老机构服务质量基本规范")
    first.click()
    expect(page).to_have_url(server + FIRST_PAGE)
    expect(page.locator(".sp-standard__number")).to_have_text(FIRST)
    expect(page.get_by_role("heading", level=1)).to_have_text("养老机构服务质量基本规范")
    page.go_back()
    settled(page)
    expect(page.locator("#sp-q")).to_have_value("养老机构服务质量")
    expect(results(page).first.locator(".sp-number")).to_have_text(FIRST)
    no_trouble(watch)


def test_more_results_extend_the_list_and_take_the_reader_to_the_first_new_one(page, server, watch, shot):
    page.goto(search_url(server, "服务"))
    total = found(settled(page))
    assert total > 30, total
    first_page = numbers(page)
    assert len(first_page) == 10
    expect(page.locator("#sp-summary")).to_have_text(f"找到 {total} 项标准，显示最相关的 10 项。")
    more = page.get_by_role("button", name="显示更多结果")
    expect(more).to_be_visible()
    more.click()
    expect(results(page)).to_have_count(20)
    expect(page.locator("#sp-results")).to_have_attribute("aria-busy", "false")
    assert numbers(page)[:10] == first_page
    assert page.evaluate("document.activeElement.textContent") == numbers(page)[10]
    expect(page.locator("#sp-summary")).to_have_text(f"找到 {total} 项标准，显示最相关的 20 项。")
    shot(page, "search-more-results")
    shown = 20
    while shown < total:
        more.click()
        shown = min(shown + 10, total)
        expect(results(page)).to_have_count(shown)
    expect(more).to_be_hidden()
    expect(page.locator("#sp-summary")).to_have_text(f"找到 {total} 项标准。")
    assert len(set(numbers(page))) == total
    no_trouble(watch)


def test_a_tap_anywhere_on_a_result_opens_its_standard(page, server, watch):
    """The number is the link, but a finger aims at the big title: the whole card must answer."""
    page.goto(search_url(server, "养老机构服务质量"))
    settled(page)
    title = results(page).first.locator(".sp-stdlist__title")
    box = title.bounding_box()
    assert box and box["height"] >= 20
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2)  # as a tap lands: no target
    expect(page).to_have_url(server + FIRST_PAGE)
    no_trouble(watch)


def test_no_result_shows_the_message_and_suggestions(page, server, watch, shot):
    page.goto(search_url(server, "火星探测"))
    expect(page.locator("#sp-summary")).to_have_text("没有找到与“火星探测”相关的标准。")
    expect(results(page)).to_have_count(0)
    suggest = page.locator("#sp-suggest")
    expect(suggest).to_be_visible()
    expect(suggest.locator("li")).to_contain_text(["检查是否有错别字"])
    shot(page, "search-no-result")

    # A number that is not in the database: the advice is about numbers.
    page.goto(search_url(server, "GB/T 99999"))
    expect(page.locator("#sp-summary")).to_have_text("没有找到与“GB/T 99999”相关的标准。")
    expect(suggest.locator("li").first).to_contain_text("35796")

    # Nothing under a filter: the message names the filter, and one button drops it and finds the standards.
    page.goto(search_url(server, "托育", region="110000", level="local"))
    expect(page.locator("#sp-summary")).to_have_text(
        "在所选条件（层级：地方标准、地区：北京市）下没有找到与“托育”相关的标准。")
    suggest.get_by_role("button", name="清除筛选条件，重新搜索").click()
    assert found(settled(page)) >= 4  # the click set 正在搜索…… and marked the list busy at once
    expect(page).to_have_url(search_url(server, "托育"))
    expect(page.locator("#sp-region-1")).to_have_value("")
    expect(page.locator("select[name=level]")).to_have_value("")
    expect(suggest).to_be_hidden()
    no_trouble(watch)


@pytest.mark.parametrize("query", ["GB/T35796", "35796", "gbt35796", "ＧＢ／Ｔ　３５７９６－２０１７"])
def test_number_spellings_find_the_standard_first(page, server, watch, query):
    page.goto(server + SEARCH)
    expect(page.locator("#sp-summary")).to_have_text("请输入要查找的标准号或名称。")
    box = page.locator("#sp-q")
    box.fill(query)
    box.press("Enter")
    settled(page, "?q=")
    expect(results(page).first.locator(".sp-number")).to_have_text(FIRST)
    no_trouble(watch)


def test_search_keeps_working_offline_once_its_index_files_are_loaded(page, server, watch, shot):
    """Shards are fetched on demand, so nothing promises a query's files are in the page in advance. What the
    engine does promise: a file once fetched is kept, so the same terms under another filter need no network."""
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(search_url(server, "殡葬"), wait_until="networkidle")
    every = numbers(page)
    assert found(settled(page)) == len(every) == 6  # all its results shown, so all their data chunks are loaded
    page.select_option("select[name=level]", "local")  # a filter loads attrs.json
    settled(page, "level=local")
    page.wait_for_load_state("networkidle")
    index_files = [u for u in fetched if "/search-index/" in u]
    assert index_files and all(u.startswith(server + "search-index/") for u in index_files), index_files
    assert any(u.endswith("/attrs.json") for u in index_files)
    assert not any(u.endswith("/manifest.json") for u in index_files)  # the page carries the manifest

    fetched.clear()
    page.context.set_offline(True)
    try:
        page.select_option("select[name=level]", "national")
        summary = settled(page, "level=national")
        assert "加载失败" not in summary
        national = numbers(page)
        assert national and set(national) <= set(every)
        assert set(page.locator("#sp-results .sp-level").all_inner_texts()) == {"国家标准"}

        page.select_option("select[name=level]", "")
        page.select_option("select[name=status]", "current")
        settled(page, "status=current")
        assert set(page.locator("#sp-results .sp-status").all_inner_texts()) == {"现行"}

        box = page.locator("#sp-q")
        box.fill("  殡葬 ")  # the same term typed again
        box.press("Enter")
        settled(page, "status=current")
        assert set(numbers(page)) <= set(every)
        shot(page, "search-offline")
    finally:
        page.context.set_offline(False)
    asked = [u for u in fetched if not u.endswith(FAVICON)]
    assert asked == [], f"searching offline asked the network for {asked}"
    no_trouble(watch, offline=True)


def test_a_failed_load_says_so_clears_the_list_and_recovers(page, server, watch):
    page.goto(search_url(server, "殡葬"))
    assert found(settled(page)) == 6
    page.context.set_offline(True)
    box = page.locator("#sp-q")
    box.fill("托育")  # terms whose index files this page has not loaded
    box.press("Enter")
    summary = settled(page, "?q=" + quote("托育"))
    assert "加载失败" in summary and "重试" in summary
    expect(results(page)).to_have_count(0)  # no list left over from 殡葬 under the message
    expect(page.get_by_role("button", name="显示更多结果")).to_be_hidden()
    retry = page.get_by_role("button", name="重试")
    expect(retry).to_be_visible()

    page.context.set_offline(False)
    if retry.is_visible():  # the page also retries by itself when the browser says it is online again
        retry.click()
    expect(retry).to_be_hidden()
    assert found(settled(page)) >= 4
    expect(results(page).first).to_be_visible()
    assert watch.outside == []


def test_back_from_a_result_returns_to_the_same_place_in_a_longer_list(page, server, watch):
    page.goto(search_url(server, "服务"))
    settled(page)
    page.get_by_role("button", name="显示更多结果").click()
    expect(results(page)).to_have_count(20)
    expect(page.locator("#sp-results")).to_have_attribute("aria-busy", "false")
    fifteenth = results(page).nth(14).locator("a.sp-number")
    fifteenth.scroll_into_view_if_needed()
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 300
    number = fifteenth.inner_text()
    fifteenth.click()
    expect(page.locator(".sp-standard__number")).to_have_text(number)
    page.go_back()
    expect(results(page)).to_have_count(20)
    expect(page.locator("#sp-results")).to_have_attribute("aria-busy", "false")
    page.wait_for_function(f"Math.abs(window.scrollY - {scrolled}) < 40")
    assert numbers(page)[14] == number
    no_trouble(watch)


def test_a_region_named_in_the_query_keeps_what_applies_there(page, server, watch):
    """镇江 殡葬服务: the national funeral standard, not Heilongjiang's 殡仪服务规范; the page says why."""
    page.goto(search_url(server, "镇江 殡葬服务"))
    summary = settled(page)
    assert "只列出在该地区适用的标准" in summary and "“镇江”" in summary, summary
    shown = numbers(page)
    assert shown[:1] == ["GB/T 46853-2025"], shown
    assert all(not n.startswith("DB") or n.startswith(("DB32/", "DB3211/")) for n in shown), shown
    no_trouble(watch)


@pytest.mark.parametrize(("query", "code", "answered"), [
    ("镇江 殡葬服务", "321100", True), ("镇江", "321100", True), ("丹阳", "321181", False)])
def test_a_query_naming_a_region_links_to_the_region_page(page, server, watch, query, code, answered):
    """The region's page lists everything that applies there, whatever the query found; a query of nothing but
    the name says what it lists (the standards naming the place), not that it lists what applies there."""
    page.goto(search_url(server, query))
    summary = settled(page)
    link = page.locator("#sp-summary").get_by_role("link", name=query.split()[0] + "的地区页面")
    expect(link).to_have_attribute("href", f"../regions/{code}/")
    if answered and " " not in query:
        assert "查询只有地区名称" in summary and "只列出在该地区适用的标准" not in summary, summary
    if not answered:  # a place's name alone that no standard names: what applies there, not "check for typos"
        assert summary.startswith("没有找到名称、发布单位或地区中有“丹阳”的标准。在丹阳适用的全部标准"), summary
        expect(page.locator("#sp-suggest")).to_be_hidden()
    link.click()
    expect(page).to_have_url(server + f"regions/{code}/")
    no_trouble(watch)


def test_the_words_people_say_find_the_official_ones(page, server, watch):
    page.goto(search_url(server, "老年痴呆"))
    settled(page)
    assert {"GB/T 46401-2025", "GB/T 45150-2024"} <= set(numbers(page)[:5]), numbers(page)
    page.goto(search_url(server, "养老院服务"))
    summary = settled(page)
    # Honest count: the standards holding half of the words, not every one that says 服务.
    assert found(summary) < 60, summary
    assert "同时按标准中的用语“养老机构”查找" in summary, summary  # the reader is told why 养老机构 matches
    page.goto(search_url(server, "养老机构服务"))
    assert "同时按" not in settled(page)
    assert {"GB 38600-2019", "GB/T 35796-2017"} <= set(numbers(page)[:5]), numbers(page)
    no_trouble(watch)


@pytest.mark.parametrize("query", ["养老院服务", "量子引力", ""])
def test_the_theme_script_starts_after_the_first_result(page, server, watch, query):
    """The search page loads the theme's script once its first search has shown something (overrides/main.html):
    the theme still starts (its components mount), its script is asked for after the result, and only once."""
    page.add_init_script("""
      new MutationObserver(() => {
        if (window.__shown === undefined &&
            document.querySelector('#sp-results [data-search-result], #sp-suggest:not([hidden])')) {
          window.__shown = performance.now();
        }
      }).observe(document, {childList: true, subtree: true, attributes: true});
    """)
    page.goto(search_url(server, query) if query else server + SEARCH)
    page.wait_for_function("window.component$ !== undefined")
    # Material's own start-up ran: it subscribes its components once the document is there.
    page.wait_for_function("""() => new Promise(resolve => {
      const s = window.component$.subscribe(() => { resolve(true); });
      setTimeout(() => { s.unsubscribe(); resolve(false); }, 2000);
    })""")
    bundles = page.evaluate("performance.getEntriesByType('resource')"
                            ".filter(e => /bundle\\.[0-9a-f]+\\.min\\.js/.test(e.name)).map(e => e.startTime)")
    assert len(bundles) == 1, bundles
    ours = page.evaluate("performance.getEntriesByType('resource')"
                         ".filter(e => /stdportal\\/stdportal\\.js/.test(e.name)).map(e => e.startTime)")
    assert len(ours) == 1, ours
    if query:
        settled(page)
        assert page.evaluate("window.__shown") <= min(bundles[0], ours[0]), (page.evaluate("window.__shown"), bundles,
                                                                              ours)
    # stdportal.js, loaded with the theme, ran: the feedback link carries this address, the 适老化 buttons work.
    expect(page.locator("[data-feedback]")).to_have_attribute("href", re.compile(re.escape(quote(page.url, safe=""))))
    page.get_by_role("button", name="大字").click()
    expect(page.get_by_role("button", name="大字")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("document.documentElement.classList.contains('sp-large')")
    no_trouble(watch)


@pytest.mark.parametrize("width", [1280, 360], ids=["wide", "phone"])
def test_the_search_page_leaves_out_the_sidebars_but_keeps_the_menu(new_page, server, watch, width):
    """The search page has no navigation or contents sidebar on a wide screen (their layout would delay the first
    result); the other pages keep theirs, and on a phone the menu still lists the site's sections."""
    page = new_page({"width": width, "height": 800})
    page.goto(search_url(server, "托育"))
    settled(page)
    navigation = page.locator(".md-sidebar--primary")
    if width > 1220:
        expect(navigation).to_be_hidden()
        expect(page.locator(".md-sidebar--secondary")).to_be_hidden()
        page.goto(server + "levels/")
        expect(page.locator(".md-sidebar--primary")).to_be_visible()
    else:
        page.wait_for_function("window.component$ !== undefined")
        page.locator(".md-header label[for=__drawer]").click()
        menu = navigation.get_by_role("link", name="按领域")
        expect(menu).to_be_in_viewport()
        menu.click()
        page.wait_for_url(re.compile(r"/domains/$"))
    no_trouble(watch)


def test_a_query_in_traditional_characters_finds_what_the_simplified_one_does(page, server, watch):
    """養老機構 服務 is searched as 养老机构 服务 (the table is in the index manifest), and the summary says so."""
    page.goto(search_url(server, "养老机构 服务"))
    settled(page)
    simple = numbers(page)
    page.goto(search_url(server, "養老機構 服務"))
    summary = settled(page)
    assert numbers(page) == simple and simple
    assert summary.endswith("（按简体字“养老机构 服务”查找）"), summary
    no_trouble(watch)


def test_words_no_title_has_together_list_the_most_telling_one_and_say_so(page, server, watch):
    """学校 校车: no title has both words; the page lists what 校车 alone finds (fewer results than 学校) and says
    that it does."""
    page.goto(search_url(server, "校车"))
    settled(page)
    alone = numbers(page)
    page.goto(search_url(server, "学校 校车"))
    summary = settled(page)
    assert alone and numbers(page) == alone
    told = "没有同时与“学校”“校车”相关的标准，下面列出的是与“校车”相关的标准。"
    assert summary == f"找到 {len(alone)} 项标准。{told}", summary
    # 殡葬 图书馆: together they would list 图书馆's standards only (its two terms outweigh 殡葬's one); the word the
    # list would silently drop is not dropped.
    each = {}
    for word in ("殡葬", "图书馆"):
        page.goto(search_url(server, word))
        each[word] = (int(re.match(r"找到 (\d+) 项", settled(page)).group(1)), numbers(page))
    fewer = min(each, key=lambda word: each[word][0])
    page.goto(search_url(server, "殡葬 图书馆"))
    summary = settled(page)
    assert numbers(page) == each[fewer][1], summary
    assert f"没有同时与“殡葬”“图书馆”相关的标准，下面列出的是与“{fewer}”相关的标准。" in summary, summary
    # A word that alone finds nothing is named, and the others' standards are listed.
    page.goto(search_url(server, "殡葬 火星"))
    summary = settled(page)
    assert numbers(page) == each["殡葬"][1], summary
    named = "没有与“火星”相关的标准，下面列出的是按其余的词找到的标准。"
    assert summary.startswith(f"找到 {each['殡葬'][0]} 项标准。{named}"), summary
    no_trouble(watch)


@pytest.mark.parametrize("latency", [0, 600], ids=["fast", "slow network"])
def test_a_search_from_the_keyboard_takes_the_focus_to_the_answer_it_scrolls_up(new_page, server, watch, latency):
    """At 200 % zoom (640 × 400) the filters fill the screen: the answer is scrolled up under the header, and the
    focus goes with it, not left on a search box out of view. The other links of the site are on the page. On a
    slow network the search of the words as typed (after a pause in typing) must not take the place of the one
    the reader sent before that pause ended."""
    page = new_page({"width": 640, "height": 400})
    page.goto(server + "search/")
    page.wait_for_function("window.component$ !== undefined")
    if latency:
        network = page.context.new_cdp_session(page)
        network.send("Network.enable")
        network.send("Network.emulateNetworkConditions", {"offline": False, "latency": latency,
                                                          "downloadThroughput": -1, "uploadThroughput": -1})
    page.locator("#sp-q").fill("托育")
    page.locator("#sp-q").press("Enter")
    settled(page)
    assert page.evaluate("document.activeElement.id") == "sp-summary"
    expect(page.locator("#sp-summary")).to_be_in_viewport()
    links = page.locator(".sp-browse-links a")
    assert {links.nth(i).inner_text() for i in range(links.count())} >= {"首页", "最近更新", "数据下载"}
    no_trouble(watch)


@cache
def quiet_county() -> tuple[str, str, str, frozenset[str]]:
    """A county of a province with local standards of its own, where neither the county nor its prefecture has
    any: (province, prefecture, county, the province's local standard numbers); from the site's database."""
    import datetime as dt

    from generator.pipeline import load_catalog

    catalog, _ = load_catalog(ROOT / "standards", dt.date.fromisoformat(AS_OF))
    regions = catalog.vocab.regions
    local = {s.region for s in catalog.standards if s.region}
    for province in sorted(code for code in local if regions[code].parent is None):
        for county in sorted(code for code, r in regions.items() if r.rank == "county" and code[:2] == province[:2]):
            prefecture = regions[county].parent
            if prefecture and prefecture != province and not any(c[:4] == county[:4] for c in local):
                own = frozenset(s.number for s in catalog.standards if s.region == province)
                return province, prefecture, county, own
    raise AssertionError("no province with local standards has a county without any")


def test_a_county_chosen_in_steps_keeps_the_national_and_the_province_standards(page, server, watch, shot):
    """省份 → 市 → 县、区 on the page: the regions below the provinces come from one file, fetched only once the
    reader goes to the choice; a county without local standards of its own keeps every standard that applies
    there (the same list as its province), and the address carries the county."""
    province, prefecture, county, own = quiet_county()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if r.url.endswith("/regions.json") else None)
    page.goto(search_url(server, "服务规范"))
    settled(page)
    assert asked == [], "the regions below the provinces were fetched before the reader went to the choice"
    for name in ("市", "县、区"):
        expect(page.get_by_label(name, exact=True)).to_be_hidden()

    page.get_by_label("省份").select_option(province)
    in_province = found(settled(page, f"region={province}"))
    assert len(asked) == 1, asked  # focusing the choice asked for the file, once
    page.get_by_label("市", exact=True).select_option(prefecture)
    assert found(settled(page, f"region={prefecture}")) == in_province
    page.get_by_label("县、区").select_option(county)
    in_county = found(settled(page, f"region={county}"))
    assert in_county == in_province, "a county without standards of its own keeps what applies in its province"
    shown = numbers(page)
    assert any(n.startswith("GB") for n in shown), shown
    assert all(not n.startswith("DB") or n in own for n in shown), shown
    shot(page, "search-region-county")

    page.select_option("select[name=level]", "local")
    settled(page, "level=local")
    assert numbers(page) and set(numbers(page)) <= own, numbers(page)
    page.select_option("select[name=level]", "national")
    settled(page, "level=national")
    assert numbers(page) and all(n.startswith("GB") for n in numbers(page)), numbers(page)
    page.select_option("select[name=level]", "")
    settled(page, "?q=" + quote("服务规范") + f"&region={county}")
    assert len(asked) == 1, asked

    # The address, shared: the same county in the steps and the same list.
    link = page.url
    page.goto(link)
    assert found(settled(page)) == in_county
    expect(page.get_by_label("省份")).to_have_value(province)
    expect(page.get_by_label("市", exact=True)).to_have_value(prefecture)
    expect(page.get_by_label("县、区")).to_have_value(county)
    expect(page).to_have_url(link)

    # Back to a whole province: the steps below it are emptied, the search is for the province.
    page.get_by_label("省份").select_option("")
    settled(page, SEARCH + "?q=" + quote("服务规范"))
    expect(page).to_have_url(search_url(server, "服务规范"))
    expect(page.get_by_label("县、区")).to_be_hidden()
    no_trouble(watch)


@pytest.mark.parametrize("width", [360, 180], ids=["phone", "zoom200"])
def test_the_region_steps_fit_a_phone_and_take_a_finger(new_page, server, watch, width):
    province, prefecture, county, _ = quiet_county()
    page = new_page({"width": width, "height": 740})
    page.goto(search_url(server, "服务规范", region=county))
    settled(page)
    expect(page.get_by_label("县、区")).to_have_value(county)
    for name in ("省份", "市", "县、区"):
        box = page.get_by_label(name, exact=True).bounding_box()
        assert box and box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= width, (name, box)
    assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
    no_trouble(watch)


def test_a_municipality_lists_its_districts_next(page, server, watch):
    page.goto(search_url(server, "服务规范"))
    settled(page)
    page.get_by_label("省份").select_option("110000")
    settled(page, "region=110000")
    districts = page.get_by_label("区、县")
    expect(districts).to_be_visible()
    expect(districts.locator("option[value='110108']")).to_have_text("海淀区")
    districts.select_option("110108")
    settled(page, "region=110108")
    expect(page.get_by_label("县、区")).to_be_hidden()
    assert all(not n.startswith("DB") or n.startswith("DB11") for n in numbers(page)), numbers(page)
    no_trouble(watch)


SUMMARIES = """
  window.__summaries = [];
  new MutationObserver(() => {
    const s = document.getElementById('sp-summary');
    if (s && s.textContent && window.__summaries[window.__summaries.length - 1] !== s.textContent) {
      window.__summaries.push(s.textContent);
    }
  }).observe(document, {childList: true, subtree: true, characterData: true});
"""


@pytest.mark.parametrize(("filters", "words"), [
    ({"region": "321100"}, "地区：江苏省 镇江市"),
    ({"level": "local", "region": "110105"}, "层级：地方标准、地区：北京市 朝阳区"),
    ({"region": "320000"}, "地区：江苏省"),
], ids=["prefecture", "municipal-district", "province"])
def test_no_result_under_a_region_from_the_address_names_the_whole_region(page, server, watch, filters, words):
    """The address may carry a city or a county: the message names it (from regions.json), never only its province,
    not even for a moment."""
    page.add_init_script(SUMMARIES)
    page.goto(search_url(server, "火星探测", **filters))
    message = f"在所选条件（{words}）下没有找到与“火星探测”相关的标准。"
    expect(page.locator("#sp-summary")).to_have_text(message)
    shown = [s for s in page.evaluate("window.__summaries") if s != "正在搜索……"]
    assert shown == [message], shown
    no_trouble(watch)


def test_a_region_without_a_search_word_links_to_the_region_page(page, server, watch):
    """docs/help.md: with the box empty nothing is listed; a region chosen leads to its page, which lists what
    applies there."""
    page.goto(server + SEARCH)
    page.get_by_label("省份").select_option("320000")
    page.get_by_label("市", exact=True).select_option("321100")
    page.select_option("select[name=status]", "current")
    summary = page.locator("#sp-summary")
    expect(summary).to_have_text("请输入要查找的标准号或名称。要查看在镇江市适用的全部标准，请打开镇江市的地区页面。")
    summary.get_by_role("link", name="镇江市的地区页面").click()
    expect(page).to_have_url(server + "regions/321100/")
    expect(page.get_by_role("heading", level=1)).to_have_text("镇江市")

    # The same from an address: the county is named once regions.json is in.
    page.goto(server + SEARCH + "?region=321181")
    expect(summary.get_by_role("link", name="丹阳市的地区页面")).to_have_attribute("href", "../regions/321181/")
    # Without a region, only the request for a word.
    page.goto(server + SEARCH + "?level=local")
    expect(summary).to_have_text("请输入要查找的标准号或名称。")
    no_trouble(watch)


@pytest.mark.parametrize(("query", "tip"), [
    ("养老火星探测器", "换用更短的词，如“养老”"),  # the one word of it some standard holds
    ("火星探测器", None),  # no standard holds any of its words: a shorter one would find nothing again
    ("yanglao", None),
    ("<script>alert(1)</script>", None),
    ("'\"%;--", None),
    ("火星 abc", None),  # two Han characters: nothing shorter to offer
])
def test_a_shorter_word_is_suggested_only_from_three_chinese_characters_and_only_one_that_finds(
        page, server, watch, query, tip):
    page.goto(search_url(server, query))
    expect(page.locator("#sp-summary")).to_have_text(f"没有找到与“{query}”相关的标准。")
    tips = page.locator("#sp-suggest li")
    expect(tips.last).to_have_text("检查是否有错别字")
    shorter = [t for t in tips.all_inner_texts() if "更短" in t]
    assert shorter == ([tip] if tip else []), tips.all_inner_texts()
    no_trouble(watch)
