"""Search quality over the bundled database: recall@5 and MRR of each engine on tests/relevance/queries.yaml.

    python -m tests.relevance.evaluate            # both engines, failing queries with their top 5
    python tests/relevance/evaluate.py --engine browser --all

Engines:
  browser  the site's search.js, run in Node (or, without Node, in headless Chromium at /usr/bin/chromium)
           over the search index that generator.render.search_index renders for the database
  cli      `stdportal search` (generator.search.local_index over generator.search.whoosh_engine), reported
           as not available when that module cannot be imported

recall@5 of a query = min(expected numbers in the top 5, min_hits) / min_hits; a query fails when it falls
short, or when its `first` standard is not ranked first. MRR uses the rank (top 20) of the first expected
standard. Both are averaged over all queries. best-first: the share of queries whose first result is a right
answer (their `first` standard when they name one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries.yaml"
RUNNER = HERE / "search_runner.js"
SEARCH_JS = ROOT / "overrides" / "assets" / "stdportal" / "search.js"
BUNDLED_DB = ROOT / "standards"
AS_OF = dt.date(2026, 1, 1)
"""The date statuses are computed for: the fixed date of the other tests (tests/support.py)."""
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TOP = 5
DEPTH = 20
"""How many results are fetched per query (MRR looks this deep)."""
MIN_RECALL = 0.9
MIN_MRR = 0.75



class Hit(NamedTuple):
    number: str
    title: str
    score: float


Search = Callable[[Sequence["Query"]], list[list[Hit]]]


@dataclass(frozen=True)
class Query:
    q: str
    expect: tuple[str, ...]
    min_hits: int
    first: str | None = None
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        extra = " ".join(f"{k}={v}" for k, v in sorted(self.filters.items()))
        return f"{self.q} [{extra}]" if extra else self.q


def load_queries(path: Path = QUERIES) -> list[Query]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    queries = []
    for item in data["queries"]:
        expect = tuple(item["expect"])
        filters = {k: str(v) for k, v in (item.get("filters") or {}).items()}
        queries.append(Query(q=str(item["q"]), expect=expect, min_hits=int(item.get("min_hits", min(len(expect), TOP))),
                             first=item.get("first"), filters=filters))
    return queries


# --- the browser engine ------------------------------------------------------------------------------------


def write_browser_index(site_dir: Path, db_dir: Path = BUNDLED_DB, as_of: dt.date = AS_OF) -> Path:
    """Render the site's search-index/ for db_dir into site_dir (the files the built site serves)."""
    from generator.feedback import Feedback, FeedbackConfig
    from generator.pipeline import load_catalog
    from generator.render.base import RenderOptions
    from generator.render.search_index import render_search_index

    catalog, _ = load_catalog(db_dir, as_of)
    for output in render_search_index(catalog, RenderOptions(FeedbackConfig(Feedback(mail="x@example.org")))):
        path = site_dir / output.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(output.content, encoding="utf-8")
    return site_dir


def js_runtime() -> str:
    """'node' when Node is on PATH, else 'chromium'."""
    return "node" if shutil.which("node") else "chromium"


class BrowserEngine:
    """search.js over a site folder holding search-index/; every call is one Node (or Chromium) run."""

    def __init__(self, site_dir: Path, runtime: str | None = None) -> None:
        self.site_dir = site_dir
        self.runtime = runtime or js_runtime()

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        request = {"base": str(self.site_dir) + "/", **request}
        if self.runtime == "node":
            cmd = [shutil.which("node") or "node", str(RUNNER), str(SEARCH_JS)]
        else:  # a separate process: no clash with a Playwright session the caller may have open
            cmd = [sys.executable, str(Path(__file__).resolve()), "--chromium-worker"]
        done = subprocess.run(cmd, input=json.dumps(request, ensure_ascii=False), capture_output=True, text=True,
                              encoding="utf-8", timeout=300, cwd=ROOT)
        if done.returncode != 0:
            raise RuntimeError(f"{self.runtime} search run failed:\n{done.stderr}")
        return json.loads(done.stdout)

    def search(self, queries: Sequence[Query]) -> list[list[Hit]]:
        answer = self.run({"search": [{"q": q.q, "filters": q.filters, "limit": DEPTH} for q in queries]})
        return [[Hit(hit["number"], hit["title"], hit["score"]) for hit in hits] for hits in answer["search"]]

    def search_one(self, text: str, filters: dict[str, str] | None = None) -> list[Hit]:
        return self.search([Query(text, (), 1, filters=filters or {})])[0]

    def query_terms(self, texts: Sequence[str]) -> list[list[str]]:
        return self.run({"terms": list(texts)})["terms"]

    def fnv1a(self, texts: Sequence[str]) -> list[int]:
        return self.run({"fnv1a": list(texts)})["fnv1a"]

    def highlight(self, pairs: Sequence[tuple[str, str]]) -> list[list[tuple[str, bool]]]:
        """For each (text, query): the pieces of text and whether the query marks them."""
        return [[(piece, matched) for piece, matched in parts]
                for parts in self.run({"highlight": [list(p) for p in pairs]})["highlight"]]


def _chromium_worker() -> None:
    """Answer one request from stdin with search.js in headless Chromium (when Node is missing)."""
    from playwright.sync_api import sync_playwright

    request = json.loads(sys.stdin.read())
    base = Path(request.pop("base"))
    files = {str(p.relative_to(base)).replace("\\", "/"): json.loads(p.read_text(encoding="utf-8"))
             for p in (base / "search-index").rglob("*.json")}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            page.set_content("<!doctype html><title>search</title>")
            page.add_script_tag(content=SEARCH_JS.read_text(encoding="utf-8"))
            page.add_script_tag(content=RUNNER.read_text(encoding="utf-8"))
            answer = page.evaluate("""([request, files]) => handle(window.StdportalSearch, (path) => {
                if (!(path in files)) { throw new Error("no such index file " + path); }
                return files[path];
            }, request)""", [{**request, "base": ""}, files])
        finally:
            browser.close()
    sys.stdout.write(json.dumps(answer, ensure_ascii=False))


# --- the command-line engine --------------------------------------------------------------------------------


def cli_engine(work_dir: Path, db_dir: Path = BUNDLED_DB, as_of: dt.date = AS_OF) -> tuple[Search | None, str]:
    """`stdportal search`'s engine with its index in work_dir, or None and why it is not available."""
    try:
        importlib.import_module("generator.search.whoosh_engine")
        from generator.search.local_index import search_database
    except ImportError as exc:
        return None, f"not available ({exc})"

    def search(queries: Sequence[Query]) -> list[list[Hit]]:
        out = []
        for q in queries:
            outcome = search_database(db_dir, q.q, limit=DEPTH, as_of=as_of, index_dir=work_dir / "cli-index",
                                      **q.filters)
            out.append([Hit(r.code, r.title, r.score) for r in outcome.results])
        return out

    return search, "generator.search.local_index.search_database (whoosh)"


# --- scoring ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    query: Query
    hits: list[Hit]

    @property
    def numbers(self) -> list[str]:
        return [hit.number for hit in self.hits]

    @property
    def found(self) -> int:
        return len(set(self.numbers[:TOP]) & set(self.query.expect))

    @property
    def recall(self) -> float:
        return min(self.found, self.query.min_hits) / self.query.min_hits

    @property
    def rank(self) -> int | None:
        """1-based rank of the first expected standard within the results fetched."""
        return next((i for i, n in enumerate(self.numbers, 1) if n in self.query.expect), None)

    @property
    def first_ok(self) -> bool:
        return self.query.first is None or self.numbers[:1] == [self.query.first]

    @property
    def best_first(self) -> bool:
        """The first result is a right answer (the `first` standard, when the query names one)."""
        if self.query.first is not None:
            return self.numbers[:1] == [self.query.first]
        return bool(self.numbers) and self.numbers[0] in self.query.expect

    @property
    def passed(self) -> bool:
        return self.found >= self.query.min_hits and self.first_ok

    def describe(self) -> str:
        why = []
        if self.found < self.query.min_hits:
            why.append(f"{self.found}/{self.query.min_hits} expected in top {TOP}")
        if not self.first_ok:
            why.append(f"first should be {self.query.first}")
        lines = [f"  {self.query.label!r}: {'; '.join(why)} (expected {', '.join(self.query.expect)})"]
        for i, hit in enumerate(self.hits[:TOP], 1):
            mark = "*" if hit.number in self.query.expect else " "
            lines.append(f"      {i}.{mark} {hit.number}  {hit.title}  ({hit.score:.3f})")
        if not self.hits:
            lines.append("      (no results)")
        return "\n".join(lines)


@dataclass(frozen=True)
class Report:
    engine: str
    outcomes: list[Outcome]

    @property
    def recall(self) -> float:
        return sum(o.recall for o in self.outcomes) / len(self.outcomes)

    @property
    def mrr(self) -> float:
        return sum(1 / o.rank if o.rank else 0.0 for o in self.outcomes) / len(self.outcomes)

    @property
    def best_first(self) -> float:
        return sum(1 for o in self.outcomes if o.best_first) / len(self.outcomes)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed]

    def summary(self) -> str:
        return (f"{self.engine}: recall@{TOP} {self.recall:.3f}  MRR {self.mrr:.3f}  best-first {self.best_first:.3f}  "
                f"({len(self.outcomes) - len(self.failures)}/{len(self.outcomes)} queries pass)")


def evaluate(engine: str, search: Search, queries: Sequence[Query]) -> Report:
    return Report(engine, [Outcome(q, hits) for q, hits in zip(queries, search(queries), strict=True)])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("all", "browser", "cli"), default="all")
    parser.add_argument("--db", type=Path, default=BUNDLED_DB, help="database folder (default: standards/)")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=AS_OF)
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--all", action="store_true", help="show the top 5 of every query, not just failures")
    parser.add_argument("--chromium-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.chromium_worker:
        _chromium_worker()
        return 0
    queries = load_queries(args.queries)
    print(f"{len(queries)} queries from {args.queries}, database {args.db}, as of {args.as_of}")
    reports = []
    with tempfile.TemporaryDirectory(prefix="stdportal-relevance-") as tmp:
        work = Path(tmp)
        if args.engine in ("all", "browser"):
            site = write_browser_index(work / "site", args.db, args.as_of)
            engine = BrowserEngine(site)
            reports.append(evaluate(f"browser (search.js in {engine.runtime})", engine.search, queries))
        if args.engine in ("all", "cli"):
            search, how = cli_engine(work, args.db, args.as_of)
            if search is None:
                print(f"cli: {how}")
            else:
                reports.append(evaluate(f"cli ({how})", search, queries))
    for report in reports:
        print()
        print(report.summary())
        shown = report.outcomes if args.all else report.failures
        if shown:
            print("all queries:" if args.all else "failing queries:")
            for outcome in shown:
                print(outcome.describe())
    return 0


if __name__ == "__main__":
    sys.exit(main())
