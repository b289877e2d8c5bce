"""Where a reader checks a standard at the source: links to the official platforms, built from its number.

A standard page links to the place that can say whether the standard is still in force; the site itself
fetches nothing from these hosts (a plain link, opened only when the reader taps it). The addresses are search
pages that take the number as their query, so no identifier of the platform's own is needed:

- national standards (GB, GB/T, GB/Z): 全国标准信息公共服务平台, `https://std.samr.gov.cn/search/std?q=<number>`
  (its standard search; the national, industry and local standards it holds all come up by number);
  and 国家标准全文公开系统, `https://openstd.samr.gov.cn/bzgk/gb/std_list?p.p1=0&p.p90=circulation_date&p.p91=desc&p.p2=<number>`
  (its list of national standards, p.p2 the search text, p.p1=0 all kinds, newest first), where the text of
  most national standards can be read; engineering-construction national standards (serials 50000–59999) are
  not in it, so they get no full-text link;
- industry standards: 行业标准信息服务平台, `https://hbba.sacinfo.org.cn/stdList?key=<number>`;
- local standards (DB…, and the engineering-construction families of generator.numbers):
  地方标准信息服务平台, `https://dbba.sacinfo.org.cn/stdList?key=<number>`.

The number is the canonical spelling, percent-encoded (`GB/T 35796-2017` → `GB%2FT%2035796-2017`). The schemes
and where they were found are documented in docs/maintainers.md (“到官方平台核实”).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from .numbers import StdNumber

__all__ = ["PLATFORMS", "Platform", "VerifyLink", "verify_links"]


@dataclass(frozen=True)
class Platform:
    name: str
    """The platform's own name, as the reader will see it at the other end."""
    what: str
    """What the reader does there, in a few words."""
    template: str
    """The address with `{q}` for the percent-encoded number."""


PLATFORMS = {
    "samr": Platform("全国标准信息公共服务平台", "查询标准状态", "https://std.samr.gov.cn/search/std?q={q}"),
    "openstd": Platform("国家标准全文公开系统", "阅读标准全文",
                        "https://openstd.samr.gov.cn/bzgk/gb/std_list?p.p1=0&p.p90=circulation_date&p.p91=desc&p.p2={q}"),
    "industry": Platform("行业标准信息服务平台", "查询标准状态", "https://hbba.sacinfo.org.cn/stdList?key={q}"),
    "local": Platform("地方标准信息服务平台", "查询标准状态", "https://dbba.sacinfo.org.cn/stdList?key={q}"),
}


@dataclass(frozen=True)
class VerifyLink:
    name: str
    what: str
    url: str


def verify_links(number: StdNumber) -> tuple[VerifyLink, ...]:
    """The official places to check this standard, the one that says whether it is in force first."""
    keys = {"national": ("samr", "openstd"), "industry": ("industry",), "local": ("local",)}[number.level.key]
    if "openstd" in keys and not _in_full_text_system(number):
        keys = tuple(k for k in keys if k != "openstd")
    q = quote(number.text, safe="")
    return tuple(VerifyLink(PLATFORMS[k].name, PLATFORMS[k].what, PLATFORMS[k].template.format(q=q)) for k in keys)


def _in_full_text_system(number: StdNumber) -> bool:
    """National standards other than engineering-construction ones (GB 50xxx): those are published by the
    housing ministry, not in the full-text system."""
    return not re.fullmatch(r"5[0-9]{4}", number.serial.split(".", 1)[0])
