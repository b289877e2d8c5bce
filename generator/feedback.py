"""Feedback channels: a mail address or a web form / issue tracker URL template, filled with a page's
title and address.

A channel becomes a *template* with two placeholders, `{title}` and `{url}`; filling a template percent-encodes
both values, so the same code serves mailto: links and any operator's form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

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


def parse_feedback_config(raw: Mapping[str, Any] | None) -> FeedbackConfig:
    """Read the plugin's `feedback:` option; raise ConfigError with a Chinese message when it is wrong."""
    if not raw:
        raise ConfigError("mkdocs.yml 的 stdportal 插件缺少 feedback 设置：请填写 mail（邮箱）或 url（网址模板）")
    default = _channel(raw, "feedback")
    regions = {}
    for code, value in (raw.get("regions") or {}).items():
        regions[str(code)] = _channel(value, f"feedback.regions.{code}")
    return FeedbackConfig(default, regions, str(raw.get("label") or "意见反馈"))


def _channel(raw: Any, where: str) -> Feedback:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"mkdocs.yml: {where} 应写 mail: 邮箱 或 url: 网址模板")
    mail, url = raw.get("mail"), raw.get("url")
    if bool(mail) == bool(url):
        raise ConfigError(f"mkdocs.yml: {where} 应只写 mail 与 url 中的一项")
    if url and not str(url).startswith(("http://", "https://", "/")):
        raise ConfigError(f"mkdocs.yml: {where}.url 应以 http:// 或 https:// 开头，可含 {{title}} 与 {{url}}")
    if mail and "@" not in str(mail):
        raise ConfigError(f"mkdocs.yml: {where}.mail 不是有效的邮箱地址")
    return Feedback(mail=str(mail) if mail else None, url=str(url) if url else None)
