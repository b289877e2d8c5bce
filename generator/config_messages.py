"""Chinese for what MkDocs says about mkdocs.yml: a wrong type, an unknown setting, a missing theme or plugin, a
YAML syntax error. Each message names the place: `mkdocs.yml:3:1: site_name: …` when the setting's line is
found, `mkdocs.yml: plugins.stdportal.feedback: …` otherwise.

MkDocs reports a wrong setting twice: one log line per setting on the `mkdocs.config` logger, then an exception
that only says it stopped. `chinese_config_messages` rewrites both while MkDocs reads the file: a log filter
turns each line into Chinese and an exception MkDocs raises becomes a ConfigError. A message not in the table
keeps MkDocs' own words after the Chinese place, instead of being dropped.

This module does not import MkDocs: it reads only the text of MkDocs' messages.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import ConfigError
from .problems import shown_path

__all__ = ["chinese_config_messages", "explain", "translate_setting_message"]

_TYPES = {"str": "文字", "int": "整数", "float": "数字", "bool": "true 或 false", "dict": "“名称: 值”的映射",
          "list": "列表", "NoneType": "空值", "tuple": "列表"}


def _type(name: str) -> str:
    return _TYPES.get(name, name)


def _types(listed: str) -> str:
    return "或".join(dict.fromkeys(_type(name) for name in re.findall(r"<class '(\w+)'>", listed)))


# (MkDocs' words, the Chinese): the first that matches the text after "Config value 'name': " is used.
_SETTING: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"Expected type: <class '(\w+)'> but received: <class '(\w+)'>"),
     lambda m: f"应填{_type(m[1])}，这里填的是{_type(m[2])}"),
    (re.compile(r"Expected one of: \((.*)\) but received: <class '(\w+)'>"),
     lambda m: f"应填{_types(m[1])}，这里填的是{_type(m[2])}"),
    (re.compile(r"Unrecognised configuration name: (.+)"), lambda m: f"没有 {m[1]} 这项设置（是否写错了名字？）"),
    (re.compile(r"Required configuration not provided\.?"), lambda m: "缺少这项必填设置"),
    (re.compile(r"Unrecognised theme name: '([^']*)'\. The available installed themes are: (.*)", re.S),
     lambda m: f"没有名为 {m[1]} 的主题，已安装的主题：{m[2]}"),
    (re.compile(r'The "([^"]*)" plugin is not installed'), lambda m: f"没有安装 {m[1]} 插件（名字是否写错？）"),
    (re.compile(r"The path '([^']*)' isn't an existing directory\."), lambda m: f"文件夹 {m[1]} 不存在"),
    (re.compile(r"The path '([^']*)' isn't an existing file\."), lambda m: f"文件 {m[1]} 不存在"),
    (re.compile(r"The path '([^']*)' does not exist\."), lambda m: f"{m[1]} 不存在"),
    (re.compile(r"Expected nav to be a list, got a (\w+)", re.S), lambda m: f"应为列表，这里填的是{_type(m[1])}"),
    (re.compile(r"Expected a list of (?:items|links)|Expected a list", re.S), lambda m: "应为列表"),
    (re.compile(r"Failed to load extension '([^']*)'", re.S),
     lambda m: f"无法加载 Markdown 扩展 {m[1]}（没有安装，或名字写错）"),
    (re.compile(r"The URL isn't valid, it should include the http:// \(scheme\)"),
     lambda m: "网址无效，应以 http:// 或 https:// 开头"),
    (re.compile(r"The 'docs_dir' should not be within the 'site_dir'", re.S),
     lambda m: "手写页面文件夹（docs_dir）不能在网站输出文件夹（site_dir）里面"),
    (re.compile(r"The 'site_dir' should not be within the 'docs_dir'", re.S),
     lambda m: "网站输出文件夹（site_dir）不能在手写页面文件夹（docs_dir）里面"),
    (re.compile(r"The 'docs_dir' should not be the parent directory of the config file", re.S),
     lambda m: "手写页面文件夹（docs_dir）不能是 mkdocs.yml 所在的文件夹或其上级"),
    (re.compile(r"Expected a string(?: value)?,? but received: <class '(\w+)'>", re.S),
     lambda m: f"应填文字，这里填的是{_type(m[1])}"),
    (re.compile(r"Invalid config options for the \"([^\"]*)\" plugin\.?", re.S),
     lambda m: f"{m[1]} 插件的设置有误"),
]

_CONFIG_VALUE = re.compile(r"^Config value '([^']*)': (.*)$", re.S)
_PLUGIN_OPTION = re.compile(r"^Plugin '([^']*)' option '([^']*)': (.*)$", re.S)
_THEME_OPTION = re.compile(r"^Theme option '([^']*)': (.*)$", re.S)


def translate_setting_message(message: str, config_file: Path | None = None) -> str:
    """One of MkDocs' "Config value 'name': …" lines in Chinese with its place; other text unchanged."""
    match = _CONFIG_VALUE.match(message)
    if not match:
        return message
    name, rest = match[1], match[2].strip()
    place = name
    nested = _PLUGIN_OPTION.match(rest)
    if nested:
        place, rest = f"{name}.{nested[1]}.{nested[2]}", nested[3].strip()
    else:
        nested = _THEME_OPTION.match(rest)
        if nested:
            place, rest = f"{name}.{nested[1]}", nested[2].strip()
    return f"{_where(config_file, name)} {place}: {_words(rest)}"


def _words(rest: str) -> str:
    for pattern, chinese in _SETTING:
        match = pattern.search(rest)
        if match:
            return chinese(match)
    return f"设置有误（MkDocs 的说明：{rest}）"


def _where(config_file: Path | None, top_key: str) -> str:
    """`mkdocs.yml:3:1:` when the top-level key is found in the file, else `mkdocs.yml:`."""
    if config_file is None:
        return "mkdocs.yml:"
    shown = shown_path(config_file)
    try:
        text = config_file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return f"{shown}:"
    found = re.search(rf"^{re.escape(top_key)}[ \t]*:", text, re.M)
    if not found:
        return f"{shown}:"
    return f"{shown}:{text.count(chr(10), 0, found.start()) + 1}:1:"


# YAML's own complaints (PyYAML's scanner and parser), most common first.
_YAML: list[tuple[str, str]] = [
    ("found character '\\t' that cannot start any token", "不能用 Tab 键缩进，请改用空格"),
    ("mapping values are not allowed here", "冒号的位置不对：值中含有“: ”时请给整个值加引号，或检查缩进"),
    ("could not find expected ':'", "缺少冒号：每行应写成“设置名: 值”"),
    ("expected ',' or ']'", "方括号 [ ] 没有配对"),
    ("expected ',' or '}'", "花括号 { } 没有配对"),
    ("found unexpected end of stream", "引号没有配对"),
    ("did not find expected key", "缩进不一致：同一层的设置应对齐"),
    ("did not find expected '-' indicator", "列表的缩进不一致：同一列表的各项应以同样缩进的“- ”开头"),
    ("found duplicate anchor", "锚点（&名称）重复"),
    ("found undefined alias", "引用了未定义的锚点（*名称）"),
    ("could not determine a constructor for the tag", "无法识别的标签（以 ! 开头的写法）"),
    ("found unknown escape character", "双引号中的反斜杠 \\ 写法不对：请改用单引号，或写成 \\\\"),
]
_MARK = re.compile(r'line (\d+), column (\d+)')


def explain(message: str, config_file: Path) -> str | None:
    """Chinese for the text of an exception MkDocs raised while reading mkdocs.yml; None when not recognised."""
    shown = shown_path(config_file)
    if message.startswith("MkDocs encountered an error parsing the configuration file"):
        marks = _MARK.findall(message)
        where = f"{shown}:{marks[-1][0]}:{marks[-1][1]}:" if marks else f"{shown}:"
        words = next((chinese for english, chinese in _YAML if english in message), "YAML 格式错误")
        return f"{where} {words}（网站配置文件的格式不对）"
    if re.match(r"Config file '.*' does not exist\.", message, re.S):
        return f"找不到网站配置文件 {shown}，请在项目根目录运行，或用 --config 指定"
    received = re.match(r"The configuration is invalid\. Expected a key-value mapping \(dict\) but received: "
                        r"<class '(\w+)'>", message)
    if received:
        return f"{shown}: 网站配置文件应由“设置名: 值”组成，这里整个文件是{_type(received[1])}"
    if message == "Aborted with a configuration error!":
        return f"{shown} 中有设置错误，见上方的说明"
    warnings = re.match(r"Aborted with (\d+) configuration warnings in 'strict' mode!", message)
    if warnings:
        return f"{shown} 中有 {warnings[1]} 个设置警告（见上方的说明），--strict 时不生成网站"
    setting = translate_setting_message(message, config_file)
    return setting if setting != message else None


class _Translate(logging.Filter):
    def __init__(self, config_file: Path) -> None:
        super().__init__()
        self.config_file = config_file

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        chinese = translate_setting_message(message, self.config_file)
        if chinese != message:
            record.msg, record.args = chinese, ()
        return True


@contextmanager
def chinese_config_messages(config_file: Path) -> Iterator[None]:
    """While MkDocs reads config_file: its log lines about settings in Chinese, and an exception it raises
    about the file turned into a ConfigError with a Chinese message (other exceptions pass unchanged)."""
    logger = logging.getLogger("mkdocs.config")
    translate = _Translate(config_file)
    logger.addFilter(translate)
    try:
        yield
    except ConfigError:
        raise
    except Exception as exc:
        message = explain(str(exc), config_file)
        if message is None:
            raise
        raise ConfigError(message) from None
    finally:
        logger.removeFilter(translate)
