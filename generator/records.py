"""Typed records: what a standard file says once it has been checked. Unknown facts are None or empty."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from pathlib import Path

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

    def __repr__(self) -> str:
        """The dataclass's own repr, made once per record: the page memo's keys (generator.memo.digest) spell out
        the same records for many pages. A record the record store gave is spelled by the digest of what made it
        instead (`identify`). Kept beside the fields, out of equality, hashing and pickles."""
        made = self.__dict__.get(_REPR)
        if made is None:
            shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))
            made = self.__dict__[_REPR] = f"{type(self).__qualname__}({shown})"
        return made

    def __getstate__(self) -> dict[str, object]:
        return {name: value for name, value in self.__dict__.items() if name != _REPR}


def identify(standard: Standard, made_from: str) -> None:
    """Spell `standard` as `made_from` in every repr: the digest of everything its fields were made from (a
    file's bytes, its place, the rules and the vocabularies), so that two records have the same spelling only
    when they have the same fields."""
    standard.__dict__[_REPR] = f"{type(standard).__qualname__}(<{made_from}>)"


_REPR = "_repr"
