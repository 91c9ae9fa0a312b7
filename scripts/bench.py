#!/usr/bin/env python3
"""Throughput and memory benchmark: prints figures, asserts nothing.

Builds a corpus of N documents by cycling the dev pages (../shared/data/boilerplate-dev) in
text and HTML form, each copy in its own folder, runs `corpusprep run` on each form with each
worker count, and prints documents/s, MB/s, peak RSS of the process tree, the share of time
per stage and the time outside the flow (Prefect start-up). In the same run it times the
floors: trafilatura's extract alone on the same HTML with the same number of processes,
plain reading of the files, and the flow's own work (scan, shards, duplicates) on the same
process pool without Prefect, whose difference to the flow is Prefect's share; with a kept
server it also prints the CPU Prefect spent (the server's, and the flow process's during the
flow), which the machine's other load does not move. First it prints the
segmenter's speed in one process and the fixed start-up cost of a run (with a temporary
Prefect server and, with --server, with a kept one). `make bench` passes --server.

The cost of duplicates: per run, the last step's time and the workers' time on signatures and
sentence hashes, as a share of the flow's time; then, for each of --dedup-sizes text corpora,
the last step alone in a fresh process (time, peak RSS). The corpora cycle 60 pages, so every
document is one of 60 clusters: the most work the clusters and counts can be given.

    python scripts/bench.py [--n 5000] [--workers 1,2] [--forms txt,html] [--repeat 1]
                            [--server] [--shared ../shared] [--dedup-sizes 5000,20000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_corpus(dev: Path, dest: Path, form: str, n: int) -> int:
    pages = sorted(dev.glob(f"*.{form}"))
    total = 0
    for i in range(n):
        page = pages[i % len(pages)]
        folder = dest / f"copy{i // len(pages):04d}"
        folder.mkdir(parents=True, exist_ok=True)
        data = page.read_bytes()
        target = folder / page.name
        target.write_bytes(data)
        total += len(data)
    return total


def _pss(pid: int) -> int:
    """Proportional set size (bytes): shared pages divided among the processes sharing them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


# The sampler runs during the timed flow, on the same cores: it must stay cheap. Reading a
# process's PSS walks its page tables (~3 ms for a 300 MB worker), so PSS is read once a
# second; RSS (/proc/PID/statm) and the process tree are read every 0.2 s.
SAMPLE_INTERVAL_S = 0.2
PSS_INTERVAL_S = 1.0


# /proc/PID/task/TID/children needs a kernel built with CONFIG_PROC_CHILDREN.
_HAS_CHILDREN = os.path.exists(f"/proc/self/task/{threading.get_native_id()}/children")


def _tree(root_pid: int) -> list[int]:
    """A process and its descendants, from /proc/PID/task/TID/children (no walk over every
    process of the machine), or from every process's parent where the kernel lacks it."""
    if not _HAS_CHILDREN:
        return _tree_by_parent(root_pid)
    pids, stack = [], [root_pid]
    while stack:
        pid = stack.pop()
        pids.append(pid)
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/children") as fh:
                    stack.extend(int(child) for child in fh.read().split())
        except OSError:  # the process (or thread) has just exited
            continue
    return pids


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (None when the process is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _tree_by_parent(root_pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat_fields(int(entry))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry))
    pids, stack = [], [root_pid]
    while stack:
        pid = stack.pop()
        pids.append(pid)
        stack.extend(children.get(pid, []))
    return pids


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


class TreeMemory(threading.Thread):
    """Peak memory of a process tree while it runs: the sum of RSS (counts the pages the
    forked workers share once per process) and of PSS (divides them among the sharers)."""

    def __init__(self, root_pid: int):
        super().__init__(daemon=True)
        self.root_pid = root_pid
        self.peak_rss = self.peak_pss = 0
        self._done = threading.Event()

    def run(self) -> None:
        last_pss = float("-inf")
        while not self._done.wait(SAMPLE_INTERVAL_S):
            pids = _tree(self.root_pid)
            self.peak_rss = max(self.peak_rss, sum(map(_rss, pids)))
            if time.monotonic() - last_pss >= PSS_INTERVAL_S:
                last_pss = time.monotonic()
                self.peak_pss = max(self.peak_pss, sum(map(_pss, pids)))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds of a process so far (None when it is gone)."""
    fields = _stat_fields(pid)
    if fields is None:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tree_cpu_seconds(pid: int) -> float | None:
    """CPU seconds of a process and its descendants (the kept server's keeper and server)."""
    found = [_cpu_seconds(p) for p in _tree(pid)]
    return sum(x for x in found if x is not None) if any(x is not None for x in found) else None


def _kept_server_pid(home: Path) -> int | None:
    """The keeper process of the server `corpusprep server start` keeps for `home`, when it
    answers (the Prefect server is its child)."""
    from flows import server

    state = server.running(home)
    return int(state["pid"]) if state else None


def run_cli(
    raw: Path, out: Path, workers: int, prefect_home: Path | None = None, extra: tuple = ()
) -> dict:
    """One `corpusprep run`: its wall time, the peak memory of its process tree, its run
    record's summary and, when a kept server runs, that server's CPU seconds meanwhile."""
    env = dict(os.environ)
    env.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
    if prefect_home is not None:
        env["PREFECT_HOME"] = str(prefect_home)
    cli = Path(sys.executable).parent / "corpusprep"
    server_pid = _kept_server_pid(Path(env["PREFECT_HOME"]))
    server_cpu = _tree_cpu_seconds(server_pid) if server_pid else None
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(cli), "run", str(raw), "--out", str(out), "--workers", str(workers), *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    memory = TreeMemory(proc.pid)
    memory.start()
    output = proc.communicate()[0]
    memory.stop()
    wall = time.perf_counter() - start
    if server_cpu is not None:
        server_cpu = (_tree_cpu_seconds(server_pid) or server_cpu) - server_cpu
    if proc.returncode != 0:
        raise SystemExit(f"corpusprep run failed:\n{output}")
    record = json.loads(sorted((out / "_runs").glob("run-*.json"))[-1].read_text())
    summary = record["summary"]
    return {
        "wall": wall,
        "peak_rss": memory.peak_rss,
        "peak_pss": memory.peak_pss,
        "summary": summary,
        "server_cpu": server_cpu,
    }


def _extract_one(path: str) -> int:
    import trafilatura

    html = Path(path).read_text(encoding="utf-8", errors="replace")
    return len(trafilatura.extract(html, deduplicate=False) or "")


def _read_one(path: str) -> int:
    return len(Path(path).read_bytes())


def library_floor(raw: Path, out: Path, workers: int, duplicates: bool = True) -> float:
    """The flow's work without Prefect: the same content hashes, scan, shards and (with
    `duplicates`) last step on the same kind of warm process pool, timed from the first job to
    the end (no start-up)."""
    from corpusprep import dedup, pipeline, plan, scan
    from corpusprep.config import Config
    from corpusprep.read import discover
    from flows.pool import warm_pool

    config = Config()
    buckets = plan.plan_buckets(discover(raw), config)
    with warm_pool(workers) as pool:
        list(pool.map(abs, range(workers * 4)))  # wait until the workers are up
        start = time.perf_counter()
        hashing = [pool.submit(plan.content_hashes, raw, ps, {}) for ps in buckets]
        repeated = scan.find_repeated(pool, str(raw), buckets, config, str(out))
        hashes = {rel: h for f in hashing for rel, h in f.result().items()}
        futures = []
        for i, paths in enumerate(plan.biggest_first(buckets, hashes)):  # as the flow
            shard_repeated = scan.repeated_for(paths, repeated)
            args = (str(raw), str(out), f"shard{i}", paths, shard_repeated, config)
            futures.append(pool.submit(pipeline.process_shard, *args))
        for f in futures:
            f.result()
        if duplicates:
            pool.submit(dedup.finish, str(out), config).result()
        return time.perf_counter() - start


# Runs in a fresh process: the duplicates step alone on a run's output, with its peak memory.
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork and exec, from the (bigger) bench.
_DEDUP_STEP = """
import json, sys, time
from corpusprep import dedup
from corpusprep.config import Config
def peak_kib():
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
before = peak_kib()
start = time.perf_counter()
found = dedup.finish(sys.argv[1], Config())
seconds = time.perf_counter() - start
print(json.dumps({"step_s": seconds, "before_kib": before, "peak_kib": peak_kib(), "found": found}))
"""


def dedup_step(dev: Path, tmp: Path, n: int, workers: int) -> dict:
    """The last step (duplicates and dup_count) on the output of `n` text documents, as a run
    meets it (every sentences part still without counts), in a process of its own: its time
    and peak RSS, and the peak after the imports."""
    raw, out = tmp / f"raw-dedup-{n}", tmp / f"out-dedup-{n}"
    build_corpus(dev, raw, "txt", n)
    library_floor(raw, out, workers, duplicates=False)
    done = subprocess.run(
        [sys.executable, "-c", _DEDUP_STEP, str(out)], capture_output=True, text=True, check=True
    )
    shutil.rmtree(raw, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    return {"documents": n, **json.loads(done.stdout)}


def print_dedup_steps(steps: list[dict]) -> None:
    for r in steps:
        found = r["found"]
        print(
            f"duplicates' last step alone, {r['documents']} text documents: {r['step_s']:.2f} s"
            f" (clusters {found['seconds']['duplicates']:.2f} s, dup_count"
            f" {found['seconds']['dup_count']:.2f} s), peak RSS {r['peak_kib'] / 1024:.0f} MiB"
            f" ({r['before_kib'] / 1024:.0f} MiB after the imports,"
            f" +{(r['peak_kib'] - r['before_kib']) / 1024:.0f} MiB); {found['clusters']} clusters"
            f" of {found['documents']} documents, {found['sentence_parts_updated']} sentences"
            " parts rewritten"
        )


def floor(fn, paths: list[str], workers: int) -> float:
    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(fn, paths, chunksize=16))
    return time.perf_counter() - start


def segment_speed(dev: Path, min_chars: int = 5_000_000) -> tuple[int, float]:
    """Characters a second of split_sentences in this one process over the dev pages' text."""
    from corpusprep import split_sentences

    texts = [p.read_text(encoding="utf-8") for p in sorted(dev.glob("*.txt"))]
    split_sentences(texts[0], language="en")  # imports and caches outside the timing
    total, start = 0, time.perf_counter()
    while total < min_chars:
        for text in texts:
            split_sentences(text, language="en")
            total += len(text)
    return total, time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=5000, help="documents per form (default 5000)")
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    ap.add_argument("--forms", default="txt,html", help="txt, html or both")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument(
        "--dedup-sizes",
        default="5000,20000",
        help="text corpus sizes at which to time the duplicates step alone and take its peak"
        " memory (default 5000,20000; empty for none)",
    )
    ap.add_argument("--keep", action="store_true", help="keep the generated corpus and output")
    ap.add_argument(
        "--server",
        action="store_true",
        help="run against a kept-running Prefect server (`corpusprep server start`), started"
        " for the bench and stopped after it if none was running",
    )
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs per form and worker count, flow and floors alternating; the fastest of"
        " each is kept (a shared machine's load only ever slows a run down)",
    )
    args = ap.parse_args()
    dev = args.shared / "data" / "boilerplate-dev"
    if not dev.is_dir():
        print(f"bench: no dev pages at {dev} (use --shared)", file=sys.stderr)
        return 2
    workers = [int(w) for w in args.workers.split(",")]
    import corpusprep

    compiled = corpusprep.compiled_modules()
    print(f"compiled text modules (mypyc): {', '.join(compiled) or 'none, the sources run'}")
    chars, secs = segment_speed(dev)
    print(
        f"segmenter (split_sentences, one process, dev page text): {chars / secs / 1e6:.1f}M"
        f" chars/s ({chars / 1e6:.1f}M chars in {secs:.2f} s)"
    )
    tmp = Path(tempfile.mkdtemp(prefix="corpusprep-bench-"))
    rows = []
    started_server = args.server and _server("start")
    try:
        print_startup(tmp, args.server)
        for form in args.forms.split(","):
            raw = tmp / f"raw-{form}"
            n_bytes = build_corpus(dev, raw, form, args.n)
            paths = sorted(str(p) for p in raw.rglob(f"*.{form}"))
            for w in workers:
                res, floors = None, {}
                for k in range(args.repeat):
                    out = tmp / f"out-{form}-{w}-{k}"
                    # without --server, each run starts (and stops) a server of its own
                    got = run_cli(raw, out, w, extra=() if args.server else ("--no-keep-server",))
                    shutil.rmtree(out, ignore_errors=True)
                    if (
                        res is None
                        or got["summary"]["wall_seconds"] < res["summary"]["wall_seconds"]
                    ):
                        res = got
                    lib = library_floor(raw, tmp / f"lib-{form}-{w}-{k}", w)
                    floors["library"] = min(floors.get("library", float("inf")), lib)
                    shutil.rmtree(tmp / f"lib-{form}-{w}-{k}", ignore_errors=True)
                    fns = {"read": _read_one}
                    if form == "html":
                        fns["trafilatura"] = _extract_one
                    for name, fn in fns.items():
                        floors[name] = min(floors.get(name, float("inf")), floor(fn, paths, w))
                s = res["summary"]
                rows.append((form, w, n_bytes, res, floors))
                print_row(form, w, n_bytes, res, floors, s)
        sizes = [int(n) for n in args.dedup_sizes.split(",") if n]
        steps = [dedup_step(dev, tmp, n, max(workers)) for n in sizes]
    finally:
        if started_server:
            _server("stop")
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept {tmp}")
    print_table(rows)
    print_dedup_steps(steps)
    by = {
        (form, w): res["summary"]["documents"] / res["summary"]["wall_seconds"]
        for form, w, _, res, _ in rows
    }
    for form in args.forms.split(","):
        if (form, 1) in by and (form, 2) in by:
            print(
                f"{form}: 2 workers / 1 worker throughput (flow time) = "
                f"{by[(form, 2)] / by[(form, 1)]:.2f}x"
            )
    return 0


def _server(command: str, home: Path | None = None) -> bool:
    """`corpusprep server start|stop` with the bench's PREFECT_HOME (or `home`); True if it
    did something."""
    env = dict(os.environ)
    env.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
    if home is not None:
        env["PREFECT_HOME"] = str(home)
    cli = Path(sys.executable).parent / "corpusprep"
    out = subprocess.run([str(cli), "server", command], env=env, capture_output=True, text=True)
    print(f"corpusprep server {command}: {(out.stderr + out.stdout).strip()}")
    return out.returncode == 0 and "already" not in out.stdout + out.stderr


def print_startup(tmp: Path, server: bool) -> None:
    """The fixed cost of a run: the whole command on a one-file corpus, with the temporary
    server a run starts by itself and, with --server, with the kept-running one."""
    raw = tmp / "raw-one"
    raw.mkdir()
    (raw / "one.txt").write_text("A single short document for timing the start-up.\n")
    # A PREFECT_HOME of its own has no kept server; its first run also creates the database.
    home = tmp / "prefect-home-temporary"
    temporary = ("a temporary server started by the run", home, ("--no-keep-server",))
    modes = [temporary] * 2
    # The same PREFECT_HOME (its database made): the first run starts the server it leaves
    # running, the second uses it
    modes += [("no server (the run starts one and keeps it)", home, ())]
    reused = ("the server the previous run kept", home, ())
    modes += [reused]
    if server:
        modes.append(("a kept-running server", None, ()))
    for i, (api, prefect_home, extra) in enumerate(modes):
        res = run_cli(raw, tmp / f"out-one-{i}", 1, prefect_home, extra)
        if (api, prefect_home, extra) == reused:
            _server("stop", home)  # the kept-running mode below must not find it
        if i == 0:
            continue  # the new database's migrations: paid once per PREFECT_HOME
        flow = res["summary"]["wall_seconds"]
        print(
            f"fixed start-up cost (one-file corpus) with {api}: wall {res['wall']:.1f} s,"
            f" of which the flow {flow:.1f} s"
        )


def print_table(rows) -> None:
    """The runs side by side, one column per form and worker count (Markdown)."""
    if not rows:
        return
    cells: dict[str, list[str]] = {}

    def add(label: str, value: str) -> None:
        cells.setdefault(label, []).append(value)

    for _form, w, _, res, floors in rows:
        flow, docs, busy = _flow_figures(res["summary"])
        add("flow throughput, docs/s (per worker)", f"{docs / flow:.1f} ({docs / flow / w:.1f})")
        add("whole command, docs/s", f"{docs / res['wall']:.1f}")
        add("worker busy, ms/doc", f"{busy / docs * 1000:.2f}")
        lib = floors.get("library")
        add("flow s vs the same work without Prefect", f"{flow:.1f} vs {lib:.1f}" if lib else "")
        add("Prefect's share of the flow", f"{_prefect_share(flow, lib):.1%}" if lib else "")
        cpu = _prefect_cpu(res, w)
        add(
            "Prefect's CPU, s (share of the workers' core time)",
            f"{cpu[0]:.2f} ({cpu[1]:.1%})" if cpu else "",
        )
        traf = floors.get("trafilatura")
        add(
            "flow / trafilatura alone (whole command)",
            f"{flow / traf:.2f}x ({res['wall'] / traf:.2f}x)" if traf else "",
        )
        dd = _dedup_figures(res["summary"], w)
        add("duplicates' share of the flow", f"{dd[2]:.1%}" if dd else "")
        add(
            "peak RSS / PSS of the process tree, MiB",
            f"{res['peak_rss'] / 2**20:.0f} / {res['peak_pss'] / 2**20:.0f}",
        )
    heads = [f"{form} {w} worker{'s' * (w > 1)}" for form, w, *_ in rows]
    print("\n| | " + " | ".join(heads) + " |")
    print("|---|" + "---|" * len(heads))
    for label, values in cells.items():
        print(f"| {label} | " + " | ".join(values) + " |")
    print()


def _flow_figures(summary: dict) -> tuple[float, int, float]:
    """A run's flow seconds, documents and summed worker busy seconds."""
    busy = sum(summary.get("seconds", {}).values()) or 1.0
    return summary["wall_seconds"], summary["documents"], busy


def _dedup_figures(summary: dict, workers: int) -> tuple[float, float, float] | None:
    """The cost of duplicates in a run: the last step's seconds, the workers' seconds on
    signatures and sentence hashes, and the two as a share of the flow's time (the workers'
    seconds spread over the workers)."""
    step = summary.get("phase_seconds", {}).get("dedup")
    if step is None:
        return None
    worker = summary.get("seconds", {}).get("dedup", 0.0)
    return step, worker, (step + worker / workers) / summary["wall_seconds"]


def _prefect_share(flow: float, library: float) -> float:
    """Prefect's share of the flow: the flow's time over the same work without Prefect."""
    return (flow - library) / flow


def _prefect_cpu(res: dict, workers: int) -> tuple[float, float] | None:
    """CPU seconds of the kept server during the command plus the flow process's during the
    flow (Prefect's client, and the flow's own bookkeeping), and their share of the workers'
    core time in the flow; None without a kept server. Unlike the time against the floor, the
    machine's other load does not move it."""
    s = res["summary"]
    if res.get("server_cpu") is None or "flow_process_cpu_seconds" not in s:
        return None
    cpu = res["server_cpu"] + s["flow_process_cpu_seconds"]
    return cpu, cpu / (s["wall_seconds"] * workers)


def print_row(form, w, n_bytes, res, floors, s):
    flow, docs, busy = _flow_figures(s)
    stage = s.get("seconds", {})
    shares = ", ".join(
        f"{k} {v / busy:.0%}" for k, v in sorted(stage.items(), key=lambda kv: -kv[1])
    )
    print(f"\n== {form}, {w} worker(s): {docs} documents, {n_bytes / 1e6:.1f} MB")
    print(
        f"  wall {res['wall']:.1f} s (flow {flow:.1f} s, "
        f"outside the flow {res['wall'] - flow:.1f} s)"
    )
    print(
        f"  flow throughput: {docs / flow:.1f} docs/s, {n_bytes / 1e6 / flow:.2f} MB/s;"
        f" whole command: {docs / res['wall']:.1f} docs/s"
    )
    print(
        f"  peak memory of the process tree: RSS {res['peak_rss'] / 2**20:.0f} MiB"
        f" (shared pages counted per process), PSS {res['peak_pss'] / 2**20:.0f} MiB"
    )
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in s.get("phase_seconds", {}).items())
    print(f"  flow phases (wall): {phases}")
    print(f"  worker time by stage: {shares}")
    dd = _dedup_figures(s, w)
    if dd:
        found = s.get("duplicates", {})
        print(
            f"  duplicates: last step {dd[0]:.2f} s + workers' signatures and sentence hashes"
            f" {dd[1]:.1f} s ({dd[1] / docs * 1000:.2f} ms/doc) = {dd[2]:.1%} of the flow;"
            f" {found.get('clusters')} clusters of {found.get('documents')} documents"
        )
    per_doc = ", ".join(
        f"{k} {v:.1f} s = {v / docs * 1000:.2f} ms"
        for k, v in sorted(stage.items(), key=lambda kv: -kv[1])
    )
    print(f"  worker seconds by stage (and per document): {per_doc}")
    print(
        f"  worker busy {busy:.1f} s = {busy / docs * 1000:.2f} ms/doc"
        f" ({docs / busy:.0f} docs/s per busy core); flow time x workers - busy ="
        f" {flow * w - busy:.1f} s (orchestration, idle workers)"
    )
    if "library" in floors:
        lib = floors["library"]
        print(
            f"  Prefect orchestration: flow {flow:.1f} s vs the same work without Prefect"
            f" {lib:.1f} s = {_prefect_share(flow, lib):.1%} of the flow (plus the fixed start-up)"
        )
    cpu = _prefect_cpu(res, w)
    if cpu:
        print(
            f"  Prefect's CPU: kept server {res['server_cpu']:.2f} s during the command + flow"
            f" process {s['flow_process_cpu_seconds']:.2f} s during the flow = {cpu[0]:.2f} s,"
            f" {cpu[1]:.1%} of the workers' core time in the flow"
        )
    for name, secs in floors.items():
        print(
            f"  floor {name}: {secs:.1f} s ({docs / secs:.1f} docs/s); "
            f"flow time / floor = {flow / secs:.2f}x"
        )


if __name__ == "__main__":
    sys.exit(main())
