"""Building into a staging folder and swapping it in: readable by a web server, old site kept on failure."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from generator import adapter, publish
from generator.errors import BuildError


def _fake_build(config_file: Path, site_dir: Path, **_: object) -> int:
    (site_dir / "index.html").write_text("new", encoding="utf-8")
    return 1


def test_the_new_site_is_readable_by_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(adapter, "build", _fake_build)
    old = os.umask(0o022)
    try:
        publish.build_site(tmp_path / "mkdocs.yml", tmp_path / "site")
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / "site").stat().st_mode)
    assert mode == 0o755, oct(mode)
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "new"


def test_a_failed_build_keeps_the_old_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("old", encoding="utf-8")

    def failing(*_: object, **__: object) -> int:
        raise BuildError("构建失败")

    monkeypatch.setattr(adapter, "build", failing)
    with pytest.raises(BuildError):
        publish.build_site(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
