"""Open data: `stdportal export` and the site's 数据下载 page give the same standards.json and standards.csv."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import AS_OF, FIXTURE_FILES, REPO, XSS_TITLE, record, write_db

from generator.cli import main
from generator.export import EXPORT_KEYS, export_csv, export_json, write_exports
from generator.feedback import FeedbackConfig
from generator.fields import FIELDS
from generator.pipeline import load_catalog
from generator.records import Feedback
from generator.render import RenderOptions, render

OPTIONS = RenderOptions(FeedbackConfig(Feedback(mail="feedback@example.org")))


@pytest.fixture
def catalog(fixture_db: Path):
    catalog, problems = load_catalog(fixture_db, AS_OF)
    assert problems == []
    return catalog


def test_json_lists_every_standard_with_computed_status(catalog) -> None:
    document = json.loads(export_json(catalog))

    assert list(document) == ["状态计算日期", "标准数量", "标准"]
    assert document["状态计算日期"] == "2026-01-01" and document["标准数量"] == 5
    records = {r["标准号"]: r for r in document["标准"]}
    assert list(records) == ["GB/T 10001-2010", "GB/T 10001-2020", "GB/T 99999-2023", "MZ/T 300-2019",
                             "DB37/T 4000-2025"]
    assert all(tuple(r) == EXPORT_KEYS for r in records.values())
    not_exported = {"意见反馈", "原文标准号", "维护备注"}  # a site setting, and what is for maintainers only
    assert "意见反馈" not in EXPORT_KEYS and set(EXPORT_KEYS) == {f.key for f in FIELDS} - not_exported | {"状态"}
    new = records["GB/T 10001-2020"]
    assert new["状态"] == "现行" and new["标准状态"] is None
    assert new["发布日期"] == "2020-03-06" and new["实施日期"] == "2020-10-01" and new["废止日期"] is None
    assert new["代替标准"] == ["GB/T 10001-2010"] and new["被代替标准"] == []
    assert new["领域"] == ["幼有所育"] and new["类别"] == ["儿童健康服务"] and new["体系位置"] == "服务提供标准"
    assert new["来源"] == [{"链接": "https://std.samr.gov.cn/", "说明": "全国标准信息公共服务平台"}]
    old = records["GB/T 10001-2010"]
    assert old["状态"] == "被代替" and old["被代替标准"] == ["GB/T 10001-2020"]  # from the other record
    assert records["DB37/T 4000-2025"]["状态"] == "即将实施" and records["DB37/T 4000-2025"]["地区"] == "370000"
    assert records["MZ/T 300-2019"]["中文标准名称"] is None and records["MZ/T 300-2019"]["状态"] == "现行"
    # Markup stays data: escaped in the text, intact once parsed.
    assert "<" not in export_json(catalog) and records["GB/T 99999-2023"]["中文标准名称"] == XSS_TITLE


def test_csv_opens_in_a_spreadsheet(catalog) -> None:
    text = export_csv(catalog)

    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(text.encode("utf-8").decode("utf-8-sig"), newline="")))
    assert rows[0] == list(EXPORT_KEYS)
    assert len(rows) == 6 and all(len(row) == len(EXPORT_KEYS) for row in rows)
    by_number = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    new = by_number["GB/T 10001-2020"]
    assert new["状态"] == "现行" and new["标准状态"] == "" and new["代替标准"] == "GB/T 10001-2010"
    assert new["发布单位"] == "国家市场监督管理总局、国家标准化管理委员会"
    assert new["来源"] == "全国标准信息公共服务平台 https://std.samr.gov.cn/"
    assert by_number["GB/T 99999-2023"]["中文标准名称"] == XSS_TITLE


def test_csv_lists_are_joined_and_formulas_neutralised(make_db: Callable[..., Path]) -> None:
    db = make_db({"national/GB-T-1-2020.yaml": record("GB/T 1-2020", "=HYPERLINK(\\\"x\\\")",
                                                      起草单位=["甲单位", "乙单位"], 起草人=["张三"])})
    catalog, _ = load_catalog(db, AS_OF)

    rows = list(csv.reader(io.StringIO(export_csv(catalog).lstrip("\ufeff"), newline="")))

    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["起草单位"] == "甲单位；乙单位" and row["起草人"] == "张三"
    assert row["中文标准名称"] == "'=HYPERLINK(\"x\")"


def test_site_offers_the_same_files(catalog) -> None:
    outputs = {o.path: o for o in render(catalog, OPTIONS)}

    assert outputs["downloads/standards.json"].content == export_json(catalog)
    assert outputs["downloads/standards.csv"].content == export_csv(catalog)
    assert not outputs["downloads/standards.json"].in_nav and outputs["downloads/index.md"].in_nav
    page = outputs["downloads/index.md"].content
    assert outputs["downloads/index.md"].meta["title"] == "数据下载"
    assert '<a href="standards.csv" download>standards.csv</a>' in page
    assert '<a href="standards.json" download>standards.json</a>' in page
    assert "全部 5 项标准" in page and "2026-01-01" in page
    assert '<a href="standards.xlsx" download>standards.xlsx</a>' in page
    assert '<a href="datapackage.json" download>datapackage.json</a>' in page
    assert '<tr><td>状态</td><td lang="en">Status computed from the dates</td>' in page
    assert '<tr><td>适用范围</td><td lang="en">Scope</td><td>标准的适用范围</td></tr>' in page


def test_export_command_writes_the_bytes_the_built_site_serves(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy2(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copytree(REPO / "overrides", project / "overrides")
    write_db(project / "standards", FIXTURE_FILES)
    epoch = str(int(dt.datetime(AS_OF.year, AS_OF.month, AS_OF.day, tzinfo=dt.timezone.utc).timestamp()))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": epoch}
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                           capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert build.returncode == 0, build.stderr

    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["export", "--db", "standards", "--out", "exported", "--as-of",
                                       AS_OF.isoformat()])

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["已导出 exported/standards.json", "已导出 exported/standards.csv",
                                          "共 5 项标准，状态按 2026-01-01 计算。"]
    for name in ("standards.json", "standards.csv"):
        assert (project / "exported" / name).read_bytes() == (project / "site/downloads" / name).read_bytes()
    assert (project / "site/downloads/index.html").is_file()


def test_write_exports_and_render_agree_byte_for_byte(catalog, tmp_path: Path) -> None:
    written = write_exports(catalog, tmp_path / "out")

    outputs = {o.path: o for o in render(catalog, OPTIONS)}
    for path in written:
        # MkDocs writes a generated text file in text mode as UTF-8, as write_exports does.
        expected = tmp_path / "mkdocs-like"
        with open(expected, "w", encoding="utf-8") as out:
            out.write(outputs[f"downloads/{path.name}"].content)
        assert path.read_bytes() == expected.read_bytes()


def test_export_refuses_a_database_with_errors(make_db: Callable[..., Path], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    make_db({"national/GB-T-1-2020.yaml": record("GB/T 1-2020", 发布日期="2020-13-01")})

    result = CliRunner().invoke(main, ["export", "--db", "standards", "--out", "out"])

    assert result.exit_code == 1
    assert "发布日期: 不是有效日期" in result.stdout and "未导出" in result.stderr
    assert not (tmp_path / "out").exists()
