"""The status of a standard as of a date, and why: dates first, the source's word where dates are silent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .memo import repr_once
from .numbers import number_key
from .records import Standard

__all__ = ["STATUSES", "Status", "compute_status"]


@repr_once
@dataclass(frozen=True)
class StatusKind:
    label: str
    slug: str


CURRENT = StatusKind("现行", "current")
UPCOMING = StatusKind("即将实施", "upcoming")
REPLACED = StatusKind("被代替", "replaced")
WITHDRAWN = StatusKind("废止", "withdrawn")
UNKNOWN = StatusKind("状态未收录", "unknown")
STATUSES = (CURRENT, UPCOMING, REPLACED, WITHDRAWN, UNKNOWN)
_BY_LABEL = {kind.label: kind for kind in STATUSES}


@repr_once
@dataclass(frozen=True)
class Status:
    kind: StatusKind
    basis: str
    """Why, in a short Chinese phrase for the page."""

    @property
    def label(self) -> str:
        return self.kind.label


def compute_status(standard: Standard, as_of: dt.date, replacements: list[Standard]) -> Status:
    """`replacements` are the standards in the database that replace this one."""
    if standard.withdrawn and standard.withdrawn <= as_of:
        return Status(WITHDRAWN, f"废止日期 {standard.withdrawn} 已到")
    in_force = [r for r in replacements if _in_force(r, as_of)]
    if in_force:
        numbers = "、".join(r.number for r in in_force)
        return Status(REPLACED, f"已被 {numbers} 代替")
    # A stated replacement that is in the database speaks through its dates above; one outside cannot.
    known = {number_key(r.number) for r in replacements}
    outside = [n for n in standard.replaced_by_stated if number_key(n) not in known]
    if outside:
        return Status(REPLACED, f"记录载明已被 {'、'.join(outside)} 代替")
    stated = _BY_LABEL.get(standard.stated_status or "")
    if standard.effective and standard.effective > as_of:
        return Status(UPCOMING, f"实施日期 {standard.effective} 尚未到")
    if standard.effective and stated not in (WITHDRAWN, REPLACED):
        return Status(CURRENT, f"实施日期 {standard.effective} 已到")
    if standard.effective is None and standard.issued and standard.issued > as_of:  # as _in_force reads it
        return Status(UPCOMING, f"发布日期 {standard.issued} 尚未到")
    if stated:
        return Status(stated, "来源所示状态（采集时，未经官方核实）")
    return Status(UNKNOWN, "没有实施日期，来源也未载明状态")


def _in_force(replacement: Standard, as_of: dt.date) -> bool:
    """Whether a replacing standard has come into force, as far as its record tells: its 实施日期; without one,
    it counts as in force unless its 发布日期 is still to come or its source says 即将实施. A record of the new
    edition is evidence of the replacement as much as a stated 被代替标准 outside the database is (which counts
    without any date), so adding the new edition's record without dates must not turn the old one back to 现行.
    Only the replacement's own fields are read (never its replacements): a cycle of records cannot loop here."""
    if replacement.effective is not None:
        return replacement.effective <= as_of
    if replacement.issued is not None and replacement.issued > as_of:
        return False
    return _BY_LABEL.get(replacement.stated_status or "") is not UPCOMING
