"""The build, start to end: load → validate → model → history → render. Writing is the adapter's job."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
from collections.abc import Callable
from pathlib import Path

from .asof import resolve_as_of
from .cachefile import caching
from .errors import DataError
from .history import read_history
from .memo import Memo, digest, digest_tree
from .model import Catalog, build_catalog
from .parallel import in_background
from .positions import check_rule_numbers
from .problems import Problem, has_errors
from .records import Standard
from .recordstore import checked_records, code_digest, store_path
from .render import Output, RenderOptions, render
from .systemfile import RegionSystem, load_systems
from .validate import check_across, likely_problems
from .vocab import Vocabulary, load_vocabulary

__all__ = ["check", "load_catalog", "resolve_as_of", "run", "valid_catalog"]


def check(db_dir: Path) -> list[Problem]:
    """Every problem in the database, errors, warnings and notices, in file order."""
    _, problems, _ = _checked(db_dir)
    return sorted(problems, key=Problem.sort_key)


def load_catalog(db_dir: Path, as_of: dt.date) -> tuple[Catalog, list[Problem]]:
    """load → validate → model: the catalogue and the problems that do not stop a build (DataError if any
    does). Tools that do not render (exports) start here too."""
    catalog, problems, _ = valid_catalog(db_dir, as_of)
    if has_errors(problems):
        raise DataError(problems)
    return catalog, problems


def valid_catalog(db_dir: Path, as_of: dt.date) -> tuple[Catalog, list[Problem], int]:
    """load → validate → model over the records without errors, never stopping on one: the catalogue, every
    problem (errors too) and how many record files were left out for their errors. For tools that serve what is
    valid while the rest is being fixed (search)."""
    (standards, vocab, systems, left_out), problems, _ = _checked(db_dir)
    return _catalog(standards, vocab, systems, as_of), sorted(problems, key=Problem.sort_key), left_out


def _catalog(standards: list[Standard], vocab: Vocabulary, systems: dict[str, RegionSystem],
             as_of: dt.date) -> Catalog:
    catalog = build_catalog(standards, vocab, as_of)
    catalog.systems = systems
    return catalog


def _checked(db_dir: Path, *, later: bool = False) -> tuple[
        tuple[list[Standard], Vocabulary, dict[str, RegionSystem], int], list[Problem], Callable[[], list[Problem]]]:
    """load → validate, each file's part remembered by content (generator.recordstore); then the region
    system files and the position rules, checked against the standards. The count is of the record files
    that are not among the standards (unreadable, or with an error of their own). With `later`, two things
    are left to the function returned last, for the caller to run meanwhile: saving the record store, and the
    likely-duplicate warnings (it returns them; they only warn)."""
    vocab, problems = load_vocabulary(db_dir)
    deferred: list[Callable[[], None]] = []
    records, unreadable = checked_records(db_dir, vocab, deferred=deferred if later else None)
    standards, invalid = check_across(records, likely=not later)
    systems, system_problems = load_systems(db_dir, vocab, standards)
    rules = check_rule_numbers(vocab.positions, standards)
    files = {c.path for c in records} | {p.path for p in unreadable}
    left_out = len(files - {s.path for s in standards})

    def rest() -> list[Problem]:
        for task in deferred:
            task()
        return likely_problems(records, standards) if later else []

    return ((standards, vocab, systems, left_out), [*problems, *unreadable, *invalid, *system_problems, *rules],
            rest)


def run(db_dir: Path, as_of: dt.date, options: RenderOptions) -> tuple[list[Output], list[Problem]]:
    """The whole build up to the files: catalogue → history → rendered outputs; the adapter writes them."""
    (standards, vocab, systems, _), problems, rest = _checked(db_dir, later=True)
    if has_errors(problems):
        raise DataError(sorted([*problems, *rest()], key=Problem.sort_key))
    catalog = _catalog(standards, vocab, systems, as_of)
    # Saving the record store and looking for likely duplicates (they only warn) go to a second process while
    # the site renders.
    with in_background(rest) as likely:
        history = read_history(db_dir)
        salt = (code_digest(), repr(options), digest_tree(options.template_dirs), digest(catalog.vocab), as_of)
        memo = Memo(store_path(db_dir).with_name("memo-pages.pickle"), salt)
        if caching():
            options = dataclasses.replace(options, template_cache=store_path(db_dir).with_name("templates"))
        gc.freeze()  # the catalogue, history and memo live to the end: the collector need not walk them again
        try:
            outputs = render(catalog, options, history, memo)
        finally:
            # What was frozen may be collected again afterwards: `serve` builds again and again in one process.
            gc.unfreeze()
        memo.save()
        problems = sorted([*problems, *likely()], key=Problem.sort_key)
    return outputs, [*problems, *history.problems]
