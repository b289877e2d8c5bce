"""A real git repository in a temporary folder, committed to by script with fixed dates.

Dates are set through GIT_AUTHOR_DATE / GIT_COMMITTER_DATE so tests can name the day of each commit; user
name and mail are configured in the repository itself, and the user's global git configuration is ignored.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from support import write_db

__all__ = ["Repo"]

_ISOLATED = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"}


class Repo:
    def __init__(self, root: Path, db: str = "standards") -> None:
        self.root = root
        self.db = root / db
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "测试维护员")
        self.git("config", "user.email", "maintainer@example.org")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, day: str = "2025-01-01") -> str:
        when = f"{day}T10:00:00+08:00"
        env = {**os.environ, **_ISOLATED, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        proc = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=False)
        assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
        return proc.stdout.strip()

    def write(self, files: dict[str, str]) -> None:
        """Write record files (paths relative to the database); the first call also brings the vocabularies."""
        write_db(self.db, files)

    def remove(self, name: str) -> None:
        self.git("rm", "-q", str(self.db.relative_to(self.root) / name))

    def move(self, old: str, new: str) -> None:
        rel = self.db.relative_to(self.root)
        (self.db / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", str(rel / old), str(rel / new))

    def commit(self, message: str, day: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, day=day)
        return self.git("rev-parse", "HEAD")

    def export(self, target: Path) -> Path:
        """A copy of the working tree without .git, as a tarball would unpack."""
        shutil.copytree(self.root, target, ignore=shutil.ignore_patterns(".git", ".stdportal"))
        return target
