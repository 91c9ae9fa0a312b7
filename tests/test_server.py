"""`corpusprep server start|stop|status` and how `corpusprep run` picks its Prefect API."""

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows import cli, server

CLI = str(Path(sys.executable).parent / "corpusprep")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(home)
    return env


def _cli(home: Path, *args, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CLI, *args], env=_env(home), capture_output=True, text=True, timeout=timeout
    )


def test_server_start_run_uses_it_then_stop(raw_corpus, tmp_path):
    home, port = tmp_path / "prefect-home", _free_port()
    try:
        started = _cli(home, "server", "start", "--port", str(port))
        assert started.returncode == 0, started.stderr
        url = f"http://127.0.0.1:{port}"
        assert f"UI: {url}" in started.stdout
        state = json.loads((home / server.STATE_FILE).read_text())
        assert state["url"] == url and state["port"] == port
        # below the workers' CPU priority (the process is `nice`'s, exec'd into Python)
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, state["pid"]) == min(19, ours + server.NICENESS)

        again = _cli(home, "server", "start", "--port", str(port))
        assert again.returncode == 0 and "already running" in again.stdout

        status = _cli(home, "server", "status")
        assert status.returncode == 0 and url in status.stdout

        run = _cli(home, "run", str(raw_corpus), "--out", str(tmp_path / "out"), "--workers", "1")
        assert run.returncode == 0, run.stderr
        assert "tip:" not in run.stderr
        assert f"{url}/api" in run.stdout
    finally:
        stopped = _cli(home, "server", "stop")
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    assert not (home / server.STATE_FILE).exists()
    assert not server.healthy(f"http://127.0.0.1:{port}", timeout=0.5)
    status = _cli(home, "server", "status")
    assert status.returncode == 1 and "not running" in status.stdout


def test_status_and_stop_with_a_stale_state_file(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    home.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    state = {"pid": dead.pid, "url": "http://127.0.0.1:9", "port": 9}
    (home / server.STATE_FILE).write_text(json.dumps(state))
    monkeypatch.setenv("PREFECT_HOME", str(home))
    assert cli.main(["server", "status"]) == 1
    assert "not running" in capsys.readouterr().out
    assert cli.main(["server", "stop"]) == 0
    assert "no corpusprep Prefect server running" in capsys.readouterr().out
    assert not (home / server.STATE_FILE).exists()


def test_start_on_a_busy_port_is_one_line_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "home"))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert cli.main(["server", "start", "--port", str(port)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith("corpusprep: error: port") and "--port" in err[-1]
    assert not any("Traceback" in line for line in err)


@pytest.mark.parametrize("port", ["0", "70000"])
def test_start_rejects_a_bad_port(tmp_path, monkeypatch, capsys, port):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "home"))
    assert cli.main(["server", "start", "--port", port]) == 2
    assert "--port" in capsys.readouterr().err


def test_an_api_configured_in_this_process_is_used(tmp_path, monkeypatch, capsys):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    with temporary_settings(updates={PREFECT_API_URL: "http://notebook.invalid:4200/api"}):
        assert cli._choose_api() == "http://notebook.invalid:4200/api"
    assert capsys.readouterr().err == ""


def test_explicit_api_url_wins_and_no_tip(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.setenv("PREFECT_API_URL", "http://example.invalid:4200/api")
    assert cli._choose_api() == "http://example.invalid:4200/api"
    assert capsys.readouterr().err == ""


def test_profile_api_url_wins_and_no_tip(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_PROFILE", raising=False)
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    (tmp_path / "profiles.toml").write_text(
        'active = "team"\n[profiles.team]\nPREFECT_API_URL = "http://prefect.team:4200/api"\n'
    )
    assert cli._choose_api() == "http://prefect.team:4200/api"
    assert capsys.readouterr().err == ""
    assert "PREFECT_API_URL" not in os.environ


def test_no_server_to_use_is_none(tmp_path, monkeypatch, capsys):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):  # no test harness either
        assert cli._choose_api() is None
    assert "PREFECT_API_URL" not in os.environ


def test_a_run_keeps_its_server_for_the_next_run_until_it_is_idle(raw_corpus, tmp_path):
    home, out = tmp_path / "prefect-home", str(tmp_path / "out")
    idle = "0.1"  # minutes: the keeper checks every 1.5 s
    try:
        first = _cli(home, "run", str(raw_corpus), "--out", out, "--server-idle-minutes", idle)
        assert first.returncode == 0, first.stderr
        assert "started a Prefect server that stays up" in first.stderr
        state = server.read_state(home)
        assert server.running(home) == state and state["idle_timeout_s"] == 6.0
        assert _cli(home, "server", "status").returncode == 0
        second = _cli(home, "run", str(raw_corpus), "--out", out, "--server-idle-minutes", idle)
        assert second.returncode == 0, second.stderr
        assert "started a Prefect server" not in second.stderr
        assert state["url"] in second.stdout and server.read_state(home) == state  # the same one
        deadline = time.monotonic() + 90
        while server.healthy(state["url"], timeout=0.5) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not server.healthy(state["url"], timeout=0.5)  # it stopped itself, idle
        while server.read_state(home) is not None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert server.read_state(home) is None
        assert _cli(home, "server", "status").returncode == 1
    finally:
        server.stop(home)


def test_a_server_recorded_before_a_reboot_is_not_running(tmp_path, monkeypatch):
    monkeypatch.setattr(server, "_alive", lambda pid: True)  # a pid reused after the reboot
    monkeypatch.setattr(server, "healthy", lambda url, timeout=2.0: True)
    state = {"pid": 12345, "url": "http://127.0.0.1:4200", "port": 4200, "log": "x"}
    server._write_state(tmp_path, state | {"boot": server._boot_id()})
    assert server.running(tmp_path) is not None
    server._write_state(tmp_path, state | {"boot": "another boot"})
    assert server.running(tmp_path) is None


def test_without_keeping_a_server_the_run_starts_one_for_itself_and_stops_it(raw_corpus, tmp_path):
    home = tmp_path / "prefect-home"
    out = str(tmp_path / "out")
    run = _cli(home, "run", str(raw_corpus), "--out", out, "--workers", "1", "--no-keep-server")
    assert run.returncode == 0, run.stderr
    assert cli.SERVER_TIP in run.stderr
    assert "(for this run)" in run.stdout
    url = re.search(r"http://127\.0\.0\.1:\d+", run.stdout).group()  # the summary's Prefect API
    assert not server.healthy(url, timeout=0.5)  # stopped with the run
    assert not list(home.glob("corpusprep-run-*.log"))  # its log is kept only after a failure
    assert (tmp_path / "out" / "documents").is_dir()


_HOLD_A_RUN_SERVER = """
import sys, time
from pathlib import Path
from flows import server
with server.temporary(Path(sys.argv[1])) as run:
    run.wait(300)
    print(run.url, run.process.pid, flush=True)
    time.sleep(600)
"""


def test_the_run_server_is_niced_and_dies_with_its_run(tmp_path):
    env = _env(tmp_path / "prefect-home") | {"PYTHONPATH": str(Path(server.__file__).parents[1])}
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_A_RUN_SERVER, str(tmp_path / "prefect-home")],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url, pid = holder.stdout.readline().split()
        assert server.healthy(url)
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, int(pid)) == min(19, ours + server.NICENESS)
        holder.kill()  # SIGKILL: no finally runs in the run's process
        holder.wait()
        deadline = time.monotonic() + 30
        while server.healthy(url, timeout=0.5) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not server.healthy(url, timeout=0.5)
    finally:
        holder.kill()


def test_an_unusable_prefect_home_is_one_line_error(raw_corpus, tmp_path):
    home = tmp_path / "a-file"
    home.write_text("not a folder")
    run = _cli(home, "run", str(raw_corpus), "--out", str(tmp_path / "out"))
    assert run.returncode == 2
    assert "cannot start a Prefect server in PREFECT_HOME=" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_run_server_not_answering_in_time_is_an_error_and_is_stopped(tmp_path):
    with (
        server.temporary(tmp_path / "prefect-home") as run,
        pytest.raises(server.ServerError, match="did not answer within 0.2 s"),
    ):
        run.wait(0.2)
    assert run.process.poll() is not None  # stopped when the run's context closed
