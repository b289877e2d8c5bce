"""`stdportal check` against the table of broken records in tests/cases/broken/.

Each case is copied with the bundled vocabularies into `<tmp>/standards`, checked from `<tmp>` as a maintainer
would from the project root, and must print exactly the lines of its expected.txt and exit with its code.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import AS_OF, BUNDLED_DB, REPO, write_db

from generator.cli import main
from generator.pipeline import load_catalog

CASES = Path(__file__).parent / "cases" / "broken"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())
_EXIT = re.compile(r"^# 退出码: (\d)$")
_LINE = re.compile(r"^(?P<path>[^:]+)(?::(?P<line>[1-9]\d*):(?P<column>[1-9]\d*))?: (?P<message>.+)$")
"""`path:line:column: message`, or `path: message` for a problem with the whole file: never 0:0."""


def read_expected(case: str) -> tuple[int, list[str]]:
    """(exit code, output lines with the database folder `standards/` in front of each path)."""
    lines = (CASES / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    exit_match = _EXIT.match(lines[0])
    assert exit_match, f"{case}/expected.txt must start with '# 退出码: N'"
    return int(exit_match.group(1)), [f"standards/{line}" for line in lines[1:] if line.strip()]


def copy_case(case: str, db_dir: Path) -> Path:
    write_db(db_dir, {})
    shutil.copytree(CASES / case / "db", db_dir, dirs_exist_ok=True)
    return db_dir


@pytest.fixture
def run_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")

    def run(*args: str):
        result = CliRunner().invoke(main, ["check", "--db", "standards", *args])
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return run


def is_error(line: str) -> bool:
    """An expected line that fails the check: not a notice (提示) nor a warning (警告, fails only with --strict)."""
    return ": 提示: " not in line and ": 警告: " not in line


def test_the_case_table_is_complete() -> None:
    assert len(CASE_NAMES) >= 40
    for case in CASE_NAMES:
        code, lines = read_expected(case)
        assert lines, f"{case}: a broken case must expect at least one line"
        for line in lines:
            assert _LINE.match(line), f"{case}: not `path:line:column: message` nor `path: message`: {line}"
        # Errors fail the check; a case whose only lines are notices or warnings passes.
        assert code == (1 if any(is_error(line) for line in lines) else 0), case


@pytest.mark.parametrize("case", CASE_NAMES)
def test_broken_case(case: str, tmp_path: Path, run_check) -> None:
    copy_case(case, tmp_path / "standards")
    code, expected = read_expected(case)

    result = run_check("-v")

    assert result.stdout.splitlines() == expected
    assert result.exit_code == code
    errors = [line for line in expected if is_error(line)]
    if errors:
        assert result.stderr.strip() == f"共 {len(errors)} 个问题需要修改。"
    else:
        assert result.stderr == ""


def test_notices_are_counted_not_listed_without_verbose(tmp_path: Path, run_check) -> None:
    copy_case("replaces-not-in-database", tmp_path / "standards")

    result = run_check()

    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.strip() == "另有 1 条提示（如引用的标准未收录），加 -v 查看"


def test_every_message_is_chinese() -> None:
    for case in CASE_NAMES:
        for line in read_expected(case)[1]:
            message = _LINE.match(line).group("message")
            assert re.search(r"[\u4e00-\u9fff]", message.split("（")[0]), f"{case}: {message}"


def _stdportal() -> list[str]:
    script = Path(sys.executable).with_name("stdportal")
    if script.exists():
        return [str(script)]
    found = shutil.which("stdportal")
    return [found] if found else [sys.executable, "-c", "from generator.cli import main; main()"]


def test_all_problems_of_many_files_in_one_run(tmp_path: Path) -> None:
    """Every broken case in one database: each problem is reported once, in file order, with no traceback."""
    db_dir = tmp_path / "standards"
    expected: list[str] = []
    for case in CASE_NAMES:
        copy_case(case, db_dir)
        expected.extend(read_expected(case)[1])

    proc = subprocess.run([*_stdportal(), "check", "--db", "standards", "-v"], cwd=tmp_path, capture_output=True,
                          text=True, encoding="utf-8", env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=120)

    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert sorted(lines) == sorted(expected)

    def key(line: str) -> tuple[str, int, int]:
        m = _LINE.match(line)
        return (m["path"], int(m["line"] or 0), int(m["column"] or 0))

    assert [key(line) for line in lines] == sorted(key(line) for line in lines)
    errors = sum(is_error(line) for line in expected)
    assert f"共 {errors} 个问题需要修改。" in proc.stderr


def test_missing_database_folder_is_reported_not_raised(tmp_path: Path, run_check) -> None:
    result = run_check()

    assert result.exit_code == 1
    assert "standards: 找不到标准数据库文件夹" in result.stdout.splitlines()


def test_bundled_database_checks_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")

    result = CliRunner().invoke(main, ["check", "--db", str(BUNDLED_DB.relative_to(REPO)), "-v"])

    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 0, result.stdout
    errors = [line for line in result.stdout.splitlines() if ": 提示: " not in line]
    assert errors == []


def _like_a_real_record(number: str, title: str, replaces: str) -> str:
    """A copy of a real record of the bundled database (a Jiangsu standard) with another number and title, that
    replaces `replaces`."""
    lines = (BUNDLED_DB / "local" / "DB32-T-2981-2016.yaml").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith(("标准号:", "中文标准名称:", "# "))]
    return "\n".join([f'标准号: "{number}"', f'中文标准名称: "{title}"', *kept, "代替标准:", f'  - "{replaces}"', ""])


def test_typos_in_replacements_in_a_copy_of_the_bundled_database_are_warned_of(tmp_path: Path, run_check) -> None:
    """The outside review's case: each of these silently changed another standard's status; now each is a
    warning at the line that states it, and nothing else of the bundled database is told."""
    shutil.copytree(BUNDLED_DB, tmp_path / "standards")
    before = run_check("-v").stdout.splitlines()
    local = tmp_path / "standards" / "local"
    for number, title, replaces in [
        ("DB32/T 3887-2020", "庚", "GB/T 35796-2017"),  # a national standard replaced by a provincial one
        ("DB32/T 3883-2020", "丙", "DB32/T 3884-2020"),  # two records replacing each other
        ("DB32/T 3884-2020", "丁", "DB32/T 3883-2020"),
        ("DB32/T 3885-2020", "戊", "DB32/T 3886-2021"),  # a 2021 standard replaced by a 2020 one
    ]:
        (local / f"{number.replace('/', '-').replace(' ', '-')}.yaml").write_text(
            _like_a_real_record(number, title, replaces), encoding="utf-8")

    result = run_check("-v")

    assert result.exit_code == 0  # warnings: a person looks, the data may be right
    added = [line for line in result.stdout.splitlines() if line not in before]
    at = "standards/local/DB32-T-{}-2020.yaml:16:5: {}: 代替标准: "
    loop = "代替关系成了循环：DB32/T {0} 代替 DB32/T {1}，DB32/T {1} 代替 DB32/T {0}"
    tail = "；循环中的标准都会被算作被代替，请核对哪一项是新版，改正写反或写错的标准号"
    assert added == [
        at.format(3883, "警告") + loop.format("3883-2020", "3884-2020") + tail,
        at.format(3884, "警告") + loop.format("3884-2020", "3883-2020") + tail,
        at.format(3885, "提示") + "DB32/T 3886-2021 未收录于数据库，页面上不会链接到它",
        at.format(3885, "警告") + "DB32/T 3886-2021（标准号年份 2021）比本标准（标准号年份 2020）晚，"
                                 "被代替的标准应早于代替它的标准；请核对标准号是否写错，或是否应填在 被代替标准 中",
        at.format(3887, "警告") + "GB/T 35796-2017 是国家标准，地方标准不能代替国家标准；请核对标准号是否写错",
    ]
    assert result.stderr == ""
    # What each warning is about: the typo still counts (the data may be right), the check only tells.
    catalog, _ = load_catalog(tmp_path / "standards", AS_OF)
    assert catalog.status["GB/T 35796-2017"].basis == "已被 DB32/T 3887-2020 代替"
    assert catalog.status["DB32/T 3883-2020"].basis == "已被 DB32/T 3884-2020 代替"
    assert catalog.status["DB32/T 3884-2020"].basis == "已被 DB32/T 3883-2020 代替"
