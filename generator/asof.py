"""The date a run computes status for. Apart from the pipeline so that a search that reads no record does not load
the renderers to learn it."""

from __future__ import annotations

import datetime as dt
import os
import re

from .errors import ConfigError

__all__ = ["resolve_as_of"]


EARLIEST = dt.date(1970, 1, 1)
LATEST = dt.date(2105, 12, 31)
"""The dates a site can be dated: its files carry the date (the sitemap's gzip header holds seconds since 1970
in 32 bits)."""


def resolve_as_of(explicit: str | None = None) -> dt.date:
    """The date status is computed for: --as-of, else SOURCE_DATE_EPOCH (reproducible builds), else today."""
    if explicit:
        named = f"状态计算日期（--as-of 或 mkdocs.yml 中的 as_of）\"{explicit}\""
        try:
            given = dt.date.fromisoformat(explicit)
        except ValueError:
            what = ("不是有效日期（没有这一天）" if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", explicit.strip())
                    else "格式不对")
            raise ConfigError(f"{named} {what}，应形如 2026-01-31") from None
        return _in_range(given, named)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        what = f"环境变量 SOURCE_DATE_EPOCH \"{epoch}\""
        try:
            seconds = int(epoch)
        except ValueError:
            raise ConfigError(f"环境变量 SOURCE_DATE_EPOCH 应为整数秒，不是 \"{epoch}\"") from None
        try:
            day = dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            day = EARLIEST - dt.timedelta(days=1) if seconds < 0 else LATEST + dt.timedelta(days=1)
        return _in_range(day, what)
    return dt.date.today()


def _in_range(day: dt.date, what: str) -> dt.date:
    if not EARLIEST <= day <= LATEST:
        raise ConfigError(f"{what} 超出可用的范围（{EARLIEST} 至 {LATEST}）")
    return day
