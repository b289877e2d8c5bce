"""Shared fixtures: temporary databases built from a dict of files, the fixed as-of date, golden updates.

`make_db(files)` follows the file-tree fixture of mkdocs/tests/base.py `tempdir(files=...)`: the test names
every record file it needs (path relative to the database → text or bytes) and gets a fresh database with the
bundled vocabularies. Synthetic records are only ever written under tmp_path, never under standards/.
The helpers themselves live in support.py so test modules can import them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support import AS_OF, FIXTURE_FILES, FilesArg, write_db

__all__ = ["AS_OF"]


@pytest.fixture
def make_db(tmp_path: Path) -> Callable[..., Path]:
    """make_db({"national/GB-T-1-2020.yaml": "..."}, name="standards") → the database folder under tmp_path."""

    def make(files: FilesArg, name: str = "standards") -> Path:
        return write_db(tmp_path / name, files)

    return make


@pytest.fixture
def fixture_db(make_db: Callable[..., Path]) -> Path:
    """The small database of the golden and build tests."""
    return make_db(FIXTURE_FILES)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite tests/golden/ from the current renderer output")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))
