"""`corpusprep stats`: the datasets' summary, checked against the datasets read directly."""

import json
import shutil
from collections import Counter

import pyarrow.dataset as ds
import pytest

from corpusprep import dedup, pipeline
from corpusprep.config import Config
from corpusprep.read import discover
from corpusprep.stats import corpus_stats
from flows import cli


@pytest.fixture
def out(raw_corpus, tmp_path):
    (raw_corpus / "news" / "broken.jsonl").write_text('{"text": "fine enough text here"}\n{oops\n')
    (raw_corpus / "binary.txt").write_bytes(bytes(range(256)) * 4)
    shutil.copy(raw_corpus / "page.html", raw_corpus / "copy.html")
    out = tmp_path / "out"
    pipeline.process_shard(str(raw_corpus), str(out), "k", discover(raw_corpus), {}, Config())
    dedup.finish(out, Config())
    return out


def _table(out, name):
    return ds.dataset(out / name).to_table().to_pylist()


def test_the_summary_counts_what_the_datasets_hold(out):
    stats = corpus_stats(str(out))
    docs, removed, files = _table(out, "documents"), _table(out, "removed"), _table(out, "files")
    assert stats["totals"]["documents"] == len(docs)
    assert stats["totals"]["words"] == sum(d["n_words"] for d in docs)
    assert stats["files"] == dict(Counter(f["status"] for f in files))
    langs = Counter(d["language"] or "(unknown)" for d in docs)
    assert {r["language"]: r["documents"] for r in stats["by_language"]} == dict(langs)
    reasons = Counter(r["reason"] for r in removed)
    assert {r["reason"]: r["lines"] for r in stats["removal_reasons"]} == dict(reasons)
    failed = {f["error"] for f in files if f["status"] == "failed"}
    assert {r["error"] for r in stats["failures"]} == failed and len(failed) == 2
    dups, sentences = _table(out, "duplicates"), _table(out, "sentences")
    assert stats["duplicates"] == {
        "clusters": 1,
        "documents": 2,
        "exact": 2,
        "repeated_sentences": sum(s["dup_count"] > 1 for s in sentences),
    }
    assert len(dups) == 2 and stats["duplicates"]["repeated_sentences"] > 0
    site_of = {d["doc_id"]: d["site"] or "(unknown)" for d in docs}
    times = Counter((site_of[r["doc_id"]], r["reason"], r["text"]) for r in removed)
    for row in stats["removed_most_often"]:
        assert times[(row["site"], row["reason"], row["text"])] == row["times"]
        same_site = [n for (site, _, _), n in times.items() if site == row["site"]]
        assert sum(n > row["times"] for n in same_site) < 3  # among the site's top three


def test_the_command_prints_tables_or_json(out, capsys):
    assert cli.main(["stats", str(out)]) == 0
    text = capsys.readouterr().out
    assert "removal reasons" in text and "failed files by error" in text
    assert "duplicate clusters: 1 (2 documents, 2 exact" in text
    assert cli.main(["stats", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["documents"] > 0


def test_no_datasets_is_one_line_error(tmp_path, capsys):
    assert cli.main(["stats", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith("corpusprep: error: no datasets in")
