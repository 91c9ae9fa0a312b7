"""Shard work on an existing Dask cluster, under the flow, instead of the local process pool.

The flow and its Prefect tasks stay in the calling process on the thread runner; only the plain
functions of `corpusprep` (the scan, the content hashes, the shards) go to the cluster,
through `distributed.Client.get_executor()` (a `concurrent.futures.Executor`, like the process
pool). Dask workers therefore need corpusprep and its libraries, not Prefect, and never talk to the
Prefect API. See docs/decisions.md for the measurements against prefect-dask's task runner.

Workers read the inputs and write the parts themselves: local RAW_DIR and OUT_DIR must be at
the same absolute paths on every worker (a shared file system); URIs (s3://, gs://, ...) need
no shared disk.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from concurrent.futures import Executor

CONNECT_TIMEOUT_S = 10.0


class DaskError(Exception):
    """The cluster cannot be used; the message is one line for the user."""

    def __init__(self, message: str):
        super().__init__(" ".join(message.split()))


def _corpusprep_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("corpusprep")
    except metadata.PackageNotFoundError:
        return "unknown"


def _worker_info() -> dict:
    """Runs on each Dask worker: can it import the pipeline, and which version is it?"""
    import corpusprep.worker  # noqa: F401  (loads the stages and the language model once)

    return {"corpusprep": _corpusprep_version()}


def connect(address: str, timeout: float = CONNECT_TIMEOUT_S):
    """A `distributed.Client` for the scheduler at `address`, checked to have usable workers."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise DaskError(
            "--dask-address needs the distributed package (pip install 'corpusprep[dask]')"
        ) from exc
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise DaskError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    try:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError as exc:
            raise DaskError(f"the Dask scheduler at {address} has no workers") from exc
        check_workers(client)
    except BaseException:
        client.close()
        raise
    return client


def check_workers(client) -> None:
    """Fail unless every worker imports the same corpusprep version as this process."""
    try:
        infos = client.run(_worker_info)
    except Exception as exc:  # ImportError or other failure, raised here from the worker
        raise DaskError(
            f"Dask workers cannot run corpusprep ({type(exc).__name__}: {exc}); install "
            "corpusprep on every worker"
        ) from exc
    ours = _corpusprep_version()
    wrong = sorted(w for w, info in infos.items() if info["corpusprep"] != ours)
    if wrong:
        other = infos[wrong[0]]["corpusprep"]
        raise DaskError(
            f"{len(wrong)} Dask worker(s) run corpusprep {other}, this process {ours} "
            f"(first: {wrong[0]}); outputs would differ"
        )


def worker_threads(client) -> int:
    """Task slots of the cluster: the sum of its workers' threads."""
    return sum(client.nthreads().values()) or 1


@contextlib.contextmanager
def cluster(address: str) -> Iterator[tuple[Executor, int]]:
    """The cluster at `address` as a concurrent.futures executor, with its task slots; the
    connection closes on exit. Raises DaskError when it cannot be used."""
    client = connect(address)
    ex = client.get_executor(pure=False)  # side-effecting calls: never deduplicated
    try:
        yield ex, worker_threads(client)
    finally:
        with contextlib.suppress(Exception):
            ex.shutdown(wait=False)
        client.close()
