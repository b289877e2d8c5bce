"""`stdportal serve` as a maintainer uses it: the preview answers, a saved record shows on its page at once and
on the lists after the rebuild, a broken record keeps the last good preview and says why, and Ctrl+C stops it."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import FIXTURE_FILES, make_project

Popen = subprocess.Popen[str]

PAGE = "standards/national/GB-T-10001-2020/"
RECORD = "national/GB-T-10001-2020.yaml"
LIST = "levels/national/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in _get(url):
            return True
        time.sleep(0.3)
    return False


def test_serve_shows_a_saved_record_and_keeps_the_last_good_preview(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", FIXTURE_FILES)
    db = root / "standards"
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600"}
    with _preview(_command(port), root, env) as process:
        url = f"http://127.0.0.1:{port}/{PAGE}"
        try:
            assert _wait_for(url, "社区公共服务 通用要求", 120), "the preview did not come up"
            record = db / RECORD
            text = record.read_text(encoding="utf-8")
            record.write_text(text.replace("通用要求", "通用要求（修订稿）"), encoding="utf-8")
            assert _wait_for(url, "通用要求（修订稿）", 120), "the saved record did not reach its page"
            # The record's page comes first (generator.quickview); the lists follow with the rebuild.
            lists = f"http://127.0.0.1:{port}/{LIST}"
            assert _wait_for(lists, "通用要求（修订稿）", 120), "the rebuild did not reach the lists"
            record.write_text(record.read_text(encoding="utf-8") + "废止日期: 2020-13-45\n", encoding="utf-8")
            time.sleep(3)
            assert "通用要求（修订稿）" in _get(url)  # the last good preview stays
        finally:
            process.send_signal(signal.SIGINT)
            output = _end(process)
    assert "预览地址" in output and "已更新预览" in output, output
    assert "已先更新 GB/T 10001-2020 的页面" in output, output
    assert f"{RECORD}:16:7: 废止日期: 不是有效日期" in output.replace("standards/", ""), output
    assert "Traceback" not in output, output


_LAUNCH = ("import os, signal, sys\n"
           "for stop in ('SIGINT', 'SIGTERM', 'SIGHUP'):\n"
           "    ignored = stop in sys.argv[1].split(',')\n"
           "    signal.signal(getattr(signal, stop), signal.SIG_IGN if ignored else signal.SIG_DFL)\n"
           "os.execvp(sys.argv[2], sys.argv[2:])")
"""Runs a command with the stop signals as a terminal leaves them to it, but those named in its first argument,
ignored as `nohup` ignores SIGHUP: whoever runs these tests (a CI under nohup ignores SIGHUP, a background job
ignores SIGINT) must not decide whether the preview hears them. A process of its own, not Popen's preexec_fn, which
runs Python code in a child forked from this process and its threads (the browser tests leave some) before its exec."""


def _command(port: int) -> list[str]:
    return [sys.executable, "-c", "from generator.cli import main; main()", "serve", "-a", f"127.0.0.1:{port}"]


@contextlib.contextmanager
def _preview(command: list[str], root: Path, env: dict[str, str], ignored: str = "") -> Iterator[Popen]:
    """The preview in a session of its own, with no terminal to read from, so that nothing about the terminal
    running the tests reaches it; whatever is left of that session when the test is done is killed."""
    process = subprocess.Popen([sys.executable, "-c", _LAUNCH, ignored, *command], cwd=root, env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               encoding="utf-8", start_new_session=True)
    try:
        yield process
    finally:
        if process.returncode is None:
            _kill_session(process)


def _kill_session(process: Popen) -> str:
    """Kill the preview with all it started (a forked build holding the output pipe would make a wait for its end
    endless); what it printed."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    output, _ = process.communicate(timeout=30)
    return str(output)


def _end(process: Popen, seconds: float = 60) -> str:
    """What the preview printed once it ended within `seconds` of its stop; one that did not fails the test."""
    try:
        output, _ = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the preview did not end within {seconds} s of its stop:\n{_kill_session(process)}")
    return str(output)


def _serve(root: Path, port: int, temp: Path, ignored: str = "") -> contextlib.AbstractContextManager[Popen]:
    return _preview(_command(port), root, {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temp)}, ignored)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
@pytest.mark.parametrize("when", ["serving", "first build"])
def test_a_stopped_preview_leaves_no_site_behind(tmp_path: Path, stop: signal.Signals, when: str) -> None:
    """The preview's site is as large as the real one (hundreds of MB at 10,000 standards): stopped by Ctrl+C,
    by `kill` or by closing the terminal, during the first build or while serving, it takes it along."""
    root = make_project(tmp_path / "project", FIXTURE_FILES)
    temp = tmp_path / "tmp"
    temp.mkdir()
    port = _free_port()
    with _serve(root, port, temp) as process:
        if when == "serving":
            assert _wait_for(f"http://127.0.0.1:{port}/{PAGE}", "社区公共服务", 120), "the preview did not come up"
        else:
            deadline = time.monotonic() + 60  # stopped while the first build writes its pages
            while not list(temp.glob("stdportal-serve-*/.site-new-*/*")) and time.monotonic() < deadline:
                time.sleep(0.02)
            assert list(temp.glob("stdportal-serve-*/.site-new-*/*")), "the first build wrote nothing"
        process.send_signal(stop)
        output = _end(process)
    assert process.returncode == 0, output
    assert "Traceback" not in output, output
    if when == "first build":
        assert "预览已停止" in output and "预览地址" not in output, output
    assert not list(temp.iterdir()), f"left behind: {sorted(p.name for p in temp.iterdir())}"


_WORKER = """
import json, os, signal, time
from generator.preview import _stop_on_signals

before = signal.getsignal(signal.SIGTERM)
restore = _stop_on_signals()
read, write = os.pipe()
pid = os.fork()
if pid == 0:  # the worker: stopped as multiprocessing's Pool.terminate() stops it
    os.close(read)
    os.dup2(write, 2)
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
    finally:
        os._exit(3)
os.close(write)
_, status = os.waitpid(pid, 0)
with os.fdopen(read, encoding="utf-8", errors="replace") as stderr:
    said = stderr.read()
restore()
print(json.dumps({"killed by SIGTERM": os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGTERM,
                  "said": said, "handler restored": signal.getsignal(signal.SIGTERM) == before}))
"""


def test_a_worker_forked_by_the_build_ends_quietly_when_its_pool_stops_it() -> None:
    """The build's process pool stops its workers with SIGTERM: a worker forked while the preview's handler is in
    place must end as a worker does, not raise the preview's KeyboardInterrupt (a traceback on every build). It
    forks in a process of its own: this one has the browser tests' threads."""
    done = subprocess.run([sys.executable, "-c", _WORKER], capture_output=True, text=True, encoding="utf-8",
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"killed by SIGTERM": True, "said": "", "handler restored": True}, done.stderr


def test_a_preview_started_with_nohup_outlives_its_terminal(tmp_path: Path) -> None:
    """`nohup stdportal serve &` ignores SIGHUP: closing the terminal must not stop the preview then."""
    root = make_project(tmp_path / "project", FIXTURE_FILES)
    temp = tmp_path / "tmp"
    temp.mkdir()
    port = _free_port()
    with _serve(root, port, temp, ignored="SIGHUP") as process:  # as nohup starts it
        assert _wait_for(f"http://127.0.0.1:{port}/{PAGE}", "社区公共服务", 120), "the preview did not come up"
        process.send_signal(signal.SIGHUP)
        time.sleep(2)
        assert process.poll() is None and "社区公共服务" in _get(f"http://127.0.0.1:{port}/{PAGE}")
        process.send_signal(signal.SIGTERM)
        _end(process)
    assert not list(temp.iterdir())


def test_a_busy_address_is_said_plainly_and_leaves_nothing(tmp_path: Path) -> None:
    """A second preview on the same address: what is wrong and what to type instead, and no temporary site."""
    root = make_project(tmp_path / "project", FIXTURE_FILES)
    temp = tmp_path / "tmp"
    temp.mkdir()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with _serve(root, port, temp) as process:
            output = _end(process, 300)
    assert process.returncode == 1, output
    assert f"地址 127.0.0.1:{port} 已被占用" in output and "-a 127.0.0.1:8001" in output, output
    assert "Traceback" not in output and "Errno" not in output, output
    assert not list(temp.iterdir())
