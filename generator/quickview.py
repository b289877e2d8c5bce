"""The preview's first answer after a save: the edited records' own pages, in a second or two.

A warm rebuild at 10,000 standards still takes tens of seconds (every list, region, search shard and download is
made again). A maintainer who saves a record wants to see that record's page. `QuickView` keeps the catalogue of
the last preview in memory; after a save it reads again only the record files whose time stamp or size
changed, checks each on its own and against the others the way `check` does, renders their standard pages and
JSON files, fills them into the shells of the last build and writes them into the served site. The open pages
reload at once; the full rebuild then runs as before and replaces everything, these files included, with
exactly what a clean build gives (the site state keeps the old digests, so the rebuild sees these outputs as
changed).

What the first answer may not have yet: the related standards are those of the catalogue before the save (the
full rebuild ranks them again), and other pages (lists, regions, search) still show the old record. Anything
it cannot do safely — a file added, removed or renamed to another number, a record with an error, a change
outside the records — gives no first answer, only the rebuild.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .adapter import RenderSetup
from .errors import StdportalError
from .export import export_record_json
from .history import History, read_history
from .load import read_record, record_files
from .model import Catalog, build_catalog
from .numbers import number_key
from .pipeline import load_catalog
from .problems import Severity
from .render.base import Output, Page
from .render.downloads import record_json_path
from .render.standard_page import render_standard_page
from .search.similar import Related
from .sitecache import refill
from .validate import check_across, check_record

__all__ = ["QuickView", "Stamp"]

_MOST = 20
"""More changed records than this at once (a pull, a bulk import) are left to the rebuild."""

Stamp = tuple[int, int]


def _stamp(path: Path) -> Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


@dataclass
class QuickView:
    setup: RenderSetup
    catalog: Catalog | None = None
    history: History | None = None
    finder: Related | None = None
    stamps: dict[Path, Stamp] = field(default_factory=dict)

    def stamps_now(self) -> dict[Path, Stamp]:
        """The time stamp and size of every record file now."""
        files = [file for file, refused in record_files(self.setup.db_dir) if refused is None]
        return {file: stamp for file in files if (stamp := _stamp(file)) is not None}

    def prime(self, stamps: dict[Path, Stamp] | None = None) -> None:
        """Load the catalogue as it is on disk now (after a build, from the record store: no file is parsed
        again), with the record files' `stamps` as the build saw them (taken before it started: a file saved
        during the build then counts as changed). A database with errors leaves the view without a catalogue:
        there is no first answer until it loads."""
        stamps = self.stamps_now() if stamps is None else stamps
        try:
            catalog, _ = load_catalog(self.setup.db_dir, self.setup.as_of)
        except (StdportalError, OSError):
            self.catalog = None
            return
        self.catalog = catalog
        self.history = read_history(self.setup.db_dir)
        self.finder = Related(catalog)
        self.stamps = stamps

    def changed(self, now: dict[Path, Stamp] | None = None) -> list[Path] | None:
        """The record files changed since the view's catalogue, or None when something else changed too
        (a record file added or removed)."""
        if self.catalog is None:
            return None
        now = self.stamps_now() if now is None else now
        if now.keys() != self.stamps.keys() or {s.path for s in self.catalog.standards} != now.keys():
            return None
        return [file for file, stamp in now.items() if stamp != self.stamps[file]]

    def show(self, site: Path, now: dict[Path, Stamp] | None = None) -> list[str]:
        """Write the changed records' pages and JSON files into `site` (the served site, as the last build left
        it); return the numbers shown (none: no first answer)."""
        changed = self.changed(now)
        if not changed or len(changed) > _MOST or self.catalog is None:
            return []
        catalog = self.catalog
        vocab = catalog.vocab
        edited = []
        for file in changed:
            stamp = _stamp(file)
            raw, issues = read_record(file, file.read_bytes())
            if raw is None or any(p.severity is Severity.ERROR for p in issues):
                return []
            checked = check_record(raw, vocab)
            old = next((s for s in catalog.standards if s.path == file), None)
            if (not checked.valid or checked.standard is None or old is None
                    or number_key(checked.standard.number) != number_key(old.number)):
                return []
            edited.append((old, checked, stamp))
        _, problems = check_across([checked for _, checked, _ in edited])
        if any(p.severity is Severity.ERROR for p in problems):
            return []
        new = {old.path: checked.standard for old, checked, _ in edited}
        standards = [new.get(s.path, s) for s in catalog.standards]
        updated = build_catalog([s for s in standards if s is not None], vocab, catalog.as_of)
        updated.systems = catalog.systems
        page = Page(updated, self.setup.options)
        outputs: list[Output] = []
        assert self.finder is not None
        position = {id(s): i for i, s in enumerate(catalog.standards)}  # the same order: no number changed
        for old, _, _ in edited:
            standard = updated.get(old.number)
            assert standard is not None
            related = self.finder.of(position[id(old)])
            outputs.append(render_standard_page(page, standard, self.history, related))
            outputs.append(Output(record_json_path(standard), export_record_json(updated, standard), in_nav=False))
        if not refill(self.setup.state_file, site, outputs):
            return []
        self.catalog = updated
        for old, _, stamp in edited:
            if stamp is not None:
                self.stamps[old.path] = stamp
        return [old.number for old, _, _ in edited]
