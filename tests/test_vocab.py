"""A broken vocabulary file is reported like a broken record: a problem in Chinese, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

from support import BUNDLED_DB

from generator.pipeline import check
from generator.problems import format_problem


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(BUNDLED_DB / "vocabularies", tmp_path / "vocabularies")
    return tmp_path


def test_a_wrong_category_number_is_a_problem(tmp_path: Path) -> None:
    db = _copy(tmp_path)
    path = db / "vocabularies" / "domains.yaml"
    text = path.read_text(encoding="utf-8")
    assert "序号: 1\n" in text
    path.write_text(text.replace("序号: 1\n", "序号: 一\n", 1), encoding="utf-8")
    lines = [format_problem(p, db) for p in check(db)]
    assert len(lines) == 1 and lines[0].startswith("vocabularies/domains.yaml:1:1: 词表格式不对")


def test_a_missing_name_and_a_gbk_file_are_problems(tmp_path: Path) -> None:
    db = _copy(tmp_path)
    structure = db / "vocabularies" / "gbt43507.yaml"
    structure.write_text(structure.read_text(encoding="utf-8").replace("名称: ", "名字: "), encoding="utf-8")
    regions = db / "vocabularies" / "regions-mca2024.txt"
    regions.write_bytes("110000 北京市\n".encode("gbk"))
    messages = {format_problem(p, db) for p in check(db)}
    assert any(m.startswith("vocabularies/gbt43507.yaml:1:1: 词表格式不对") for m in messages)
    assert "vocabularies/regions-mca2024.txt:1:1: 文件不是 UTF-8 编码，请用 UTF-8 重新保存" in messages
