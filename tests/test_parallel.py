"""Work over several processes gives what the same work gives in one: the same values in the same order, the
same failure, the same site; and a background task left behind does not outlive its caller.

generator.parallel forks only in a process with no other thread (forking beside threads is not safe), and the
test process has threads once the browser and server tests have run. So each case runs in a new interpreter,
as the `stdportal` command does, with STDPORTAL_JOBS=2 (two workers whatever this machine's cores).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from test_build import ENV, make_project

from generator.parallel import in_background

ROOT = Path(__file__).resolve().parents[1]


def fresh(code: str, jobs: str = "2") -> Any:
    """Run `code` in a new interpreter and return the JSON value it prints last."""
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "STDPORTAL_JOBS": jobs}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def test_map_slices_gives_the_serial_result_in_order() -> None:
    # With two jobs, this process and one forked worker, each slice waits for a slice of the other process (a
    # barrier of two), so the test proves that both run at once; without it, one could take every slice of work
    # this small.
    code = """
        import json, multiprocessing, os
        from generator.parallel import map_slices
        barrier = multiprocessing.get_context("fork").Barrier(2, timeout=60)

        def task(part):
            if os.environ["STDPORTAL_JOBS"] == "2":
                barrier.wait()
            return [(i, i * i, os.getpid()) for i in part]

        values = map_slices(task, 1000)
        pids = sorted({v[2] for v in values})
        print(json.dumps({"values": [v[:2] for v in values], "pids": pids, "me": os.getpid()}))
    """
    parallel, serial = fresh(code), fresh(code, jobs="1")
    assert parallel["values"] == serial["values"] == [[i, i * i] for i in range(1000)]
    assert serial["pids"] == [serial["me"]]
    assert len(parallel["pids"]) == 2 and parallel["me"] in parallel["pids"]


def test_a_worker_leaves_ctrl_c_to_the_parent() -> None:
    """Ctrl+C reaches every process of the terminal's group. A worker that took it would print a traceback and
    die with its slices undone: the forked worker here gets a SIGINT of its own while working, and the work still
    ends whole and quiet. Each slice waits for a slice of the other process (a barrier of two, as above), so both
    surely take some: on a busy machine one process can otherwise take every slice before the other has
    started."""
    code = """
        import json, multiprocessing, os, signal
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal, whatever ran this test
        from generator.parallel import map_slices
        me = os.getpid()
        barrier = multiprocessing.get_context("fork").Barrier(2, timeout=30)

        def task(part):
            if os.getpid() != me:
                os.kill(os.getpid(), signal.SIGINT)
            barrier.wait()
            return [(i, os.getpid()) for i in part]

        values = map_slices(task, 1000)
        print(json.dumps({"values": [v[0] for v in values], "workers": len({v[1] for v in values} - {me})}))
    """
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "STDPORTAL_JOBS": "2"}, timeout=120)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    found = json.loads(proc.stdout.splitlines()[-1])
    assert found == {"values": list(range(1000)), "workers": 1}


def test_a_background_task_runs_in_another_process_and_its_whole_result_comes_back() -> None:
    got = fresh("""
        import hashlib, json, os
        from generator.parallel import in_background
        big = os.urandom(3_000_000)  # far more than a pipe holds at once
        with in_background(lambda: (os.getpid(), big[::-1])) as result:
            pid, data = result()
        print(json.dumps({"pid": pid, "me": os.getpid(), "same": data == big[::-1]}))
    """)
    assert got["pid"] != got["me"] and got["same"]


@pytest.mark.parametrize("jobs", ["2", "1"])
def test_memo_entries_a_background_task_used_or_made_are_kept(tmp_path: Path, jobs: str) -> None:
    """The task's memo is a copy in another process: what it read and what it added come back with its result,
    so that the saved memo holds them for the next build (an entry left out is made again every build)."""
    got = fresh(f"""
        import json, os
        from pathlib import Path
        from generator.memo import Memo
        from generator.parallel import in_background
        file = Path({str(tmp_path / "memo.pickle")!r})
        first = Memo(file, "salt")
        for name in ("read by the task", "read here", "not read"):
            first.put(first.key(name), name)
        first.save()
        memo = Memo(file, "salt")

        def task():
            memo.get(memo.key("read by the task"))
            memo.put(memo.key("made by the task"), os.getpid())
            return os.getpid()

        with in_background(memo.tracked(task)) as result:
            memo.get(memo.key("read here"))
            pid, entries = result()
        memo.adopt(entries)
        memo.save()
        kept = Memo(file, "salt")
        names = ["read by the task", "read here", "made by the task", "not read"]
        print(json.dumps({{"kept": [n for n in names if kept.has(kept.key(n))], "other": pid != os.getpid(),
                          "made": kept.get(kept.key("made by the task")) == pid}}))
    """, jobs=jobs)
    assert got["kept"] == ["read by the task", "read here", "made by the task"]
    assert got["made"]
    assert got["other"] == (jobs == "2")


def test_without_forking_the_task_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STDPORTAL_JOBS", "1")
    with in_background(os.getpid) as result:
        assert result() == os.getpid()


def test_a_failure_in_the_background_is_raised_in_the_caller() -> None:
    got = fresh("""
        import json, os
        from generator.errors import ConfigError
        from generator.parallel import in_background

        def fails():
            raise ConfigError("mkdocs.yml: 地区代码不存在")

        def fails_oddly():
            class Unpicklable(Exception):  # a class local to a function cannot be pickled: its text travels instead
                pass

            raise Unpicklable("无法传回的错误")

        told = []
        for task in (fails, fails_oddly, lambda: ["页面", lambda: None]):  # the last result cannot travel
            try:
                with in_background(task) as result:
                    result()
            except Exception as exc:
                told.append([type(exc).__name__, str(exc)])
        print(json.dumps(told, ensure_ascii=False))
    """)
    assert got[0] == ["ConfigError", "mkdocs.yml: 地区代码不存在"]
    assert got[1] == ["RuntimeError", "Unpicklable: 无法传回的错误"]
    assert got[2][0] == "RuntimeError" and "without a result" in got[2][1]


def test_leaving_without_the_result_stops_the_background_task(tmp_path: Path) -> None:
    got = fresh(f"""
        import json, os, time
        from pathlib import Path
        from generator.parallel import in_background
        marker = Path({str(tmp_path / "pid")!r})

        def slow():
            marker.write_text(str(os.getpid()))
            time.sleep(120)

        try:
            with in_background(slow):
                deadline = time.monotonic() + 30
                while not marker.exists() and time.monotonic() < deadline:
                    time.sleep(0.05)
                raise KeyError("the caller fails before it asks for the result")
        except KeyError:
            pass
        pid = int(marker.read_text())
        try:
            os.kill(pid, 0)
            alive = True
        except ProcessLookupError:  # stopped and reaped: no such process any more
            alive = False
        print(json.dumps({{"alive": alive}}))
    """)
    assert got == {"alive": False}


def test_a_site_built_over_two_processes_is_the_site_built_in_one(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    sites = {}
    for jobs in ("1", "2"):
        proc = subprocess.run([sys.executable, "-c", "from generator.cli import main; main()", "build", "--as-of",
                               "2026-01-01", "--site-dir", f"site-{jobs}"], cwd=project, capture_output=True, text=True,
                              env={**ENV, "STDPORTAL_JOBS": jobs, "STDPORTAL_NO_CACHE": "1"}, timeout=300)
        assert proc.returncode == 0, proc.stderr
        site = project / f"site-{jobs}"
        sites[jobs] = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    assert sites["1"].keys() == sites["2"].keys()
    assert any(name.startswith("downloads/") for name in sites["2"])  # made in the background process
    assert [name for name in sites["1"] if sites["1"][name] != sites["2"][name]] == []


def test_slices_are_not_forked_beside_a_background_task_that_keeps_the_other_core_busy() -> None:
    """With two cores and a background task at work, a worker for slices would only share the cores (and copy the
    pages it touches): the slices run here. Once the task has ended, even before its result is taken, both cores
    work again (the barrier of two proves it: one process alone would wait for it in vain); and slices begun
    beside the task go on on both cores as soon as it ends (100,000 standards: most of the build)."""
    got = fresh("""
        import json, multiprocessing, os, time
        from generator.parallel import in_background, map_slices
        barrier = multiprocessing.get_context("fork").Barrier(2, timeout=60)

        def pids(wait=False, slow=0):
            def task(part):
                if wait:
                    barrier.wait()
                time.sleep(slow)
                return [os.getpid() for _ in part]
            return sorted(set(map_slices(task, 1000)))

        with in_background(lambda: time.sleep(1) or os.getpid()) as other:
            beside = pids()
            time.sleep(1.5)
            ended = pids(wait=True)
            other_pid = other()
        with in_background(lambda: time.sleep(0.5)):
            late = pids(slow=0.4)  # eight slices: 3.2 s in one process
        print(json.dumps({"me": os.getpid(), "other": other_pid, "beside": beside, "ended": ended, "late": late}))
    """)
    assert got["other"] != got["me"]
    assert got["beside"] == [got["me"]]
    assert len(got["ended"]) == 2 and got["me"] in got["ended"]
    assert len(got["late"]) == 2 and got["me"] in got["late"]


def test_when_the_system_cannot_fork_the_work_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """No memory or process slot for one more copy (fork fails): the task runs in this process, and slices run
    here too, in order, instead of the build failing."""
    from generator import parallel

    def no_fork() -> int:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setenv("STDPORTAL_JOBS", "2")
    monkeypatch.setattr(os, "fork", no_fork)
    with in_background(os.getpid) as other:
        assert other() == os.getpid()
    assert parallel.map_slices(lambda part: [(i, os.getpid()) for i in part], 1000) == [
        (i, os.getpid()) for i in range(1000)]
    assert parallel._computing == []
