"""generator.load and generator.dbfiles: which files of the database are read, and what is said of the rest."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import record

from generator.cli import main
from generator.dbfiles import MAX_FILE_BYTES
from generator.load import load_records
from generator.pipeline import check
from generator.problems import Problem
from generator.vocab import load_vocabulary

GOOD = "national/GB-T-10001-2020.yaml"


def messages(problems: list[Problem], db: Path) -> list[tuple[str, str]]:
    return [(p.path.relative_to(db).as_posix(), p.message) for p in problems]


@pytest.fixture
def db(make_db: Callable[..., Path], tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(record("GB/T 10009-2020", "不该发布的文件"), encoding="utf-8")
    return make_db({GOOD: record("GB/T 10001-2020")})


def test_a_link_to_a_file_outside_the_database_is_refused_not_read(db: Path, tmp_path: Path) -> None:
    os.symlink(tmp_path / "outside/secret.yaml", db / "national/GB-T-10009-2020.yaml")

    raws, problems = load_records(db)

    assert [raw.path.name for raw in raws] == ["GB-T-10001-2020.yaml"]
    [(where, message)] = messages(problems, db)
    assert where == "national/GB-T-10009-2020.yaml"
    assert message.startswith("是指向数据库文件夹以外（") and "不会读取" in message
    assert str(tmp_path / "outside/secret.yaml") in message


def test_a_linked_folder_is_not_entered(db: Path, tmp_path: Path) -> None:
    os.symlink(tmp_path / "outside", db / "local", target_is_directory=True)
    os.symlink(tmp_path / "outside", db / "national/more", target_is_directory=True)

    raws, problems = load_records(db)

    assert [raw.path.name for raw in raws] == ["GB-T-10001-2020.yaml"]
    assert [where for where, _ in messages(problems, db)] == ["local", "national/more"]
    assert all("数据库文件夹以外" in message for _, message in messages(problems, db))


def test_a_dangling_link_is_reported(db: Path) -> None:
    os.symlink("GB-T-missing.yaml", db / "national/GB-T-10002-2020.yaml")

    _, problems = load_records(db)

    assert messages(problems, db) == [("national/GB-T-10002-2020.yaml",
                                       "是指向不存在的文件（GB-T-missing.yaml）的链接，请删除这个链接或换成文件本身")]


def test_a_link_inside_the_database_is_refused_too(db: Path) -> None:
    # Followed, it would publish the same record twice under two names.
    os.symlink("GB-T-10001-2020.yaml", db / "national/GB-T-10003-2020.yaml")

    raws, problems = load_records(db)

    assert len(raws) == 1
    assert messages(problems, db) == [(
        "national/GB-T-10003-2020.yaml",
        "是指向 national/GB-T-10001-2020.yaml 的链接；数据库中不读取链接，请把文件本身放在这里，或删除这个链接")]


def test_a_loop_of_links_is_reported(db: Path) -> None:
    os.symlink("b.yaml", db / "national/a.yaml")
    os.symlink("a.yaml", db / "national/b.yaml")

    _, problems = load_records(db)

    assert {where for where, _ in messages(problems, db)} == {"national/a.yaml", "national/b.yaml"}
    assert all("链接" in message for _, message in messages(problems, db))


def test_the_database_folder_itself_may_be_a_link(db: Path, tmp_path: Path) -> None:
    os.symlink(db, tmp_path / "linked", target_is_directory=True)

    raws, problems = load_records(tmp_path / "linked")

    assert (len(raws), problems) == (1, [])


def test_links_in_the_vocabularies_are_refused(db: Path, tmp_path: Path) -> None:
    (db / "vocabularies/gbt43507.yaml").rename(tmp_path / "outside/gbt43507.yaml")
    os.symlink(tmp_path / "outside/gbt43507.yaml", db / "vocabularies/gbt43507.yaml")

    vocab, problems = load_vocabulary(db)

    assert vocab.slots == {}
    [(where, message)] = messages(problems, db)
    assert where == "vocabularies/gbt43507.yaml" and "数据库文件夹以外" in message


def test_a_linked_vocabularies_folder_is_refused(db: Path, tmp_path: Path) -> None:
    (db / "vocabularies").rename(tmp_path / "vocab")
    os.symlink(tmp_path / "vocab", db / "vocabularies", target_is_directory=True)

    vocab, problems = load_vocabulary(db)

    assert vocab.domains == ()
    assert [where for where, _ in messages(problems, db)] == ["vocabularies"]


def test_a_file_over_the_size_limit_is_not_read(db: Path) -> None:
    big = db / "national/GB-T-10004-2020.yaml"
    notes = "备注: |\n" + "  很长的备注\n" * (MAX_FILE_BYTES // 18)
    big.write_text(record("GB/T 10004-2020") + notes, encoding="utf-8")
    assert big.stat().st_size > MAX_FILE_BYTES

    raws, problems = load_records(db)

    assert len(raws) == 1
    [(where, message)] = messages(problems, db)
    assert where == "national/GB-T-10004-2020.yaml" and message.startswith("文件过大（1.")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_not_read(db: Path) -> None:
    os.mkfifo(db / "national/GB-T-10005-2020.yaml")  # reading it would block for ever

    _, problems = load_records(db)

    assert messages(problems, db) == [("national/GB-T-10005-2020.yaml", "不是普通文件，不会读取")]


def test_check_reports_links_with_every_other_problem(db: Path, tmp_path: Path) -> None:
    os.symlink(tmp_path / "outside/secret.yaml", db / "national/GB-T-10009-2020.yaml")

    problems = check(db)

    assert [p.path.name for p in problems] == ["GB-T-10009-2020.yaml"]
    assert (problems[0].line, problems[0].column) == (0, 0)


GBK_NAME = "苏州养老.yaml".encode("gbk")
"""A name as a zip made on Chinese Windows unpacks it on Linux: GBK bytes, not UTF-8."""


@pytest.mark.parametrize(("where", "shown"), [
    (b"local/" + GBK_NAME, "local/苏州养老.yaml（名称按 GBK 编码显示）"),
    (b"local/" + "江苏".encode("gbk") + b"/DB32-T-3997-2021.yaml", "local/江苏/DB32-T-3997-2021.yaml（名称按 GBK"),
    # a UTF-8 folder above a GBK name: only the GBK name is read as GBK
    ("local/江苏/".encode() + GBK_NAME, "local/江苏/苏州养老.yaml（名称按 GBK 编码显示）"),
], ids=["file", "folder", "file-in-utf8-folder"])
def test_a_name_that_is_not_utf8_is_refused_with_a_message_not_a_traceback(
        db: Path, where: bytes, shown: str, monkeypatch: pytest.MonkeyPatch) -> None:
    target = os.fsencode(db) + b"/" + where
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as out:
        out.write(record("DB32/T 3997-2021", "养老服务").encode("utf-8"))

    raws, problems = load_records(db)

    assert [raw.path.name for raw in raws] == ["GB-T-10001-2020.yaml"]
    [problem] = problems
    assert os.fsencode(problem.path) == target and "不是 UTF-8 编码" in problem.message
    monkeypatch.chdir(db.parent)
    for command in (["check"], ["search", "养老"], ["export", "--out", "out"]):
        result = CliRunner().invoke(main, [*command, "--db", db.name])
        assert not isinstance(result.exception, UnicodeError) and "Traceback" not in result.output, command
        if command[0] != "search":  # search serves what is valid and says how many files it left out
            assert result.exit_code == 1 and "不是 UTF-8 编码" in result.stdout, (command, result.output)
            assert f"{db.name}/{shown}" in result.stdout  # the name as it was meant, to find the file by


@pytest.mark.parametrize(("name", "shown"), [
    ("GB-T-10002-2020\nx.yaml", "GB-T-10002-2020\\nx.yaml"),  # a newline would split the problem's line in two
    ("GB-T-10002-2020\u200b.yaml", "GB-T-10002-2020\\u200b.yaml"),  # zero-width: looks like the right name
    ("GB-T-10002-2020\t.yaml", "GB-T-10002-2020\\t.yaml"),
])
def test_a_name_with_invisible_characters_is_shown_escaped_on_one_line(
        db: Path, name: str, shown: str, monkeypatch: pytest.MonkeyPatch) -> None:
    (db / "national" / name).write_text(record("GB/T 10002-2020", "养老服务"), encoding="utf-8")
    monkeypatch.chdir(db.parent)

    result = CliRunner().invoke(main, ["check", "--db", db.name])

    assert result.exit_code == 1
    [line] = result.stdout.splitlines()
    assert line.startswith(f"{db.name}/national/{shown}（名称中有换行等看不见的字符"), line
    assert "文件应命名为 GB-T-10002-2020.yaml" in line


def test_a_folder_named_like_a_record_is_reported_as_import_would_meet_it(make_db: Callable[..., Path]) -> None:
    """`import` cannot write GB-T-99303-2020.yaml where a folder has its name: `check` says so first."""
    db = make_db({"national/GB-T-1-2020.yaml": record("GB/T 1-2020")})
    (db / "national" / "GB-T-99303-2020.yaml").mkdir()
    problems = [p for p in check(db) if p.path.name == "GB-T-99303-2020.yaml"]
    assert [p.severity.value for p in problems] == ["错误"]
    assert "是一个文件夹，不是数据文件" in problems[0].message
