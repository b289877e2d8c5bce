"""Build benchmark: `stdportal build`, a one-record rebuild, `stdportal serve` and `stdportal check` against a
plain MkDocs + Material build of the same pages.

    python bench/build_bench.py                          # N = 1,000 and 10,000, 3 runs each, interleaved
    python bench/build_bench.py --with-100k              # adds N = 100,000 (ours only, one run)
    python bench/build_bench.py --sizes 200 --runs 1     # a quick smoke run

For each size N, bench/synth.py writes a synthetic project in a temporary folder (never in the repository).
The anchor is that project's generated pages written out as Markdown files (front matter + HTML, from the
project's own pipeline, once per N) together with the hand-written docs/ pages, and built by plain
`mkdocs build` with Material and its `search` plugin: no stdportal code runs in the anchor build. Each run
measures, interleaved: ours (`stdportal build`, from an empty site folder), the anchor (`mkdocs build`), and at
the edit size (default 10,000): one record's title changed then `stdportal build` again on the same site folder
(warm), then changed once more and built again (the next edit), `stdportal check`, and `stdportal serve` (time
from saving the record to the page being served with the new title). Wall time and peak RSS (the child's own
maximum resident set size from wait4) of each process.
Medians and min–max of --runs runs; the report goes to bench/results/build-latest.md (and .json). See
bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

import synth  # noqa: E402

AS_OF = "2026-01-01"
SOURCE_DATE_EPOCH = str(int(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc).timestamp()))
EDIT_NUMBER = "GB/T 35796-2024"  # synth writes it at every N (a national record, so its page is known)
ADDED_NUMBER = "GB/T 49999-2024"  # never written by synth (its national serials stop at 46999)
TITLE_KEY = "中文标准名称"
GOALS = {  # measure → (limit, how it is printed)
    "build_ratio_10k": (1 / 3, "10k build ≤ 1/3 of the anchor"),
    "peak_10k_mb": (1024, "10k peak RSS ≤ 1 GB"),
    "build_100k_s": (600, "100k build ≤ 10 min"),
    "peak_100k_mb": (4096, "100k peak RSS ≤ 4 GB"),
    "warm_edit_s": (5, "warm one-record rebuild ≤ 5 s"),
    "serve_update_s": (5, "serve update ≤ 5 s"),
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def child_env() -> dict[str, str]:
    """The worktree's own generator first on the path (the package may be installed from elsewhere), a fixed
    date for `serve` (which has no --as-of), and MkDocs' 2.0 notice off. Compiled modules are kept, as Python
    does by default and an installed copy has them: an environment with PYTHONDONTWRITEBYTECODE set would make
    every measured process compile the code again."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [env.get("PYTHONPATH")])])
    env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


STDPORTAL = [sys.executable, "-c", "import sys; from generator.cli import main; sys.argv[0] = 'stdportal'; main()"]
MKDOCS = [sys.executable, "-m", "mkdocs"]


# --- running a process -----------------------------------------------------------------------------


@dataclass
class Measure:
    """One timed run of one thing."""

    n: int
    run: int
    what: str
    seconds: float | None = None
    peak_mb: float | None = None
    ok: bool = True
    error: str = ""
    extra: dict = field(default_factory=dict)


def run_timed(cmd: list[str], cwd: Path, timeout: float, log_dir: Path, name: str,
              env: dict[str, str] | None = None) -> tuple[float, float, int | None]:
    """Run cmd to its end: (wall seconds, peak RSS MB of the child, return code or None on timeout). The peak is
    the child's own ru_maxrss from wait4 (what /usr/bin/time -v reports), not the bench's. `env`: variables set
    over child_env()'s."""
    log_dir.mkdir(parents=True, exist_ok=True)
    with open(log_dir / f"{name}.out", "wb") as out, open(log_dir / f"{name}.err", "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env={**child_env(), **(env or {})},
                                start_new_session=True)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                seconds = time.perf_counter() - start
                proc.returncode = os.waitstatus_to_exitcode(status)
                return seconds, usage.ru_maxrss / 1024, proc.returncode
            if time.perf_counter() > deadline:
                _kill_group(proc.pid)
                _, _, usage = os.wait4(proc.pid, 0)
                proc.returncode = -9
                return time.perf_counter() - start, usage.ru_maxrss / 1024, None
            time.sleep(0.02)


def _kill_group(pid: int, sig: int = signal.SIGKILL) -> None:
    try:
        os.killpg(pid, sig)  # the child leads its own session (start_new_session), so this is only its group
    except ProcessLookupError:
        pass


def tail(path: Path, chars: int = 3000) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError:
        return ""


def measured(n: int, r: int, what: str, cmd: list[str], cwd: Path, timeout: float, log_dir: Path) -> Measure:
    name = f"{what}-run{r}"
    seconds, peak, code = run_timed(cmd, cwd, timeout, log_dir, name)
    m = Measure(n, r, what, seconds, peak)
    if code is None:
        m.ok, m.error = False, f"timed out after {timeout:.0f} s"
    elif code != 0:
        m.ok, m.error = False, f"exit {code}: " + tail(log_dir / f"{name}.err", 1500).strip()
    if not m.ok:
        log(f"  {what} FAILED ({m.error.splitlines()[0] if m.error else ''}); stderr tail:\n"
            + tail(log_dir / f"{name}.err") + tail(log_dir / f"{name}.out", 1000))
    else:
        log(f"  {what:12} {seconds:7.1f} s  peak {peak:7.0f} MB")
    return m


# --- the anchor ------------------------------------------------------------------------------------


def front_matter(meta: dict) -> str:
    """YAML front matter from a dict: one `key: <JSON>` line per key (JSON is YAML, and keeps Chinese as is)."""
    return "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items())


def write_anchor_docs(outputs, hand_written: Path, docs: Path) -> int:
    """The anchor's docs/: the hand-written pages and every generated file. A page (path ending in .md) whose
    Output has a non-empty `meta` is written as front matter + its content (the HTML body); one without (today's
    Output, whose content is already front matter + HTML) as it is; any other file (JSON, XML…) as it is.
    Returns the number of files written."""
    if docs.exists():
        shutil.rmtree(docs)
    shutil.copytree(hand_written, docs)
    count = 0
    for output in outputs:
        target = docs / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        meta = getattr(output, "meta", None)
        content = output.content
        if output.path.endswith(".md") and meta:
            content = f"---\n{front_matter(meta)}\n---\n\n{content}"
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        count += 1
    return count


def plugins_config(config: dict) -> dict:
    """The stdportal plugin's settings in a parsed mkdocs.yml."""
    for item in config.get("plugins") or []:
        if isinstance(item, dict) and "stdportal" in item:
            return item["stdportal"] or {}
        if item == "stdportal":
            return {}
    raise SystemExit("mkdocs.yml: no stdportal plugin")


def generate_pages(project: Path):
    """The generated pages of the project, from the project's own pipeline, made as the plugin's on_config makes
    its RenderOptions."""
    import yaml

    from generator.feedback import parse_feedback_config
    from generator.pipeline import run
    from generator.render import RenderOptions

    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    plugin = plugins_config(config)
    templates = (project / plugin["templates"],) if plugin.get("templates") else ()
    options = RenderOptions(parse_feedback_config(plugin.get("feedback") or {}), config.get("site_name", ""),
                            config.get("use_directory_urls", True), templates, site_url=config.get("site_url") or "")
    outputs, _ = run(project / plugin.get("database", "standards"), dt.date.fromisoformat(AS_OF), options)
    return outputs


def anchor_config(project: Path) -> Path:
    """mkdocs-anchor.yml: the project's mkdocs.yml (site name, theme, Markdown extensions, nav) with docs_dir the
    anchor's docs, `plugins: [search]` in place of the stdportal plugin, and Material's own header (a copy of
    overrides/ without partials/header.html, which puts our search form in Material's search box's place)."""
    overrides = project / "overrides-anchor"
    if overrides.exists():
        shutil.rmtree(overrides)
    shutil.copytree(project / "overrides", overrides)
    (overrides / "partials" / "header.html").unlink(missing_ok=True)
    lines = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    out, skipping, replaced = [], False, 0
    for line in lines:
        top = bool(line) and not line[0].isspace() and not line.startswith("#")
        if skipping and top:
            skipping = False
        if skipping:
            continue
        if line.startswith("plugins:"):
            out += ["plugins:", "  - search"]
            skipping, replaced = True, replaced + 1
            continue
        out.append(line)
    if replaced != 1:
        raise SystemExit("mkdocs.yml: expected one top-level plugins: block")
    text = "\n".join(out) + "\n"
    text, subs = re.subn(r"(?m)^docs_dir:.*$", "docs_dir: docs-anchor", text)
    if subs == 0:
        text = "docs_dir: docs-anchor\n" + text
    text, subs = re.subn(r"(?m)^(\s+custom_dir:\s*)overrides\s*$", r"\1overrides-anchor", text)
    if subs != 1:
        raise SystemExit("mkdocs.yml: expected `custom_dir: overrides` under theme:")
    path = project / "mkdocs-anchor.yml"
    path.write_text(text, encoding="utf-8")
    return path


def warm_jieba() -> None:
    """Material's search plugin segments Chinese with jieba when it is installed; jieba builds its dictionary
    cache on first use. Build it before the first timed anchor run so that every run loads it alike."""
    subprocess.run([sys.executable, "-c", "import jieba; jieba.initialize()"], env=child_env(),
                   capture_output=True, check=False)


# --- the edit, serve -------------------------------------------------------------------------------


def record_file(project: Path) -> Path:
    from generator.numbers import slug

    path = project / "db" / "national" / f"{slug(EDIT_NUMBER)}.yaml"
    if not path.is_file():
        raise SystemExit(f"{path}: the record the bench edits is missing")
    return path


def record_page(number: str = EDIT_NUMBER) -> str:
    from generator.numbers import slug

    return f"standards/national/{slug(number)}/"


def edited(original: str, mark: str) -> tuple[str, str]:
    """The record's text with its title changed (mark appended), and the new title."""
    match = re.search(rf'(?m)^{TITLE_KEY}: "(.*)"$', original)
    if not match:
        raise SystemExit(f"record: no `{TITLE_KEY}:` line in the form synth.py writes")
    title = match.group(1) + mark
    return original[:match.start(1)] + title + original[match.end(1):], title


def added_file(project: Path) -> Path:
    from generator.numbers import slug

    return project / "db" / "national" / f"{slug(ADDED_NUMBER)}.yaml"


def added(original: str) -> str:
    """The edited record's text as another standard's (ADDED_NUMBER): the record a maintainer adds."""
    line = f'标准号: "{EDIT_NUMBER}"'
    if line not in original:
        raise SystemExit(f"record: no `{line}` line in the form synth.py writes")
    return original.replace(line, f'标准号: "{ADDED_NUMBER}"', 1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, OSError, ValueError):
        return None


def measure_serve(n: int, r: int, project: Path, record: Path, timeout: float, log_dir: Path, poll: float) -> Measure:
    """Start `stdportal serve`; wait until the record's page is served (ready s); save the record with a new
    title and time from the write until the page served over HTTP carries it (update s)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/{record_page()}"
    m = Measure(n, r, "serve")
    original = record.read_text(encoding="utf-8")
    log_dir.mkdir(parents=True, exist_ok=True)
    name = f"serve-run{r}"
    with open(log_dir / f"{name}.out", "wb") as out, open(log_dir / f"{name}.err", "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([*STDPORTAL, "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{port}"], cwd=project,
                                stdout=out, stderr=err, env=child_env(), start_new_session=True)
        try:
            while (page := fetch(url)) is None or EDIT_NUMBER not in page:
                if exited(proc):
                    raise RuntimeError("serve exited before serving the page")
                if time.perf_counter() - start > timeout:
                    raise RuntimeError(f"page not served within {timeout:.0f} s")
                time.sleep(poll)
            m.extra["ready_s"] = time.perf_counter() - start
            text, title = edited(original, f"（改{r + 1}）")
            record.write_text(text, encoding="utf-8")
            written = time.perf_counter()
            while (page := fetch(url)) is None or title not in page:
                if exited(proc):
                    raise RuntimeError("serve exited before serving the update")
                if time.perf_counter() - written > timeout:
                    raise RuntimeError(f"update not served within {timeout:.0f} s")
                time.sleep(poll)
            m.seconds = time.perf_counter() - written
        except RuntimeError as exc:
            m.ok, m.error = False, f"{exc}: " + tail(log_dir / f"{name}.err", 1500).strip()
        finally:  # stop serve first: restoring the record while it runs would start another rebuild
            m.peak_mb = reap(proc, grace=20) / 1024
            record.write_text(original, encoding="utf-8")
    if m.ok:
        log(f"  serve        ready {m.extra['ready_s']:.1f} s, update served {m.seconds:.2f} s after the write, "
            f"peak {m.peak_mb:.0f} MB")
    else:
        log(f"  serve FAILED: {m.error[:200]}\n" + tail(log_dir / f"{name}.err"))
    return m


def exited(proc: subprocess.Popen) -> bool:
    """Whether proc has ended, without reaping it (reap() does, for its resource usage)."""
    return os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def reap(proc: subprocess.Popen, grace: float) -> int:
    """Stop proc (Ctrl+C to its group, then SIGKILL after grace seconds) and reap it: its peak RSS in KB."""
    _kill_group(proc.pid, signal.SIGINT)
    deadline = time.perf_counter() + grace
    while time.perf_counter() < deadline:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return usage.ru_maxrss
        time.sleep(0.05)
    _kill_group(proc.pid)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss


# --- one size --------------------------------------------------------------------------------------


def dir_size(path: Path) -> tuple[int, int]:
    files = [f for f in path.rglob("*") if f.is_file()]
    return len(files), sum(f.stat().st_size for f in files)


@dataclass
class SizeResult:
    n: int
    runs: int
    measures: list[Measure] = field(default_factory=list)
    site: dict[str, tuple[int, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def from_nothing(project: Path, caches: list[str]) -> None:
    """Remove what earlier builds left: the site, the spare and any stopped build's staging folders, and the
    caches named (paths in the project)."""
    for cache in caches:
        target = project / cache
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    for old in [project / "site", *project.glob(".site-*")]:
        if old.exists():
            shutil.rmtree(old)


def bench_size(n: int, runs: int, args, anchor: bool, edit: bool) -> SizeResult:
    res = SizeResult(n, runs)
    project = args.work / str(n)
    logs = project / "logs"
    log(f"N={n:,}: synthesising into {project}")
    synth.write_project(n, project)
    for old in ("site", "site-anchor", "logs"):
        if (project / old).exists():
            shutil.rmtree(project / old)
    if anchor:
        t0 = time.perf_counter()
        try:
            files = write_anchor_docs(generate_pages(project), project / "docs", project / "docs-anchor")
            config = anchor_config(project)
            res.notes.append(f"anchor docs: {files:,} generated files written in {time.perf_counter() - t0:.1f} s "
                             "(by the bench, once per N; not part of the anchor's time)")
            log(f"N={n:,}: anchor docs written ({files:,} generated files, {time.perf_counter() - t0:.1f} s)")
        except Exception as exc:  # noqa: BLE001  (a generator failure is a result, not a reason to stop)
            anchor = False
            res.notes.append(f"anchor not built: generating its pages failed: {exc!r}")
            log(f"N={n:,}: anchor pages failed: {exc!r}")
    record = record_file(project)
    original = record.read_text(encoding="utf-8")
    for r in range(runs):
        log(f"N={n:,}: run {r + 1}/{runs}")
        from_nothing(project, args.cache_path)
        ours = measured(n, r, "build", [*STDPORTAL, "build", "--site-dir", "site", "--as-of", AS_OF, "-f",
                                        "mkdocs.yml"], project, args.build_timeout, logs)
        res.measures.append(ours)
        if anchor:
            if (project / "site-anchor").exists():
                shutil.rmtree(project / "site-anchor")
            res.measures.append(measured(n, r, "anchor", [*MKDOCS, "build", "-q", "-f", str(config), "--site-dir",
                                                          "site-anchor"], project, args.build_timeout, logs))
        if not edit:
            continue
        new_record = added_file(project)
        try:
            # The first edit after the full build, then the next one (which starts from the site the first retired).
            for what, mark in (("warm-edit", f"（改{r + 1}）"), ("warm-edit-next", f"（再改{r + 1}）")):
                text, title = edited(original, mark)
                record.write_text(text, encoding="utf-8")
                warm = measured(n, r, what, [*STDPORTAL, "build", "--site-dir", "site", "--as-of", AS_OF, "-f",
                                             "mkdocs.yml"], project, args.build_timeout, logs)
                if warm.ok:
                    page = project / "site" / record_page() / "index.html"
                    shown = page.is_file() and title in page.read_text(encoding="utf-8")
                    warm.extra["page_updated"] = shown
                    if not shown:
                        warm.ok, warm.error = False, f"{page} does not show the new title"
                        log(f"  {what}: {warm.error}")
                if not ours.ok:
                    warm.extra["note"] = "the preceding full build failed: this rebuild started from no site"
                res.measures.append(warm)
            # A standard added, then removed again: the list of pages changes.
            new_page = project / "site" / record_page(ADDED_NUMBER) / "index.html"
            for what in ("warm-add", "warm-remove"):
                if what == "warm-add":
                    new_record.write_text(added(original), encoding="utf-8")
                else:
                    new_record.unlink()
                warm = measured(n, r, what, [*STDPORTAL, "build", "--site-dir", "site", "--as-of", AS_OF, "-f",
                                             "mkdocs.yml"], project, args.build_timeout, logs)
                if warm.ok and new_page.is_file() != (what == "warm-add"):
                    warm.ok, warm.error = False, f"{new_page}: {'missing' if what == 'warm-add' else 'still there'}"
                    log(f"  {what}: {warm.error}")
                res.measures.append(warm)
        finally:
            record.write_text(original, encoding="utf-8")
            new_record.unlink(missing_ok=True)
        res.measures.append(measured(n, r, "check", [*STDPORTAL, "check", "--db", "db"], project,
                                     args.build_timeout, logs))
        if not args.no_serve:
            res.measures.append(measure_serve(n, r, project, record, args.build_timeout, logs, args.poll))
    for name, folder in (("ours", "site"), ("anchor", "site-anchor")):
        if (project / folder).is_dir():
            res.site[name] = dir_size(project / folder)
    if record.read_text(encoding="utf-8") != original:
        raise SystemExit(f"{record}: not restored")
    return res


# --- report ----------------------------------------------------------------------------------------


def stats(res: SizeResult, what: str, attr: str = "seconds") -> tuple[float | None, float | None, float | None, str]:
    """(median, min, max, failures) of the runs that succeeded."""
    all_ = [m for m in res.measures if m.what == what]
    values = [getattr(m, attr) if attr in ("seconds", "peak_mb") else m.extra.get(attr) for m in all_ if m.ok]
    values = [v for v in values if v is not None]
    failed = len(all_) - sum(m.ok for m in all_)
    note = f"{failed}/{len(all_)} failed" if failed else ""
    if not values:
        return None, None, None, note
    return statistics.median(values), min(values), max(values), note


def fmt(value: float | None, digits: int = 1, unit: str = "") -> str:
    return "—" if value is None else f"{value:,.{digits}f}{unit}"


def spread(s: tuple, digits: int = 1) -> str:
    med, lo, hi, note = s
    if med is None:
        return note or "—"
    text = fmt(med, digits) + (f" ({fmt(lo, digits)}–{fmt(hi, digits)})" if lo != hi else "")
    return text + (f" [{note}]" if note else "")


def goal(key: str, value: float | None) -> str:
    limit, label = GOALS[key]
    if value is None:
        return f"{label}: not measured"
    return f"{label}: **{'met' if value <= limit else 'not met'}**"


def report(results: list[SizeResult], args, started: float, command: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for pkg in ("mkdocs", "mkdocs-material", "jieba"):
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            versions[pkg] = "not installed"
    segmenter = ("with jieba for Chinese" if versions["jieba"] != "not installed"
                 else "without jieba, which was not installed: a lighter anchor, so the ratios are on the safe side")
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    head = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%h %s"], capture_output=True,
                          text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "generator", "overrides"],
                           capture_output=True, text=True).stdout.strip()
    load = os.getloadavg()
    out = [
        "# Build benchmark: stdportal build, rebuild, serve and check vs plain MkDocs + Material",
        "",
        f"Run {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} · {os.cpu_count()} cores ({cpu}), "
        f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, shared machine (load "
        f"average at the end {load[0]:.1f} / {load[2]:.1f} over 1 / 15 min) · Python {platform.python_version()} · "
        + ", ".join(f"{k} {v}" for k, v in versions.items()),
        "",
        f"Code: commit {head}" + (" plus uncommitted changes in generator/ or overrides/" if dirty else "") + ".",
        "",
        f"`{command}` — {(time.time() - started) / 60:.0f} min. Synthetic projects from bench/synth.py in "
        f"<work>; `--as-of {AS_OF}` (and SOURCE_DATE_EPOCH for `serve`). Runs interleaved (each run: ours, "
        "anchor, then at the edit size the warm one-record rebuild, check and serve). Cells: median (min–max) of "
        "the runs that succeeded; peak = the process's maximum resident set size (wait4 ru_maxrss).",
        "",
        "**The anchor** is the same site built by plain MkDocs: the project's generated pages (from "
        "`generator.pipeline.run`, written once per N by the bench as Markdown files: front matter + HTML) and the "
        "hand-written docs/ pages, built by `mkdocs build` with Material, the same site name, theme, Markdown "
        f"extensions and nav, `plugins: [search]` (Material's search, {segmenter}) and Material's own "
        "header; no stdportal code runs in it. It is what rendering our pages costs MkDocs alone, so ours / anchor "
        "is the cost of everything stdportal does beyond that (loading, validating, history, rendering the pages, "
        "our search index, offline post-processing) minus Material's search index.",
        "",
        "## Goals",
        "",
    ]
    by_n = {res.n: res for res in results}
    r10, r100 = by_n.get(10000), by_n.get(100000)
    edit_res = next((res for res in results if any(m.what == "warm-edit" for m in res.measures)), None)
    ratio10 = None
    if r10:
        ours, anc = stats(r10, "build")[0], stats(r10, "anchor")[0]
        ratio10 = ours / anc if ours is not None and anc else None
    out += [
        f"- {goal('build_ratio_10k', ratio10)} (ours / anchor {fmt(ratio10, 2)})",
        f"- {goal('peak_10k_mb', r10 and stats(r10, 'build', 'peak_mb')[0])} "
        f"({fmt(r10 and stats(r10, 'build', 'peak_mb')[0], 0)} MB)",
        f"- {goal('build_100k_s', r100 and stats(r100, 'build')[0])} ({fmt(r100 and stats(r100, 'build')[0])} s)",
        f"- {goal('peak_100k_mb', r100 and stats(r100, 'build', 'peak_mb')[0])} "
        f"({fmt(r100 and stats(r100, 'build', 'peak_mb')[0], 0)} MB)",
        f"- {goal('warm_edit_s', edit_res and stats(edit_res, 'warm-edit')[0])} "
        f"({fmt(edit_res and stats(edit_res, 'warm-edit')[0], 2)} s at N={fmt(edit_res and edit_res.n, 0)})",
        f"- {goal('serve_update_s', edit_res and stats(edit_res, 'serve')[0])} "
        f"({fmt(edit_res and stats(edit_res, 'serve')[0], 2)} s at N={fmt(edit_res and edit_res.n, 0)})",
        "",
        "## Full build",
        "",
        "| N | runs | ours s | anchor s | ours / anchor | ours peak MB | anchor peak MB | ours s per 1,000 "
        "| anchor s per 1,000 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for res in results:
        ours, anc = stats(res, "build"), stats(res, "anchor")
        ratio = fmt(ours[0] / anc[0], 2) if ours[0] is not None and anc[0] else "—"
        per = [fmt(s[0] and s[0] / res.n * 1000, 2) for s in (ours, anc)]
        out.append(f"| {res.n:,} | {res.runs} | {spread(ours)} | {spread(anc) if anc[3] or anc[0] else 'not built'} "
                   f"| {ratio} | {spread(stats(res, 'build', 'peak_mb'), 0)} "
                   f"| {spread(stats(res, 'anchor', 'peak_mb'), 0)} | {per[0]} | {per[1]} |")
    out += ["", "## Site size", "", "| N | ours files | ours MB | anchor files | anchor MB |", "|---|---|---|---|---|"]
    for res in results:
        cells = []
        for name in ("ours", "anchor"):
            files, size = res.site.get(name, (None, None))
            cells += [fmt(files, 0), fmt(size and size / 2**20)]
        out.append(f"| {res.n:,} | " + " | ".join(cells) + " |")
    out += ["", "## One record changed, serve, check", "",
            f"The record {EDIT_NUMBER}'s title (`{TITLE_KEY}` in its YAML file) gets a mark appended, different in "
            "each run, and is restored afterwards. **warm rebuild**: `stdportal build` again on the site folder and "
            "project the full build of the same run just left (checked: the page shows the new title). **next "
            "edit**: another mark, `stdportal build` once more: what a maintainer editing one record after another "
            "waits for (this build starts from the site the previous one retired, `.site-spare`). **standard "
            f"added / removed**: a copy of the record under a number synth.py never writes ({ADDED_NUMBER}), then "
            "`stdportal build`; the copy deleted, then `stdportal build` (checked: its page is there, then gone). "
            "**serve "
            "update**: `stdportal serve` on 127.0.0.1, once the record's page is served (ready), the record is "
            f"saved and the page polled over HTTP every {args.poll:g} s; time from the write until it carries the new "
            "title. **check**: `stdportal check --db db`.", "",
            "| N | runs | warm rebuild s | next edit s | peak MB | standard added s | standard removed s "
            "| serve ready s | serve update s | serve peak MB | check s | check peak MB |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for res in results:
        if not any(m.what in ("warm-edit", "check", "serve") for m in res.measures):
            continue
        out.append(f"| {res.n:,} | {res.runs} | {spread(stats(res, 'warm-edit'), 2)} "
                   f"| {spread(stats(res, 'warm-edit-next'), 2)} | {spread(stats(res, 'warm-edit', 'peak_mb'), 0)} "
                   f"| {spread(stats(res, 'warm-add'), 2)} | {spread(stats(res, 'warm-remove'), 2)} "
                   f"| {spread(stats(res, 'serve', 'ready_s'))} "
                   f"| {spread(stats(res, 'serve'), 2)} | {spread(stats(res, 'serve', 'peak_mb'), 0)} "
                   f"| {spread(stats(res, 'check'), 2)} | {spread(stats(res, 'check', 'peak_mb'), 0)} |")
    failures = [m for res in results for m in res.measures if not m.ok]
    if failures:
        out += ["", "## Failures", ""]
        for m in failures:
            first = m.error.strip().splitlines()
            out.append(f"- N={m.n:,} run {m.run + 1} {m.what}: {first[0] if first else ''}"
                       + (f" … {first[-1]}" if len(first) > 1 else ""))
    notes = [f"N={res.n:,}: {note}" for res in results for note in res.notes]
    out += ["", "## Notes", "", *[f"- {note}" for note in notes],
            "- Ours is `stdportal build` (the CLI: builds into a fresh folder beside the site and swaps it in); the "
            "full build starts each run from no site folder" + (" and with " + ", ".join(args.cache_path)
                                                                 + " removed" if args.cache_path else "") + ".",
            "- The anchor's docs are written once per N and not timed; its build time is `mkdocs build` alone. "
            "The anchor does not run stdportal's offline pass (make_offline), which ours does.",
            "- The machine is shared (2 cores): expect 10–20 % between runs; the ratios are steadier.",
            "- Synthetic data (bench/synth.py); the edited record is a national one present at every N. Each "
            "project is a git repository with all its records in one commit (as after a county imports its list), "
            "so the builds read and show the history; the edit is not committed."]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--with-100k", action="store_true", help="also N=100000: ours only, --runs-100k runs")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--runs-100k", type=int, default=1)
    parser.add_argument("--anchor-100k", action="store_true", help="also build the anchor at 100,000 (long)")
    parser.add_argument("--edit-at", type=int, default=10000,
                        help="size for the one-record rebuild, serve and check (default 10000; if not among the "
                             "sizes, the largest size below it)")
    parser.add_argument("--no-serve", action="store_true", help="leave out the serve measure")
    parser.add_argument("--poll", type=float, default=0.1, help="seconds between HTTP polls of the served page")
    parser.add_argument("--cache-path", action="append", default=[],
                        help="a path in the project folder removed before each full build (a build cache), "
                             "repeatable")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "stdportal-build-bench")
    parser.add_argument("--build-timeout", type=float, default=1800, help="seconds per build before giving up")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "build-latest.md")
    parser.add_argument("--json", type=Path, default=None,
                        help="where to dump the raw measures (default: beside --out, .json)")
    args = parser.parse_args()
    # The work folder is this machine's: the report names it <work>.
    command = "python bench/build_bench.py " + shlex.join(sys.argv[1:]).replace(str(args.work), "<work>")
    if not args.out.resolve().is_relative_to(REPO):  # a report written outside the checkout: no path of this machine
        command = command.replace(str(args.out), "<out>")
    args.work = args.work.resolve()
    if args.work == REPO or REPO in args.work.parents:
        raise SystemExit("--work must be outside the repository")
    sizes = sorted(set(args.sizes) | ({100000} if args.with_100k else set()))
    below = [n for n in sizes if n <= args.edit_at]
    edit_n = args.edit_at if args.edit_at in sizes else (max(below) if below else None)
    json_path = args.json or args.out.with_suffix(".json")
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.time()
    warm_jieba()
    results: list[SizeResult] = []
    text = ""
    for n in sizes:
        big = n >= 100000
        anchor = not big or args.anchor_100k
        res = bench_size(n, args.runs_100k if big else args.runs, args, anchor, n == edit_n)
        results.append(res)
        text = report(results, args, started, command)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        json_path.write_text(json.dumps({
            "command": command, "as_of": AS_OF, "cores": os.cpu_count(),  # no path of this machine
            "sizes": [{"n": r.n, "runs": r.runs, "site": r.site, "notes": r.notes,
                       "measures": [asdict(m) for m in r.measures]} for r in results],
        }, ensure_ascii=False, indent=1), encoding="utf-8")
    print(text)
    log(f"written {args.out} and {json_path}")


if __name__ == "__main__":
    main()
