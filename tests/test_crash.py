"""kill -9 at random moments, then a rerun: the datasets equal an uninterrupted run's."""

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
from conftest import FIXTURES, SEEDS

from corpusprep.store import DATASETS

SORT = {
    "documents": ["doc_id"],
    "sentences": ["doc_id", "sentence_index"],
    "removed": ["doc_id", "line_no", "text"],
    "files": ["source_path"],
    "duplicates": ["doc_id"],
}
CLI = str(Path(sys.executable).parent / "corpusprep")


def _corpus(root: Path) -> Path:
    raw = root / "raw"
    for i in range(160):  # enough work that a kill after the first part lands mid-run
        folder = raw / f"site{i % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / "html" / "article.html", folder / f"page{i:03d}.html")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, raw / seed.name)
    return raw


def _env():
    import prefect.settings

    env = dict(os.environ)
    env["PREFECT_API_URL"] = prefect.settings.PREFECT_API_URL.value()  # the session's server
    return env


def _start(raw, out):
    return subprocess.Popen(
        [CLI, "run", str(raw), "--out", str(out), "--workers", "2"],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _run(raw, out):
    proc = _start(raw, out)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()


def _tables(out):
    return {
        n: ds.dataset(out / n).to_table().sort_by([(k, "ascending") for k in SORT[n]])
        for n in DATASETS
    }


def _n_parts(out):
    return sum(1 for n in DATASETS for _ in (out / n).glob("part-*")) if out.exists() else 0


def _assert_no_partial_files(out):
    for name in DATASETS:
        folder = out / name
        if folder.is_dir():
            for part in folder.glob("*.parquet"):
                pq.read_metadata(part)  # a torn file would not have a footer


def test_kill_9_then_rerun_equals_an_uninterrupted_run(prefect_server, tmp_path):
    raw = _corpus(tmp_path)
    _run(raw, tmp_path / "reference")
    reference = _tables(tmp_path / "reference")
    assert reference["documents"].num_rows == 163

    out = tmp_path / "killed"
    rng = random.Random(20261122)
    kills_during_startup = kills_mid_run = 0
    for _attempt in range(8):
        if kills_during_startup >= 1 and kills_mid_run >= 3:
            break
        before = _n_parts(out)
        proc = _start(raw, out)
        if not kills_during_startup:
            time.sleep(rng.uniform(0.2, 1.0))  # most likely during start-up
        else:  # while shards are being written: soon after this run's first new part
            deadline = time.monotonic() + 120
            while _n_parts(out) == before and proc.poll() is None:
                assert time.monotonic() < deadline
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 0.1))  # a whole run writes its parts within ~1.5 s
        if proc.poll() is None:
            mid_run = _n_parts(out) > before
            os.killpg(proc.pid, signal.SIGKILL)
            kills_mid_run += mid_run
            kills_during_startup += not mid_run
        proc.wait()
        _assert_no_partial_files(out)
    assert kills_mid_run >= 2, "the kills should land while parts are being written"
    _run(raw, out)
    resumed = _tables(out)
    for name in DATASETS:
        assert resumed[name].equals(reference[name]), name
    ids = resumed["documents"].column("doc_id").to_pylist()
    assert len(ids) == len(set(ids))
