"""The `stdportal` command: each subcommand parses options and calls one library function.

The only module that imports click. Library code is imported inside the commands so `--help` stays instant.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

__all__ = ["main"]

_DB = click.option("--db", "db_dir", type=click.Path(path_type=Path), default=Path("standards"), show_default=True,
                   help="标准数据库文件夹")
_CONFIG = click.option("--config", "-f", "config_file", type=click.Path(path_type=Path),
                       default=Path("mkdocs.yml"), show_default=True, help="网站配置文件")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="stdportal", message="stdportal %(version)s")
def main() -> None:
    """基本公共服务标准信息库：检查标准数据，生成并预览静态网站。"""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@main.command()
@_DB
@click.option("--strict", is_flag=True, help="有警告时也以失败退出")
@click.option("--verbose", "-v", is_flag=True, help="逐条列出提示（如引用的标准未收录）")
def check(db_dir: Path, strict: bool, verbose: bool) -> None:
    """检查标准数据；没有问题时不输出任何内容。"""
    from .pipeline import check as run_check
    from .problems import Severity, format_problem

    problems = run_check(db_dir)
    notices = [p for p in problems if p.severity is Severity.NOTICE]
    for problem in problems:
        if problem.severity is not Severity.NOTICE or verbose:
            click.echo(format_problem(problem))
    if notices and not verbose:
        click.echo(f"另有 {len(notices)} 条提示（如引用的标准未收录），加 -v 查看", err=True)
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    if any(p.severity in failing for p in problems):
        count = sum(p.severity in failing for p in problems)
        click.echo(f"共 {count} 个问题需要修改。", err=True)
        sys.exit(1)


@main.command()
@_CONFIG
@click.option("--site-dir", "-d", type=click.Path(path_type=Path), default=Path("site"), show_default=True,
              help="网站输出文件夹")
@click.option("--as-of", help="按此日期（YYYY-MM-DD）计算标准状态；默认为 SOURCE_DATE_EPOCH 或今天")
@click.option("--strict", is_flag=True, help="有警告时也不生成网站")
def build(config_file: Path, site_dir: Path, as_of: str | None, strict: bool) -> None:
    """检查数据并生成网站；失败时保留原有网站不变。"""
    from .errors import DataError, StdportalError
    from .pipeline import check as run_check
    from .problems import Severity, format_problem
    from .publish import build_site

    _quiet_mkdocs()
    db_dir = _database_of(config_file)
    errors = [p for p in run_check(db_dir) if p.severity is Severity.ERROR]
    try:
        if errors:
            raise DataError(errors)
        pages = build_site(config_file, site_dir, as_of=as_of, strict=strict)
    except DataError as exc:
        for problem in exc.problems:
            click.echo(format_problem(problem))
        _fail(f"标准数据有 {len(exc.problems)} 个错误，网站未生成（{site_dir}/ 保持原样）。")
    except StdportalError as exc:
        _fail(f"{exc}\n网站未生成（{site_dir}/ 保持原样）。")
    click.echo(f"网站已生成：{site_dir}/（{pages} 个页面）")
    click.echo("预览：运行 stdportal serve，然后用浏览器打开 http://127.0.0.1:8000/")
    click.echo(f"发布：把 {site_dir}/ 文件夹整个上传到任意静态网站服务器（支持子路径；"
               "部署在子路径下时请在 mkdocs.yml 填写 site_url，404 页面才能正确显示）。")


@main.command()
@_CONFIG
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, help="预览地址")
def serve(config_file: Path, dev_addr: str) -> None:
    """在本机预览网站，修改数据后自动刷新。"""
    from .adapter import serve as run_serve
    from .errors import StdportalError

    click.echo(f"预览地址：http://{dev_addr}/ （按 Ctrl+C 停止）")
    try:
        run_serve(config_file, dev_addr)
    except StdportalError as exc:
        _fail(str(exc))


def _database_of(config_file: Path) -> Path:
    """The database folder named in mkdocs.yml's stdportal plugin options (default standards/)."""
    import yaml

    class _Lenient(yaml.SafeLoader):
        pass

    # mkdocs.yml may carry !!python/name tags (Material's emoji); they do not matter here.
    _Lenient.add_multi_constructor("", lambda loader, suffix, node: None)
    if not config_file.is_file():
        _fail(f"找不到网站配置文件 {config_file}，请在项目根目录运行，或用 --config 指定")
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Lenient) or {}
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "stdportal" in plugin:
            options = plugin["stdportal"] or {}
            return config_file.parent / options.get("database", "standards")
    return config_file.parent / "standards"


def _quiet_mkdocs() -> None:
    """Show MkDocs' own warnings and errors, not its progress lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)
