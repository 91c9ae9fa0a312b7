"""A local Prefect server kept running in the background, so that runs skip Prefect's start-up.

Starting a server costs a run ~4 s and ~4.5 CPU-s on a small machine. `corpusprep run` without
a server starts one that stays up after the run (`start` with an idle timeout, default 30 min);
`corpusprep server start` starts one that stays until `server stop`. Either is a small keeper
process (`python -m flows.server keep`, its own session) that runs `prefect server start` with
the project's PREFECT_HOME and stops it once no run has used it for the idle timeout. Its URL
and process id are in `PREFECT_HOME/corpusprep-server.json`, with the machine's boot id, so a
state file left by a reboot is never taken for a running server. `--no-keep-server` gives a
run a temporary server of its own instead (`temporary`), stopped at its end.

This module must not import Prefect: the CLI uses it before Prefect's settings are loaded.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
DEFAULT_PORT = 4200
STATE_FILE = "corpusprep-server.json"
LOG_FILE = "corpusprep-server.log"
USED_FILE = "corpusprep-server.used"  # its modification time: when a run last finished
LEASES = "corpusprep-server.runs"  # one file per run using the server, named by its pid
KEEPER_POLL_S = 15.0
_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")
START_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 20.0
# The server runs at a lower CPU priority than the workers: its bookkeeping (task-run events,
# the UI's database) can lag a run by a second, while on a machine whose cores the workers fill,
# every CPU-second it takes at equal priority is a worker's. 2 workers on 2 cores, 5,000 text
# documents, two back-to-back pairs: +5.8% and +2.8% documents/s (docs/decisions.md).
NICENESS = 10


class ServerError(Exception):
    """Starting or stopping the server failed; the message is one line for the user."""


def state_path(home: Path) -> Path:
    return home / STATE_FILE


def read_state(home: Path) -> dict | None:
    try:
        state = json.loads(state_path(home).read_text())
        return state if isinstance(state, dict) and "pid" in state and "url" in state else None
    except (OSError, ValueError):
        return None


def _write_state(home: Path, state: dict) -> None:
    tmp = home / f".{STATE_FILE}.tmp"
    tmp.write_text(json.dumps(state, indent=2))
    os.replace(tmp, state_path(home))


def _clear_state(home: Path) -> None:
    state_path(home).unlink(missing_ok=True)


def healthy(url: str, timeout: float = 2.0) -> bool:
    """Whether a Prefect API answers at `url` (the server's base URL, without /api)."""
    try:
        with urllib.request.urlopen(f"{url}/api/health", timeout=timeout) as resp:
            return resp.status == 200
    except (OSError, ValueError, urllib.error.URLError):
        return False


def _reap(pid: int) -> None:
    """Collect the exit status if `pid` is our own child (a test that started it in-process)."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def _alive(pid: int) -> bool:
    """Whether `pid` runs and looks like a Prefect server (a recycled pid does not count)."""
    _reap(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False  # not ours to manage
    proc = Path(f"/proc/{pid}")
    if not proc.is_dir():
        return True  # no /proc (macOS): trust the recorded pid
    try:
        if (proc / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return False
        cmdline = (proc / "cmdline").read_bytes()
        return b"prefect" in cmdline or b"flows.server" in cmdline
    except (OSError, IndexError):
        return False


def running(home: Path) -> dict | None:
    """The recorded server's state when its process runs and its API answers, else None."""
    state = read_state(home)
    if state is None or state.get("boot") != _boot_id() or not _alive(int(state["pid"])):
        return None
    return state if healthy(state["url"]) else None


def _boot_id() -> str | None:
    """This boot of the machine (Linux); a server recorded under another boot is gone."""
    try:
        return _BOOT_ID.read_text().strip()
    except OSError:
        return None


def api_url_from_profile(home: Path) -> str | None:
    """PREFECT_API_URL set in the active profile of PREFECT_HOME/profiles.toml, if any."""
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml")
    try:
        profiles = tomllib.loads(path.read_text())
    except (OSError, ValueError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active", "ephemeral")
    settings = profiles.get("profiles", {}).get(active, {})
    url = settings.get("PREFECT_API_URL") if isinstance(settings, dict) else None
    return url or None


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def _last_line(path: Path) -> str:
    try:
        lines = [ln.strip() for ln in path.read_text(errors="replace").splitlines() if ln.strip()]
    except OSError:
        return ""
    return lines[-1][:200] if lines else ""


def _env(home: Path) -> dict:
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)  # the server serves its own API
    env["PREFECT_HOME"] = str(home)
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("DO_NOT_TRACK", "1")
    return env


def _niced(command: list[str]) -> list[str]:
    return ["nice", "-n", str(NICENESS), *command] if shutil.which("nice") else command


def _launch(
    home: Path,
    port: int,
    log_path: Path,
    *options: str,
    append: bool = False,
    nice: bool = True,
    **popen,
) -> subprocess.Popen:
    """`prefect server start` on `port` with `options`, niced, in `home`, its output written
    to `log_path` (or appended with `append`); `popen` ties it to this process or not."""
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", HOST]
    command += ["--port", str(port), *options]
    return _spawn(_niced(command) if nice else command, home, log_path, append, **popen)


def _spawn(
    command: list[str],
    home: Path,
    log_path: Path,
    append: bool,
    extra_env: dict[str, str] | None = None,
    **popen,
) -> subprocess.Popen:
    """`command` in `home` with the server's environment (plus `extra_env`), its output
    written to `log_path` (or appended with `append`)."""
    with open(log_path, "ab" if append else "wb") as log:
        return subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=_env(home) | (extra_env or {}),
            cwd=home,
            **popen,
        )


def _await_answer(
    name: str, url: str, proc: subprocess.Popen | None, log_path: Path, timeout: float
) -> None:
    """Wait until the server started as `proc` (None: by another process) answers at `url`;
    ServerError if it exits first (with the last line of its log) or does not answer within
    `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not healthy(url, timeout=1.0):
        if proc is not None and proc.poll() is not None:
            detail = _last_line(log_path) or "no output"
            raise ServerError(f"{name} exited on start ({detail}); see {log_path}")
        if time.monotonic() > deadline:
            raise ServerError(f"{name} did not answer within {timeout:g} s")
        time.sleep(0.1)


def start(
    home: Path,
    port: int = DEFAULT_PORT,
    timeout: float = START_TIMEOUT_S,
    idle_timeout_s: float = 0.0,
) -> dict:
    """Start the server in the background (or find it running); return its state.

    The returned dict has `url`, `pid`, `port`, `log` and `already` (True when it was running).
    `idle_timeout_s` > 0: it stops itself after that long without a run (`in_use`).
    """
    handle = launch(home, port, idle_timeout_s)
    try:
        handle.wait(timeout)
    except ServerError:
        if handle.process is not None:  # ours: leave nothing half-started behind
            _terminate(handle.process.pid)
            _clear_state(home)
        raise
    state = read_state(home) or {}
    return {**state, "already": handle.already}


def launch(home: Path, port: int | None = None, idle_timeout_s: float = 0.0) -> RunServer:
    """Start the kept server without waiting for it to answer (or find the one running or
    starting); `port` None takes DEFAULT_PORT when free, else any free port."""
    home.mkdir(parents=True, exist_ok=True)
    state = running(home)
    if state is not None:
        return RunServer(state["url"], None, Path(state["log"]), already=True)
    previous = read_state(home)
    booted = previous is not None and previous.get("boot") == _boot_id()
    if booted and _alive(int(previous["pid"])):  # starting (another run launched it), or stuck
        return RunServer(previous["url"], None, Path(previous["log"]), already=True)
    _clear_state(home)
    if port is None:
        port = DEFAULT_PORT if _port_free(DEFAULT_PORT) else _free_port()
    url = f"http://{HOST}:{port}"
    if not _port_free(port):
        if healthy(url):
            raise ServerError(
                f"a Prefect server not started by corpusprep already answers at {url}; use it with"
                f" PREFECT_API_URL={url}/api or choose another --port"
            )
        raise ServerError(f"port {port} on {HOST} is in use; choose another with --port")
    log_path = home / LOG_FILE
    _touch_used(home)  # the idle time counts from the start
    # niced, and the server it starts with it
    keeper = [sys.executable, "-m", "flows.server", "keep", str(home), str(port)]
    keeper.append(str(idle_timeout_s))
    # A session of its own: it survives the terminal; `stop` signals its process group.
    extra_env = {"PYTHONPATH": _import_path()}
    proc = _spawn(_niced(keeper), home, log_path, True, extra_env, start_new_session=True)
    state = {"pid": proc.pid, "url": url, "port": port, "log": str(log_path)}
    _write_state(home, state | {"boot": _boot_id(), "idle_timeout_s": idle_timeout_s})
    return RunServer(url, proc, log_path, kept=True)


def _import_path() -> str:
    """PYTHONPATH for the keeper: where `flows` is, ahead of what the caller had."""
    here = str(Path(__file__).resolve().parents[1])
    return os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH")) if p)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _touch_used(home: Path) -> None:
    (home / USED_FILE).touch()


@contextlib.contextmanager
def in_use(home: Path):
    """Mark the kept server as used by this process while the block runs: its idle time
    starts when the last run using it ends."""
    leases = home / LEASES
    leases.mkdir(parents=True, exist_ok=True)
    lease = leases / str(os.getpid())
    lease.touch()
    try:
        yield
    finally:
        lease.unlink(missing_ok=True)
        _touch_used(home)


def idle_seconds(home: Path) -> float:
    """How long no run has used the kept server (0 while one does)."""
    for lease in (home / LEASES).glob("*"):
        try:
            os.kill(int(lease.name), 0)
            return 0.0
        except (ValueError, ProcessLookupError):
            lease.unlink(missing_ok=True)  # left by a run that was killed
        except PermissionError:
            return 0.0
    try:
        return max(0.0, time.time() - (home / USED_FILE).stat().st_mtime)
    except OSError:
        return 0.0


def _stop_child(proc: subprocess.Popen) -> None:
    """SIGTERM a server this process started, SIGKILL if it has not gone after a while."""
    proc.terminate()
    try:
        proc.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def keep(home: Path, port: int, idle_timeout_s: float) -> int:
    """The keeper process: run the Prefect server, and stop it (and exit) when it has been
    idle for `idle_timeout_s` (0: never), when it exits, or on SIGTERM."""
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    proc = _launch(home, port, home / LOG_FILE, append=True, nice=False)  # niced already
    poll = min(KEEPER_POLL_S, idle_timeout_s / 4) if idle_timeout_s > 0 else KEEPER_POLL_S
    try:
        while not stopping.wait(poll) and proc.poll() is None:
            if idle_timeout_s > 0 and idle_seconds(home) >= idle_timeout_s:
                print(f"corpusprep: idle for {idle_timeout_s:g} s, stopping", flush=True)
                break
    finally:
        _stop_child(proc)
        state = read_state(home)
        if state is not None and int(state["pid"]) == os.getpid():
            _clear_state(home)
    return 0


def _terminate(pid: int) -> None:
    """SIGTERM the server's process group, then SIGKILL it if it has not gone after a while."""
    for sig, wait in ((signal.SIGTERM, STOP_TIMEOUT_S), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        except PermissionError:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not _alive(pid):
                return
            time.sleep(0.1)


def stop(home: Path) -> dict | None:
    """Stop the recorded server; return its state, or None when none was running."""
    state = read_state(home)
    if state is None:
        return None
    pid = int(state["pid"])
    if not _alive(pid):
        _clear_state(home)
        return None
    _terminate(pid)
    if _alive(pid):
        raise ServerError(f"the Prefect server (pid {pid}) did not stop")
    _clear_state(home)
    return state


@dataclass
class RunServer:
    """A Prefect server a run waits for: its own (`temporary`), or the kept one (`launch`)."""

    url: str  # base URL, without /api
    process: subprocess.Popen | None  # None: started by another process
    log: Path
    kept: bool = False  # it stays up after the run
    already: bool = False  # it was running (or starting) before

    def wait(self, timeout: float) -> str:
        """Block until the server answers; return its API URL, or raise ServerError."""
        name = "the Prefect server" if self.kept or self.already else "the run's Prefect server"
        _await_answer(name, self.url, self.process, self.log, timeout)
        if self.kept and self.process is not None:
            self.process.returncode = 0  # detached on purpose: no "still running" warning
        return f"{self.url}/api"


@contextlib.contextmanager
def temporary(home: Path):
    """A Prefect server for one run: started now, in the background, and stopped on exit.

    What Prefect itself does when no API is configured, done differently in three ways: it
    starts before the run imports Prefect, so its boot (~4 CPU-s) overlaps the run's own
    start-up; the run's process never imports Prefect's server code (79 MiB and 1.6 CPU-s);
    and it runs niced, like the kept server. It leaves out the scheduler and late-run services,
    which only a server that stays up can use; its UI shows the run while it lasts (the link
    `--verbose` prints). Yields a `RunServer`.
    """
    home.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    log_path = home / f"corpusprep-run-{os.getpid()}.log"
    options = ("--no-scheduler", "--no-late-runs")
    proc = _launch(home, port, log_path, *options, preexec_fn=_exit_with_parent)
    try:
        yield RunServer(f"http://{HOST}:{port}", proc, log_path)
    finally:
        _stop_child(proc)
        if proc.returncode in (0, -signal.SIGTERM):
            log_path.unlink(missing_ok=True)  # kept when something went wrong


def _exit_with_parent() -> None:
    """In the server's process before it starts: on Linux, have the kernel send it SIGTERM
    when the run's process dies, even by SIGKILL, so no server outlives its run."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG


if __name__ == "__main__":  # the keeper: python -m flows.server keep HOME PORT IDLE_SECONDS
    if len(sys.argv) != 5 or sys.argv[1] != "keep":
        sys.exit("usage: python -m flows.server keep HOME PORT IDLE_SECONDS")
    sys.exit(keep(Path(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])))
