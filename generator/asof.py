"""The date a run computes status for. Apart from the pipeline so that a search that reads no record does not load
the renderers to learn it."""

from __future__ import annotations

import datetime as dt
import os
import re

from .errors import ConfigError

__all__ = ["resolve_as_of"]


def resolve_as_of(explicit: str | None = None) -> dt.date:
    """The date status is computed for: --as-of, else SOURCE_DATE_EPOCH (reproducible builds), else today."""
    if explicit:
        try:
            return dt.date.fromisoformat(explicit)
        except ValueError:
            what = ("不是有效日期（没有这一天）" if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", explicit.strip())
                    else "格式不对")
            raise ConfigError(f"状态计算日期（--as-of 或 mkdocs.yml 中的 as_of）\"{explicit}\" {what}，"
                              "应形如 2026-01-31") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        except ValueError:
            raise ConfigError(f"环境变量 SOURCE_DATE_EPOCH 应为整数秒，不是 \"{epoch}\"") from None
    return dt.date.today()
