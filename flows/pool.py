"""The local worker processes that do the CPU work of a run; importable without Prefect.

The CLI starts them before it imports Prefect, so that the workers' start-up (imports and the
language model, ~1-2 s of CPU each) overlaps Prefect's import and flow-run creation.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor


def make_pool(workers: int) -> ProcessPoolExecutor:
    # forkserver: workers start from a clean process that preloaded corpusprep, not from a fork
    # of this one with its Prefect threads and server connections.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["corpusprep.worker"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx)


@contextlib.contextmanager
def warm_pool(workers: int):
    """A process pool whose workers start now, in the background; shut down on exit."""
    pool = make_pool(workers)
    warm = threading.Thread(
        target=lambda: [f.result() for f in [pool.submit(os.getpid) for _ in range(workers)]],
        daemon=True,
    )
    warm.start()
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)
