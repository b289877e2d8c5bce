"""Feedback channels: a mail address or a web form / issue tracker URL template, filled with a page's
title and address.

A channel becomes a *template* with two placeholders, `{title}` and `{url}`; filling a template percent-encodes
both values, so the same code serves mailto: links and any operator's form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from .errors import ConfigError
from .records import Feedback
from .vocab import Vocabulary

__all__ = ["FeedbackConfig", "fill", "parse_feedback_config", "template_for"]

_SUBJECT = "意见反馈："
_BODY = "页面地址："


@dataclass(frozen=True)
class FeedbackConfig:
    default: Feedback
    regions: dict[str, Feedback] = field(default_factory=dict)
    label: str = "意见反馈"


def template_for(channel: Feedback) -> str:
    if channel.mail:
        subject, body = quote(_SUBJECT, safe=""), quote(_BODY, safe="")
        return f"mailto:{quote(channel.mail, safe='@')}?subject={subject}{{title}}&body={body}{{url}}"
    return channel.url or ""


def fill(template: str, title: str, url: str) -> str:
    """The href for a page: the template with its placeholders percent-encoded."""
    return template.replace("{title}", quote(title, safe="")).replace("{url}", quote(url, safe=""))


def channel_for(config: FeedbackConfig, vocab: Vocabulary, region: str | None = None,
                own: Feedback | None = None) -> Feedback:
    """A record's own channel, else the nearest region's (county before prefecture before province), else the
    site's."""
    if own:
        return own
    for r in reversed(vocab.region_chain(region) if region else []):
        if r.code in config.regions:
            return config.regions[r.code]
    return config.default


_PLACE = "mkdocs.yml: plugins.stdportal."
_CHANNEL_KEYS = ("mail", "url")
_KEYS = (*_CHANNEL_KEYS, "regions", "label")
# A plausible single address: no spaces, no second address, nothing that would add to a mailto: link's query.
_MAIL = re.compile(r"""[^\s@?&#/\\:;,<>"'()\[\]%]+@[^\s@?&#/\\:;,<>"'()\[\]%.]+(?:\.[^\s@?&#/\\:;,<>"'()\[\]%.]+)+""")
_BAD_URL_CHARACTER = re.compile(r"[\s\\<>\"\x00-\x1f\x7f]")


def parse_feedback_config(raw: Mapping[str, Any] | None) -> FeedbackConfig:
    """Read the plugin's `feedback:` option; raise ConfigError with a Chinese message that names the setting
    (`mkdocs.yml: plugins.stdportal.feedback.regions.320500.url …`) when it is wrong."""
    if not raw:
        raise ConfigError("mkdocs.yml 的 stdportal 插件缺少 feedback 设置：请填写 mail（邮箱）或 url（网址模板）")
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{_PLACE}feedback 应写 mail: 邮箱 或 url: 网址模板，这里写的是{_kind(raw)}")
    _known_keys(raw, _KEYS, "feedback")
    default = _channel(raw, "feedback")
    regions_raw = raw.get("regions")
    if regions_raw is not None and not isinstance(regions_raw, Mapping):
        raise ConfigError(f"{_PLACE}feedback.regions 应按“地区代码: {{ mail: 邮箱 }}”逐行填写，"
                          f"这里写的是{_kind(regions_raw)}")
    regions = {}
    for code, value in (regions_raw or {}).items():
        where = f"feedback.regions.{code}"
        if not isinstance(value, Mapping):
            raise ConfigError(f"{_PLACE}{where} 应写 mail: 邮箱 或 url: 网址模板，这里写的是{_kind(value)}")
        _known_keys(value, _CHANNEL_KEYS, where)
        regions[str(code)] = _channel(value, where)
    label = raw.get("label")
    if label is not None and not (isinstance(label, str) and label.strip()):
        raise ConfigError(f"{_PLACE}feedback.label 应写链接文字，如 意见反馈，这里写的是{_kind(label)}")
    return FeedbackConfig(default, regions, label.strip() if label else "意见反馈")


def _kind(value: Any) -> str:
    """What a maintainer wrote, in words: the type for a YAML list, mapping, number or empty value."""
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f"真假值 {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"数字 {value}"
    if isinstance(value, Mapping):
        return "“名称: 值”的映射"
    if isinstance(value, (list, tuple)):
        return "列表"
    return f"“{value}”"


def _known_keys(raw: Mapping[str, Any], known: tuple[str, ...], where: str) -> None:
    for key in raw:
        if key not in known:
            raise ConfigError(f"{_PLACE}{where} 中没有 {key} 这项设置（可写 {'、'.join(known)}）")


def _channel(raw: Mapping[str, Any], where: str) -> Feedback:
    mail, url = raw.get("mail"), raw.get("url")
    if (mail is None or mail == "") == (url is None or url == ""):
        raise ConfigError(f"{_PLACE}{where} 应只写 mail 与 url 中的一项")
    if url is not None and url != "":
        return Feedback(url=_url(url, f"{where}.url"))
    return Feedback(mail=_mail(mail, f"{where}.mail"))


def _url(value: Any, where: str) -> str:
    """An absolute http(s) address with a host, or a path on this site starting with a single `/`."""
    expected = "应以 http:// 或 https:// 开头（或以 / 开头的本站地址），可含 {title} 与 {url}"
    if not isinstance(value, str):
        raise ConfigError(f"{_PLACE}{where} {expected}，这里写的是{_kind(value)}")
    url = value.strip()
    if _BAD_URL_CHARACTER.search(url):
        raise ConfigError(f"{_PLACE}{where} 中不能有空格、反斜杠 \\、引号或尖括号：“{url}”")
    if url.startswith("/"):
        if url.startswith("//"):  # protocol-relative: another host
            raise ConfigError(f"{_PLACE}{where} 以 // 开头会指向其他网站；"
                              "请写完整网址 https://…，或以单个 / 开头的本站地址")
        return url
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{_PLACE}{where} {expected}：“{url}”")
    return url


def _mail(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _MAIL.fullmatch(value.strip()):
        shown = f"“{value}”" if isinstance(value, str) else _kind(value)
        raise ConfigError(f"{_PLACE}{where} 不是有效的邮箱地址（只写一个地址，如 bzk@example.org）：{shown}")
    return value.strip()


_EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net", "example.edu")
"""Reserved for documentation (RFC 2606): a channel there reaches nobody."""


def example_channels(config: FeedbackConfig) -> list[str]:
    """The channels (mail addresses or URL templates) of `config` that point at an example domain."""
    found = []
    for channel in (config.default, *config.regions.values()):
        target = channel.mail or channel.url or ""
        host = target.rpartition("@")[2] if channel.mail else (urlsplit(target).hostname or "")
        host = host.lower().rstrip(".")
        if any(host == d or host.endswith("." + d) for d in _EXAMPLE_DOMAINS) or host.endswith(".example"):
            found.append(target)
    return found
