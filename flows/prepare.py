"""The Prefect flow `prepare_corpus`: files -> shards -> one task per shard.

Prefect sees shards and files, never rules. Shard tasks run on Prefect's thread runner and hand
their CPU work to one executor: a process pool owned by the flow, whose workers import only
`corpusprep` (Prefect's process runner would boot an API server in every worker), or, with
`dask_address`, an existing Dask cluster (`flows/dask_runner.py`).
"""

from __future__ import annotations

import contextlib
import os
import platform
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Executor
from datetime import UTC, datetime
from importlib import metadata

import numpy as np
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from corpusprep import dedup, fs, pipeline, plan, scan, store
from corpusprep.config import Config
from corpusprep.read import discover
from flows import artifacts
from flows.pool import warm_pool

# Set by the flow for its tasks; a pool cannot travel as a task argument.
_pool: Executor | None = None
# Optional callbacks that drive the CLI's progress bar (set with `reporting`): files in the run,
# files done, and the phase. The flow lists the input once and reports the count (a second
# listing would cost a walk of the folder, or requests to a bucket).
total_callback: Callable[[int], None] | None = None
progress_callback: Callable[[int], None] | None = None
phase_callback: Callable[[str], None] | None = None


@contextlib.contextmanager
def reporting(
    total: Callable[[int], None], advance: Callable[[int], None], phase: Callable[[str], None]
):
    """Report the next flow runs' progress to these callbacks (until the block ends)."""
    global total_callback, progress_callback, phase_callback
    total_callback, progress_callback, phase_callback = total, advance, phase
    try:
        yield
    finally:
        total_callback = progress_callback = phase_callback = None


def _report(n_files: int) -> None:
    if progress_callback is not None:
        progress_callback(n_files)


def _phase(description: str) -> None:
    if phase_callback is not None:
        phase_callback(description)


@task(name="scan-corpus", cache_policy=NO_CACHE)
def scan_task(
    raw_dir: str, out_dir: str, shards: list[list[str]], config: Config
) -> dict[str, np.ndarray]:
    """The cheap first pass, one task for the corpus: which lines repeat within each folder."""
    return scan.find_repeated(_pool, raw_dir, shards, config, out_dir)


@task(name="process-shard", cache_policy=NO_CACHE)
def shard_task(
    raw_dir: str,
    out_dir: str,
    key: str,
    rel_paths: list[str],
    repeated: dict[str, np.ndarray],  # per group, as `scan.repeated_by_group` gives them
    config: Config,
) -> dict:
    try:
        args = (raw_dir, out_dir, key, rel_paths, repeated, config)
        summary = _pool.submit(pipeline.process_shard, *args).result()
    except Exception as exc:  # the worker process died (killed, out of memory, crashed)
        error = f"worker failed: {type(exc).__name__}: {exc}"
        summary = pipeline.write_failed_shard(out_dir, key, rel_paths, error)
    _report(len(rel_paths))
    return summary


@task(name="find-duplicates", cache_policy=NO_CACHE)
def dedup_task(out_dir: str, config: Config) -> dict:
    """The run's last step, over the whole corpus: the `duplicates` dataset and the sentences'
    `dup_count`. On a worker: it reads every shard's signatures and sentence hashes, and the
    flow process stays small."""
    return _pool.submit(dedup.finish, out_dir, config).result()


@contextlib.contextmanager
def worker_pool(workers: int):
    """Start the flow's worker processes now, in the background, for the next flow runs.

    Starting them (imports, language model: ~2 s) overlaps Prefect's own start-up when the
    caller opens this before calling the flow; the flow uses this pool instead of its own.
    """
    with warm_pool(workers) as pool, use_executor(pool):
        yield pool


@contextlib.contextmanager
def use_executor(executor: Executor):
    """Make the next flow runs hand their shards to `executor` (a Dask cluster, say)."""
    global _pool
    _pool = executor
    try:
        yield executor
    finally:
        _pool = None


def _versions() -> dict[str, str]:
    names = ["corpusprep", "trafilatura", "ftfy", "pyarrow", "prefect", "py3langid", "sentencex"]
    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def merge_summaries(summaries: list[dict]) -> dict:
    total = {
        "files": Counter(),
        "documents": 0,
        "sentences": 0,
        "removed": Counter(),
        "bytes": 0,
        "failures": [],
        "seconds": Counter(),
        "folders_uncounted_files": 0,
    }
    folders: dict[str, Counter] = {}
    for s in summaries:
        total["files"].update(s["files"])
        total["removed"].update(s["removed"])
        total["seconds"].update(s.get("seconds", {}))
        total["failures"].extend(s["failures"])
        for k in ("documents", "sentences", "bytes"):
            total[k] += s[k]
        if "folders" not in s:  # kept from a run before shard summaries counted them
            total["folders_uncounted_files"] += sum(s["files"].values())
        for name, counts in s.get("folders", {}).items():
            folders.setdefault(name, Counter()).update(counts)
    total["failures"].sort()
    total["folders"] = {name: dict(counts) for name, counts in sorted(folders.items())}
    return {k: dict(v) if isinstance(v, Counter) else v for k, v in total.items()}


@flow(name="prepare_corpus", task_runner=ThreadPoolTaskRunner(max_workers=8), log_prints=False)
def prepare_corpus(
    raw_dir: str,
    out_dir: str,
    config: dict | None = None,
    workers: int = 0,
    dask_address: str | None = None,
) -> dict:
    """Clean and segment every file under raw_dir into the Parquet datasets under out_dir.

    raw_dir and out_dir are local paths or URIs (s3://, gs://, ...; see `corpusprep.fs`).
    `config` is a `Config.to_dict()`, whole or in part (default: `Config()`); `workers` 0
    means one per CPU core. With
    `dask_address` (tcp://HOST:8786) the shards run on that Dask cluster, whose workers must see
    local raw_dir and out_dir at the same absolute paths (URIs need no shared disk); `workers`
    is then the cluster's.

    Shards whose inputs, config and corpus statistics are unchanged since the last run are
    kept as they are; parts of shards that no longer exist are removed at the end.
    """
    started = time.perf_counter()
    cpu_started = time.process_time()  # this process: the flow's bookkeeping, Prefect's client
    cfg = Config.from_dict(config or {})
    if dask_address:
        raw_dir, out_dir = fs.for_workers(raw_dir), fs.for_workers(out_dir)
    try:
        rel_paths = discover(raw_dir)
    except fs.ERRORS as exc:
        raise fs.LocationError(f"cannot list input folder {raw_dir!r}: {fs.reason(exc)}") from None
    if total_callback is not None:
        total_callback(len(rel_paths))
    progress = artifacts.RunProgress(len(rel_paths))  # an artifact on the flow run's page
    buckets = plan.plan_buckets(rel_paths, cfg)
    with contextlib.ExitStack() as stack:
        if _pool is None and dask_address:
            from flows import dask_runner

            cluster, workers = stack.enter_context(dask_runner.cluster(dask_address))
            stack.enter_context(use_executor(cluster))
        workers = workers or os.cpu_count() or 1
        if _pool is None:
            stack.enter_context(worker_pool(workers))
        phases = {"start": time.perf_counter() - started}
        t0 = time.perf_counter()
        _phase("scanning for repeated lines")
        # Content hashes are worker jobs too, queued before the scan: they read every file
        # once (2.9 s for 5,000 HTML pages in this process, with the workers idle).
        known = store.load_manifest(out_dir)
        hashing = [
            _pool.submit(plan.content_hashes, raw_dir, ps, {p: known[p] for p in ps if p in known})
            for ps in buckets
        ]
        # quote(): Prefect would otherwise walk (and copy) every path and array of a task's
        # arguments, looking for futures: 3.6 ms a 312-file shard, against 0.1 ms quoted.
        repeated = scan_task(raw_dir, out_dir, quote(buckets), quote(cfg))
        hashes = {rel: h for f in hashing for rel, h in f.result().items()}
        _phase("processing files")
        phases["scan"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        done = store.complete_parts(out_dir)
        summaries, futures, keys = [], [], set()
        n_reused = files_reused = 0
        for paths in plan.biggest_first(buckets, hashes):
            shard_repeated = scan.repeated_for(paths, repeated)
            key = plan.shard_key(paths, hashes, shard_repeated, cfg)
            keys.add(key)
            previous = store.read_shard_summary(out_dir, key) if key in done else None
            if previous is not None and not previous.get("retry"):
                summaries.append(previous)
                n_reused += 1
                files_reused += len(paths)
                _report(len(paths))
                progress.advance(len(paths))
                continue
            args = (key, quote(paths), quote(shard_repeated), quote(cfg))
            futures.append(shard_task.submit(raw_dir, out_dir, *args))
        for future in as_completed(futures):
            summaries.append(future.result())
            progress.advance(sum(summaries[-1]["files"].values()))
        progress.finish()
        phases["shards"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        n_stale = store.remove_stale(out_dir, keys)
        store.save_manifest(out_dir, hashes)
        phases["finish"] = time.perf_counter() - t0
        # After the stale parts are gone, so that it sees the corpus as it now is.
        _phase("finding duplicates")
        t0 = time.perf_counter()
        duplicates = dedup_task(out_dir, quote(cfg))
        phases["dedup"] = time.perf_counter() - t0
    result = merge_summaries(summaries)
    result.update(
        shards=len(buckets),
        shards_reused=n_reused,
        files_unchanged=files_reused,
        stale_parts_removed=n_stale,
        duplicates=duplicates,
        workers=workers,
        phase_seconds={k: round(v, 3) for k, v in phases.items()},
        wall_seconds=round(time.perf_counter() - started, 3),
        flow_process_cpu_seconds=round(time.process_time() - cpu_started, 3),
    )
    _record_run(out_dir, cfg, result)
    artifacts.publish_results(result, raw_dir, out_dir)
    return result


def _record_run(out_dir: str, config: Config, result: dict) -> None:
    """Keep the effective config, package versions and summary of each run under _runs/."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    record = {
        "config": config.to_dict(),
        "config_hash": config.digest(),
        "versions": _versions(),
        "summary": result,
    }
    store.save_run_record(out_dir, stamp, record)
