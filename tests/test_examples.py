"""The analytics examples in examples/ run as a user would run them, from the folder holding
corpus_clean/, against the datasets of corpus_raw/."""

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest

from corpusprep import dedup, pipeline
from corpusprep.config import Config
from corpusprep.read import discover

ROOT = Path(__file__).resolve().parent.parent
SEED = "000_364bcb2ed17dc882.txt"
SYNDICATED = (
    "The agency said the figures would be revised again in the spring, once the final survey"
    " results were in."
)
WIRE = {
    "wire1.txt": "Unemployment in the region fell to its lowest level in a decade last month, the"
    " statistics agency reported on Friday.",
    "wire2.txt": "Factory output rose for a third straight month in March, helped by strong demand"
    " for machinery from abroad.",
}
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """corpus_raw/ (with an unreadable file and a copy of a seed added) cleaned into
    corpus_clean/, its duplicates found."""
    work = tmp_path_factory.mktemp("examples")
    raw = work / "corpus_raw"
    shutil.copytree(ROOT / "corpus_raw", raw)
    (raw / "binary.txt").write_bytes(bytes(range(256)) * 4)
    shutil.copy(raw / SEED, raw / "copy.txt")
    for name, own in WIRE.items():  # two short stories sharing one syndicated sentence
        (raw / name).write_text(f"{own}\n{SYNDICATED}\n", encoding="utf-8")
    paths = discover(raw)
    pipeline.process_shard(str(raw), str(work / "corpus_clean"), "k", paths, {}, Config())
    dedup.finish(work / "corpus_clean", Config())
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


def test_unique_sentences(workdir, monkeypatch):
    rows = _sql(workdir, "unique_sentences.sql", monkeypatch)
    clean = workdir / "corpus_clean"
    docs = {d["source_path"]: d for d in ds.dataset(clean / "documents").to_table().to_pylist()}
    sentences = ds.dataset(clean / "sentences").to_table().to_pylist()
    kept = {(r["doc_id"], r["sentence_index"]) for r in rows}
    seed, copy = docs[SEED]["doc_id"], docs["copy.txt"]["doc_id"]
    canonical, dropped = min(seed, copy), max(seed, copy)  # same text: the smaller id
    # the copy is gone; the canonical keeps the sentences only its cluster holds
    assert not any(doc_id == dropped for doc_id, _ in kept)
    mine = [s for s in sentences if s["doc_id"] == canonical]
    assert {(canonical, s["sentence_index"]) for s in mine if s["dup_count"] <= 2} <= kept
    assert any(s["dup_count"] == 2 for s in mine)
    # elsewhere, a sentence another document holds too is dropped
    wire = {docs[name]["doc_id"] for name in WIRE}
    assert {r["text"] for r in rows if r["doc_id"] in wire} == set(WIRE.values())
    assert [s["dup_count"] for s in sentences if s["text"] == SYNDICATED] == [2, 2]


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
