"""The hand-off to the engine: a page whose metadata did not arrive never ships.

Generated pages give MkDocs their metadata as a mapping (nothing to misread); a hand-written page whose front
matter MkDocs cannot read would be published with that block as page text, so the build stops instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import AS_OF, FIXTURE_FILES, make_project

from generator import adapter
from generator.errors import BuildError
from generator.publish import build_site
from generator.render import Output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", FIXTURE_FILES)


@pytest.mark.parametrize("front", [
    "---\ntitle: [不成对\n---\n\n正文\n",
    "---\ntitle: \"<script>alert(1)</script>\n---\n\n正文\n",
    "---\n- 列表\n---\n\n正文\n",
])
def test_a_hand_written_page_whose_front_matter_cannot_be_read_stops_the_build(
        project: Path, front: str, caplog: pytest.LogCaptureFixture) -> None:
    (project / "docs" / "about.md").write_text(front, encoding="utf-8")
    with pytest.raises(BuildError):
        build_site(project / "mkdocs.yml", project / "site", as_of=AS_OF.isoformat())
    assert "docs/about.md: 页面开头 --- 之间的元数据无法读取" in caplog.text  # the ERROR line the CLI shows
    assert not (project / "site").exists()


def test_a_generated_page_without_its_metadata_stops_the_build(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    real_run = adapter.run

    def run_losing_metadata(*args, **kwargs):  # type: ignore[no-untyped-def]
        outputs, problems = real_run(*args, **kwargs)
        broken = [Output(o.path, o.content, o.in_nav, {}) if o.path == "levels/national.md" else o for o in outputs]
        return broken, problems

    monkeypatch.setattr(adapter, "run", run_losing_metadata)
    with pytest.raises(BuildError):
        build_site(project / "mkdocs.yml", project / "site", as_of=AS_OF.isoformat())
    assert "生成的页面 levels/national.md 缺少元数据" in caplog.text
    assert not (project / "site").exists()
