"""What the bundled theme and `stdportal build` give citizens and hosts beyond the pages themselves: the
government footer, a feedback channel that reaches someone, full addresses without JavaScript, and a build with
ProperDocs (the maintained continuation of MkDocs 1.6)."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from support import REPO
from test_build import AS_OF, make_project, run, stdportal

from generator.errors import ConfigError
from generator.feedback import example_channels, parse_feedback_config
from generator.footer import FOOTER_KEYS, site_footer

EXAMPLE = "        mail: feedback@example.org\n"
GITLAB = "https://gitlab.com/bzk/portal/-/issues/new?issue[title]={title}&issue[description]={url}"
FOOTER = """      footer:
        sponsor: 某某市市场监督管理局
        contact: "电话 0531-00000000 <bzk@example.gov.cn>"
        police: 鲁公网安备 37010202000000号<img src=x onerror=alert(1)>
        icp: 鲁ICP备00000000号-1
        site_code: "3701000000"
"""


def configure(project: Path, channel: str = "        url: \"" + GITLAB + "\"\n", extra: str = "",
              site_url: str = "") -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert EXAMPLE in text
    text = text.replace(EXAMPLE, channel + extra)
    if site_url:
        text = text.replace('# site_url: ""', f"site_url: {site_url}")
    config.write_text(text, encoding="utf-8")


def test_footer_lines_follow_the_settings() -> None:
    assert site_footer(None) == {"lines": []} and site_footer({}) == {"lines": []}
    lines = site_footer({"icp": "京ICP备1号", "sponsor": "某局", "site_code": 1100000000, "contact": ""})["lines"]
    assert [(line["label"], line["value"]) for line in lines] == [
        ("主办单位", "某局"), ("ICP备案号", "京ICP备1号"), ("政府网站标识码", "1100000000")]
    assert lines[1]["href"] == "https://beian.miit.gov.cn/"
    police = site_footer({"police": "京公网安备 11010502000001号"})["lines"][0]
    assert police["href"].endswith("code=11010502000001")
    assert list(FOOTER_KEYS.values()) == ["主办单位", "联系方式", "ICP备案号", "公安机关备案号", "政府网站标识码"]


@pytest.mark.parametrize(("raw", "expected"), [
    ({"icp_no": "x"}, "footer 中没有 icp_no 这项设置"),
    ({"sponsor": ["a", "b"]}, "footer.sponsor（主办单位）应写一行文字"),
    ({"contact": True}, "footer.contact（联系方式）应写一行文字"),
    ("某局", "footer 应按“项目: 内容”逐行填写"),
])
def test_footer_mistakes_are_named(raw: object, expected: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(expected)):
        site_footer(raw)


@pytest.mark.parametrize(("raw", "example"), [
    ({"mail": "feedback@example.org"}, True),
    ({"mail": "bzk@EXAMPLE.COM"}, True),
    ({"url": "https://forms.example.net/new?t={title}"}, True),
    ({"url": "https://issues.example/new"}, True),
    ({"mail": "bzk@samr.gov.cn"}, False),
    ({"url": GITLAB}, False),
    ({"mail": "bzk@notexample.org"}, False),
    ({"mail": "bzk@samr.gov.cn", "regions": {"320500": {"mail": "a@example.org"}}}, True),
])
def test_example_channels_are_found(raw: dict[str, object], example: bool) -> None:
    assert bool(example_channels(parse_feedback_config(raw))) is example


def test_build_warns_on_the_example_address_and_strict_fails(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    proc = stdportal("build", "--as-of", AS_OF.isoformat(), cwd=project)
    assert proc.returncode == 0, proc.stderr
    line = next(n for n, row in enumerate((project / "mkdocs.yml").read_text(encoding="utf-8").splitlines(), 1)
                if "feedback@example.org" in row)
    assert f"mkdocs.yml:{line}:15: 警告: 意见反馈渠道 feedback@example.org 是示例地址" in proc.stdout + proc.stderr
    strict = stdportal("build", "--as-of", AS_OF.isoformat(), "--strict", "--site-dir", str(tmp_path / "s"),
                       cwd=project)
    assert strict.returncode == 1 and "feedback@example.org 是示例地址" in strict.stdout + strict.stderr
    assert "1 个警告（--strict），网站未生成" in strict.stderr
    assert "Traceback" not in strict.stderr


def test_issue_tracker_channel_site_url_and_footer(tmp_path: Path) -> None:
    """A GitLab new-issue link (for readers without a mail app) carries the page's full address without
    JavaScript when site_url is set; the footer shows what is set; --strict passes."""
    project = make_project(tmp_path / "project")
    configure(project, extra=FOOTER, site_url="https://bzk.example.gov.cn/std/")
    proc = stdportal("build", "--as-of", AS_OF.isoformat(), "--strict", cwd=project)
    assert proc.returncode == 0, proc.stderr
    site = project / "site"
    pages = [p for p in (site / "standards").glob("*/*/index.html")]
    assert pages
    for page in [pages[0], site / "index.html", site / "help" / "index.html"]:
        html = page.read_text(encoding="utf-8")
        href = unescape(re.search(r'data-feedback\s+href="([^"]+)"', html).group(1))  # type: ignore[union-attr]
        parts = urlsplit(href)
        assert (parts.netloc, parts.path) == ("gitlab.com", "/bzk/portal/-/issues/new")
        query = parse_qs(parts.query)
        address = query["issue[description]"][0]
        relative = page.relative_to(site).parent.as_posix()
        assert address == "https://bzk.example.gov.cn/std/" + ("" if relative == "." else relative + "/")
        for label, value in [("主办单位", "某某市市场监督管理局"), ("ICP备案号", "鲁ICP备00000000号-1"),
                             ("政府网站标识码", "3701000000"), ("公安机关备案号", "鲁公网安备 37010202000000号"),
                             ("联系方式", "电话 0531-00000000 &lt;bzk@example.gov.cn&gt;")]:
            assert f"<li>{label}：" in html and value in html, label
        assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html  # a setting is text
    notfound = (site / "404.html").read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="/std/assets/' in notfound
    assert "<script>" not in notfound  # with site_url the 404 page needs no inline script


def test_no_footer_lines_when_unset(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    configure(project)
    proc = stdportal("build", "--as-of", AS_OF.isoformat(), "--strict", cwd=project)
    assert proc.returncode == 0, proc.stderr
    html = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "sp-footer__site" not in html and "ICP" not in html
    assert '<a href="maintainers/">维护指南</a>' in html  # maintainers' pages: from the footer


def test_no_inline_script_on_generated_pages(tmp_path: Path) -> None:
    """A Content-Security-Policy with script-src 'self' (docs/publishing.md) lets every page run."""
    project = make_project(tmp_path / "project")
    configure(project, site_url="https://bzk.example.gov.cn/std/")
    assert stdportal("build", "--as-of", AS_OF.isoformat(), cwd=project).returncode == 0
    for page in (project / "site").rglob("*.html"):
        scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", page.read_text("utf-8"))
        assert scripts == [], page


def test_the_bundled_site_builds_with_properdocs(tmp_path: Path) -> None:
    exe = shutil.which("properdocs")
    if exe is None:
        pytest.skip("properdocs is not installed (pip install -e '.[test]')")
    site = tmp_path / "site"  # the bundled mkdocs.yml, unchanged (ProperDocs also reads properdocs.yml)
    proc = run([exe, "build", "--strict", "-f", str(REPO / "mkdocs.yml"), "-d", str(site)], REPO)
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr
    pages = list((site / "standards").glob("*/*/index.html"))
    assert len(pages) == len([p for p in (REPO / "standards").glob("*/*.yaml") if p.parent.name != "vocabularies"])
    html = pages[0].read_text(encoding="utf-8")
    assert 'class="sp-status-words"' in html and "assets/stdportal/stdportal.js" in html
    assert unquote("%E6%84%8F%E8%A7%81%E5%8F%8D%E9%A6%88") in html  # 意见反馈
