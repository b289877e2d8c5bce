"""The `stdportal` command: each subcommand parses options and calls one library function.

The only module that imports click. Library code is imported inside the commands so `--help` stays instant.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

import click

from .cli_messages import translate, translate_plural

__all__ = ["main"]


def _click_in_chinese() -> None:
    """click's own help headings and usage errors in Chinese (see cli_messages.py)."""
    for name, module in list(sys.modules.items()):
        if name == "click" or not name.startswith("click."):
            continue
        if callable(getattr(module, "_", None)):
            module._ = translate  # type: ignore[attr-defined]
        if callable(getattr(module, "ngettext", None)):
            module.ngettext = translate_plural  # type: ignore[attr-defined]


_click_in_chinese()

_DB = click.option("--db", "db_dir", type=click.Path(path_type=Path), default=Path("standards"), show_default=True,
                   help="标准数据库文件夹")
_CONFIG = click.option("--config", "-f", "config_file", type=click.Path(path_type=Path),
                       default=Path("mkdocs.yml"), show_default=True, help="网站配置文件")


class _Command(click.Command):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class _Group(click.Group):
    """Turns a file that cannot be read or written into one Chinese line instead of a traceback."""

    command_class = _Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except OSError as exc:
            from .errors import os_reason

            _fail(f"无法读写 {exc.filename or '文件'}：{os_reason(exc)}")
            return None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="stdportal", message="stdportal %(version)s")
def main() -> None:
    """基本公共服务标准信息库：检查标准数据，生成并预览静态网站。"""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from .fsencoding import needs_utf8_mode, utf8_mode_argv, utf8_mode_env

    if needs_utf8_mode():  # a GB18030 or C locale: file names must still be read as UTF-8
        sys.stdout.flush()
        argv = utf8_mode_argv()
        os.execve(argv[0], argv, utf8_mode_env())


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
    from .problems import Severity, format_problem
    from .publish import build_site

    _quiet_mkdocs()
    if not config_file.is_file():
        _fail(f"找不到网站配置文件 {config_file}，请在项目根目录运行，或用 --config 指定")
    folder = site_dir.as_posix().rstrip("/") + "/"
    try:
        built = build_site(config_file, site_dir, as_of=as_of, strict=strict)
    except DataError as exc:
        for problem in exc.problems:
            click.echo(format_problem(problem))
        errors = sum(p.severity is Severity.ERROR for p in exc.problems)
        what = f"{errors} 个错误" if errors else f"{len(exc.problems)} 个警告（--strict）"
        _fail(f"标准数据有 {what}，网站未生成（{folder} 保持原样）。")
    except StdportalError as exc:
        _fail(f"{exc}\n网站未生成（{folder} 保持原样）。")
    click.echo(f"网站已生成：{folder}（{built.pages} 个页面）")
    if built.copied:
        click.echo(f"注意：{folder} 是挂载点，不能整体替换，新网站已逐个文件复制进去（并删除了新网站中没有的文件）；"
                   "复制期间访问者可能看到新旧混合的页面。")
    click.echo("预览：运行 stdportal serve，然后用浏览器打开 http://127.0.0.1:8000/")
    click.echo(f"发布：把 {folder} 文件夹整个上传到任意静态网站服务器（支持子路径，服务器配置见 docs/publishing.md）。")


@main.command()
@_CONFIG
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, help="预览地址")
def serve(config_file: Path, dev_addr: str) -> None:
    """在本机预览网站，修改数据后自动刷新。"""
    from .errors import DataError, StdportalError
    from .preview import serve_site
    from .problems import format_problem

    _quiet_mkdocs()
    if not config_file.is_file():
        _fail(f"找不到网站配置文件 {config_file}，请在项目根目录运行，或用 --config 指定")
    click.echo("正在生成预览网站……")
    try:
        serve_site(config_file, dev_addr, lambda line: click.echo(line, err=True),
                   lambda: click.echo(f"预览地址：http://{dev_addr}/ （按 Ctrl+C 停止）"))
    except KeyboardInterrupt:  # stopped during the first build
        click.echo("预览已停止。", err=True)
    except DataError as exc:
        for problem in exc.problems:
            click.echo(format_problem(problem))
        _fail("标准数据有错误，无法预览。请先运行 stdportal check 并修改。")
    except StdportalError as exc:
        _fail(str(exc))


@main.command()
@_DB
@click.option("--number", "-n", help="标准号，如 GB/T 35796-2017；不写时会询问")
@click.option("--title", "-t", help="中文标准名称；不写时会询问")
def new(db_dir: Path, number: str | None, title: str | None) -> None:
    """新建一项标准的 YAML 文件：列出全部字段并附填写说明，不知道的字段留空即可。"""
    from .scaffold import ScaffoldError, check_new_number, create_record

    try:
        if number is None:
            while True:
                number = click.prompt("标准号（如 GB/T 35796-2017）").strip()
                try:
                    check_new_number(db_dir, number)
                    break
                except ScaffoldError as exc:
                    click.echo(str(exc), err=True)
        if title is None:
            title = click.prompt("中文标准名称").strip()
        typed = number.strip()
        stored = check_new_number(db_dir, typed).text
        path = create_record(db_dir, stored, title)
    except ScaffoldError as exc:
        _fail(str(exc))
    if stored != typed:
        click.echo(f"标准号按规范写法 {stored} 收录（输入的是 {typed}）")
    click.echo(f"已新建 {os.path.relpath(path)}")
    click.echo("下一步：用编辑器打开它，填写知道的字段（不知道的留空，页面会显示“未收录”），"
               "在“来源”中写明信息出处，然后运行 stdportal check。")


@main.command(name="import")
@click.argument("file", type=click.Path(path_type=Path), metavar="表格文件")
@_DB
@click.option("--dry-run", is_flag=True, help="只列出将做的修改，不写入任何文件")
@click.option("--sheet", help="工作表名称（默认为保存文件时显示的工作表，不读取隐藏的工作表）")
def import_(file: Path, db_dir: Path, dry_run: bool, sheet: str | None) -> None:
    """从表格（.xlsx、.xls、.et、.ods、.csv，或 Word 文件中的表格）导入标准：新增、更新或跳过并说明原因。"""
    from .errors import StdportalError
    from .importer import import_table
    from .problems import Severity, format_problem

    try:
        report = import_table(file, db_dir, sheet=sheet, dry_run=dry_run)
    except StdportalError as exc:
        _fail(str(exc))
    for note in report.notes:
        click.echo(f"注意：{note}")
    for row in report.rows:
        click.echo(row.line)
    click.echo(report.summary)
    if report.problems:
        click.echo("检查写入的文件时发现以下问题：")
        for problem in report.problems:
            click.echo(format_problem(problem))
    errors = sum(p.severity is Severity.ERROR for p in report.problems)
    if report.count("skip") or report.omitted or errors:
        cells = f"{report.omitted} 个单元格未导入、" if report.omitted else ""
        _fail(f"有 {report.count('skip')} 行被跳过、{cells}{errors} 个错误，请修改表格或文件后重新导入。")


@main.command()
@_DB
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("downloads"), show_default=True,
              help="输出文件夹")
@click.option("--as-of", help="按此日期（YYYY-MM-DD）计算标准状态；默认为 SOURCE_DATE_EPOCH 或今天")
def export(db_dir: Path, out_dir: Path, as_of: str | None) -> None:
    """导出全部标准为 standards.json 与 standards.csv（与网站“数据下载”页的文件相同）。"""
    from .asof import resolve_as_of
    from .errors import DataError, StdportalError
    from .export import write_exports
    from .pipeline import load_catalog
    from .problems import Severity, format_problem

    try:
        catalog, _ = load_catalog(db_dir, resolve_as_of(as_of))
    except DataError as exc:
        for problem in exc.problems:
            if problem.severity is not Severity.NOTICE:
                click.echo(format_problem(problem))
        errors = sum(p.severity is Severity.ERROR for p in exc.problems)
        _fail(f"标准数据有 {errors} 个错误，未导出。请先运行 stdportal check 并修改。")
    except StdportalError as exc:
        _fail(str(exc))
    for path in write_exports(catalog, out_dir):
        click.echo(f"已导出 {path}")
    click.echo(f"共 {len(catalog.standards)} 项标准，状态按 {catalog.as_of} 计算。")


@main.command()
@click.option("--out", "out_file", type=click.Path(path_type=Path), default=Path("schema/standard.schema.json"),
              show_default=True, help="输出文件")
def schema(out_file: Path) -> None:
    """由字段表生成标准记录的 JSON Schema（供 VS Code 等编辑器补全字段、提示错误）。"""
    from .schema import schema_text

    out_file.parent.mkdir(parents=True, exist_ok=True)
    with open(out_file, "w", encoding="utf-8", newline="\n") as out:
        out.write(schema_text())
    click.echo(f"已生成 {out_file}")


@main.command()
@click.argument("query", nargs=-1, required=True, metavar="查询词...")
@_DB
@click.option("--level", type=click.Choice(["national", "industry", "local"]), help="只看某一层级的标准")
@click.option("--status", type=click.Choice(["current", "upcoming", "replaced", "withdrawn", "unknown"]),
              help="只看某一状态：current 现行、upcoming 即将实施、replaced 被代替、withdrawn 废止、unknown 状态未收录")
@click.option("--domain", help="只看某一领域，写领域名称或网址代码，如 老有所养 或 elderly")
@click.option("--region", help="只看在某地区适用的标准：国家标准、行业标准，以及该地区、上级地区和下级地区的地方标准；"
                                 "写 6 位行政区划代码或名称，如 321100 或 镇江市")
@click.option("--local-only", is_flag=True, help="只看地方标准（与 --level local 相同）")
@click.option("--limit", "-n", type=click.IntRange(min=1), metavar="条数", default=10, show_default=True,
              help="最多列出几条")
@click.option("--as-of", help="按此日期（YYYY-MM-DD）计算标准状态；默认为 SOURCE_DATE_EPOCH 或今天")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果，便于程序处理")
def search(query: tuple[str, ...], db_dir: Path, level: str | None, status: str | None, domain: str | None,
           region: str | None, local_only: bool, limit: int, as_of: str | None, as_json: bool) -> None:
    """按标准号或名称中的词搜索标准，排序与网站搜索一致。

    \b
    示例：stdportal search 养老机构服务规范
          stdportal search GB/T 35796 --json
          stdportal search 殡葬服务 --region 镇江市 --local-only
    """
    import dataclasses
    import json

    from .asof import resolve_as_of
    from .errors import StdportalError
    from .search.local_index import search_database

    text = " ".join(query)
    try:
        outcome = search_database(db_dir, text, level=level, status=status, domain=domain, region=region,
                                  local_only=local_only, limit=limit, as_of=resolve_as_of(as_of))
    except StdportalError as exc:
        _fail(str(exc))
    sync = outcome.sync
    if sync.rebuilt:
        click.echo(f"已建立搜索索引（{sync.indexed} 个标准）。", err=True)
    elif sync.files:
        click.echo(f"已更新搜索索引：{len(sync.files)} 个标准文件有改动。", err=True)
    if sync.invalid:
        click.echo(f"另有 {sync.invalid} 个标准文件有错误，未收入搜索；运行 stdportal check 查看。", err=True)
    if not outcome.terms:
        _fail("请输入标准号或标准名称中的词，如 stdportal search 养老机构")
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(r) for r in outcome.results], ensure_ascii=False, indent=2))
        return
    if not outcome.results:
        filtered = any((level, status, domain, region, local_only))
        if outcome.simplified:
            click.echo(f"按简体字“{outcome.simplified.strip()}”查找。")
        click.echo(f"没有找到与“{text}”相关的标准。可以试试：")
        click.echo("  · 少写几个词，或换个说法（如“托育”代替“托儿所服务”）")
        click.echo("  · 标准号只写代号和顺序号，不带年份，如 GB/T 35796 或 35796")
        if filtered:
            click.echo("  · 去掉 --level、--status、--domain、--region 等筛选条件")
        click.echo("  · 在网站上按层级、领域或地区浏览")
        return
    shown = len(outcome.results)
    more = f"，显示前 {shown} 个（用 --limit 显示更多）" if outcome.total > shown else ""
    if outcome.region_named:
        click.echo(f"查询中有地区名称，只列出在{outcome.region_named}适用的标准（国家标准、行业标准和当地的地方标准）。")
    if outcome.widened:
        click.echo(f"同时按标准中的用语“{'”“'.join(outcome.widened)}”查找。")
    if outcome.simplified:
        click.echo(f"按简体字“{outcome.simplified.strip()}”查找。")
    if outcome.alone:
        click.echo(f"没有同时与“{'”“'.join(outcome.apart)}”相关的标准，下面列出的是与“{outcome.alone}”相关的标准。")
    if outcome.missing:
        click.echo(f"没有与“{'”“'.join(outcome.missing)}”相关的标准，下面列出的是按其余的词找到的标准。")
    click.echo(f"找到 {outcome.total} 个标准{more}：")
    for r in outcome.results:
        click.echo(f"{r.code}  {r.title}  [{r.status}] {r.level}")


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
