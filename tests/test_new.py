"""`stdportal new`: a record with every field laid out under its help comment, passing `stdportal check` as is."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support import record

from generator.cli import main
from generator.fields import FIELDS
from generator.pipeline import check
from generator.scaffold import SCHEMA_FILE
from generator.yamlpos import parse_yaml


@pytest.fixture
def project(tmp_path: Path, make_db: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    make_db({"national/GB-T-10001-2020.yaml": record("GB/T 10001-2020")})
    return tmp_path


def run(*args: str, stdin: str | None = None) -> Result:
    result = CliRunner().invoke(main, ["new", "--db", "standards", *args], input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_new_lays_out_every_field_and_passes_check(project: Path) -> None:
    result = run("--number", "GB/T 35796-2017", "--title", "养老机构服务质量基本规范")

    assert result.exit_code == 0, result.output
    path = project / "standards/national/GB-T-35796-2017.yaml"
    assert result.stdout.splitlines()[0] == "已新建 standards/national/GB-T-35796-2017.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../schema/standard.schema.json"
    assert (path.parent / lines[0].split("=", 1)[1]).resolve() == (project / SCHEMA_FILE).resolve()
    # Every field, in the table's order, each right under its help comment.
    keys = [line.split(":", 1)[0] for line in lines[1:] if not line.startswith(("#", " "))]
    assert keys == [f.key for f in FIELDS]
    for field in FIELDS:
        at = next(i for i, line in enumerate(lines) if line.split(":", 1)[0] == field.key)
        assert lines[at - 1] == f"# {field.help}"
    data = parse_yaml(path.read_text(encoding="utf-8")).data
    assert data["标准号"] == "GB/T 35796-2017" and data["中文标准名称"] == "养老机构服务质量基本规范"
    assert all(data[f.key] is None for f in FIELDS if f.key not in ("标准号", "中文标准名称"))
    assert check(project / "standards") == []


def test_new_local_standard_goes_to_local(project: Path) -> None:
    result = run("-n", "DB37/T 4591-2023", "-t", "养老服务站点建设规范")

    assert result.exit_code == 0, result.output
    assert (project / "standards/local/DB37-T-4591-2023.yaml").is_file()
    assert check(project / "standards") == []


def test_new_asks_for_number_and_title(project: Path) -> None:
    # What is no number is refused and asked again; another spelling of a number is taken in its canonical form.
    result = run(stdin="养老规范\ngbt 35796—2017\n养老机构服务质量基本规范\n")

    assert result.exit_code == 0, result.output
    assert '标准号格式不对 "养老规范"' in result.stderr
    assert "标准号按规范写法 GB/T 35796-2017 收录（输入的是 gbt 35796—2017）" in result.stdout
    path = project / "standards/national/GB-T-35796-2017.yaml"
    assert '标准号: "GB/T 35796-2017"' in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("typed", "stored", "name"), [
    ("GB/T35796-2017", "GB/T 35796-2017", "national/GB-T-35796-2017.yaml"),
    ("DB 37/T 2904—2019", "DB37/T 2904-2019", "local/DB37-T-2904-2019.yaml"),
    ("DB12/ 684-2016", "DB12/ 684-2016", "local/DB12-684-2016.yaml"),
    ("DG/TJ08-2291B-2022", "DG/TJ08-2291B-2022", "local/DG-TJ08-2291B-2022.yaml"),
    ("DBJ/T15-20-2016", "DBJ/T 15-20-2016", "local/DBJ-T-15-20-2016.yaml"),
    ("DB1331/T 025.1-2022", "DB1331/T 025.1-2022", "local/DB1331-T-025.1-2022.yaml"),
    ("ＧＢ／Ｔ ３５７９６-２０１７", "GB/T 35796-2017", "national/GB-T-35796-2017.yaml"),
])
def test_new_accepts_what_import_accepts_and_says_what_it_stored(project: Path, typed: str, stored: str,
                                                                 name: str) -> None:
    result = run("--number", typed, "--title", "测试")

    assert result.exit_code == 0, result.output
    said = f"标准号按规范写法 {stored} 收录（输入的是 {typed}）"
    assert (said in result.stdout) == (typed != stored)
    assert f'标准号: "{stored}"' in (project / "standards" / name).read_text(encoding="utf-8")
    assert check(project / "standards") == []


@pytest.mark.parametrize(("number", "message"), [
    ("养老规范", '标准号格式不对 "养老规范"，应形如 GB/T 35796-2017、MZ/T 133-2019 或 DB37/T 4591-2023'),
    ("GB/T 10001-2020", "标准号 GB/T 10001-2020 已收录：standards/national/GB-T-10001-2020.yaml，请直接修改该文件"),
])
def test_new_refuses_bad_or_existing_numbers(project: Path, number: str, message: str) -> None:
    before = sorted(p for p in (project / "standards").rglob("*.yaml"))

    result = run("--number", number, "--title", "测试")

    assert result.exit_code == 1
    assert result.stderr.strip() == message
    assert sorted(p for p in (project / "standards").rglob("*.yaml")) == before


def test_new_refuses_an_existing_number_in_another_spelling(project: Path, make_db: Callable[..., Path]) -> None:
    # The database has the record under a file name that does not match: the number is what counts.
    make_db({"national/misnamed.yaml": record("GB/T 20002-2021")})

    result = run("--number", "GB/T 20002-2021", "--title", "测试")

    assert result.exit_code == 1
    assert "标准号 GB/T 20002-2021 已收录：standards/national/misnamed.yaml" in result.stderr


def test_new_refuses_a_local_code_with_no_region(project: Path) -> None:
    result = run("--number", "DB99/T 1-2023", "--title", "测试")

    assert result.exit_code == 1
    assert "行政区划 990000 不存在" in result.stderr
    assert not (project / "standards/local").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["-n", "GB/T 35796-2017", "-t", "养老\u202e范规"], "中文标准名称第 3 个字符处有改变文字显示方向的控制字符 U+202E"),
    (["-n", "GB/T 35796-2017", "-t", "养老机构\x85服务"], "中文标准名称第 5 个字符处有不可见的控制字符 U+0085"),
    (["-n", "GB/T 35796\u200b-2017", "-t", "养老"], "标准号第 11 个字符处有不可见的格式字符 U+200B"),
    (["-n", "GB/T 35796-2017", "-t", "养老机构\n服务规范"], "无法新建：中文标准名称: 不能换行，请写成一行"),
])
def test_new_refuses_text_a_record_may_not_hold(project: Path, args: list[str], message: str) -> None:
    result = run(*args)

    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert not (project / "standards/national/GB-T-35796-2017.yaml").exists()


def test_new_finds_an_existing_number_written_in_full_width(project: Path, make_db: Callable[..., Path]) -> None:
    make_db({"national/GB-T-20002-2021.yaml": '标准号: "ＧＢ／Ｔ ２０００２-２０２１"\n中文标准名称: 测试\n'})

    result = run("--number", "GB/T 20002-2021", "--title", "测试")

    assert result.exit_code == 1
    assert "标准号 GB/T 20002-2021 已收录：standards/national/GB-T-20002-2021.yaml" in result.stderr


@pytest.mark.parametrize(("link", "said"), [
    ("local", "standards/local 是指向数据库文件夹以外"),  # a linked folder: check would not read what lands there
    ("local/DB37-T-4591-2023.yaml", "standards/local/DB37-T-4591-2023.yaml 是指向不存在的文件"),
])
def test_new_does_not_write_through_a_symbolic_link(project: Path, link: str, said: str) -> None:
    outside = project / "outside"
    outside.mkdir()
    if link == "local":
        (project / "standards/local").symlink_to(outside, target_is_directory=True)
    else:
        (project / "standards/local").mkdir(exist_ok=True)
        (project / "standards" / link).symlink_to(outside / "record.yaml")

    result = run("-n", "DB37/T 4591-2023", "-t", "养老服务站点建设规范")

    assert result.exit_code == 1 and said in result.output and "不会经由链接写入文件" in result.output
    assert list(outside.iterdir()) == []
