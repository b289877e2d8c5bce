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
