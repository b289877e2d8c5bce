"""The build's clock: with an as-of date, every timestamp the build writes is that date.

MkDocs stamps the sitemap (`<lastmod>` and the gzip header of sitemap.xml.gz) with the build time unless the
environment variable SOURCE_DATE_EPOCH is set (https://reproducible-builds.org/specs/source-date-epoch/). When
the status date is given (`--as-of`, or the plugin's `as_of`) and SOURCE_DATE_EPOCH is not, the build time
becomes midnight UTC of that date: the same commit built with the same as-of date gives the same bytes on any
day, in any time zone.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["epoch_of", "pin_build_time", "pinned_build_time"]

_VARIABLE = "SOURCE_DATE_EPOCH"


def epoch_of(day: dt.date) -> int:
    """Seconds since 1970 at midnight UTC starting `day`."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


def _epoch_text(as_of: str | None) -> str | None:
    if not as_of:
        return None
    try:
        return str(epoch_of(dt.date.fromisoformat(as_of)))
    except ValueError:  # the status date's own check reports it
        return None


def pin_build_time(as_of: str | None) -> None:
    """Set SOURCE_DATE_EPOCH from the as-of date unless it is set already (for the rest of the process)."""
    epoch = _epoch_text(as_of)
    if epoch and not os.environ.get(_VARIABLE):
        os.environ[_VARIABLE] = epoch


@contextmanager
def pinned_build_time(as_of: str | None) -> Iterator[None]:
    """pin_build_time for the duration of a build; the environment is as it was afterwards."""
    before = os.environ.get(_VARIABLE)
    try:
        pin_build_time(as_of)
        yield
    finally:
        if before is None:
            os.environ.pop(_VARIABLE, None)
        else:
            os.environ[_VARIABLE] = before
