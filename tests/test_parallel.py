"""Work over several processes gives what the same work gives in one: the same values in the same order, the
same failure, the same site; and a background task left behind does not outlive its caller."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from support import AS_OF, FIXTURE_FILES, make_project

from generator.errors import ConfigError
from generator.parallel import in_background, map_slices
from generator.publish import build_site


@pytest.fixture
def two_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STDPORTAL_JOBS", "2")  # two workers whatever this machine's cores


def test_map_slices_gives_the_serial_result_in_order(two_jobs: None, monkeypatch: pytest.MonkeyPatch) -> None:
    parallel = map_slices(lambda part: [(i, i * i, os.getpid()) for i in part], 1000)
    monkeypatch.setenv("STDPORTAL_JOBS", "1")
    serial = map_slices(lambda part: [(i, i * i, os.getpid()) for i in part], 1000)
    assert [v[:2] for v in parallel] == [v[:2] for v in serial] == [(i, i * i) for i in range(1000)]
    assert {v[2] for v in serial} == {os.getpid()}
    assert len({v[2] for v in parallel}) == 2 and os.getpid() not in {v[2] for v in parallel}


def test_a_background_task_runs_in_another_process_and_its_whole_result_comes_back(two_jobs: None) -> None:
    big = os.urandom(3_000_000)  # far more than a pipe holds at once
    with in_background(lambda: (os.getpid(), big[::-1])) as result:
        pid, data = result()
    assert pid != os.getpid()
    assert data == big[::-1]


def test_without_forking_the_task_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STDPORTAL_JOBS", "1")
    with in_background(os.getpid) as result:
        assert result() == os.getpid()


def test_a_failure_in_the_background_is_raised_in_the_caller(two_jobs: None) -> None:
    def fails() -> None:
        raise ConfigError("mkdocs.yml: 地区代码不存在")

    with in_background(fails) as result, pytest.raises(ConfigError, match="地区代码不存在"):
        result()

    class Unpicklable(Exception):  # a local class cannot be pickled: its text travels instead
        pass

    def fails_oddly() -> None:
        raise Unpicklable("无法传回的错误")

    with in_background(fails_oddly) as result, pytest.raises(RuntimeError, match="Unpicklable: 无法传回的错误"):
        result()


def test_a_result_that_cannot_travel_is_a_failure_not_a_hang(two_jobs: None) -> None:
    with in_background(lambda: ["页面", lambda: None]) as result, pytest.raises(RuntimeError, match="without a result"):
        result()


def test_leaving_without_the_result_stops_the_background_task(two_jobs: None, tmp_path: Path) -> None:
    marker = tmp_path / "pid"

    def slow() -> None:
        marker.write_text(str(os.getpid()))
        time.sleep(120)

    with pytest.raises(KeyError), in_background(slow):
        deadline = time.monotonic() + 30
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        raise KeyError("the caller fails before it asks for the result")
    pid = int(marker.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # stopped and reaped: no such process any more


def test_a_site_built_over_two_processes_is_the_site_built_in_one(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "project", FIXTURE_FILES)
    sites = {}
    for jobs in ("1", "2"):
        monkeypatch.setenv("STDPORTAL_JOBS", jobs)
        monkeypatch.setenv("STDPORTAL_NO_CACHE", "1")
        site = tmp_path / f"site-{jobs}"
        build_site(project / "mkdocs.yml", site, as_of=AS_OF.isoformat())
        sites[jobs] = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    assert sites["1"].keys() == sites["2"].keys()
    assert any(name.startswith("downloads/") for name in sites["2"])  # made in the background process
    assert [name for name in sites["1"] if sites["1"][name] != sites["2"][name]] == []
