"""Chinese for the messages click prints itself (help headings, usage errors), so that a maintainer who mistypes
an option reads what went wrong in the language of every other message of the command.

click marks these strings for gettext (`_()` and `ngettext()` in its modules). `cli.py` points those names at
`translate` and `translate_plural`, which look the English text up here and fall back to it: a string click adds
later stays English instead of breaking. The placeholders are click's own; a translation may leave one out or
drop its `!r` (the values are passed by name).
"""

from __future__ import annotations

__all__ = ["MESSAGES", "translate", "translate_plural"]

MESSAGES: dict[str, str] = {
    # help
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示本说明后退出。",
    "Show the version and exit.": "显示版本号后退出。",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    # errors
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 {command} {option} 查看用法。",
    "No such option {name!r}.": "没有 {name} 这个选项。",
    "Did you mean {possibility}?": "是不是要写 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是不是要写以下之一：{possibilities}？）",
    "No such command {name!r}.": "没有 {name} 这个命令。",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值不对：{message}",
    "Invalid value: {message}": "值不对：{message}",
    "Option {name!r} does not take a value.": "选项 {name} 后面不用写值。",
    "Option {name!r} requires an argument.": "选项 {name} 后面要写一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name} 后面要写 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多了参数：{args}",
    "Got unexpected extra arguments ({args})": "多了参数：{args}",
    "{value!r} is not {choice}.": "{value!r} 不是可选的值，只能是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是可选的值，可选：{choices}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是数字。",
    "{value} is not in the range {range}.": "{value} 超出允许的范围（{range}）。",
    "{name} {filename!r} does not exist.": "{name} {filename} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename} 是文件，这里要的是文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename} 是文件夹，这里要的是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename} 没有读权限。",
    "{name} {filename!r} is not writable.": "{name} {filename} 没有写权限。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename}：{message}",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "Aborted!": "已中止。",
}


def translate(message: str) -> str:
    return MESSAGES.get(message, message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)
