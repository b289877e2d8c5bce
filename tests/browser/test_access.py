"""Readable by everyone: no sideways scroll on a phone or at 200 % zoom, no serious axe-core finding, the 适老化
controls, keyboard use, the answer first on a standard page, and its print."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from .conftest import SHOTS

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
NEW = "standards/national/GB-T-28220-2023/"
PAGE_KINDS = {
    "home": "",
    "level": "levels/national/",
    "status": "status/",
    "domains": "domains/",
    "domain": "domains/elderly/",
    "regions": "regions/",
    "region": "regions/110000/",
    "body": "bodies/",
    "standard": NEW,
    "standard-replaced": "standards/national/GB-T-28220-2011/",
    "search": "search/?q=" + "%E5%85%BB%E8%80%81",
    "search-none": "search/?q=zzqqxx",
    # The region chosen down to a county: three steps of choice open on the page (江宁区, 南京市, 江苏省).
    "search-county": "search/?q=" + "%E6%9C%8D%E5%8A%A1" + "&region=320115",
    "updates": "updates/",
    # The coverage matrices: domains × 30-odd provinces, categories × a province's prefectures.
    "monitor": "monitor/",
    "monitor-province": "monitor/320000/",
    "downloads": "downloads/",
    "help": "help/",
    "maintainers": "maintainers/",
    "missing": "no/such/page/",
}
# Browser zoom shrinks the page's width in CSS pixels: a 360 px phone at 150 % lays out 240 px, at 200 % 180 px.
# A viewport of that width (device_scale_factor keeps the pixels sharp in the screenshots) is what the page's
# media queries and layout see under zoom; CSS `zoom` on the root would not trigger the media queries.
WIDTHS = {"phone": (360, 1), "zoom150": (240, 1.5), "zoom200": (180, 2)}


def expect(target):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect as pw_expect

    return pw_expect(target)


def settled(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url, wait_until="networkidle")
    if "search/?q=" in url:
        expect(page.locator("#sp-summary")).not_to_be_empty()
    if "&region=" in url:
        expect(page.locator("#sp-region-3")).to_be_visible()


@pytest.fixture
def sized(browser, server):  # type: ignore[no-untyped-def]
    contexts = []

    def make(width: int, scale: float):  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport={"width": width, "height": 740}, device_scale_factor=scale,
                                      locale="zh-CN", service_workers="block")
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("size", list(WIDTHS))
def test_no_page_scrolls_sideways(sized, server, size):
    width, scale = WIDTHS[size]
    page = sized(width, scale)
    wide = {}
    for kind, path in PAGE_KINDS.items():
        settled(page, server + path)
        scroll, client = page.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
        assert client == width
        if scroll > client:
            wide[kind] = page.evaluate("""w => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w + 1).slice(0, 3).map(e => e.outerHTML.slice(0, 80))""",
                                       client)
        # Nothing a reader must read hides in a box that scrolls sideways on its own (the old field table did).
        boxes = page.evaluate("""() => [...document.querySelectorAll('article *')].filter(e => e.scrollWidth >
            e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)).map(e => e.className)""")
        assert boxes == [], f"{kind}: boxes scroll sideways at {width}px: {boxes}"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{size}-{kind}.png"), full_page=False)
    assert wide == {}, f"pages scroll sideways at {width}px: {wide}"


@pytest.mark.parametrize("size", list(WIDTHS))
def test_the_header_search_box_is_an_easy_target_with_its_hint_whole(sized, server, size):
    """The search box every page carries is as tall as the theme's buttons (40 px), and its hint (标准号或名称) is
    not cut where the box is shown, whatever the page's title; where the box gives way (200 % zoom) the search
    button stays, as large."""
    width, scale = WIDTHS[size]
    page = sized(width, scale)
    for path in ("", NEW, "search/", "monitor/", "regions/320000/"):
        settled(page, server + path)
        box = page.evaluate("""() => {
            const input = document.querySelector('.sp-header-search__input');
            const button = document.querySelector('.sp-header-search__button').getBoundingClientRect();
            input.value = input.placeholder;  // the hint's own width, in the box's own font
            const box = {shown: getComputedStyle(input).display !== 'none', hint: input.placeholder,
                         height: input.getBoundingClientRect().height, width: input.clientWidth,
                         needed: input.scrollWidth, button: [button.width, button.height]};
            input.value = '';
            return box;
        }""")
        assert min(box["button"]) >= 40, f"{size} {path or '/'}: {box}"
        if box["shown"]:
            assert box["hint"] and box["height"] >= 40 and box["needed"] <= box["width"], f"{size} {path or '/'}: {box}"
        else:
            assert size == "zoom200", f"{size} {path or '/'}: the search box is hidden"


def axe_source() -> str:
    if not AXE.is_file():
        message = f"axe-core is not installed ({AXE}); run: npm ci --prefix tests/browser"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("mode", ["default", "large-contrast"])
def test_no_serious_axe_finding_on_any_page_kind(new_page, server, mode):
    source = axe_source()
    page = new_page()
    if mode != "default":
        page.goto(server)
        page.get_by_role("button", name="大字").click()
        page.get_by_role("button", name="高对比").click()
    found = {}
    for kind, path in PAGE_KINDS.items():
        settled(page, server + path)
        page.add_script_tag(content=source)
        violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
            .violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes[0].html.slice(0, 100)}`)""")
        if violations:
            found[kind] = violations
    assert found == {}


def test_larger_text_and_contrast_are_remembered_and_keyboard_operable(new_page, server):
    page = new_page({"width": 360, "height": 740})
    page.goto(server + NEW)
    body = page.locator("article.md-typeset")
    normal = body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    large = page.get_by_role("button", name="大字")
    expect(large).to_be_visible()
    expect(large).to_have_attribute("aria-pressed", "false")
    large.focus()
    page.keyboard.press("Enter")
    expect(large).to_have_attribute("aria-pressed", "true")
    bigger = body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert bigger >= 18 and bigger > normal, (normal, bigger)
    contrast = page.get_by_role("button", name="高对比")
    contrast.focus()
    page.keyboard.press("Space")
    expect(contrast).to_have_attribute("aria-pressed", "true")
    assert page.locator(".sp-unknown-fields").evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    page.goto(server + "domains/")  # another page, another visit: still on, before any click
    expect(page.locator("html")).to_have_class(re.compile(r"\bsp-large\b.*\bsp-contrast\b|\bsp-contrast\b.*\bsp-large\b"))
    expect(page.get_by_role("button", name="大字")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="大字").click()
    page.reload()
    expect(page.get_by_role("button", name="大字")).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")


def focus_ring(page):  # type: ignore[no-untyped-def]
    return page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor, s.boxShadow]; }""")


def test_keyboard_skip_link_focus_ring_and_closed_menu(new_page, server):
    page = new_page({"width": 360, "height": 740})
    page.goto(server)
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("跳到正文")
    expect(skip).to_be_visible()
    style, width, color, shadow = focus_ring(page)
    # A black ring inside a white one: 21:1 on white, and the white halo stands out on the indigo header.
    assert style == "solid" and width >= 2 and color == "rgb(0, 0, 0)" and "255, 255, 255" in shadow
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#sp-main"
    stops = []
    for _ in range(25):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("""() => { const e = document.activeElement;
            return [e.tagName, e.closest('.md-sidebar--primary') !== null, e.closest('[aria-hidden=true]') !== null,
                    e.getBoundingClientRect().width > 0, (e.innerText || e.value || '').slice(0, 20)]; }"""))
    assert not [s for s in stops if s[1]], "Tab stops in the closed side menu"
    assert not [s for s in stops if s[2] or not s[3]], "Tab stops on hidden elements"
    assert page.locator("input[name=__palette]").count() == 0
    # The menu still opens, and then its links are Tab stops.
    page.locator("label.md-header__button[for=__drawer]").click()
    link = page.locator(".md-sidebar--primary").get_by_role("link", name="按领域")
    expect(link).to_be_visible()
    link.focus()
    assert page.evaluate("document.activeElement.textContent.trim()") == "按领域"


def test_feedback_link_ring_is_visible(page, server):
    page.goto(server + NEW)
    page.locator("[data-feedback]").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    style, width, color, shadow = focus_ring(page)
    assert style == "solid" and width >= 2 and color == "rgb(0, 0, 0)" and "255, 255, 255" in shadow


@pytest.mark.parametrize(("path", "words"), [
    (NEW, "现行有效"),
    ("standards/national/GB-T-28220-2011/", "已被 GB/T 28220-2023 代替"),
])
def test_standard_page_answers_in_the_first_screen(new_page, server, path, words):
    page = new_page({"width": 360, "height": 740})
    page.goto(server + path)
    for target in (page.locator(".sp-standard__number"), page.get_by_role("heading", level=1),
                   page.locator(".sp-status-words"), page.get_by_role("link", name="信息有误或有疑问？意见反馈")):
        box = target.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 740, f"{target} is below the first screen: {box}"
    expect(page.locator(".sp-status-words")).to_have_text(words)
    page.get_by_role("link", name="信息有误或有疑问？意见反馈").click()
    expect(page.locator("[data-feedback]")).to_be_in_viewport()
    # The fields come before the line of missing ones.
    order = page.evaluate("""() => { const f = document.querySelector('dl.sp-fields'),
        u = document.querySelector('.sp-unknown-fields');
        return f.compareDocumentPosition(u) & Node.DOCUMENT_POSITION_FOLLOWING; }""")
    assert order


@pytest.mark.parametrize("query", ["养老院", "看病难"])
def test_a_search_asked_for_on_a_phone_shows_its_answer_in_the_first_screen(new_page, server, query):
    """From the header box or an address with ?q=: the filters fill a phone's first screen, so the page brings
    the summary (and the first result, or the advice when there is none) up under the header."""
    page = new_page({"width": 360, "height": 740})
    page.goto(server + "search/?q=" + query)
    expect(page.locator("#sp-summary")).not_to_have_text("正在搜索……")
    page.wait_for_function("() => document.getElementById('sp-results').getAttribute('aria-busy') === 'false'")
    header = page.locator(".md-header").bounding_box()
    summary = page.locator("#sp-summary").bounding_box()
    assert header and summary and header["y"] + header["height"] <= summary["y"] < 740, (header, summary)
    first = page.locator("#sp-results li").first
    if first.count():
        box = first.bounding_box()
        assert box is not None and box["y"] < 740, box


@pytest.mark.parametrize("width", [360, 320])
def test_the_home_search_boxs_example_is_read_whole_on_a_phone(new_page, server, width):
    """The example in the box (如 养老院、GB/T 28220) is not cut off: the box has room for it, at the large text too."""
    page = new_page({"width": width, "height": 740})
    page.goto(server)
    for large in (False, True):
        if large:
            page.locator("[data-sp-pref=large]").click()
        room = page.locator("#sp-q").evaluate("""box => {
            const style = getComputedStyle(box), canvas = document.createElement('canvas').getContext('2d');
            canvas.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const inner = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            return inner - canvas.measureText(box.placeholder).width;
        }""")
        assert room >= 0, f"{width} px{' with 大字' if large else ''}: the example needs {-room:.0f} px more"


@pytest.mark.parametrize("width", [360, 180])  # a phone, and a phone at 200 % zoom
@pytest.mark.parametrize("path", ["system/national/", "monitor/review/", "regions/320000/"])
def test_a_tables_numbers_and_dates_stay_whole_on_a_phone(new_page, server, path, width):
    """No line of a table cell ends between two digits ("201 / 1- / 10- / 01" was a date), nothing in the page
    is swiped sideways, and a count that is a link is a target of 24 px at least."""
    page = new_page({"width": width, "height": 740})
    page.goto(server + path)
    broken = page.evaluate(r"""() => {
        const out = [];
        for (const cell of document.querySelectorAll('table.sp-table td, table.sp-table th')) {
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const top = i => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                                   return r.getClientRects()[0]?.top; };
                for (let i = 0; i + 1 < node.data.length; i++) {
                    if (/[0-9]/.test(node.data[i]) && /[0-9]/.test(node.data[i + 1]) && top(i) !== top(i + 1)) {
                        out.push(cell.textContent.trim()); break;
                    }
                }
            }
        }
        return out; }""")
    assert broken == []
    boxes = page.evaluate("""() => [...document.querySelectorAll('article *')].filter(e => e.scrollWidth >
        e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)).map(e => e.className)""")
    assert boxes == [] or path.startswith("monitor/") and set(boxes) == {"sp-table-wrap"}, boxes
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    small = page.evaluate("""() => [...document.querySelectorAll('a.sp-count')]
        .map(a => a.getBoundingClientRect()).filter(r => r.width < 24 || r.height < 24).length""")
    assert small == 0


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("path", [NEW, "standards/national/GB-T-28220-2011/", "standards/national/GB-T-43507-2023/"])
def test_standard_page_prints_on_one_a4_page_with_its_address(page, server, path):
    page.goto(server + path, wait_until="networkidle")
    page.emulate_media(media="print")
    expect(page.locator(".sp-print-address")).to_have_text("本页地址：" + server + path)
    for hidden in (".md-header", ".sp-access", "[data-feedback]", ".md-sidebar--primary", ".sp-to-feedback"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator(".sp-status-words")).to_be_visible()
    assert pdf_pages(page.pdf(format="A4")) == 1


SMALL = """() => {
    const seen = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
        return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && r.right > 0 && r.bottom > 0
            && !e.closest('.md-sidebar, [hidden], [aria-hidden=true], noscript, template'); };
    const text = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const e = node.parentElement;
        if (node.data.trim() && seen(e) && parseFloat(getComputedStyle(e).fontSize) < 14) {
            text.push(`${getComputedStyle(e).fontSize} ${e.tagName}.${e.className} ${node.data.trim().slice(0, 20)}`);
        }
    }
    const targets = [...document.querySelectorAll(
        '.sp-crumbs a, .sp-footer a, table.sp-table a, .sp-feeds summary, .sp-feeds a, .sp-skip, .md-skip, ' +
        '.sp-pager a, .sp-pager [aria-current], .sp-diagram figcaption a')]
        .filter(seen).map(e => [e, e.getBoundingClientRect()]).filter(([, r]) => r.height < 24 || r.width < 24)
        .map(([e, r]) => `${Math.round(r.width)}×${Math.round(r.height)} ${e.textContent.trim().slice(0, 20)}`);
    return [...text, ...targets];
}"""


@pytest.mark.parametrize(("width", "scale"), [(360, 1), (640, 2)], ids=["phone", "desktop-zoom200"])
def test_text_is_14px_and_targets_24px_at_least(sized, server, width, scale):
    """WCAG 2.2 target size (minimum) for the links a reader taps outside running text, and no text below 14 px:
    the skip links when they show, the feeds' lists, breadcrumbs, the footer, the links in tables, the page numbers
    of a long list, the link under a diagram."""
    page = sized(width, scale)
    found = {}
    for path in ("", "updates/", "monitor/", "monitor/review/", "levels/national/", NEW, "help/", "status/current/",
                 "system/national/"):
        settled(page, server + path)
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        small = page.evaluate(SMALL)
        page.keyboard.press("Tab")  # the first skip link shows
        small += page.evaluate(SMALL)
        if small:
            found[path or "home"] = sorted(set(small))
    assert found == {}


def test_no_landmark_finding_on_any_page_kind(new_page, server):
    """axe's moderate landmark rules: each search form is named apart, and the 适老化 bar is in a landmark."""
    source = axe_source()
    page = new_page()
    found = {}
    for kind, path in PAGE_KINDS.items():
        settled(page, server + path)
        page.add_script_tag(content=source)
        violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations'],
                runOnly: {type: 'rule', values: ['landmark-unique', 'region', 'landmark-no-duplicate-banner']}}))
            .violations.map(v => `${v.id}: ${v.nodes.length} × ${v.nodes[0].html.slice(0, 100)}`)""")
        if violations:
            found[kind] = violations
    assert found == {}
    page.goto(server)
    expect(page.get_by_role("search", name="站内搜索")).to_have_count(1)
    expect(page.get_by_role("search", name="搜索标准")).to_have_count(1)
    expect(page.get_by_role("region", name="适老化").get_by_role("button", name="大字")).to_be_visible()


def test_the_menu_opens_from_the_keyboard_at_200_percent_zoom(new_page, server):
    """A 1280 px screen at 200 % zoom lays out 640 px: the menu is only in the drawer, whose button a keyboard
    reaches and opens (Enter or Space), and then its links are Tab stops."""
    for key in ("Enter", "Space"):
        page = new_page({"width": 640, "height": 450})
        page.goto(server + "levels/national/", wait_until="networkidle")
        for _ in range(12):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('[for=__drawer]')"):
                break
        else:
            raise AssertionError("Tab never reaches the menu button")
        button = page.locator(".md-header [for=__drawer]")
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(button).to_have_accessible_name("菜单")
        page.keyboard.press(key)
        expect(button).to_have_attribute("aria-expanded", "true")
        expect(page.locator(".md-sidebar--primary").get_by_role("link", name="按层级")).to_be_in_viewport()
        for _ in range(30):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent.trim()") == "使用帮助":
                break
        else:
            raise AssertionError("Tab never reaches 使用帮助 in the open menu")
        page.keyboard.press("Enter")
        expect(page).to_have_url(server + "help/")
