"""The analytics examples in examples/ run as a user would run them, from the folder holding
corpus_clean/, against the datasets of corpus_raw/."""

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest

from corpusprep import pipeline
from corpusprep.config import Config
from corpusprep.read import discover

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """corpus_raw/ (with an unreadable file added) cleaned into corpus_clean/."""
    work = tmp_path_factory.mktemp("examples")
    raw = work / "corpus_raw"
    shutil.copytree(ROOT / "corpus_raw", raw)
    (raw / "binary.txt").write_bytes(bytes(range(256)) * 4)
    paths = discover(raw)
    pipeline.process_shard(str(raw), str(work / "corpus_clean"), "k", paths, {}, Config())
    return work


def _sql(workdir, name, monkeypatch):
    monkeypatch.chdir(workdir)
    con = duckdb.connect()
    cursor = con.execute((EXAMPLES / name).read_text(encoding="utf-8"))
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def test_language_mix(workdir, monkeypatch):
    rows = _sql(workdir, "language_mix.sql", monkeypatch)
    docs = ds.dataset(workdir / "corpus_clean" / "documents").to_table().to_pylist()
    assert sum(r["documents"] for r in rows) == len(docs) > 0
    assert {r["language"] for r in rows} >= {"en"}


def test_removal_reasons_per_site(workdir, monkeypatch):
    rows = _sql(workdir, "removal_reasons_per_site.sql", monkeypatch)
    removed = ds.dataset(workdir / "corpus_clean" / "removed").count_rows()
    assert sum(r["lines"] for r in rows) == removed > 0
    assert all(r["example"] for r in rows)


def test_sentences_with_documents(workdir, monkeypatch):
    rows = _sql(workdir, "sentences_with_documents.sql", monkeypatch)
    assert rows and all(5 <= len(r["text"].split()) <= 60 for r in rows)


def test_failed_files(workdir, monkeypatch):
    rows = _sql(workdir, "failed_files.sql", monkeypatch)
    assert [r["source_path"] for r in rows] == ["binary.txt"] and rows[0]["error"]


def test_polars_example(workdir):
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "language_mix_polars.py")],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "kept_share" in done.stdout and "en" in done.stdout
