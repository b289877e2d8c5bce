"""One-record rebuilds by two checkouts of stdportal, in alternation: which code rebuilds faster after an edit.

    python bench/edit_pairs.py <checkout A> <checkout B> --n 10000 --pairs 6 --work <work> --out <file.md>

Makes one synthetic project (bench/synth.py: a git repository with one import commit) and a copy of it for each
checkout, so that neither reads the other's caches. Each copy is built once in full and once after an edit with
its own checkout (the caches filled, and the spare site kept). Then each pair edits the same record's title in
both copies (a new mark each time, the edit not committed) and runs `stdportal build` on each, A first in odd
pairs and B first in even ones. The machine's speed drifts: the ratio is taken pair by pair, and the medians
are what to quote. Synthetic data stays in --work, never in the repository.

With --after-full, each pair measures the first edit after a full build instead: each side's site, spare site
and caches are removed, `stdportal build` runs in full (timed too), then the record is edited and built again.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from build_bench import AS_OF, STDPORTAL, edited, from_nothing, record_file, run_timed

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


def commit_of(checkout: Path) -> str:
    done = subprocess.run(["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True, check=False)
    dirty = subprocess.run(["git", "-C", str(checkout), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, check=False).stdout.strip()
    return (done.stdout.strip() or "?") + (" (with uncommitted changes)" if dirty else "")


def build(checkout: Path, project: Path, logs: Path, name: str, timeout: float) -> tuple[float, float]:
    """`stdportal build` of project by checkout's code: (wall s, peak MB)."""
    cmd = [*STDPORTAL, "build", "--site-dir", "site", "--as-of", AS_OF, "-f", "mkdocs.yml"]
    env_path = os.pathsep.join([str(checkout), *filter(None, [os.environ.get("PYTHONPATH")])])
    seconds, peak, status = run_timed(cmd, project, timeout, logs, name, env={"PYTHONPATH": env_path})
    if status != 0:
        raise SystemExit(f"{name}: the build failed (exit {status}); see {logs / (name + '.err')}")
    return seconds, peak


def edit(project: Path, mark: str) -> None:
    path = record_file(project)
    original = path.read_text(encoding="utf-8")
    text, _ = edited(original, mark)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path, help="checkout A (the code under test)")
    parser.add_argument("b", type=Path, help="checkout B (what it is compared with)")
    parser.add_argument("--n", type=int, default=10000, help="standards in the synthetic project")
    parser.add_argument("--pairs", type=int, default=6)
    parser.add_argument("--work", type=Path, required=True, help="a folder outside the repository")
    parser.add_argument("--out", type=Path, required=True, help="the Markdown report to write")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per build before giving up")
    parser.add_argument("--after-full", action="store_true",
                        help="measure the first edit after a full build (each pair builds in full first)")
    args = parser.parse_args()
    if os.environ.get("STDPORTAL_NO_CACHE"):
        raise SystemExit("STDPORTAL_NO_CACHE is set: every rebuild would be a full build; unset it")
    work = args.work.resolve()
    if work == REPO or REPO in work.parents:
        raise SystemExit("--work must be outside the repository")
    checkouts = {"A": args.a.resolve(), "B": args.b.resolve()}
    base = work / f"project-{args.n}"
    if not base.exists():
        subprocess.run([sys.executable, str(BENCH / "synth.py"), str(args.n), str(base)], check=True,
                       stdout=subprocess.DEVNULL)
    projects, logs = {}, work / "logs"
    for side in checkouts:
        projects[side] = work / f"copy-{side}"
        shutil.rmtree(projects[side], ignore_errors=True)
        shutil.copytree(base, projects[side], symlinks=True)
        if not args.after_full:
            build(checkouts[side], projects[side], logs, f"{side}-full", args.timeout)
            edit(projects[side], "（预热）")
            build(checkouts[side], projects[side], logs, f"{side}-warmup", args.timeout)
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    rows: list[tuple[int, float, float, float, float]] = []
    full: dict[str, list[float]] = {"A": [], "B": []}
    for pair in range(1, args.pairs + 1):
        order = ["A", "B"] if pair % 2 else ["B", "A"]
        got = {}
        for side in order:
            if args.after_full:
                from_nothing(projects[side], [".stdportal"])
                full[side].append(build(checkouts[side], projects[side], logs, f"{side}-full-{pair}",
                                        args.timeout)[0])
            edit(projects[side], f"（改{pair}）")
            got[side] = build(checkouts[side], projects[side], logs, f"{side}-{pair}", args.timeout)
        rows.append((pair, got["A"][0], got["B"][0], got["A"][1], got["B"][1]))
        print(f"pair {pair}: A {got['A'][0]:.1f} s, B {got['B'][0]:.1f} s", flush=True)
    median = statistics.median
    if args.after_full:
        what = ("Each pair, on each side: the site, the spare site and the caches removed, `stdportal build` in full, "
                "then the same record's title edited in each side's copy of the project and `stdportal build` "
                f"--as-of {AS_OF} again: **the first edit after a full build**. Full builds: median A "
                f"{median(full['A']):.1f} s, B {median(full['B']):.1f} s (ratio "
                f"{median(a / b for a, b in zip(full['A'], full['B'], strict=True)):.2f}).")
    else:
        what = ("Each pair: the same record's title edited in each side's copy of the project, then `stdportal "
                f"build` --as-of {AS_OF} (caches warm, spare site kept).")
    load = os.getloadavg()[0]
    lines = [
        "# One-record rebuilds, two checkouts in alternation",
        "",
        f"Run {started} (UTC), {args.n:,} synthetic standards, {os.cpu_count()} cores; load average "
        f"{load:.2f} at the end.",
        f"Command: `python bench/edit_pairs.py <A> <B> --n {args.n} --pairs {args.pairs}"
        f"{' --after-full' if args.after_full else ''} --work <work> --out …`",
        "",
        f"- A: {commit_of(checkouts['A'])}",
        f"- B: {commit_of(checkouts['B'])}",
        "",
        f"{what} Wall seconds of the whole command; peak = the largest "
        "resident memory of any one of its processes (wait4's ru_maxrss; the processes a build forks run beside "
        f"it, so this is not their sum). STDPORTAL_JOBS={os.environ.get('STDPORTAL_JOBS') or 'unset (all cores)'}.",
        "",
        "| pair | A s | B s | A / B | A peak MB | B peak MB |",
        "|---|---|---|---|---|---|",
        *(f"| {p} | {a:.1f} | {b:.1f} | {a / b:.2f} | {pa:.0f} | {pb:.0f} |" for p, a, b, pa, pb in rows),
        f"| **median** | **{median(r[1] for r in rows):.1f}** | **{median(r[2] for r in rows):.1f}** "
        f"| **{median(r[1] / r[2] for r in rows):.2f}** | {median(r[3] for r in rows):.0f} "
        f"| {median(r[4] for r in rows):.0f} |",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
