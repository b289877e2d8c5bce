"""Build into a fresh folder beside the site, then swap it in: a failed build leaves the old site untouched."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from . import adapter

__all__ = ["build_site"]


def build_site(config_file: Path, site_dir: Path, *, as_of: str | None = None, strict: bool = False) -> int:
    """Build the site and put it at site_dir; return the number of pages. Raises BuildError on failure."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    staging.chmod(0o777 & ~_umask())  # mkdtemp makes it owner-only; a web server must be able to read the site
    try:
        pages = adapter.build(config_file, staging, as_of=as_of, strict=strict)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, site_dir)
    return pages


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _swap(staging: Path, site_dir: Path) -> None:
    if not site_dir.exists():
        staging.rename(site_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-", dir=site_dir.parent))
    retired.rmdir()
    site_dir.rename(retired)
    try:
        staging.rename(site_dir)
    except OSError:
        retired.rename(site_dir)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)
