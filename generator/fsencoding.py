"""File names are UTF-8, whatever the locale says.

Python decodes and encodes file names with the locale's encoding: under a GB18030 or C locale the name
`JGJ-39-2016-2019年版.yaml` is read as different characters (the record's name check fails) and the site's
folders would be written in GB18030, unreachable by their UTF-8 addresses. Python's UTF-8 mode (`-X utf8`,
PYTHONUTF8=1) makes names, `open()` and pipes UTF-8: the `stdportal` command restarts itself in it, and the
MkDocs plugin, which cannot, stops with a message saying how to run it.
"""

from __future__ import annotations

import codecs
import os
import sys

from .errors import ConfigError

__all__ = ["check_file_name_encoding", "needs_utf8_mode", "utf8_mode_argv", "utf8_mode_env"]


def _encoding() -> str:
    return codecs.lookup(sys.getfilesystemencoding()).name


def needs_utf8_mode() -> bool:
    """True when this process reads file names in an encoding other than UTF-8."""
    return _encoding() != "utf-8"


def utf8_mode_argv() -> list[str]:
    """The command line that runs this same command again in UTF-8 mode."""
    return [sys.executable, "-X", "utf8", *sys.orig_argv[1:]]


def utf8_mode_env() -> dict[str, str]:
    """The environment for that command: messages keep the terminal's encoding when it can show Chinese (UTF-8
    mode alone would print UTF-8 to a GB18030 terminal)."""
    env = dict(os.environ)
    terminal = codecs.lookup(sys.stdout.encoding or "ascii").name if sys.stdout else "ascii"
    if "PYTHONIOENCODING" not in env and _can_show_chinese(terminal):
        env["PYTHONIOENCODING"] = terminal
    return env


def _can_show_chinese(encoding: str) -> bool:
    try:
        "标准".encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def check_file_name_encoding() -> None:
    """Raise ConfigError when file names are not read as UTF-8 (for `mkdocs build` and `mkdocs serve`)."""
    if needs_utf8_mode():
        raise ConfigError(f"当前系统的区域设置按 {_encoding()} 编码读取文件名，中文文件名会读错，"
                          "生成的网站地址也会出错。请改用 stdportal build（它会自动按 UTF-8 处理），"
                          "或设置环境变量 PYTHONUTF8=1 后再运行 mkdocs。")
