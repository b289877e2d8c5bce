"""Test helpers importable from test modules (conftest.py holds the fixtures built on them)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BUNDLED_DB = REPO / "standards"
VOCABULARIES = BUNDLED_DB / "vocabularies"

AS_OF = dt.date(2026, 1, 1)
"""The fixed date status is computed for in every test that renders or builds."""

FilesArg = Mapping[str, "str | bytes"]


def write_db(db_dir: Path, files: FilesArg) -> Path:
    """Create db_dir with a copy of the bundled vocabularies and the given record files."""
    db_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(VOCABULARIES, db_dir / "vocabularies", dirs_exist_ok=True)
    for name, content in files.items():
        path = db_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return db_dir


def make_project(root: Path, files: FilesArg) -> Path:
    """A project folder like this repository's (mkdocs.yml, docs/, overrides/) whose database holds `files`."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "overrides", root / "overrides")
    write_db(root / "standards", files)
    return root


def page_text(output: Any) -> str:
    """A page Output as one readable text (its metadata, one JSON value a line, then its HTML): the form of the
    golden files. The site never joins the two like this; the adapter hands both to the engine as values."""
    if output.meta is None:
        return output.content
    front = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in output.meta.items())
    return f"---\n{front}\n---\n\n{output.content}\n"


def check_golden(golden: Path, output: Any, update: bool) -> None:
    """Compare a rendered output with its golden file, or rewrite the file (`pytest --update-goldens`)."""
    import pytest

    content = page_text(output)
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(content, encoding="utf-8", newline="\n")
        pytest.skip(f"已更新 {golden}")
    assert golden.is_file(), f"缺少黄金文件 {golden}，请运行 pytest --update-goldens"
    assert content == golden.read_text(encoding="utf-8")


def record(number: str, title: str | None = "测试标准", **fields: str | list[str]) -> str:
    """A record's YAML text; list values become block lists. Only for well-formed records."""
    lines = [f'标准号: "{number}"']
    if title is not None:
        lines.append(f'中文标准名称: "{title}"')
    for key, value in fields.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(f'  - "{item}"' for item in value)
        else:
            lines.append(f'{key}: "{value}"')
    return "\n".join(lines) + "\n"


# --- the small database of the golden and build tests ---------------------------------------------------

XSS_TITLE = "标准<script>alert(1)</script> *markdown* [x](y)"

FIXTURE_FILES: dict[str, str] = {
    # A replacement pair: the 2020 edition replaces the 2010 one and is in force as of AS_OF.
    "national/GB-T-10001-2010.yaml": """\
标准号: "GB/T 10001-2010"
中文标准名称: "社区公共服务 通用要求"
标准性质: "推荐性"
发布日期: 2010-06-01
实施日期: 2010-12-01
领域: ["基础通用"]
来源:
  - 说明: "测试数据"
""",
    "national/GB-T-10001-2020.yaml": """\
标准号: "GB/T 10001-2020"
中文标准名称: "社区公共服务 通用要求"
英文标准名称: "Community public services - General requirements"
发布日期: 2020-03-06
实施日期: 2020-10-01
代替标准:
  - "GB/T 10001-2010"
发布单位: "国家市场监督管理总局、国家标准化管理委员会"
领域: ["幼有所育"]
类别: ["儿童健康服务"]
体系位置: "服务提供标准"
全文链接: "https://openstd.samr.gov.cn/bzgk/gb/index"
来源:
  - 链接: "https://std.samr.gov.cn/"
    说明: "全国标准信息公共服务平台"
""",
    # A local standard that comes into force between the two as-of dates of the build tests.
    "local/DB37-T-4000-2025.yaml": """\
标准号: "DB37/T 4000-2025"
中文标准名称: "养老服务站点建设规范"
发布日期: 2025-11-20
实施日期: 2026-02-20
发布单位: "山东省市场监督管理局"
领域: ["老有所养"]
来源:
  - 说明: "测试数据"
""",
    # Only an English title.
    "industry/MZ-T-300-2019.yaml": """\
标准号: "MZ/T 300-2019"
英文标准名称: "Guide for elderly care service evaluation"
标准状态: "现行"
来源:
  - 说明: "测试数据"
""",
    # Markup in a title must come out as text everywhere.
    "national/GB-T-99999-2023.yaml": f"""\
标准号: "GB/T 99999-2023"
中文标准名称: '{XSS_TITLE}'
发布日期: 2023-05-23
实施日期: 2023-12-01
发布单位: "<b>测试</b>单位"
来源:
  - 说明: "测试数据 <i>x</i>"
""",
}
