"""click's own words (help headings, usage errors) come out in Chinese, like every other message of the command."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.cli_messages import MESSAGES

ENGLISH = re.compile(r"Usage:|Options:|Commands:|Show this message|\[default:|Error:|No such|Missing|Try '")


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), prog_name="stdportal")


@pytest.mark.parametrize("command", [[], *[[name] for name in sorted(main.commands)]],
                         ids=lambda c: " ".join(c) or "stdportal")
def test_help_is_in_chinese(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("用法: stdportal"), result.output
    assert "[选项]" in result.output and "选项:" in result.output
    assert not ENGLISH.search(result.output), result.output


@pytest.mark.parametrize(("args", "message"), [
    (["build", "--nope"], "运行 stdportal build --help 查看用法。\n\n错误：没有 --nope 这个选项。"),
    (["serv"], "错误：没有 serv 这个命令。"),
    (["search"], "错误：缺少参数 '查询词...'"),
    (["search", "托育", "--level", "city"], "不是可选的值，可选：'national', 'industry', 'local'"),
    (["search", "托育", "-n", "0"], "超出允许的范围"),
    (["search", "托育", "-n", "abc"], "'abc' 不是数字"),
    (["check", "--db"], "选项 --db 后面要写一个值。"),
])
def test_usage_errors_are_in_chinese(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output, result.output
    assert not ENGLISH.search(result.output), result.output


def test_every_translated_message_is_one_click_still_uses() -> None:
    """A click upgrade that rewords a message would leave it English; this names the stale entry."""
    source = "".join(path.read_text(encoding="utf-8") for path in Path(click.__file__).parent.glob("*.py"))
    stale = [english for english in MESSAGES if f'"{english}"' not in source]
    assert stale == []


@pytest.mark.parametrize(("option", "epoch"), [("1969-12-31", ""), ("2106-02-08", ""), ("0001-01-01", ""),
                                               ("", "-1"), ("", "99999999999999999")])
def test_a_date_a_site_cannot_carry_is_refused_in_words(option: str, epoch: str, monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    """Before 1970 or after 2105 (the sitemap's gzip header counts seconds since 1970 in 32 bits): a message, not
    a traceback from deep in the build."""
    from support import FIXTURE_FILES, write_db

    write_db(tmp_path / "standards", FIXTURE_FILES)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = CliRunner().invoke(main, ["export", "--db", "standards", *(["--as-of", option] if option else [])])
    assert result.exit_code == 1 and not isinstance(result.exception, (OverflowError, ValueError))
    assert "超出可用的范围（1970-01-01 至 2105-12-31）" in result.stderr
