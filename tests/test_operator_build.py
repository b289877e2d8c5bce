"""`stdportal build` against operator mistakes and hostile conditions, each run as a maintainer runs it:
a site folder over the project, a build killed half-way, another day / time zone / locale, a broken mkdocs.yml.
"""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import REPO
from test_build import ENV, leftovers, make_project, stdportal, tree_hash

from generator.buildtime import epoch_of
from generator.sitedir import MARKER

AS_OF = "2026-01-01"
BUILD = [sys.executable, "-c", "from generator.cli import main; main()", "build", "--as-of", AS_OF]
NO_EPOCH = {k: v for k, v in ENV.items() if k != "SOURCE_DATE_EPOCH"}


def project_hash(root: Path) -> str:
    return tree_hash(root)


# --- the site folder may not be the project ----------------------------------------------------------------


@pytest.mark.parametrize("site", ["standards", "docs", ".", "..", "overrides", ".git", "docs/site",
                                  "standards/national", "mkdocs.yml"])
def test_build_refuses_a_site_folder_over_the_project(tmp_path: Path, site: str) -> None:
    project = make_project(tmp_path / "project")
    (project / ".git").mkdir()
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    outside = tmp_path / "neighbour.txt"
    outside.write_text("别人的文件", encoding="utf-8")
    before = project_hash(tmp_path)
    proc = stdportal("build", "--as-of", AS_OF, "--site-dir", site, cwd=project)
    assert proc.returncode == 1
    assert "不能把网站生成到" in proc.stderr and "请另选一个文件夹" in proc.stderr
    assert "保持原样" in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert project_hash(tmp_path) == before


def test_build_refuses_to_replace_a_folder_it_did_not_create(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    mine = project / "site"
    mine.mkdir()
    (mine / "report.docx").write_text("不是网站", encoding="utf-8")
    proc = stdportal("build", "--as-of", AS_OF, cwd=project)
    assert proc.returncode == 1
    assert "看起来不是 stdportal 生成的网站" in proc.stderr
    assert [p.name for p in mine.iterdir()] == ["report.docx"]
    (mine / "report.docx").unlink()
    assert stdportal("build", "--as-of", AS_OF, cwd=project).returncode == 0  # empty now: fine
    assert stdportal("build", "--as-of", AS_OF, cwd=project).returncode == 0  # ours now: fine


def test_mkdocs_build_is_guarded_too(tmp_path: Path) -> None:
    """The plugin checks MkDocs' site folder before MkDocs empties it."""
    project = make_project(tmp_path / "project")
    before = project_hash(project)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", "standards"], cwd=project,
                          env=ENV, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert proc.returncode != 0
    assert "就是标准数据库文件夹" in proc.stderr
    assert project_hash(project) == before


def test_mkdocs_build_into_a_folder_of_someone_elses_files_is_refused_and_its_own_site_is_marked(
        tmp_path: Path) -> None:
    """`mkdocs build -d` empties the folder it is given: the plugin refuses a folder stdportal did not make, as
    `stdportal build` does, and marks the site it made so that the next build may replace it."""
    project = make_project(tmp_path / "project")
    mine = tmp_path / "mine"
    (mine / "sub").mkdir(parents=True)
    (mine / "a.txt").write_text("keep", encoding="utf-8")
    (mine / "sub" / "b.txt").write_text("keep", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(mine)], cwd=project,
                          env=ENV, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert proc.returncode != 0
    assert "看起来不是 stdportal 生成的网站" in proc.stderr
    assert sorted(str(p.relative_to(mine)) for p in mine.rglob("*")) == ["a.txt", "sub", "sub/b.txt"]
    site = tmp_path / "built"
    for _ in range(2):  # the second build replaces the first one's site: it is marked as stdportal's
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=project,
                              env=ENV, capture_output=True, text=True, encoding="utf-8", timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert (site / MARKER).is_file()


@pytest.mark.parametrize("directory_urls", [True, False])
def test_a_site_built_before_the_marker_is_replaced_unless_someone_elses_files_are_in_it(
        tmp_path: Path, directory_urls: bool) -> None:
    """A site an earlier version built (with `mkdocs build`, which wrote no marker) is replaced, with what a
    host adds beside it (CNAME, .nojekyll, robots.txt); the same folder with a file of someone else's is not."""
    from generator.errors import ConfigError
    from generator.sitedir import check_replaceable

    project = make_project(tmp_path / "project")
    if not directory_urls:
        config = project / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8")
    built = tmp_path / "built"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(built)], cwd=project, env=ENV,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert proc.returncode == 0, proc.stderr
    (built / MARKER).unlink()  # as an earlier version left it
    for name, extra in (("plain", None), ("CNAME", "CNAME"), ("nojekyll", ".nojekyll"), ("robots", "robots.txt")):
        site = tmp_path / name
        shutil.copytree(built, site)
        if extra:
            (site / extra).write_text("x", encoding="utf-8")
        check_replaceable(site)
    for name, extra in (("notes", "notes.txt"), ("git", ".git/config"), ("photos", "photos/a.jpg"),
                        ("thesis", "论文.docx"),
                        # deep in a folder with a page: an intranet beside the site, with its files under it
                        ("intranet", "intranet/index.html intranet/files/工资.xlsx"),
                        ("hidden", "help/.env"), ("data", "standards/备份.docx")):
        site = tmp_path / name
        shutil.copytree(built, site)
        for each in extra.split():
            (site / each).parent.mkdir(parents=True, exist_ok=True)
            (site / each).write_text("x", encoding="utf-8")
        with pytest.raises(ConfigError, match="看起来不是 stdportal 生成的网站"):
            check_replaceable(site)


# --- a build killed at any point -----------------------------------------------------------------------------


def _kill_when(project: Path, ready: str) -> int:
    """Start a build, SIGKILL it once its staging folder has `ready` in it; the build's exit status."""
    proc = subprocess.Popen(BUILD, cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        staging = list(project.glob(".site-new-*"))
        if staging and (not ready or list(staging[0].glob(ready))):
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.002)
    return proc.wait(timeout=120)


def test_a_killed_build_leaves_the_site_as_it_was_and_the_next_build_cleans_up(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    assert subprocess.run(BUILD, cwd=project, env=ENV, capture_output=True, timeout=300).returncode == 0
    site = project / "site"
    before = tree_hash(site)
    killed = 0
    for ready in ("", "assets", "standards/*/*/index.html", "sitemap.xml*"):
        status = _kill_when(project, ready)
        assert tree_hash(site) == before, ready
        if status == -signal.SIGKILL:
            killed += 1
            assert leftovers(project), ready  # what a killed build leaves behind ...
    assert killed >= 2
    again = subprocess.run(BUILD, cwd=project, env=ENV, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert leftovers(project) == []  # ... the next build removes
    assert tree_hash(site) == before  # same data, same as-of: the same site


# --- the same commit and as-of date give the same bytes ---------------------------------------------------------

_LATER = """
import datetime, time
shift = 9 * 86400 + 13 * 3600 + 7 * 60
real_time = time.time
time.time = lambda: real_time() + shift
class FakeDateTime(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime.datetime.fromtimestamp(time.time(), tz)
    @classmethod
    def utcnow(cls):
        return datetime.datetime.fromtimestamp(time.time(), datetime.timezone.utc).replace(tzinfo=None)
class FakeDate(datetime.date):
    @classmethod
    def today(cls):
        return datetime.date.fromtimestamp(time.time())
datetime.datetime, datetime.date = FakeDateTime, FakeDate
from generator.cli import main
main()
"""


def _gb18030_locale(folder: Path) -> dict[str, str] | None:
    """Environment variables for a zh_CN.GB18030 locale compiled into folder; None where localedef cannot."""
    localedef = shutil.which("localedef")
    if not localedef:
        return None
    made = subprocess.run([localedef, "-i", "zh_CN", "-f", "GB18030", str(folder / "zh_CN.GB18030")],
                          capture_output=True, timeout=120)
    if made.returncode not in (0, 1) or not (folder / "zh_CN.GB18030").exists():
        return None
    return {"LOCPATH": str(folder), "LANG": "zh_CN.GB18030", "LC_ALL": "zh_CN.GB18030"}


def test_same_commit_and_as_of_give_the_same_bytes_on_any_day_zone_and_locale(tmp_path: Path) -> None:
    """The bundled database (file names with Han characters, git history) built four ways."""
    runs: dict[str, tuple[list[str], dict[str, str]]] = {
        "today": (BUILD, {**NO_EPOCH, "TZ": "UTC", "LC_ALL": "C.UTF-8"}),
        "nine days later, UTC+14": ([sys.executable, "-c", _LATER, *BUILD[3:]],
                                    {**NO_EPOCH, "TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8"}),
        "C locale, ASCII file names": (BUILD, {**NO_EPOCH, "TZ": "America/Los_Angeles", "LC_ALL": "C", "LANG": "C",
                                               "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}),
    }
    gb18030 = _gb18030_locale(tmp_path)
    if gb18030:
        runs["GB18030 locale"] = (BUILD, {**NO_EPOCH, **gb18030, "PYTHONUTF8": "0"})
    hashes = {}
    for name, (args, env) in runs.items():
        site = tmp_path / name.replace(" ", "-").replace(",", "")
        proc = subprocess.run([*args, "--site-dir", str(site)], cwd=REPO, env=env, capture_output=True, timeout=600)
        encoding = "gb18030" if "GB18030" in name else "utf-8"
        assert proc.returncode == 0, (name, proc.stderr.decode(encoding, errors="replace"))
        assert "网站已生成" in proc.stdout.decode(encoding), name  # messages in the terminal's own encoding
        hashes[name] = tree_hash(site)
        assert (site / "standards" / "industry" / "JGJ-39-2016-2019年版" / "index.html").is_file(), name
    assert len(set(hashes.values())) == 1, hashes
    site = tmp_path / "today"
    with gzip.open(site / "sitemap.xml.gz") as packed:
        assert packed.read() == (site / "sitemap.xml").read_bytes()
    assert _gzip_time(site / "sitemap.xml.gz") == epoch_of(dt.date.fromisoformat(AS_OF))


def _gzip_time(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[4:8], "little")


def test_mkdocs_under_a_non_utf8_locale_says_how_to_run_it(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    env = {**ENV, "LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0",
           "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)
    assert proc.returncode != 0
    assert "编码读取文件名" in proc.stderr and "PYTHONUTF8=1" in proc.stderr
    assert not (project / "site").exists()


# --- mkdocs.yml mistakes in Chinese ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("site_name: 基本公共服务标准信息库", "site_name: 2024"),
         "mkdocs.yml:3:1: site_name: 应填文字，这里填的是整数"),
        (("use_directory_urls: true", "use_directory_urls: 是"),
         "mkdocs.yml:10:1: use_directory_urls: 应填true 或 false，这里填的是文字"),
        (("docs_dir: docs", "docs_dir: docs\nsite_nmae: x"), "site_nmae: 没有 site_nmae 这项设置"),
        (("docs_dir: docs", "docs_dir: 文档"), "docs_dir: 文件夹"),
        (("  name: material", "  name: materail"), "theme: 没有名为 materail 的主题"),
        (("  - stdportal:", "  - stdportl:\n  - stdportal:"), "plugins: 没有安装 stdportl 插件"),
        (("      database: standards", "      database: [standards]"),
         "plugins.stdportal.database: 应填文字，这里填的是列表"),
        (("        mail: feedback@example.org", "        mail: feedback@example.org\n        regions: [320500]"),
         "mkdocs.yml: plugins.stdportal.feedback.regions 应按"),
        (("        mail: feedback@example.org", "        url: //evil.example/form"),
         "plugins.stdportal.feedback.url 以 // 开头会指向其他网站"),
        (("  - tables", "  - tabels"), "markdown_extensions: 无法加载 Markdown 扩展 tabels"),
        (("docs_dir: docs", "docs_dir: docs\n\tsite_dir: site"), "mkdocs.yml:9:1: 不能用 Tab 键缩进"),
        (("nav:", "nav: [首页: index.md"), "方括号 [ ] 没有配对"),
        (("site_name: 基本公共服务标准信息库", "site_name: 标准: 信息库"), "mkdocs.yml:3:14: 冒号的位置不对"),
    ],
)
def test_mkdocs_yml_mistakes_are_chinese_with_the_place(tmp_path: Path, change: tuple[str, str],
                                                        expected: str) -> None:
    project = make_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert change[0] in text
    config.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    proc = stdportal("build", "--as-of", AS_OF, "--strict", cwd=project)
    assert proc.returncode == 1
    assert expected in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "Config value" not in proc.stderr and "Aborted with" not in proc.stderr
    assert not (project / "site").exists() and leftovers(project) == []


def test_env_epoch_wins_over_the_as_of_date_and_is_left_alone(tmp_path: Path) -> None:
    """SOURCE_DATE_EPOCH given by the caller stays the build time; --as-of only sets it when it is missing."""
    project = make_project(tmp_path / "project")
    epoch = str(epoch_of(dt.date(2025, 6, 30)))
    proc = subprocess.run(BUILD, cwd=project, env={**NO_EPOCH, "SOURCE_DATE_EPOCH": epoch}, capture_output=True,
                          timeout=300)
    assert proc.returncode == 0
    assert _gzip_time(project / "site" / "sitemap.xml.gz") == int(epoch)
