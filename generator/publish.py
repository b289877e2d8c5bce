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

After a build that reused the old site (generator.sitecache), the retired site is kept as `.site-spare/` (ours,
with the marker; it may be deleted at any time) and the next build takes it as its staging folder: most of its
files are the live site's own (hard links), so a build that changed a few files replaces those few
(generator.sitecache.assemble) instead of linking every file into an empty folder and deleting the whole
retired site afterwards. After a full build the retired site shares nothing with the new one and is removed as
before, so the spare never doubles the site's disk space; a full build empties a spare it took.
STDPORTAL_NO_CACHE=1 neither takes nor keeps it.

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
    return Built(made.pages, copied)


def remove_leftovers(site: Path) -> list[Path]:
    """Remove staging and retired folders of earlier, killed builds of this site; return what was removed."""
    removed = []
    for prefix in (f".{site.name}-new-", f".{site.name}-old-"):
        for folder in sorted(site.parent.glob(prefix + "*")):
            if folder.is_symlink() or not folder.is_dir():
                continue
            if not is_ours(folder):  # killed before its marker was written: nothing in it, or not ours
                with contextlib.suppress(OSError):
                    folder.rmdir()
                    removed.append(folder)
                continue
            if not _in_use(folder):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


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
    """A folder beside the site, marked as ours and locked while the build runs: the spare (the site an earlier
    build retired) when there is one of ours, else a new empty one. Removed afterwards unless kept as the next
    spare (after a successful swap it holds the old site)."""
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}-new-", dir=site.parent))
    try:
        spare = spare_of(site)
        if caching() and spare.is_dir() and not spare.is_symlink() and is_ours(spare):
            with contextlib.suppress(OSError):
                os.rename(spare, staging)  # onto the new empty folder: taken in one step, or left to another build
                os.unlink(staging / MARKER)  # a marker of its own below, never one it might share
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it owner-only; a web server must be able to read it
        fd = os.open(staging / MARKER, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            os.write(fd, MARKER_TEXT.encode("utf-8"))
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield staging
        finally:
            os.close(fd)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _keep_as_spare(staging: Path, site: Path) -> None:
    """Keep the retired site (now in staging) as the next build's starting point: its unchanged files are
    already the right ones, so that build replaces only what changed. Not with STDPORTAL_NO_CACHE=1."""
    if not caching() or not is_ours(staging):
        return
    with contextlib.suppress(OSError):  # a spare already there (another build's): this one is removed instead
        os.rename(staging, spare_of(site))


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
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # a C library older than glibc 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
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
