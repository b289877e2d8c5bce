"""Feedback channels: templates filled with percent-encoding, the channel chosen for a page, config errors."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from support import AS_OF, BUNDLED_DB, record

from generator.errors import ConfigError
from generator.feedback import FeedbackConfig, channel_for, fill, parse_feedback_config, template_for
from generator.pipeline import load_catalog
from generator.records import Feedback
from generator.render import RenderOptions, render
from generator.vocab import load_vocabulary

TITLE = "社区服务 第1部分：总则 A&B=C #1 + 100% <script>?/"
URL = "https://example.org/bzk/standards/national/GB-T-1-2020/?a=1&b=2#x"


@pytest.fixture(scope="module")
def vocab():
    vocabulary, problems = load_vocabulary(BUNDLED_DB)
    assert problems == []
    return vocabulary


def test_mailto_subject_and_body_decode_to_the_title_and_address() -> None:
    href = fill(template_for(Feedback(mail="bzk+std@example.org")), TITLE, URL)
    parts = urlsplit(href)
    assert parts.scheme == "mailto"
    assert unquote(parts.path) == "bzk+std@example.org"
    query = parse_qs(parts.query, strict_parsing=True)
    assert query == {"subject": ["意见反馈：" + TITLE], "body": ["页面地址：" + URL]}
    assert " " not in href and "#" not in href  # nothing a mail client would cut at


def test_url_template_values_decode_to_the_title_and_address() -> None:
    href = fill("https://example.org/form?title={title}&page={url}&src=bzk", TITLE, URL)
    query = parse_qs(urlsplit(href).query, strict_parsing=True)
    assert query == {"title": [TITLE], "page": [URL], "src": ["bzk"]}
    assert urlsplit(href).fragment == ""


def test_a_title_in_the_path_stays_one_segment() -> None:
    href = fill("https://example.org/issues/new/{title}", TITLE, URL)
    path = urlsplit(href).path
    assert path.count("/") == 3
    assert unquote(path.rsplit("/", 1)[1]) == TITLE


def test_a_template_without_placeholders_is_left_alone() -> None:
    assert fill("https://example.org/contact", TITLE, URL) == "https://example.org/contact"
    assert template_for(Feedback(url="https://example.org/f?t={title}")) == "https://example.org/f?t={title}"


def test_region_channel_nearest_first(vocab) -> None:
    province, city, site = Feedback(mail="js@example.org"), Feedback(mail="sz@example.org"), Feedback(mail="a@b.org")
    config = FeedbackConfig(site, {"320000": province, "320500": city})
    assert channel_for(config, vocab, "320506") == city  # 吴中区 → 苏州市 before 江苏省
    assert channel_for(config, vocab, "320500") == city
    assert channel_for(config, vocab, "320100") == province  # 南京市 → 江苏省
    assert channel_for(config, vocab, "320000") == province
    assert channel_for(config, vocab, "370000") == site
    assert channel_for(config, vocab, None) == site


def test_a_record_channel_beats_every_region(vocab) -> None:
    own = Feedback(url="https://example.org/own?t={title}")
    config = FeedbackConfig(Feedback(mail="a@b.org"), {"320500": Feedback(mail="sz@example.org")})
    assert channel_for(config, vocab, "320506", own) == own
    assert channel_for(config, vocab, None, own) == own


def test_rendered_pages_carry_their_channel(make_db) -> None:
    db = make_db({
        "local/DB3205-T-1-2020.yaml": record("DB3205/T 1-2020"),
        "local/DB32-T-2-2020.yaml": record("DB32/T 2-2020"),
        "national/GB-T-3-2020.yaml": record("GB/T 3-2020") + "意见反馈:\n  链接: https://example.org/gb3?t={title}\n",
    })
    catalog, _ = load_catalog(db, AS_OF)
    config = parse_feedback_config({"mail": "site@example.org", "regions": {320500: {"mail": "sz@example.org"}}})
    pages = {o.path: o for o in render(catalog, RenderOptions(config))}

    def channel(path: str) -> str:
        return pages[path].meta["stdportal_feedback"]

    assert channel("standards/local/DB3205-T-1-2020.md").startswith("mailto:sz@example.org?")
    assert channel("standards/local/DB32-T-2-2020.md").startswith("mailto:site@example.org?")
    assert channel("standards/national/GB-T-3-2020.md") == "https://example.org/gb3?t={title}"
    assert channel("regions/320500.md").startswith("mailto:sz@example.org?")
    assert channel("regions/320000.md").startswith("mailto:site@example.org?")
    assert channel("index.md").startswith("mailto:site@example.org?")


def test_config_mail_url_regions_and_label() -> None:
    config = parse_feedback_config({
        "url": "https://example.org/form?t={title}&u={url}",
        "regions": {320500: {"mail": "sz@example.org"}, "370000": {"url": "/feedback/?t={title}"}},
        "label": "纠错",
    })
    assert config.default == Feedback(url="https://example.org/form?t={title}&u={url}")
    assert config.regions == {"320500": Feedback(mail="sz@example.org"), "370000": Feedback(url="/feedback/?t={title}")}
    assert config.label == "纠错"
    assert parse_feedback_config({"mail": "a@b.org"}).label == "意见反馈"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (None, "缺少 feedback 设置"),
        ({}, "缺少 feedback 设置"),
        ({"label": "反馈"}, "feedback 应只写 mail 与 url 中的一项"),
        ({"mail": "a@b.org", "url": "https://x.org/"}, "feedback 应只写 mail 与 url 中的一项"),
        ({"url": "example.org/form"}, "feedback.url 应以 http:// 或 https:// 开头"),
        ({"mail": "bzk.example.org"}, "feedback.mail 不是有效的邮箱地址"),
        ({"mail": "a@b.org", "regions": {"320500": "sz@example.org"}},
         "feedback.regions.320500 应写 mail: 邮箱 或 url: 网址模板"),
        ({"mail": "a@b.org", "regions": {"320500": {"url": "ftp://x"}}}, "feedback.regions.320500.url 应以"),
    ],
)
def test_config_errors_are_chinese_and_name_the_setting(raw, fragment) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_feedback_config(raw)
    message = str(caught.value)
    assert fragment in message
    assert "mkdocs.yml" in message
    assert len(re.findall(r"[\u4e00-\u9fff]", message)) >= 5


def test_an_unknown_region_in_the_feedback_settings_is_a_config_error(make_db) -> None:
    db = make_db({"national/GB-T-9-2020.yaml": record("GB/T 9-2020")})
    catalog, _ = load_catalog(db, AS_OF)
    config = FeedbackConfig(Feedback(mail="a@example.org"), {"999999": Feedback(mail="b@example.org")})
    with pytest.raises(ConfigError, match="999999"):
        render(catalog, RenderOptions(config))


@pytest.mark.parametrize(
    ("raw", "place", "fragment"),
    [
        # Addresses that lead to another host or run code, whatever the message says a template may be.
        ({"url": "//evil.example/form?t={title}"}, "feedback.url", "以 // 开头会指向其他网站"),
        ({"url": "///evil.example/form"}, "feedback.url", "以 // 开头会指向其他网站"),
        ({"url": "/\\evil.example/form"}, "feedback.url", "反斜杠"),
        ({"url": "\\\\evil.example/form"}, "feedback.url", "反斜杠"),
        ({"url": "https:\\\\evil.example/form"}, "feedback.url", "反斜杠"),
        ({"url": "javascript:alert(1)//{title}"}, "feedback.url", "应以 http:// 或 https:// 开头"),
        ({"url": "data:text/html,<b>x</b>"}, "feedback.url", "尖括号"),
        ({"url": "data:text/html;base64,PGI+"}, "feedback.url", "应以 http:// 或 https:// 开头"),
        ({"url": "https:///path-without-host"}, "feedback.url", "应以 http:// 或 https:// 开头"),
        ({"url": "https://example.org/a form"}, "feedback.url", "空格"),
        ({"url": " //evil.example/"}, "feedback.url", "以 // 开头"),
        # Values of the wrong type: named, never printed as if they were text.
        ({"url": ["https://a.example/", "https://b.example/"]}, "feedback.url", "这里写的是列表"),
        ({"url": 12345}, "feedback.url", "这里写的是数字 12345"),
        ({"url": {"href": "https://a.example/"}}, "feedback.url", "映射"),
        ({"mail": ["a@b.org", "c@d.org"]}, "feedback.mail",
         "不是有效的邮箱地址（只写一个地址，如 bzk@example.org）：列表"),
        ({"mail": 42}, "feedback.mail", "数字 42"),
        ({"mail": True}, "feedback.mail", "真假值 true"),
        # A mail address that would add recipients or text to the mailto: link.
        ({"mail": "a@b.org?cc=x@y.org"}, "feedback.mail", "不是有效的邮箱地址"),
        ({"mail": "a@b.org&bcc=x@y.org"}, "feedback.mail", "不是有效的邮箱地址"),
        ({"mail": "a@b.org,c@d.org"}, "feedback.mail", "不是有效的邮箱地址"),
        ({"mail": "a b@c.org"}, "feedback.mail", "不是有效的邮箱地址"),
        ({"mail": "a@localhost"}, "feedback.mail", "不是有效的邮箱地址"),
        ({"mail": "mailto:a@b.org"}, "feedback.mail", "不是有效的邮箱地址"),
        # regions and its entries.
        ({"mail": "a@b.org", "regions": ["320500"]}, "feedback.regions", "这里写的是列表"),
        ({"mail": "a@b.org", "regions": "320500"}, "feedback.regions", "逐行填写"),
        ({"mail": "a@b.org", "regions": {"320500": ["sz@example.org"]}}, "feedback.regions.320500", "这里写的是列表"),
        ({"mail": "a@b.org", "regions": {"320500": None}}, "feedback.regions.320500", "这里写的是空值"),
        ({"mail": "a@b.org", "regions": {"320500": {"url": "//evil.example/"}}}, "feedback.regions.320500.url",
         "以 // 开头"),
        ({"mail": "a@b.org", "regions": {"320500": {"mail": ["x@y.org"]}}}, "feedback.regions.320500.mail", "列表"),
        ({"mail": "a@b.org", "regions": {"320500": {"mial": "x@y.org"}}}, "feedback.regions.320500",
         "没有 mial 这项设置"),
        # The settings beside the channel.
        ({"mial": "a@b.org"}, "feedback", "没有 mial 这项设置（可写 mail、url、regions、label）"),
        ({"mail": "a@b.org", "label": ["反馈"]}, "feedback.label", "列表"),
        ({"mail": "a@b.org", "label": 3}, "feedback.label", "数字 3"),
        (["mail", "a@b.org"], "feedback", "这里写的是列表"),
    ],
)
def test_a_wrong_setting_names_its_place_and_what_was_written(raw, place, fragment) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_feedback_config(raw)
    message = str(caught.value)
    assert message.startswith(f"mkdocs.yml: plugins.stdportal.{place} "), message
    assert fragment in message
    assert "<class" not in message and "['" not in message  # no Python spelling of the value


@pytest.mark.parametrize(
    "url",
    ["https://example.org/form?t={title}&u={url}", "http://intranet.example:8080/f", "HTTPS://EXAMPLE.ORG/x",
     "/feedback/?t={title}", "/", "https://用户.中国/反馈?t={title}"],
)
def test_addresses_on_this_site_or_an_http_host_are_accepted(url) -> None:
    assert parse_feedback_config({"url": url}).default == Feedback(url=url)


@pytest.mark.parametrize("mail", ["bzk@example.org", "bzk+std@example.org", "zhang.san@mail.example.gov.cn",
                                  "反馈@政府.中国", " bzk@example.org "])
def test_plausible_single_addresses_are_accepted(mail) -> None:
    assert parse_feedback_config({"mail": mail}).default == Feedback(mail=mail.strip())
