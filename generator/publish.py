"""Build into a folder beside the site, then put it in place in one step: a failed or killed build leaves the
old site as it was.

    parent/
      site/                  the published site (carries sitedir.MARKER)
      .site-new-XXXXXXXX/    this build's staging folder; after the swap, the old site on its way out
      .site-old-XXXXXXXX/    the old site during a swap by two renames (where exchange is not available)
      .site-spare/           the site the last build retired, where the next build starts

On Linux the staging folder and the site trade places with one `renameat2(RENAME_EXCHANGE)`: at every moment
`site/` is either the whole old site or the whole new one. Elsewhere the old site is renamed away and the new
one renamed in; a build killed between the two leaves no `site/` until the next build (the old site waits in
`.site-old-*`). A build killed at any point leaves only `.site-new-*` / `.site-old-*` folders, which the next
build removes (only folders with our name pattern and our marker that no running build holds).

The next build starts from `.site-spare/` (ours, with the marker; it may be deleted at any time): it takes it as
its staging folder, and most of its files are already the live site's own (hard links), so a build that changed
a few files replaces those few (generator.sitecache.assemble) instead of linking every file into an empty folder.
After a build that reused the old site, the spare is the retired site. After a full build the retired site
shares nothing with the new one and is removed; the spare is then a copy of the new site made of hard links (no
file's content is copied, so the spare never doubles the site's disk space), which moves the cost of linking
every file from the first edit after a full build to the full build. STDPORTAL_NO_CACHE=1 neither takes nor
keeps a spare (one already there is left as it was, and then holds files the site no longer has). A full build
keeps none when the next one could not start from it either (generator.adapter.Made.reusable).

A site folder that is a mount point cannot be renamed: the new site is then copied into it file by file and
files the new build does not have are deleted. That is not atomic; readers may briefly see a mix.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import filecmp
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from . import adapter
from .buildtime import pinned_build_time
from .cachefile import caching
from .errors import BuildError, os_reason
from .sitecache import site_listing
from .sitedir import MARKER, MARKER_TEXT, check_replaceable, check_site_dir, is_ours, mark, real

try:
    import fcntl
except ImportError:  # Windows: leftovers are removed without asking whether a build still uses them
    fcntl = None  # type: ignore[assignment]

__all__ = ["Built", "build_site", "remove_leftovers"]


class Built(NamedTuple):
    pages: int
    copied: bool
    """True when the site folder is a mount point and the new site was copied into it file by file."""

_NOT_RENAMEABLE = (errno.EBUSY, errno.EXDEV)
"""A rename over (or of) a mount point fails with one of these."""


def build_site(config_file: Path, site_dir: Path, *, as_of: str | None = None, strict: bool = False) -> Built:
    """Build the site and put it at site_dir. Raises ConfigError when site_dir may not be replaced, BuildError
    when the build fails."""
    site = real(site_dir)
    check_site_dir(site, adapter.project(config_file))
    check_replaceable(site)
    site.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(site)
    with _staging(site) as staging:
        with pinned_build_time(as_of):
            made = adapter.build(config_file, staging, as_of=as_of, strict=strict, previous=site)
        copied = _put_in_place(staging, site)
        if made.reused and not copied:  # the old site, now in staging, shares most of its files with the new one
            _keep_as_spare(staging, site)
    if not made.reused and made.reusable and not copied:
        _link_spare(site)
    return Built(made.pages, copied)


def remove_leftovers(site: Path) -> list[Path]:
    """Remove staging and retired folders of earlier, killed builds of this site; return what was removed."""
    removed = []
    for prefix in (f".{site.name}-new-", f".{site.name}-old-"):
        for folder in sorted(site.parent.glob(prefix + "*")):
            if folder.is_symlink() or not folder.is_dir():
                continue
            if not is_ours(folder):  # killed before its marker was in place: nothing else in it, or not ours
                with contextlib.suppress(OSError):
                    (folder / f"{MARKER}.new").unlink(missing_ok=True)
                    folder.rmdir()
                    removed.append(folder)
                continue
            if not _in_use(folder):
                _remove_marked(folder)
                if not os.path.lexists(folder):
                    removed.append(folder)
    return removed


def _remove_marked(folder: Path) -> None:
    """Remove a folder of ours, its marker last: a build killed meanwhile leaves a folder the next one still knows
    for its own (removing it whole could take the marker first and leave the rest unclaimed)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name == MARKER:
                continue
            with contextlib.suppress(OSError):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
    if [entry.name for entry in os.scandir(folder)] == [MARKER]:  # else it stays ours, for the next build
        with contextlib.suppress(OSError):
            (folder / MARKER).unlink()
            folder.rmdir()


def _in_use(folder: Path) -> bool:
    """True while a running build holds the folder's marker locked."""
    if fcntl is None:
        return False
    try:
        fd = os.open(folder / MARKER, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # closing releases the lock
    return False


def spare_of(site: Path) -> Path:
    """Where the retired site waits for the next build (see the module's docstring)."""
    return site.parent / f".{site.name}-spare"


@contextlib.contextmanager
def _staging(site: Path) -> Iterator[Path]:
    """The build's folder: the spare (the site an earlier build left for this) when there is one of ours that no
    other build is taking, else a new empty folder. The spare's marker stays locked from before it is renamed
    until the folder has its own locked marker, so that another build's remove_leftovers never sees it free."""
    with _our_folder(site) as staging:
        spare = spare_of(site)
        with contextlib.ExitStack() as taking:
            if caching() and spare.is_dir() and not spare.is_symlink() and is_ours(spare):
                with contextlib.suppress(OSError):
                    taking.enter_context(_held(spare / MARKER))
                    os.rename(spare, staging)  # onto the new empty folder: taken in one step, or left alone
            with _locked_marker(staging):
                taking.close()
                yield staging


@contextlib.contextmanager
def _held(marker: Path) -> Iterator[None]:
    """The marker locked for this process; OSError when another holds it (or it is gone)."""
    if fcntl is None:  # no locks to take (Windows), and an open file would keep its folder from being renamed
        yield
        return
    fd = os.open(marker, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextlib.contextmanager
def _our_folder(site: Path) -> Iterator[Path]:
    """A new folder beside the site with the name of a build's staging folder, removed afterwards unless the
    caller moved it away: a process killed meanwhile leaves it to the next build's remove_leftovers."""
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}-new-", dir=site.parent))
    try:
        yield staging
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def _locked_marker(folder: Path) -> Iterator[None]:
    """Give the folder a marker of its own (never one it might share with the site through a hard link), held
    locked while the caller works in it, so that remove_leftovers of another build leaves it alone. The new
    marker is locked before it replaces any old one: the folder is never without a marker while it holds files."""
    folder.mkdir(exist_ok=True)  # another build's remove_leftovers removes an empty folder without a marker
    folder.chmod(0o777 & ~_umask())  # mkdtemp makes it owner-only; a web server must be able to read it
    fresh = folder / f"{MARKER}.new"
    fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        os.write(fd, MARKER_TEXT.encode("utf-8"))
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:  # no locks to hold (Windows), and an open file would keep the folder from being renamed
            os.close(fd)
            fd = -1
        os.replace(fresh, folder / MARKER)
        yield
    finally:
        if fd >= 0:
            os.close(fd)  # closing releases the lock


def _keep_as_spare(staging: Path, site: Path) -> None:
    """Keep the retired site (now in staging) as the next build's starting point: its unchanged files are
    already the right ones, so that build replaces only what changed. Not with STDPORTAL_NO_CACHE=1."""
    if caching() and is_ours(staging):
        _to_spare(staging, site)


def _link_spare(site: Path) -> None:
    """After a full build: the spare is a copy of the new site made of hard links, so that the next build starts
    from a folder whose files are already the site's. The site is in place already: whatever goes wrong here
    (a full disk, a file that cannot be linked: another file system under the site, a file system without hard
    links) only means no spare. None either where a folder of the site is a symbolic link (the next build
    would start from an empty folder anyway), nor with STDPORTAL_NO_CACHE=1."""
    if not caching() or os.path.lexists(spare_of(site)):
        return
    with contextlib.suppress(OSError), _our_folder(site) as folder, _locked_marker(folder):
        if _link_tree(site, folder):
            _to_spare(folder, site)


def _link_tree(source: Path, target: Path) -> bool:
    """Hard-link every file of the site at source into target, in the same folders (sitecache.site_listing: the
    hidden files at the top, such as the marker, are not the site's). False where a folder is a symbolic link."""
    listing = site_listing(source)
    if listing.linked:
        return False
    for rel in sorted(listing.folders):  # a folder sorts before the folders in it
        os.mkdir(target / rel)
    for rel, entry in listing.files.items():
        os.link(entry.path, target / rel, follow_symlinks=False)
    return True


def _to_spare(folder: Path, site: Path) -> None:
    """Move the folder to the spare's place unless something is there already (another build's spare, or a
    folder that is not ours, even an empty one); it is then removed with the rest of the build's folders."""
    with contextlib.suppress(OSError):
        _rename_noreplace(folder, spare_of(site))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _put_in_place(staging: Path, site: Path) -> bool:
    """Make the staging folder's content the site; afterwards staging holds what is to be deleted. True when
    the content was copied into a mount point instead."""
    if not os.path.lexists(site):
        staging.rename(site)
        return False
    if os.path.ismount(site):
        _sync(staging, site)
        return True
    try:
        if _exchange(staging, site):
            mark(staging)  # the old site, now in staging: if this process dies here, the next build removes it
        else:
            _swap_by_renames(staging, site)
    except OSError as exc:
        if exc.errno not in _NOT_RENAMEABLE:
            raise BuildError(f"无法替换网站文件夹 {site}：{os_reason(exc)}") from None
        _sync(staging, site)  # a bind mount, which ismount does not see
        return True
    return False


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where that is not available."""
    return _renameat2(a, b, _RENAME_EXCHANGE)


def _rename_noreplace(a: Path, b: Path) -> None:
    """Rename a to b; OSError when b exists, even an empty folder (which a plain rename would replace). Where
    renameat2 is not available, a check then a rename: another process could create b between the two."""
    if not _renameat2(a, b, _RENAME_NOREPLACE):
        if os.path.lexists(b):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(b))
        os.rename(a, b)


_RENAME_NOREPLACE, _RENAME_EXCHANGE = 1, 2


def _renameat2(a: Path, b: Path, flags: int) -> bool:
    """Linux renameat2(a, b, flags): True when done, False where the call or the flag is not available;
    OSError as the call reports it."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # a C library older than glibc 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):  # the file system cannot
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap_by_renames(staging: Path, site: Path) -> None:
    retired = Path(tempfile.mkdtemp(prefix=f".{site.name}-old-", dir=site.parent))
    retired.rmdir()
    site.rename(retired)
    try:
        staging.rename(site)
    except OSError:
        retired.rename(site)
        raise
    mark(retired)
    retired.rename(staging)  # the caller removes it


def _sync(staging: Path, site: Path) -> None:
    """Make site's content equal staging's by copying changed files and deleting the rest (for a mount point)."""
    for folder, dirs, files in os.walk(staging):
        source = Path(folder)
        target = site / source.relative_to(staging)
        if target.is_symlink() or (target.exists() and not target.is_dir()):
            target.unlink()
        target.mkdir(exist_ok=True)
        for name in files:
            new, old = source / name, target / name
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old)
            if not (old.is_file() and not old.is_symlink() and filecmp.cmp(new, old, shallow=False)):
                temporary = target / f".{name}.stdportal-tmp"
                shutil.copy2(new, temporary)
                os.replace(temporary, old)
        for name in sorted(set(os.listdir(target)) - set(files) - set(dirs)):
            gone = target / name
            if gone.is_dir() and not gone.is_symlink():
                shutil.rmtree(gone)
            else:
                gone.unlink()
