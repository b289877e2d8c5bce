"""Search benchmark: stdportal's sharded index against Material's built-in search and Pagefind.

    python bench/search_bench.py --sizes 1000 10000            # default; about 20 minutes on 2 cores
    python bench/search_bench.py --sizes 1000 10000 --with-100k

For each size N: bench/synth.py writes a synthetic project; we build (a) our site with `stdportal build`,
(b) the anchor, the same project with Material's `search` plugin enabled and Material's own header,
(c) Pagefind over our built site. Then headless Chromium, 4× CPU throttling, fresh browser context (empty
cache) per run, loads each engine's page with the query already in the address (`?q=`), and we record the
time from navigation start to the first result element, the bytes the server sent (gzip bodies) before it,
and the JS heap in use (page + its workers) right after it. Medians of --runs runs, one warm-up run discarded.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gzip
import json
import mimetypes
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

import synth  # noqa: E402

AS_OF = "2026-01-01"
QUERIES = ["养老院服务", "托育", "GB/T 35796", "残疾人 康复", synth.COUNTY_QUERY]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
THROTTLE = 4


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- serving ---------------------------------------------------------------------------------------


class Served:
    """A threaded static server on 127.0.0.1 that gzips bodies (as a production server would) and logs what it
    sent: (epoch ms at request start, path, bytes of body sent, bytes of the file)."""

    _COMPRESSIBLE = {".html", ".js", ".mjs", ".css", ".json", ".svg", ".xml", ".txt", ".wasm", ".map"}

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.log: list[tuple[float, str, int, int]] = []
        self.lock = threading.Lock()
        self._gz: dict[str, bytes] = {}
        served = self

        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                started = time.time() * 1000
                path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
                file = (served.root / path.lstrip("/")).resolve()
                if file.is_dir():
                    file = file / "index.html"
                if served.root not in file.parents or not file.is_file():
                    self.send_error(404)
                    return
                raw = file.read_bytes()
                body, encoding = raw, None
                if "gzip" in self.headers.get("Accept-Encoding", "") and file.suffix in served._COMPRESSIBLE \
                        and raw[:2] != b"\x1f\x8b":
                    body, encoding = served.gzipped(str(file), raw), "gzip"
                self.send_response(200)
                ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                if ctype.startswith("text/") or ctype in ("application/javascript", "application/json"):
                    ctype += "; charset=utf-8"
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                if encoding:
                    self.send_header("Content-Encoding", encoding)
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                self.wfile.write(body)
                with served.lock:
                    served.log.append((started, path, len(body), len(raw)))

        mimetypes.add_type("application/javascript", ".js")
        mimetypes.add_type("application/wasm", ".wasm")
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def gzipped(self, key: str, raw: bytes) -> bytes:
        if key not in self._gz:
            self._gz[key] = gzip.compress(raw, compresslevel=6, mtime=0)
        return self._gz[key]

    def take(self) -> list[tuple[float, str, int, int]]:
        with self.lock:
            out, self.log = self.log, []
        return out

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- engines ---------------------------------------------------------------------------------------


@dataclass
class Engine:
    name: str
    root: Path
    page: str
    """path of the page that takes ?q="""
    result: str
    """CSS selector of a result element"""
    empty: str
    """JS expression, true once the page says there is no result"""
    data: tuple[str, ...]
    """path prefixes that count as search data (index files) rather than page/theme assets"""
    submit: str
    """JS function of the query: enters it on the loaded page as a reader would, returns performance.now()"""


def engines_for(work: Path, material: bool, pagefind: bool) -> list[Engine]:
    out = [Engine("stdportal", work / "site", "search/", "#sp-results [data-search-result]",
                  "(document.getElementById('sp-summary')||{}).textContent?.startsWith('没有找到')",
                  ("/search-index/",),
                  "q => { window.__first = undefined; const i = document.getElementById('sp-q'); i.value = q; "
                  "const t = performance.now(); i.form.requestSubmit(); return t; }")]
    if material:
        out.append(Engine("material", work / "site-material", "about/", ".md-search-result__item",
                          "!!document.querySelector('.md-search-result__meta') && "
                          "/没有|No matching/.test(document.querySelector('.md-search-result__meta').textContent)",
                          ("/search/search_index.json",),
                          "q => { window.__first = undefined; const i = document.querySelector('.md-search__input'); "
                          "i.focus(); i.value = q; const t = performance.now(); "
                          "i.dispatchEvent(new KeyboardEvent('keyup', {key: 'Enter', bubbles: true})); return t; }"))
    if pagefind:
        out.append(Engine("pagefind", work / "site", "pagefind-bench.html", "#pf-results li",
                          "!!document.querySelector('#pf-results[data-empty]')",
                          ("/pagefind/index/", "/pagefind/fragment/", "/pagefind/pagefind.", "/pagefind/wasm."),
                          "q => { window.__first = undefined; const t = performance.now(); window.__pfRun(q); "
                          "return t; }"))
    return out


PAGEFIND_PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>Pagefind bench</title></head>
<body>
<ol id="pf-results"></ol>
<script type="module">
// Pagefind's JS API: search, then load the first result's data (title, url), and show it.
const pagefind = await import("./pagefind/pagefind.js");
const list = document.getElementById("pf-results");
async function run(q) {
  const found = await pagefind.search(q);
  if (!found.results.length) { list.dataset.empty = "1"; return; }
  const data = await found.results[0].data();
  const item = document.createElement("li");
  item.textContent = data.meta.title + " " + data.url;
  list.appendChild(item);
}
window.__pfRun = run;
const q = new URLSearchParams(location.search).get("q");
if (q) { run(q); }
</script>
</body></html>
"""

FIRST_RESULT_SCRIPT = """(() => {
  const sel = %s, empty = () => { try { return %s; } catch (e) { return false; } };
  const check = () => {
    if (window.__first !== undefined) { return; }
    if (document.querySelector(sel)) { window.__first = performance.now(); window.__firstKind = "result"; }
    else if (empty()) { window.__first = performance.now(); window.__firstKind = "empty"; }
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true, characterData: true,
                                                 attributes: true});
})();"""


WAIT_FIRST = ("new Promise(done => { const poll = () => window.__first !== undefined ? done(true) : "
              "setTimeout(poll, 50); poll(); })")


# --- one run in the browser ------------------------------------------------------------------------


@dataclass
class Run:
    ms: float | None  # navigation start → first result; None: no result
    kind: str
    search_bytes: int  # bytes of search data sent before the first result (gzip where compressible)
    all_bytes: int  # every byte sent from navigation to the first result
    heap_page: int
    heap_workers: int
    files: list[tuple[str, int]] = field(default_factory=list)
    worker_throttled: bool = False
    search_ms: float | None = None  # from the first search-data request (or the query, if later) to the result
    dcl_ms: float | None = None  # cold: navigation start → the page's DOMContentLoaded (its own load, any engine)


async def measure(browser, server: Served, engine: Engine, query: str, mode: str, timeout_s: float) -> Run:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = await context.new_page()
        await page.add_init_script(FIRST_RESULT_SCRIPT % (json.dumps(engine.result), engine.empty))
        cdp = await context.new_cdp_session(page)
        workers: dict[str, dict] = {}
        pending: dict[int, asyncio.Future] = {}
        ids = iter(range(1, 10**9))
        throttled: list[bool] = []

        async def to_worker(session: str, method: str, params: dict | None = None) -> dict:
            n = next(ids)
            pending[n] = asyncio.get_running_loop().create_future()
            await cdp.send("Target.sendMessageToTarget", {"sessionId": session, "message": json.dumps(
                {"id": n, "method": method, "params": params or {}})})
            return await asyncio.wait_for(pending[n], 10)

        async def throttle_worker(session: str) -> None:
            try:
                reply = await to_worker(session, "Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
                throttled.append("error" not in reply)
            except Exception:  # noqa: BLE001
                throttled.append(False)

        def attached(event: dict) -> None:
            workers[event["sessionId"]] = event["targetInfo"]
            asyncio.ensure_future(throttle_worker(event["sessionId"]))

        def received(event: dict) -> None:
            message = json.loads(event["message"])
            future = pending.pop(message.get("id"), None)
            if future and not future.done():
                future.set_result(message)

        cdp.on("Target.attachedToTarget", attached)
        cdp.on("Target.receivedMessageFromTarget", received)
        # Non-flat auto-attach: worker sessions are reached through Target.sendMessageToTarget.
        await cdp.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": False, "flatten": False})
        await cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
        server.take()
        start = 0.0
        if mode == "cold":
            await page.goto(server.base + engine.page + "?q=" + urllib.parse.quote(query), wait_until="commit")
        else:  # typed: the page has loaded and gone quiet, then the query is entered
            await page.goto(server.base + engine.page, wait_until="load")
            await page.wait_for_load_state("networkidle")
            await page.wait_for_timeout(300)
            start = await page.evaluate(engine.submit, query)
        try:
            # Polled by the page itself: Playwright's wait_for_function would first compile its own injected script
            # in the page (~120 ms of main thread at 4× throttling, while the page is loading).
            await asyncio.wait_for(page.evaluate(WAIT_FIRST), timeout_s)
        except Exception:  # noqa: BLE001
            return Run(None, "timeout", 0, 0, 0, 0)
        first, kind, origin = await page.evaluate("[window.__first, window.__firstKind, performance.timeOrigin]")
        heap_page = (await cdp.send("Runtime.getHeapUsage"))["usedSize"]
        heap_workers = 0
        for session in list(workers):
            try:
                reply = await to_worker(session, "Runtime.getHeapUsage")
                heap_workers += reply.get("result", {}).get("usedSize", 0)
            except Exception:  # noqa: BLE001
                pass
        prefixes = json.dumps(list(engine.data))
        data_start = await page.evaluate(f"""() => {{ const p = {prefixes}; const s = performance
            .getEntriesByType('resource').filter(e => p.some(x => new URL(e.name).pathname.startsWith(x)))
            .map(e => e.startTime); return s.length ? Math.min(...s) : null; }}""")
        dcl = None
        if mode == "cold":
            await page.wait_for_load_state("domcontentloaded")
            dcl = await page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
        cutoff = origin + first
        sent = [(path, body) for started, path, body, _ in server.take() if started <= cutoff]
        search = [(p, b) for p, b in sent if p.startswith(engine.data)]
        return Run(first - start if kind == "result" else None, kind, sum(b for _, b in search),
                   sum(b for _, b in sent),
                   heap_page, heap_workers, search, bool(throttled) and all(throttled),
                   None if data_start is None or kind != "result" else first - max(data_start, start), dcl)
    finally:
        await context.close()


async def browser_phase(engines: list[Engine], queries: list[str], modes: list[str], runs: int,
                        timeout_s: float, material_queries: int | None = None) -> dict:
    from playwright.async_api import async_playwright

    results: dict[tuple[str, str, str], list[Run]] = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for engine in engines:
                server = Served(engine.root)
                try:
                    if engine.name == "material":  # a warm-up page load costs ~40 s at 10k: compress ahead instead
                        index = server.root / "search" / "search_index.json"
                        server.gzipped(str(index), index.read_bytes())
                    else:
                        await measure(browser, server, engine, queries[0], "cold", timeout_s)  # warm-up: gzip, disk
                    for query in (queries[:material_queries] if engine.name == "material" else queries):
                        for mode in modes:
                            for _ in range(runs):
                                run = await measure(browser, server, engine, query, mode, timeout_s)
                                results.setdefault((engine.name, query, mode), []).append(run)
                            r = results[(engine.name, query, mode)]
                            log(f"  {engine.name:9} {mode:5} {query:12} " + " ".join(
                                f"{x.ms:.0f}ms" if x.ms is not None else x.kind for x in r))
                finally:
                    server.close()
        finally:
            await browser.close()
    return results


# --- builds ----------------------------------------------------------------------------------------


def timed(cmd: list[str], cwd: Path, timeout: float | None = None) -> float | None:
    """Wall seconds, or None when it ran past timeout."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=cwd, timeout=timeout, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return time.perf_counter() - start


def material_config(work: Path) -> Path:
    """The anchor: the same project with Material's search plugin first and Material's own header (ours
    replaces the search box with a form to our search page)."""
    overrides = work / "overrides-material"
    if overrides.exists():
        shutil.rmtree(overrides)
    shutil.copytree(work / "overrides", overrides)
    (overrides / "partials" / "header.html").unlink()
    text = (work / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("custom_dir: overrides", "custom_dir: overrides-material")
    text, n = re.subn(r"(?m)^plugins:\n", "plugins:\n  - search\n", text)
    assert n == 1
    path = work / "mkdocs-material.yml"
    path.write_text(text, encoding="utf-8")
    return path


def dir_size(path: Path, pattern: str = "*") -> tuple[int, int, int]:
    """(files, raw bytes, gzip bytes) of the files under path."""
    files = [f for f in path.rglob(pattern) if f.is_file()]
    raw = sum(f.stat().st_size for f in files)
    gz = 0
    for f in files:
        data = f.read_bytes()
        gz += len(data) if data[:2] == b"\x1f\x8b" else len(gzip.compress(data, 6, mtime=0))
    return len(files), raw, gz


def index_only(work: Path, donor: Path | None) -> tuple[float, float]:
    """Fallback when the full build is too slow: our search index from the catalogue, through the
    generator's own functions, plus the search page and assets of a smaller built site (the page's HTML
    does not depend on N except for filter options). Returns (catalogue seconds, index seconds)."""
    from generator.feedback import parse_feedback_config
    from generator.pipeline import load_catalog
    from generator.render.base import RenderOptions
    from generator.render.search_index import render_search_index

    site = work / "site"
    if site.exists():
        shutil.rmtree(site)
    t0 = time.perf_counter()
    catalog, _ = load_catalog(work / "db", dt.date.fromisoformat(AS_OF))
    t1 = time.perf_counter()
    outputs = render_search_index(catalog, RenderOptions(parse_feedback_config({"mail": "feedback@example.org"})))
    for output in outputs:
        if not output.path.startswith("search-index/"):
            continue  # the search page: the donor's, below
        target = site / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output.content, encoding="utf-8")
    t2 = time.perf_counter()
    if donor is None:
        raise SystemExit("index-only fallback needs a smaller size built first (for the search page's HTML)")
    for part in ("assets", "search"):
        shutil.copytree(donor / part, site / part)
    # The page carries the index manifest (for search.js in its head): this N's, not the donor's.
    page = site / "search" / "index.html"
    manifest = (site / "search-index" / "manifest.json").read_text(encoding="utf-8")
    html, count = re.subn(r"data-sp-index='[^']*'", lambda _: f"data-sp-index='{manifest}'",
                          page.read_text(encoding="utf-8"))
    if count != 1:
        raise SystemExit(f"{page}: expected one data-sp-index attribute, found {count}")
    page.write_text(html, encoding="utf-8")
    return t1 - t0, t2 - t1


def shard_stats(work: Path) -> dict:
    index = work / "site" / "search-index"
    manifest = json.loads((index / "manifest.json").read_text())
    shard_sizes = [f.stat().st_size for f in (index / "t").iterdir()]
    chunk_sizes = [f.stat().st_size for f in (index / "d").iterdir()]
    return {"shards": manifest["shards"], "chunk": manifest["chunk"], "shard_median": statistics.median(shard_sizes),
            "shard_max": max(shard_sizes), "chunks": len(chunk_sizes), "chunk_median": statistics.median(chunk_sizes),
            "attrs": (index / "attrs.json").stat().st_size}


@dataclass
class SizeResult:
    n: int
    mode: str = "full build"
    build: dict[str, float | None] = field(default_factory=dict)
    disk: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    runs: dict = field(default_factory=dict)
    shards: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def material_queries(n: int, args, res: SizeResult, engines: list[Engine]) -> int | None:
    """Material's cost does not depend on the query (it fetches and indexes everything) and one page load takes
    ~40 s at 10,000 standards: from --material-large-n on, it runs only the first --material-queries queries."""
    if n < args.material_large_n or args.material_queries >= len(args.queries) \
            or not any(e.name == "material" for e in engines):
        return None
    res.notes.append(f"Material at this size: only the first {args.material_queries} queries (each page load "
                     "downloads and indexes the whole search_index.json whatever the query).")
    return args.material_queries


def bench_size(n: int, args, donor: Path | None) -> SizeResult:
    res = SizeResult(n)
    work = args.work / str(n)
    stdportal = [shutil.which("stdportal") or "stdportal"]
    limit = args.build_timeout
    if args.reuse and (work / "site" / "search-index").is_dir():
        log(f"N={n}: --reuse: browser phase only, on the sites already in {work}")
        res.mode = "reused"
        res.notes.append("--reuse: sites from an earlier run; no build times.")
        res.disk["stdportal"] = dir_size(work / "site" / "search-index")
        res.shards = shard_stats(work)
        if (work / "site-material" / "search" / "search_index.json").is_file():
            res.disk["material"] = dir_size(work / "site-material" / "search", "search_index.json")
        if (work / "site" / "pagefind").is_dir():
            res.disk["pagefind"] = dir_size(work / "site" / "pagefind")
        engines = engines_for(work, "material" in res.disk and not args.no_material,
                              "pagefind" in res.disk and not args.no_pagefind)
        res.runs = asyncio.run(browser_phase(engines, args.queries, args.modes, args.runs, args.timeout,
                                           material_queries(n, args, res, engines)))
        return res
    log(f"N={n}: synthesising into {work}")
    synth.write_project(n, work)
    for old in ("site", "site-material"):
        if (work / old).exists():
            shutil.rmtree(work / old)
    log(f"N={n}: stdportal build (limit {limit:.0f}s)")
    seconds = timed([*stdportal, "build", "--site-dir", str(work / "site"), "--as-of", AS_OF, "-f", "mkdocs.yml"],
                    work, limit)
    material = pagefind = seconds is not None
    if seconds is None:
        res.mode = "index only"
        res.notes.append(f"full `stdportal build` passed {limit / 60:.0f} min and was stopped; our search index "
                         "was generated by generator.render.search_index from the catalogue and served with "
                         "the search page of the smaller site; Material and Pagefind were not built.")
        load_s, index_s = index_only(work, donor)
        res.notes.append(f"Index-only timings: catalogue load {load_s:.1f} s, render_search_index + write "
                         f"{index_s:.1f} s.")
        res.build["stdportal (catalogue load)"] = load_s
        res.build["stdportal (search index only)"] = index_s
        log(f"N={n}: build stopped at {limit:.0f}s; index-only: catalogue {load_s:.1f}s, index {index_s:.1f}s")
    else:
        res.build["stdportal"] = seconds
        log(f"N={n}: stdportal build {seconds:.1f}s")
    res.disk["stdportal"] = dir_size(work / "site" / "search-index")
    res.shards = shard_stats(work)
    if material and not args.no_material:
        log(f"N={n}: MkDocs + Material search build")
        seconds = timed([*stdportal, "build", "--site-dir", str(work / "site-material"), "--as-of", AS_OF,
                         "-f", str(material_config(work))], work, limit)
        if seconds is None:
            res.notes.append(f"Material build passed {limit / 60:.0f} min and was stopped.")
            material = False
        else:
            res.build["material"] = seconds
            index = work / "site-material" / "search" / "search_index.json"
            res.disk["material"] = dir_size(index.parent, index.name)
            log(f"N={n}: material build {seconds:.1f}s, search_index.json {index.stat().st_size / 1e6:.1f} MB")
    else:
        material = False
    if pagefind and not args.no_pagefind:
        log(f"N={n}: pagefind")
        seconds = timed([sys.executable, "-m", "pagefind", "--site", str(work / "site"), "--root-selector", "article"],
                        work, limit)
        (work / "site" / "pagefind-bench.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
        res.build["pagefind (after our build)"] = seconds
        res.disk["pagefind"] = dir_size(work / "site" / "pagefind")
        log(f"N={n}: pagefind {seconds:.1f}s")
    else:
        pagefind = False
    engines = engines_for(work, material, pagefind)
    log(f"N={n}: browser, {len(args.queries)} queries × {args.runs} runs × {len(engines)} engines, {THROTTLE}× CPU")
    res.runs = asyncio.run(browser_phase(engines, args.queries, args.modes, args.runs, args.timeout,
                                           material_queries(n, args, res, engines)))
    return res


# --- report ----------------------------------------------------------------------------------------


def med(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value: float | None, unit: str = "", digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}{unit}"


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "—"
    return f"{a / b:.3f}" if a / b < 0.1 else f"{a / b:.2f}"


ENGINES = ("stdportal", "material", "pagefind")


def agg(res: SizeResult, engine: str, mode: str, value) -> float | None:
    """Median over queries of the median over runs (runs that found a result)."""
    per_query = []
    for (e, _, m), runs in res.runs.items():
        if e == engine and m == mode:
            per_query.append(med([value(r) for r in runs if r.ms is not None]))
    return med(per_query)


def report(results: list[SizeResult], args, started: float) -> str:
    kb, mb = 1024, 1024 * 1024
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for pkg in ("mkdocs", "mkdocs-material", "pagefind-bin-extended", "jieba", "playwright"):
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            versions[pkg] = "not installed"
    head = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%h %s"], capture_output=True,
                          text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "generator", "overrides"],
                           capture_output=True, text=True).stdout.strip()
    out = [
        "# Search benchmark: stdportal vs Material search vs Pagefind",
        "",
        f"Run {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} · {os.cpu_count()} cores ({cpu}), "
        f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, shared machine (load "
        f"average at the end {os.getloadavg()[0]:.1f} / {os.getloadavg()[2]:.1f} over 1 / 15 min) · "
        f"Python {platform.python_version()} · {chromium} · " + ", ".join(f"{k} {v}" for k, v in versions.items()),
        "",
        f"Code: commit {head}" + (" plus uncommitted changes in generator/ or overrides/ (the working tree as it "
                                  "was during the run)" if dirty else "") + ".",
        "",
        f"`python bench/search_bench.py --sizes {' '.join(map(str, args.sizes))} --runs {args.runs}` — "
        f"{(time.time() - started) / 60:.0f} min. Headless Chromium, CPU throttled {THROTTLE}× "
        "(CDP Emulation.setCPUThrottlingRate on the page), fresh browser context (empty cache) per run; the "
        "server on 127.0.0.1 gzips bodies (level 6) so byte counts are real transfer sizes (Pagefind's own "
        f"files are gzip already and go as they are). Median over {args.runs} runs of each query (one warm-up run "
        "per engine discarded), then median over the queries.",
        "",
        "- **cold ms**: navigation start of the page with the query in its address (`?q=`: ours search/, "
        "Material's own deep link on about/, Pagefind a minimal page calling `pagefind.search(q)` and the first "
        "result's `data()`) → first result element in the DOM (MutationObserver, performance.now()).",
        "- **typed ms**: the page has loaded and the network is idle, then the query is entered (ours: submit "
        "the form; Material: type into its header box; Pagefind: call search) → first result.",
        "- **search KB**: gzip bytes of search data the server sent before the first result, cold (ours: "
        "search-index/*; Material: search_index.json; Pagefind: pagefind.js, wasm, meta, index, fragment files); "
        "**all KB**: every byte sent before it (page, theme CSS/JS, search code, data).",
        "- **heap MB**: CDP Runtime.getHeapUsage usedSize of the page plus its web workers right after the first "
        "result (cold), no forced GC.",
        "",
        "## Summary",
        "",
        "| N | engine | build s | index on disk: files, raw MB / gzip MB | cold ms | typed ms | search KB "
        "| all KB | heap MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    ratio_rows = []
    for res in results:
        summary = {}
        for engine in ENGINES:
            if not any(e == engine for e, _, _ in res.runs):
                continue
            row = (agg(res, engine, "cold", lambda r: r.ms), agg(res, engine, "typed", lambda r: r.ms),
                   agg(res, engine, "cold", lambda r: r.search_bytes), agg(res, engine, "cold", lambda r: r.all_bytes),
                   agg(res, engine, "cold", lambda r: r.heap_page + r.heap_workers))
            summary[engine] = row
            build = {"stdportal": res.build.get("stdportal", res.build.get("stdportal (search index only)")),
                     "material": res.build.get("material"),
                     "pagefind": res.build.get("pagefind (after our build)")}[engine]
            disk = res.disk.get(engine)
            disk_s = f"{disk[0]:,}, {disk[1] / mb:.1f} / {disk[2] / mb:.2f}" if disk else "—"
            label = engine + (" (index only, see notes)" if res.mode == "index only" and engine == "stdportal" else "")
            out.append(f"| {res.n:,} | {label} | {fmt(build, digits=1)} | {disk_s} | {fmt(row[0])} | {fmt(row[1])} | "
                       f"{fmt(row[2] and row[2] / kb, digits=1)} | {fmt(row[3] and row[3] / kb)} | "
                       f"{fmt(row[4] and row[4] / mb, digits=1)} |")
        ours = summary.get("stdportal")
        for anchor in ("material", "pagefind"):
            if ours and anchor in summary:
                a = summary[anchor]
                ratio_rows.append(f"| {res.n:,} | ours / {anchor} | "
                                  + " | ".join(ratio(x, y) for x, y in zip(ours, a, strict=True)) + " |")
    out += ["", "## Ratios ours / anchor (of the summary medians; < 1 means ours is smaller or faster)", "",
            "| N | ratio | cold ms | typed ms | search KB | all KB | heap |", "|---|---|---|---|---|---|---|",
            *ratio_rows]
    out += ["", "## Per query", "",
            "Each cell: cold ms / typed ms / search KB / heap MB (medians of the runs).", "",
            "| N | query | " + " | ".join(ENGINES) + " |", "|---|---|---|---|---|"]
    for res in results:
        for query in args.queries:
            cells = []
            for engine in ENGINES:
                parts, missing = [], []
                for mode in ("cold", "typed"):
                    runs = res.runs.get((engine, query, mode))
                    if runs is None:
                        continue
                    ok = [r for r in runs if r.ms is not None]
                    parts.append(fmt(med([r.ms for r in ok])) if ok else runs[0].kind)
                    if len(ok) < len(runs):
                        missing.append(f"{mode} {len(ok)}/{len(runs)} found")
                runs = [r for r in res.runs.get((engine, query, "cold"), []) if r.ms is not None]
                if runs:
                    parts.append(fmt(med([r.search_bytes for r in runs]) / kb, digits=1))
                    parts.append(fmt(med([r.heap_page + r.heap_workers for r in runs]) / mb, digits=1))
                cells.append(" / ".join(parts) + (f" ({', '.join(missing)})" if missing else "") if parts else "—")
            out.append(f"| {res.n:,} | {query} | " + " | ".join(cells) + " |")
    out += ["", "## Where the time goes (cold, medians over queries)", "",
            "page DCL ms = navigation start to the page's own DOMContentLoaded (HTML, theme CSS and JS; the same "
            "theme page for ours and Material's, a bare page for Pagefind): what any search on that page waits for "
            "or competes with. search ms = from the page's first request for search data to the first result "
            "(ours requests its data from the page's head, so it overlaps the page's loading).", "",
            "| N | engine | cold ms | page DCL ms | search ms |", "|---|---|---|---|---|"]
    for res in results:
        for engine in ENGINES:
            if any(e == engine for e, _, _ in res.runs):
                out.append(f"| {res.n:,} | {engine} | {fmt(agg(res, engine, 'cold', lambda r: r.ms))} | "
                           f"{fmt(agg(res, engine, 'cold', lambda r: r.dcl_ms))} | "
                           f"{fmt(agg(res, engine, 'cold', lambda r: r.search_ms))} |")
    out += ["", "## Our index layout and the files a query fetched (cold)", ""]
    for res in results:
        s = res.shards
        out.append(f"- N={res.n:,} ({res.mode}): {s['shards']} term shards (median {s['shard_median'] / kb:.1f} KB, "
                   f"max {s['shard_max'] / kb:.1f} KB raw), {s['chunks']} result chunks of {s['chunk']} (median "
                   f"{s['chunk_median'] / kb:.1f} KB raw), attrs.json {s['attrs'] / kb:.0f} KB raw (fetched only "
                   "with a filter).")
        for query in args.queries:
            runs = [r for r in res.runs.get(("stdportal", query, "cold"), []) if r.ms is not None]
            if runs:
                files = runs[0].files
                t_files = [b for p, b in files if p.startswith("/search-index/t/")]
                d_files = [b for p, b in files if p.startswith("/search-index/d/")]
                other = [p for p, _ in files if not p.startswith(("/search-index/t/", "/search-index/d/"))]
                out.append(f"  - {query}: {len(files)} files, {sum(b for _, b in files) / kb:.1f} KB gz — "
                           f"{len(t_files)} term shards {sum(t_files) / kb:.1f} KB, {len(d_files)} result chunks "
                           f"{sum(d_files) / kb:.1f} KB" + (", " + ", ".join(p.rsplit("/", 1)[-1] for p in other)
                                                            if other else ""))
        for note in res.notes:
            out.append(f"  - {note}")
    throttled = {}
    for res in results:
        for (engine, _, _), runs in res.runs.items():
            if engine != "stdportal":
                throttled.setdefault(engine, []).extend(r.worker_throttled for r in runs if r.ms is not None)
    out += ["", "## Caveats", "",
            "- Material builds and queries its lunr index in a web worker; Pagefind searches in a web worker. "
            "The heap column adds the workers' heaps. The 4× throttle was also sent to each worker target: "
            + (", ".join(f"{e}: {'accepted' if v and all(v) else 'refused, so the worker ran unthrottled'}"
                         for e, v in throttled.items()) or "no workers") + ".",
            "- Material fetches and indexes search_index.json on every page load whatever the query; cold ms "
            "includes that; typed ms starts once the network is idle, so it leaves out the download but includes "
            "what remains of building the index in the worker. Material "
            "segments Chinese with jieba at build time when jieba is installed (see the versions above).",
            "- The Pagefind page is a bare HTML page, ours and Material's are full Material-theme pages "
            "(≈ 114 KB JS bundle + CSS), so Pagefind's cold ms carries less page load; compare typed ms and "
            "search ms for the engines alone.",
            "- Synthetic data (bench/synth.py): titles from word lists, so terms repeat more than in real titles.",
            ]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--with-100k", action="store_true", help="also N=100000 (full build tried first)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--modes", nargs="+", default=["cold", "typed"], choices=["cold", "typed"],
                        help="cold: page load with ?q=; typed: query entered on the loaded, idle page")
    parser.add_argument("--queries", nargs="+", default=QUERIES)
    parser.add_argument("--work", type=Path, default=Path("/tmp/stdportal-search-bench"))
    parser.add_argument("--build-timeout", type=float, default=1200, help="seconds per build before giving up")
    parser.add_argument("--timeout", type=float, default=180, help="seconds to wait for a first result")
    parser.add_argument("--reuse", action="store_true", help="skip synthesis and builds where --work has the sites")
    parser.add_argument("--no-material", action="store_true")
    parser.add_argument("--material-large-n", type=int, default=10000,
                        help="from this N on, Material runs only --material-queries queries (to keep the run short)")
    parser.add_argument("--material-queries", type=int, default=2)
    parser.add_argument("--no-pagefind", action="store_true")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "latest.md")
    args = parser.parse_args()
    if args.with_100k and 100000 not in args.sizes:
        args.sizes.append(100000)
    args.sizes.sort()
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.time()
    results, donor = [], None
    for n in args.sizes:
        res = bench_size(n, args, donor)
        if res.mode in ("full build", "reused"):
            donor = args.work / str(n) / "site"
        results.append(res)
        text = report(results, args, started)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    print(text)
    log(f"written {args.out}")


if __name__ == "__main__":
    main()
