"""Typed records: what a standard file says once it has been checked. Unknown facts are None or empty."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .memo import REPR, repr_once
from .numbers import Level, StdNumber

__all__ = ["Feedback", "Source", "Standard", "identify"]


@dataclass(frozen=True)
class Source:
    url: str | None
    note: str | None


@dataclass(frozen=True)
class Feedback:
    """A feedback channel: a mail address or a URL template with {title} and {url}."""

    mail: str | None = None
    url: str | None = None


@repr_once  # the page memo's keys spell out the same records for many pages
@dataclass(frozen=True)
class Standard:
    path: Path
    parsed_number: StdNumber
    number: str
    source_number: str | None = None
    title: str | None = None
    title_en: str | None = None
    nature: str | None = None
    stated_status: str | None = None
    issued: dt.date | None = None
    effective: dt.date | None = None
    withdrawn: dt.date | None = None
    replaces: tuple[str, ...] = ()
    replaced_by_stated: tuple[str, ...] = ()
    ccs: tuple[str, ...] = ()
    ics: tuple[str, ...] = ()
    supervisor: str | None = None
    committee: str | None = None
    issuer: str | None = None
    proposer: str | None = None
    drafters: tuple[str, ...] = ()
    drafting_people: tuple[str, ...] = ()
    filing_no: str | None = None
    scope: str | None = None
    full_text: str | None = None
    domains: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    slot: str | None = None
    region: str | None = None
    sources: tuple[Source, ...] = ()
    notes: str | None = None
    maintainer_notes: str | None = None
    feedback: Feedback | None = None

    @property
    def level(self) -> Level:
        return self.parsed_number.level

    @property
    def display_title(self) -> str:
        """The Chinese title, else the English one (a record has at least one)."""
        return self.title or self.title_en or ""


def identify(standard: Standard, made_from: str) -> None:
    """Spell `standard` as `made_from` in every repr: the digest of everything its fields were made from (a
    file's bytes, its place, the rules and the vocabularies), so that two records have the same spelling only
    when they have the same fields."""
    standard.__dict__[REPR] = f"{type(standard).__qualname__}(<{made_from}>)"
