"""The Prefect flow and the CLI, end to end, on a small corpus (one Prefect server per session)."""

import json
import logging
import shutil

import duckdb
import pyarrow.dataset as ds
import pytest
from conftest import FIXTURES
from test_pipeline import write_site_pages

from corpusprep.store import DATASETS, MINHASH
from flows.cli import main


def _tables(out):
    return {name: ds.dataset(out / name).to_table().sort_by(_sort_keys(name)) for name in DATASETS}


def _sort_keys(name):
    keys = {
        "documents": ["doc_id"],
        "sentences": ["doc_id", "sentence_index"],
        "removed": ["doc_id", "line_no", "text"],
        "files": ["source_path"],
        "duplicates": ["doc_id"],
        "_minhash": ["doc_id"],
    }[name]
    return [(k, "ascending") for k in keys]


@pytest.fixture
def flow_run(prefect_server):
    from flows.prepare import prepare_corpus

    def run(raw, out, workers=2):
        return prepare_corpus(str(raw), str(out), workers=workers)

    return run


def test_flow_writes_datasets_duckdb_reads_and_rerun_is_idempotent(flow_run, raw_corpus, tmp_path):
    out = tmp_path / "clean"
    first = flow_run(raw_corpus, out)
    assert first["files"] == {"ok": 4}
    assert first["documents"] == 4 and first["shards_reused"] == 0
    # the flow process's own CPU (the bench's measure of Prefect's client): some, not the workers'
    assert 0 < first["flow_process_cpu_seconds"] < first["wall_seconds"] * 2
    for name in DATASETS:
        n = duckdb.sql(f"select count(*) from read_parquet('{out}/{name}/**/*.parquet')").fetchall()
        assert n[0][0] == ds.dataset(out / name).to_table().num_rows
    before = _tables(out)
    assert before["sentences"].num_rows == first["sentences"]

    again = flow_run(raw_corpus, out, workers=1)
    assert again["shards_reused"] == again["shards"]
    after = _tables(out)
    for name in DATASETS:
        assert after[name].equals(before[name]), name


def _signature_parts(out):
    """The `_minhash` parts by name, with what tells a rewrite (inode, modification time)."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (out / MINHASH).iterdir()}


def _dup_counts(out, source_path):
    doc_ids = {d["doc_id"] for d in _rows(out, "documents") if d["source_path"] == source_path}
    return {s["dup_count"] for s in _rows(out, "sentences") if s["doc_id"] in doc_ids}


def _rows(out, name):
    return ds.dataset(out / name).to_table().to_pylist()


def test_flow_processes_only_new_files_and_forgets_deleted_ones(flow_run, raw_corpus, tmp_path):
    out = tmp_path / "clean"
    first = flow_run(raw_corpus, out)
    assert first["duplicates"]["clusters"] == 0 and _rows(out, "duplicates") == []
    assert _dup_counts(out, "page.html") == {1}
    signatures = _signature_parts(out)
    shutil.copy(FIXTURES / "html" / "article.html", raw_corpus / "copy.html")  # = page.html
    added = flow_run(raw_corpus, out)
    assert added["shards"] - added["shards_reused"] == 1
    paths = ds.dataset(out / "documents").to_table().column("source_path").to_pylist()
    assert sorted(paths).count("copy.html") == 1 and len(paths) == 5
    # the copy joins page.html in a cluster; the unchanged shards' signatures were not redone
    ids = {d["source_path"]: d["doc_id"] for d in _rows(out, "documents")}
    dups = _rows(out, "duplicates")
    assert sorted(d["doc_id"] for d in dups) == sorted([ids["page.html"], ids["copy.html"]])
    assert {d["kind"] for d in dups} == {"exact"} and len({d["cluster_id"] for d in dups}) == 1
    now = _signature_parts(out)
    kept = signatures.keys() & now.keys()
    assert len(now) - len(kept) == 1 and len(kept) >= len(signatures) - 1
    assert all(now[name] == signatures[name] for name in kept)
    assert _dup_counts(out, "page.html") == _dup_counts(out, "copy.html") == {2}

    (raw_corpus / "page.html").unlink()
    removed = flow_run(raw_corpus, out)
    assert removed["stale_parts_removed"] >= 1
    files = ds.dataset(out / "files").to_table().column("source_path").to_pylist()
    assert "page.html" not in files and len(files) == 4
    assert _rows(out, "duplicates") == [] and _dup_counts(out, "copy.html") == {1}


def test_worker_count_does_not_change_the_datasets(flow_run, raw_corpus, tmp_path):
    flow_run(raw_corpus, tmp_path / "one", workers=1)
    flow_run(raw_corpus, tmp_path / "two", workers=2)
    one, two = _tables(tmp_path / "one"), _tables(tmp_path / "two")
    for name in DATASETS:
        assert one[name].equals(two[name]), name


def test_a_partitioned_scan_gives_the_same_datasets(flow_run, tmp_path, monkeypatch):
    from corpusprep import scan

    raw = tmp_path / "raw"
    write_site_pages(raw)
    flow_run(raw, tmp_path / "whole")
    monkeypatch.setattr(scan, "SCAN_FILES_PER_PARTITION", 5)  # 36 files: 8 partitions
    flow_run(raw, tmp_path / "partitioned")
    whole, parted = _tables(tmp_path / "whole"), _tables(tmp_path / "partitioned")
    reasons = whole["removed"].column("reason").to_pylist()
    assert reasons.count("boilerplate.repeated") >= 3 * 9  # the menus, found repeated
    for name in DATASETS:
        assert parted[name].equals(whole[name]), name
    assert not (tmp_path / "partitioned" / scan.SCAN_SPILL).exists()


def test_cli_run_prints_a_summary(prefect_server, raw_corpus, tmp_path, capsys):
    assert main(["run", str(raw_corpus), "--out", str(tmp_path / "c"), "--workers", "1"]) == 0
    captured = capsys.readouterr()
    assert "files ok" in captured.out and "sentences" in captured.out
    assert "wall time" in captured.out
    # The test harness's API, configured in this process, is used: no server of the run's own
    from prefect.settings import get_current_settings

    assert "tip:" not in captured.err
    assert get_current_settings().api.url in captured.out


def test_file_uris_give_the_same_datasets_as_paths(flow_run, raw_corpus, tmp_path, capsys):
    """URIs go through the CLI's checks, the flow and the workers as strings, never as paths."""
    from flows.prepare import prepare_corpus

    flow_run(raw_corpus, tmp_path / "paths")
    raw_uri, out_uri = raw_corpus.as_uri(), (tmp_path / "uris").as_uri()
    assert main(["run", raw_uri, "--out", out_uri, "--workers", "1"]) == 0
    paths, uris = _tables(tmp_path / "paths"), _tables(tmp_path / "uris")
    for name in DATASETS:
        assert uris[name].equals(paths[name]), name
    assert list((tmp_path / "uris" / "_runs").glob("run-*.json"))
    again = prepare_corpus(raw_uri, out_uri, workers=1)  # the manifest and parts are found
    assert again["shards_reused"] == again["shards"] and again["files_unchanged"] == 4
    capsys.readouterr()
    doc_id = uris["documents"].column("doc_id")[0].as_py()
    assert main(["show", doc_id, "--raw", raw_uri, "--out", out_uri, "--color", "never"]) == 0
    assert doc_id in capsys.readouterr().out


def _artifacts_of(flow_run_id) -> dict:
    """The artifacts of one flow run, by key, read back through the Prefect API."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return {a.key: a for a in found}


def test_the_flow_run_publishes_its_summary_as_artifacts(prefect_server, raw_corpus, tmp_path):
    from flows import artifacts
    from flows.prepare import prepare_corpus

    (raw_corpus / "forum").mkdir()
    (raw_corpus / "forum" / "thread.txt").write_text("A short post about the weather today.\n")
    (raw_corpus / "forum" / "notes.pdf").write_bytes(b"%PDF-1.4")
    out = tmp_path / "clean"
    state = prepare_corpus(str(raw_corpus), str(out), workers=1, return_state=True)
    result = state.result()
    found = _artifacts_of(state.state_details.flow_run_id)
    assert set(found) == {
        artifacts.KEY_PROGRESS,
        artifacts.KEY_SUMMARY,
        artifacts.KEY_FOLDERS,
        artifacts.KEY_REASONS,
    }
    assert found[artifacts.KEY_PROGRESS].data == 100.0
    markdown = found[artifacts.KEY_SUMMARY].data
    assert result["documents"] == 5
    assert (
        "| documents | 5 |" in markdown and "| files skipped (not a known format) | 1 |" in markdown
    )
    assert f"corpusprep report {out}" in markdown  # no report yet: the command that makes it
    folders = {r["folder"]: r for r in json.loads(found[artifacts.KEY_FOLDERS].data)}
    assert set(folders) == {"news", "forum", artifacts.TOP_LEVEL}
    assert (folders["news"]["files"], folders["news"]["documents"]) == (3, 3)
    assert (folders["forum"]["files"], folders["forum"]["skipped"]) == (2, 1)
    reasons = {r["reason"]: r["lines"] for r in json.loads(found[artifacts.KEY_REASONS].data)}
    assert reasons == result["removed"] and sum(reasons.values()) > 0

    # a second run (every shard kept) publishes the same counts from the stored summaries
    again = prepare_corpus(str(raw_corpus), str(out), workers=1, return_state=True)
    kept = _artifacts_of(again.state_details.flow_run_id)
    assert json.loads(kept[artifacts.KEY_FOLDERS].data) == json.loads(
        found[artifacts.KEY_FOLDERS].data
    )


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def test_artifacts_that_cannot_be_published_do_not_fail_the_run(
    prefect_server, raw_corpus, tmp_path, monkeypatch
):
    import prefect.artifacts

    from flows.prepare import prepare_corpus

    def down(*args, **kwargs):
        raise ConnectionError("the API is down")

    for name in ("create_markdown_artifact", "create_table_artifact", "create_progress_artifact"):
        monkeypatch.setattr(prefect.artifacts, name, down)
    run_logger, ours = (
        logging.getLogger("prefect.flow_runs"),
        logging.getLogger("corpusprep.artifacts"),
    )
    to_run, to_ours, level = _Records(), _Records(), run_logger.level
    run_logger.addHandler(to_run)
    ours.addHandler(to_ours)
    try:
        run_logger.setLevel(logging.INFO)  # as `corpusprep run --verbose` leaves it
        result = prepare_corpus(str(raw_corpus), str(tmp_path / "clean"), workers=1)
        assert result["documents"] == 4
        assert "could not publish the summary artifact: ConnectionError: the API is down" in (
            to_run.messages
        )  # on the run's page in the UI
        # with the run's logger silenced, as the CLI does, the warning reaches the terminal
        run_logger.setLevel(logging.CRITICAL)
        prepare_corpus(str(raw_corpus), str(tmp_path / "clean"), workers=1)
        assert "could not publish the folders artifact: ConnectionError: the API is down" in (
            to_ours.messages
        )
    finally:
        run_logger.removeHandler(to_run)
        ours.removeHandler(to_ours)
        run_logger.setLevel(level)


def test_folder_counts_merge_and_say_what_they_do_not_cover():
    from flows import artifacts
    from flows.prepare import merge_summaries

    base = {"documents": 1, "sentences": 2, "removed": {}, "bytes": 0, "failures": []}
    new = {**base, "files": {"ok": 2}, "folders": {"a": {"files": 1, "ok": 1}, ".": {"files": 1}}}
    also = {**base, "files": {"failed": 1}, "folders": {"a": {"files": 1, "failed": 1}}}
    old = {**base, "files": {"ok": 3}}  # a shard summary kept from before the counts
    rows = artifacts.folder_rows(merge_summaries([new, also, old]))
    assert rows == [
        {"folder": "a", "files": 2, "ok": 1, "failed": 1, "skipped": 0, "documents": 0},
        {"folder": artifacts.TOP_LEVEL, "files": 1, "ok": 0, "failed": 0, "skipped": 0,
         "documents": 0},
        {"folder": artifacts.UNCOUNTED, "files": 3, "ok": 0, "failed": 0, "skipped": 0,
         "documents": 0},
    ]  # fmt: skip


def test_cli_listing_failure_in_the_flow_is_one_line_error(
    prefect_server, raw_corpus, tmp_path, capsys, monkeypatch
):
    # the flow lists the input (once per run); a listing that breaks is the user's problem to
    # fix, shown in one line
    from flows import prepare

    def broken(raw_dir):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(prepare, "discover", broken)
    assert main(["run", str(raw_corpus), "--out", str(tmp_path / "c"), "--workers", "1"]) == 2
    err = [ln for ln in capsys.readouterr().err.splitlines() if not ln.startswith("tip:")]
    assert err == [
        f"corpusprep: error: cannot list input folder {str(raw_corpus)!r}: Input/output error"
    ]  # and no Prefect log line or traceback before it


def test_progress_bar_learns_the_file_count_from_the_flow():
    from flows.report import Progress

    with Progress(enabled=True) as bar:
        bar.set_total(7)
        bar.advance(3)
        assert bar._bar.tasks[0].total == 7 and bar._bar.tasks[0].completed == 3


def test_cli_missing_input_is_one_line_error(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope"), "--out", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err and "Traceback" not in err


def test_cli_unwritable_output_is_one_line_error(tmp_path, capsys):
    (tmp_path / "raw").mkdir()
    (tmp_path / "file").write_text("x")
    assert main(["run", str(tmp_path / "raw"), "--out", str(tmp_path / "file" / "sub")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("corpusprep: error: cannot write to output folder")


def test_cli_rejects_zero_workers(tmp_path, capsys):
    (tmp_path / "raw").mkdir()
    assert main(["run", str(tmp_path / "raw"), "--out", str(tmp_path / "o"), "--workers", "0"]) == 2
    assert "--workers" in capsys.readouterr().err


def test_show_marks_removed_lines_with_their_rule(raw_corpus, capsys):
    seed = raw_corpus / "news" / "000_364bcb2ed17dc882.txt"
    assert main(["show", str(seed), "--raw", str(raw_corpus), "--color", "never"]) == 0
    lines = capsys.readouterr().out.splitlines()
    kept = next(ln for ln in lines if "swift deployment" in ln)
    gone = next(ln for ln in lines if ln.rstrip().endswith("17 minutes -"))
    assert "- [" not in kept
    assert "- [" in gone and "]" in gone.split("- [", 1)[1]


def test_show_unknown_target_is_one_line_error(tmp_path, capsys):
    assert main(["show", "no-such-doc", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith("corpusprep: error:")
