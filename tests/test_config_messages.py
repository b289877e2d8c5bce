"""MkDocs' words about mkdocs.yml in Chinese, with the place; unknown words kept behind a Chinese place."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config_messages import explain, translate_setting_message


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "mkdocs.yml"
    path.write_text("# comment\nsite_name: 1\nplugins:\n  - stdportal:\n      feedback: x\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Config value 'site_name': Expected type: <class 'str'> but received: <class 'int'>",
         "mkdocs.yml:2:1: site_name: 应填文字，这里填的是整数"),
        ("Config value 'plugins': Plugin 'stdportal' option 'feedback': Expected type: <class 'dict'> but received: "
         "<class 'str'>", "mkdocs.yml:3:1: plugins.stdportal.feedback: 应填“名称: 值”的映射，这里填的是文字"),
        ("Config value 'theme': Theme option 'palette': something new", "mkdocs.yml: theme.palette: 设置有误"),
        ("Config value 'extra_css': Expected one of: (<class 'list'>, <class 'tuple'>) but received: <class 'str'>",
         "mkdocs.yml: extra_css: 应填列表，这里填的是文字"),
        ("Config value 'foo': Unrecognised configuration name: foo", "foo: 没有 foo 这项设置"),
        ("Config value 'site_name': Required configuration not provided.", "site_name: 缺少这项必填设置"),
        ("Config value 'site_url': The URL isn't valid, it should include the http:// (scheme)",
         "site_url: 网址无效，应以 http:// 或 https:// 开头"),
    ],
)
def test_setting_messages(config: Path, english: str, chinese: str) -> None:
    assert chinese in translate_setting_message(english, config)


def test_unknown_words_keep_mkdocs_text_behind_the_place(config: Path) -> None:
    message = translate_setting_message("Config value 'nav': Something MkDocs 1.7 says", config)
    assert message == "mkdocs.yml: nav: 设置有误（MkDocs 的说明：Something MkDocs 1.7 says）"
    assert translate_setting_message("Building documentation", config) == "Building documentation"


def test_exceptions(config: Path) -> None:
    yaml_error = ('MkDocs encountered an error parsing the configuration file: while scanning for the next token\n'
                  "found character '\\t' that cannot start any token\n  in \"/x/mkdocs.yml\", line 2, column 1")
    assert explain(yaml_error, config) == "mkdocs.yml:2:1: 不能用 Tab 键缩进，请改用空格（网站配置文件的格式不对）"
    assert explain("Config file 'mkdocs.yml' does not exist.", config).startswith("找不到网站配置文件 mkdocs.yml")
    assert "这里整个文件是列表" in explain("The configuration is invalid. Expected a key-value mapping (dict) but "
                                    "received: <class 'list'>", config)
    assert explain("Aborted with 2 configuration warnings in 'strict' mode!", config) == \
        "mkdocs.yml 中有 2 个设置警告（见上方的说明），--strict 时不生成网站"
    assert explain("Some other failure", config) is None
