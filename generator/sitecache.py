"""Build again from the last site when only the data changed: a one-record edit rewrites a few files.

After a full build the adapter leaves `SiteState` in `.stdportal/site.pickle`: a key of everything the engine's
part of the site depends on (configuration, hand-written pages, theme, our code and templates, the pages the
engine renders itself), the proven shells, the hand-written pages in the engine's order, and for each of our
outputs a digest of its content and where it went. The next build compares: when the key is the same and the
site on disk is exactly the one the state describes (every file's size, time stamp and inode), the new site is
put together from the old one: a file whose output is unchanged is a hard link to the old file, a changed or new
page is filled into its shell, a changed data file is written, a removed output's file is left out, and the
sitemap is written again when the list of pages changed. Anything else — another key, a file of the old site
touched since, a link that cannot be made (another file system) — means a full build. The output is the same
either way; the tests compare the two byte for byte.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .cachefile import read_cache, write_cache
from .memo import digest_tree
from .render import Output
from .shell import Shell, page_values

__all__ = ["STATE_FILE", "Placed", "SiteState", "Survey", "assemble", "digest_tree", "forget_state", "load_state",
           "refill", "save_state", "site_listing", "snapshot", "survey"]

STATE_FILE = Path(".stdportal") / "site.pickle"
_FORMAT = 2


@dataclass(frozen=True)
class Placed:
    """Where an output went: the site file, and for a page filled into a shell that shell and its address."""

    dest: str
    shell: str | None = None
    """The key of the page's shell in `SiteState.shells`: its folder and a slash, or its own path."""
    url: str = ""
    """The address the feedback link names (the canonical one when site_url is set)."""


@dataclass
class SiteState:
    engine_key: str
    shells: dict[str, Shell]
    placed: dict[str, Placed]
    """output path → where it went"""
    digests: dict[str, str]
    """output path → Output.digest"""
    default_feedback: str = ""
    """The site's feedback template, for a page that names none."""
    files: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    """site-relative file → (size, mtime_ns, inode), as the build left it (hidden files at the top, such as the
    publisher's marker, are the publisher's, not the build's)"""
    documents: tuple[str, ...] = ()
    """The hand-written pages, in the engine's order (its sitemap lists them first)"""
    version: int = _FORMAT


def snapshot(site_dir: Path) -> dict[str, tuple[int, int, int]]:
    listing = _Listing(site_dir)
    return {rel: (info.st_size, info.st_mtime_ns, info.st_ino) for rel, info in
            ((rel, entry.stat(follow_symlinks=False)) for rel, entry in listing.files.items())}


def site_listing(folder: Path) -> _Listing:
    """The site's files and folders as a build made them (see _Listing)."""
    return _Listing(folder)


class _Listing:
    """Every file below `folder` by relative path (hidden files at the top left out: the publisher's marker),
    every folder, and whether any folder is a symbolic link (not descended into): one directory read per
    folder, an entry's kind comes with it. OSError where a folder cannot be read (its files would be missed)."""

    def __init__(self, folder: Path) -> None:
        self.files: dict[str, os.DirEntry[str]] = {}
        self.folders: set[str] = set()
        self.linked = False
        pending = [("", str(folder))]
        while pending:
            prefix, path = pending.pop()
            with os.scandir(path) as entries:
                for entry in entries:
                    rel = prefix + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        self.folders.add(rel)
                        pending.append((rel + os.sep, entry.path))
                    elif entry.is_symlink() and entry.is_dir():
                        self.folders.add(rel)
                        self.linked = True
                    elif prefix or not entry.name.startswith("."):
                        self.files[rel] = entry


def load_state(path: Path) -> SiteState | None:
    state = read_cache(path)
    return state if isinstance(state, SiteState) and state.version == _FORMAT else None


def save_state(path: Path, state: SiteState) -> None:
    write_cache(path, state)


def forget_state(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


@dataclass(frozen=True)
class Survey:
    """The two folders `assemble` works with, as they are before the build writes anything."""

    previous: dict[str, tuple[int, int, int]]
    """snapshot() of the site being replaced"""
    staging: dict[str, int]
    """inode of each file already in the staging folder, as its folder lists it"""
    folders: set[str]
    """every folder below the staging folder"""
    linked: bool = False
    """Some folder below the staging folder is a symbolic link"""


def survey(previous: Path, staging: Path) -> Survey:
    """Walking 30,000 files takes a second or two: a build starts it at once, beside its own work (the folders
    are not written meanwhile). OSError where a folder cannot be read."""
    listed = _Listing(staging)
    # The directory's own record of each file's inode, without a stat call per file. A file system may give
    # another number there than lstat does (overlayfs without xino): `assemble` asks lstat before it replaces
    # a file whose number differs.
    inodes = {rel: entry.inode() for rel, entry in listed.files.items()}
    return Survey(snapshot(previous), inodes, listed.folders, listed.linked)


def assemble(state: SiteState, outputs: list[Output], previous: Path, staging: Path,
             surveyed: Callable[[], Survey] | None = None, placing: Mapping[str, Placed] | None = None,
             rewritten: Mapping[str, bytes] | None = None) -> SiteState | None:
    """Put the new site together in `staging` from `previous` (the site the state describes). Returns the new
    state, or None when this is not possible (the caller then builds in full; what was put in `staging` is
    the caller's to clear). `surveyed`: gives survey(previous, staging), taken when the build began.
    `placing`: where each output the state does not have goes (a new page, into a shell the state has); an
    output the state has that is not among `outputs` is left out. `rewritten`: files of the engine's own (the
    sitemap) with their new content.

    `staging` may hold an earlier site (generator.publish keeps the retired one for this): a file there that is
    the very file of `previous` (the same inode) is kept, anything else is replaced or removed, so that
    unchanged files cost nothing instead of a new link each."""
    placing, rewritten = placing or {}, rewritten or {}
    by_path = {o.path: o for o in outputs}
    try:
        found = surveyed() if surveyed is not None else survey(previous, staging)
    except (OSError, RuntimeError):  # a folder that cannot be read, or a survey that ended without a result
        return None
    if found.previous != state.files or found.linked:  # a linked folder is not ours to write through
        return None
    gone = {p.dest for path, p in state.placed.items() if path not in by_path}
    kept = {rel: stamp for rel, stamp in state.files.items() if rel not in gone}
    changed: dict[str, Callable[[], bytes]] = {rel: functools.partial(bytes, data) for rel, data in rewritten.items()}
    digests: dict[str, str] = {}
    placed: dict[str, Placed] = {}
    for path, output in by_path.items():
        where = state.placed.get(path) or placing.get(path)
        if where is None or (path not in state.placed and where.dest in kept):
            return None  # an output nobody placed, or a new one over a file the site has
        placed[path] = where
        digests[path] = output.digest
        if digests[path] != state.digests.get(path):
            if where.shell is None and output.is_page:
                return None  # a page the engine renders itself: its key would have said so
            changed[where.dest] = functools.partial(_bytes, state, where, output)
    wanted = [*kept, *(rel for rel in changed if rel not in kept)]
    files: dict[str, tuple[int, int, int]] = {}  # a hard link keeps size, time stamp and inode
    root = str(staging)
    folders, present = found.folders, found.staging
    try:
        made = {"", *folders}
        for rel in wanted:
            target = os.path.join(root, rel)
            parent = os.path.dirname(rel)
            if parent not in made:
                os.makedirs(os.path.join(root, parent), exist_ok=True)
                made.add(parent)
            there = present.get(rel)
            if rel in changed:
                if there is not None:
                    os.unlink(target)  # never write through a link that the live site shares
                with open(target, "xb") as out:
                    out.write(changed[rel]())
                info = os.lstat(target)
                files[rel] = (info.st_size, info.st_mtime_ns, info.st_ino)
            else:
                if there is not None and there != kept[rel][2]:
                    there = os.lstat(target).st_ino
                if there != kept[rel][2]:
                    if there is not None:
                        os.unlink(target)
                    os.link(previous / rel, target)
                files[rel] = kept[rel]
        for rel in present.keys() - files.keys():
            os.unlink(os.path.join(root, rel))
        needed = {parent for rel in files for parent in _parents(os.path.dirname(rel))}
        for folder in sorted(made - needed - {""}, key=len, reverse=True):  # the deepest first
            os.rmdir(os.path.join(root, folder))
    except OSError:
        return None
    return SiteState(state.engine_key, state.shells, placed, digests, state.default_feedback, files, state.documents)


def _parents(rel: str) -> Iterator[str]:
    while rel:
        yield rel
        rel = os.path.dirname(rel)


def refill(state_file: Path, site: Path, outputs: list[Output]) -> list[str]:
    """Write `outputs` over their files in `site`, the site the state describes, each page filled into its
    shell; return the files written. Only outputs the site already has are written (a page MkDocs renders
    itself is left alone), each by a rename, so a hard link shared with another site is never written through.
    The state learns the files' new stamps but keeps the old digests: the next build still sees these outputs
    as changed and writes them the way a clean build does. Nothing is written when the state does not describe
    `site` any more."""
    state = load_state(state_file)
    if state is None:
        return []
    written: list[str] = []
    for output in outputs:
        placed = state.placed.get(output.path)
        if placed is None or (output.is_page and placed.shell is None) or placed.dest not in state.files:
            continue
        target = site / placed.dest
        info = os.lstat(target) if target.is_file() else None
        if info is None or state.files[placed.dest] != (info.st_size, info.st_mtime_ns, info.st_ino):
            return written  # the site is not the one the state describes (another build ran)
        temporary = target.with_name(f".{target.name}.quick")
        temporary.write_bytes(_bytes(state, placed, output))
        os.replace(temporary, target)
        info = os.lstat(target)
        state.files[placed.dest] = (info.st_size, info.st_mtime_ns, info.st_ino)
        written.append(placed.dest)
    if written:
        save_state(state_file, state)
    return written


def _bytes(state: SiteState, placed: Placed, output: Output) -> bytes:
    if placed.shell is None:
        return output.data
    slug = output.path.rsplit("/", 1)[-1].removesuffix(".md")
    meta = output.meta or {}
    template = str(meta.get("stdportal_feedback") or state.default_feedback)
    values = page_values(output.text, meta, template, placed.url, slug)
    return state.shells[placed.shell].fill(values).encode("utf-8", errors="xmlcharrefreplace")
