"""The government-site footer: 主办单位, 联系方式 and the registration numbers a Chinese government site shows,
from the stdportal plugin's `footer:` setting in mkdocs.yml. Each line is shown only when it is set."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from .errors import ConfigError

__all__ = ["FOOTER_KEYS", "site_footer"]

FOOTER_KEYS = {
    "sponsor": "主办单位",
    "contact": "联系方式",
    "icp": "ICP备案号",
    "police": "公安机关备案号",
    "site_code": "政府网站标识码",
}
"""Setting → the label on the page, in the order the footer shows them."""

_ICP_QUERY = "https://beian.miit.gov.cn/"
_POLICE_QUERY = "https://beian.mps.gov.cn/#/query/webSearch?code="


def site_footer(raw: Any) -> dict[str, list[dict[str, str]]]:
    """The footer lines for the theme (`config.extra.stdportal_footer`): label, value and, for the registration
    numbers, the official page that confirms them. ConfigError names the setting when it is wrong."""
    if raw is None or raw == {}:
        return {"lines": []}
    if not isinstance(raw, Mapping):
        raise ConfigError("mkdocs.yml: plugins.stdportal.footer 应按“项目: 内容”逐行填写（可写 "
                          f"{'、'.join(FOOTER_KEYS)}）")
    for key in raw:
        if key not in FOOTER_KEYS:
            raise ConfigError(f"mkdocs.yml: plugins.stdportal.footer 中没有 {key} 这项设置"
                              f"（可写 {'、'.join(f'{k}（{v}）' for k, v in FOOTER_KEYS.items())}）")
    lines = []
    for key, label in FOOTER_KEYS.items():
        value = raw.get(key)
        if value is None or value == "":
            continue
        if not isinstance(value, (str, int)) or isinstance(value, bool) or not str(value).strip():
            raise ConfigError(f"mkdocs.yml: plugins.stdportal.footer.{key}（{label}）应写一行文字")
        text = str(value).strip()
        line = {"label": label, "value": text, "href": ""}
        if key == "icp":
            line["href"] = _ICP_QUERY
        elif key == "police":
            digits = "".join(ch for ch in text if ch.isdigit())
            line["href"] = _POLICE_QUERY + quote(digits) if digits else ""
        lines.append(line)
    return {"lines": lines}
