"""The search synonym table (standards/vocabularies/synonyms.yaml): loaded with the vocabularies, every malformed
entry reported by `stdportal check` at its line in Chinese, the others kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import AS_OF, BUNDLED_DB

from generator.pipeline import check
from generator.problems import format_problem
from generator.search.analyzer import fold, query_terms
from generator.search.documents import synonyms_of
from generator.vocab import load_vocabulary

HEAD = "来源:\n  - 说明: 测试\n同义词:\n"
GOOD = "  - 俗称: [养老院]\n    规范用语: [养老机构]\n    依据: 标准名称用养老机构\n"


def _db(tmp_path: Path, synonyms: str | bytes | None) -> Path:
    shutil.copytree(BUNDLED_DB / "vocabularies", tmp_path / "vocabularies")
    path = tmp_path / "vocabularies" / "synonyms.yaml"
    if synonyms is None:
        path.unlink()
    elif isinstance(synonyms, bytes):
        path.write_bytes(synonyms)
    else:
        path.write_text(synonyms, encoding="utf-8")
    return tmp_path


def _problems(db: Path) -> list[str]:
    return [format_problem(p, db) for p in check(db)]


def test_the_bundled_table_is_clean_and_sourced() -> None:
    vocab, problems = load_vocabulary(BUNDLED_DB)
    assert problems == []
    assert len(vocab.synonyms) >= 40
    assert all(s.note or s.link for s in vocab.synonyms)
    words = [w for s in vocab.synonyms for w in s.words]
    assert len(words) == len(set(words))
    table = synonyms_of(vocab)
    for word, targets in {"养老院": ["养老机构"], "敬老院": ["养老机构"], "老年痴呆": ["认知障碍", "认知症"],
                          "社保": ["社会保险"], "医保": ["医疗保险"], "孩子": ["儿童"], "小孩": ["儿童"],
                          "托儿所": ["托育"], "早教": ["托育"], "12345": ["政府热线"], "残障": ["残疾"],
                          "残疾": ["残障"]}.items():
        assert set(targets) <= set(table[word]), word
    assert table["老人"][0] == "老年人"


def test_every_official_word_is_in_some_bundled_title_or_domain() -> None:
    """An official word no title and no service area of a standard uses finds nothing: the table is kept to the
    words of the database (a service area, 病有所医, is indexed with each standard of it)."""
    from generator.pipeline import load_catalog

    catalog, _ = load_catalog(BUNDLED_DB, AS_OF)
    titles = " ".join(fold(s.title or "") for s in catalog.standards)
    titles += " " + " ".join(fold(d) for s in catalog.standards for d in s.domains)
    vocab, _ = load_vocabulary(BUNDLED_DB)
    missing = [t for s in vocab.synonyms for t in s.targets if not s.two_way and fold(t) not in titles]
    assert not missing, missing


def test_a_database_without_the_file_is_fine(tmp_path: Path) -> None:
    db = _db(tmp_path, None)
    vocab, problems = load_vocabulary(db)
    assert vocab.synonyms == () and problems == []


@pytest.mark.parametrize(("entry", "line", "message"), [
    ("  - 俗称: [老人]\n    规范用语: [老年人]\n", 7, "缺少来源"),
    ("  - 俗称: [老人]\n    依据: 说明\n", 7, "规范用语: 应为一个或几个词"),
    ("  - 俗称: []\n    规范用语: [老年人]\n    依据: 说明\n", 7, "俗称: 应为一个或几个词"),
    ("  - 规范用语: [老年人]\n    俗称: [老人]\n    依据: 说明\n    拼音: laoren\n", 10, "拼音: 不认识的字段"),
    ("  - 俗称: [老人]\n    规范用语: [老年人]\n    依据: 说明\n    双向: 也许\n", 10, "双向: 只能写“是”或“否”"),
    ("  - 俗称: [老人]\n    规范用语: [老年人]\n    链接: www.example.org\n", 9,
     "链接: 应为以 http:// 或 https:// 开头的网址"),
    ("  - 俗称: [老人]\n    规范用语: [老人]\n    依据: 说明\n", 7, "既是俗称又是规范用语"),
    ("  - 俗称: [\"——\"]\n    规范用语: [老年人]\n    依据: 说明\n", 7, "中没有汉字、字母或数字"),
    ("  - 俗称: [养老院]\n    规范用语: [老年人]\n    依据: 说明\n", 7, "在第 4 行已经写过"),
    ("  - 老人\n", 7, "每条同义词应写成"),
])
def test_a_malformed_entry_is_a_problem_at_its_line(tmp_path: Path, entry: str, line: int, message: str) -> None:
    db = _db(tmp_path, HEAD + GOOD + entry)
    lines = [m for m in _problems(db) if "synonyms.yaml" in m]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"vocabularies/synonyms.yaml:{line}:") and message in lines[0], lines[0]
    vocab, _ = load_vocabulary(db)
    assert [s.words for s in vocab.synonyms] == [("养老院",)]  # the good entry is kept


@pytest.mark.parametrize(("text", "message"), [
    (HEAD.replace("同义词:\n", "同义词: 老人\n"), "同义词表应有“同义词:”一项"),
    ("- 俗称: [老人]\n", "同义词表应有“同义词:”一项"),
    (HEAD + "  - 俗称: [老人\n", "synonyms.yaml:"),
    ("同义词:\n".encode("gbk"), "文件不是 UTF-8 编码"),
])
def test_a_malformed_file_is_a_problem_not_a_traceback(tmp_path: Path, text: str | bytes, message: str) -> None:
    db = _db(tmp_path, text)
    lines = [m for m in _problems(db) if "synonyms.yaml" in m]
    assert lines and message in lines[0], lines


def test_a_new_entry_changes_what_a_query_finds(tmp_path: Path) -> None:
    db = _db(tmp_path, HEAD + GOOD + "  - 俗称: [火葬场]\n    规范用语: [殡仪馆, 火化]\n    依据: 说明\n")
    table = synonyms_of(load_vocabulary(db)[0])
    assert table == {"养老院": ["养老机构"], "火葬场": ["殡仪馆", "火化"]}
    assert query_terms("火化") == ["火化"]
