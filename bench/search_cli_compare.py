"""Compare `stdportal search` of two source trees on one synthetic database, interleaved (prints figures; not a test).

    python bench/search_cli_compare.py --before DIR [--after DIR] [--count 10000] [--rounds 7]

DIR is a checkout of stdportal (e.g. `git archive main | tar -x -C DIR`); --after defaults to this repository.
The database of bench/search_cli.py is written once into a temporary folder and copied for each tree (each keeps
its own index and record store beside its copy). After a first index build and a settled query per tree, each
round runs, for each tree in turn (the order alternating between rounds), one `stdportal search` process:

- no change: nothing changed since the last search;
- one record edited: a national record's title changed just before, picked up by this search.

Between rounds each tree runs one untimed search more than two seconds after its edit, as a user's next search
would be. Printed: the median and range of the wall-clock time of each, the CPU time of the child process, and the
machine's load average.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_cli import QUERIES, REPO, make_database  # noqa: E402

AS_OF = "2026-01-01"


def _run(tree: Path, db: Path, query: str) -> tuple[float, float, str]:
    """One `stdportal search` process of `tree`: wall seconds, CPU seconds, stderr."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(tree)}
    command = [sys.executable, "-c", "from generator.cli import main; main()", "search", query, "--db", str(db),
               "--as-of", AS_OF]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tree)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{tree}: search failed\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stderr


def _edit(db: Path, round_no: int) -> str:
    path = sorted((db / "national").glob("*.yaml"))[round_no]
    mark = f"基准测试改名{round_no}"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('中文标准名称: "', f'中文标准名称: "{mark} ', 1), encoding="utf-8")
    return mark


def _summary(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms ({min(values) * 1000:.0f}–{max(values) * 1000:.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, default=REPO)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    with tempfile.TemporaryDirectory(prefix="stdportal-cli-compare-") as temp:
        root = Path(temp)
        base = make_database(root / "base" / "standards", args.count)
        dbs = {name: root / name / "standards" for name in trees}
        for db in dbs.values():
            shutil.copytree(base, db)
        for name, tree in trees.items():
            wall, cpu, _ = _run(tree, dbs[name], QUERIES[0])
            print(f"{name}: first index build {wall:.1f} s (CPU {cpu:.1f} s)")
        time.sleep(2.5)
        for name, tree in trees.items():
            _run(tree, dbs[name], QUERIES[0])  # settled
        times: dict[tuple[str, str], list[float]] = {}
        cpus: dict[tuple[str, str], list[float]] = {}
        loads = []
        for r in range(args.rounds):
            order = list(trees) if r % 2 == 0 else list(reversed(trees))
            edited_at = {}
            for name in order:
                loads.append(os.getloadavg()[0])
                wall, cpu, err = _run(trees[name], dbs[name], QUERIES[r % len(QUERIES)])
                assert "已更新" not in err and "已建立" not in err, err
                times.setdefault((name, "no change"), []).append(wall)
                cpus.setdefault((name, "no change"), []).append(cpu)
                mark = _edit(dbs[name], r)
                edited_at[name] = time.time()
                wall, cpu, err = _run(trees[name], dbs[name], mark)
                assert "已更新搜索索引：1 个标准文件有改动。" in err, err
                times.setdefault((name, "one record edited"), []).append(wall)
                cpus.setdefault((name, "one record edited"), []).append(cpu)
            for name in order:  # the next search, later: it may look once more and settle the listing
                time.sleep(max(0.0, edited_at[name] + 2.5 - time.time()))
                _run(trees[name], dbs[name], QUERIES[0])
        print(f"{args.count} standards, {args.rounds} rounds, interleaved; load average (1 min) during the timed "
              f"runs: median {statistics.median(loads):.1f}, {min(loads):.1f}–{max(loads):.1f}; {os.cpu_count()} CPUs")
        for case in ("no change", "one record edited"):
            for name in trees:
                print(f"{case:18} {name:6}  wall {_summary(times[(name, case)])}  "
                      f"CPU {_summary(cpus[(name, case)])}")


if __name__ == "__main__":
    main()
