"""Object storage through pyarrow file systems, tested on fsspec's in-memory file system.

`mem://NAME` locations are a test double for s3://: no rename, objects listed by prefix, and
(through the handlers below) denied reads and failing uploads.
"""

import json
import shutil

import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pytest
from fsspec.implementations.memory import MemoryFileSystem
from test_flow import _sort_keys
from test_pipeline import repeated_both_ways, site_pages

from corpusprep import dedup, fs, pipeline, plan, scan, store
from corpusprep.config import Config
from corpusprep.read import InputError, discover, read_file
from flows.cli import main

ACCESS_DENIED = "AWS Error ACCESS_DENIED during HeadObject operation: No response body."


class DeniedHandler(pafs.FSSpecHandler):
    """Objects whose path holds `word` are listed but cannot be read, as without rights."""

    def __init__(self, filesystem, word="secret"):
        super().__init__(filesystem)
        self.word = word

    def get_file_info(self, paths):
        if any(self.word in p for p in paths):
            raise PermissionError(f"When getting information for key '{paths[0]}': {ACCESS_DENIED}")
        return super().get_file_info(paths)


class FailingUploadHandler(pafs.FSSpecHandler):
    """Every upload breaks after it started (memory's object exists from the open on)."""

    def open_output_stream(self, path, metadata):
        target = self.fs.open(path, mode="wb")

        def broken(data):
            raise ConnectionResetError("connection reset during upload")

        target.write = broken
        return pa.PythonFile(target, mode="w")


def _memory(handler=pafs.FSSpecHandler, **options) -> pafs.PyFileSystem:
    """A fresh, private in-memory store (fsspec's default one is shared by the whole process)."""
    memory = MemoryFileSystem(global_store=False, skip_instance_cache=True)
    return pafs.PyFileSystem(handler(memory, **options))


def _at(filesystem: pafs.FileSystem, name: str) -> fs.Location:
    # fsspec's memory file system names its paths from "/"; pyarrow wants the same base back.
    return fs.Location(f"mem://{name}", filesystem, f"/{name}")


def _upload(where: fs.Location, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        with where.fs.open_output_stream(where.path(rel)) as out:
            out.write(data)


def _upload_folder(where: fs.Location, folder) -> None:
    files = [p for p in folder.rglob("*") if p.is_file()]
    _upload(where, {p.relative_to(folder).as_posix(): p.read_bytes() for p in files})


def _files_row(path="a.txt"):
    return {"source_path": path, "status": "ok", "error": None, "format": "txt", "n_bytes": 3}


# --- locations ---------------------------------------------------------------------------


def test_plain_paths_and_file_uris_stay_on_the_local_code(tmp_path):
    assert fs.resolve("corpus_raw").is_local and fs.resolve("corpus_raw").root == "corpus_raw"
    uri = fs.resolve(tmp_path.as_uri())
    assert uri.is_local and uri.root == str(tmp_path) and str(uri) == tmp_path.as_uri()
    assert fs.resolve(uri) is uri


def test_workers_get_uris_as_given_and_absolute_local_paths():
    assert fs.for_workers("s3://bucket/raw") == "s3://bucket/raw"
    assert fs.for_workers("file:///data/raw") == "file:///data/raw"
    assert fs.for_workers("corpus_raw").startswith("/")


def test_unknown_scheme_is_a_one_line_location_error():
    with pytest.raises(fs.LocationError) as err:
        fs.resolve("nosuch://bucket/raw")
    message = str(err.value)
    assert "nosuch://bucket/raw" in message and "Unrecognized" in message and "\n" not in message


# --- reading -----------------------------------------------------------------------------


def test_discover_lists_objects_below_the_root_without_hidden_ones():
    raw = _at(_memory(), "bucket/raw")
    _upload(raw, {"a.txt": b"a", "sub/b.html": b"<p>b</p>", ".cache/c.txt": b"c", "sub/.d": b"d"})
    _upload(_at(raw.fs, "bucket"), {"rawer/e.txt": b"e"})  # shares the prefix, not the folder
    assert discover(raw) == ["a.txt", "sub/b.html"]
    assert discover(_at(raw.fs, "bucket/missing")) == []


def test_read_file_on_object_store_and_its_clear_errors():
    raw = _at(_memory(), "bucket/raw")
    _upload(raw, {"a.txt": b"Hello there.\n", "folder.txt/x.txt": b"x", "big.txt": b"x" * 50})
    result = read_file(raw, "a.txt", Config(max_file_bytes=1000))
    assert result.n_bytes == 13 and result.docs[0].text == "Hello there.\n"
    with pytest.raises(InputError, match="cannot read file: object not found"):
        read_file(raw, "gone.txt", Config(max_file_bytes=1000))
    with pytest.raises(InputError, match=r"not a regular file \(a folder\)"):
        read_file(raw, "folder.txt", Config(max_file_bytes=1000))
    with pytest.raises(InputError, match="file too large: 50 bytes"):
        read_file(raw, "big.txt", Config(max_file_bytes=10))


def test_content_hashes_on_object_store_hash_again_without_mtimes():
    raw = _at(_memory(), "bucket/raw")
    _upload(raw, {"a.txt": b"one"})
    size, mtime, digest = plan.content_hashes(raw, ["a.txt"], {})["a.txt"]
    assert size == 3 and len(digest) == 32
    # fsspec's memory objects have no modification time: a stored hash cannot be trusted
    assert mtime is None
    assert plan.content_hashes(raw, ["a.txt"], {"a.txt": [3, None, "cafe"]})["a.txt"][2] == digest
    assert plan.content_hashes(raw, ["gone.txt"], {})["gone.txt"] == [None] * 3


def test_denied_object_is_recorded_as_failed_and_the_shard_goes_on():
    raw = _at(_memory(DeniedHandler), "bucket/raw")
    out = _at(raw.fs, "bucket/out")
    _upload(raw, {"ok.txt": b"A sentence that stays.\n", "secret.txt": b"Private.\n"})
    summary = pipeline.process_shard(raw, out, "k", discover(raw), {}, Config())
    assert summary["files"] == {"ok": 1, "failed": 1}
    files = {r["source_path"]: r for r in store.open_dataset(out, "files").to_table().to_pylist()}
    assert files["ok.txt"]["status"] == "ok"
    assert files["secret.txt"]["status"] == "failed"
    assert files["secret.txt"]["error"].startswith("cannot read file: When getting information")
    assert files["secret.txt"]["error"].endswith(ACCESS_DENIED)


def test_a_shard_on_object_store_equals_the_same_shard_on_disk(raw_corpus, tmp_path):
    raw, out = _at(_memory(), "bucket/raw"), _at(_memory(), "bucket/out")
    shutil.copy(raw_corpus / "page.html", raw_corpus / "copy.html")  # a duplicate cluster
    _upload_folder(raw, raw_corpus)
    config = Config()
    summaries, found = {}, {}
    for name, (src, dst) in {"disk": (raw_corpus, tmp_path / "out"), "bucket": (raw, out)}.items():
        paths = discover(src)
        repeated = scan.repeated_by_group([scan.scan_shard(src, paths, config)], config)
        hashes = plan.content_hashes(src, paths, {})
        key = plan.shard_key(paths, hashes, repeated, config)
        summaries[name] = pipeline.process_shard(src, dst, key, paths, repeated, config)
        found[name] = dedup.finish(dst, config)  # reads the signatures, rewrites the sentences
    assert summaries["bucket"] == summaries["disk"] | {"seconds": summaries["bucket"]["seconds"]}
    assert found["bucket"]["clusters"] == found["disk"]["clusters"] == 1
    for name in (*store.SHARD_DATASETS, store.DUPLICATES):
        on_disk = ds.dataset(tmp_path / "out" / name).to_table().sort_by(_sort_keys(name))
        in_bucket = store.open_dataset(out, name).to_table().sort_by(_sort_keys(name))
        assert in_bucket.num_rows and in_bucket.equals(on_disk), name


def test_a_partitioned_scan_on_object_store_equals_the_in_memory_count(monkeypatch):
    raw, out = _at(_memory(), "bucket/raw"), _at(_memory(), "bucket/out")
    for rel, text in site_pages().items():
        raw.put(rel, text.encode())
    # 36 files, 10 a partition: 4 partitions
    expected, found, spilled = repeated_both_ways(raw, out, monkeypatch, 10)
    assert spilled >= 4  # the keys went through the partition objects
    assert sorted(found) == sorted(expected) == ["a", "b", "c"]
    assert all(np.array_equal(found[g], expected[g]) for g in expected)
    assert out.list_names(scan.SCAN_SPILL) == []  # the scratch objects are deleted


# --- writing -----------------------------------------------------------------------------


def test_parts_on_object_store_complete_a_shard_only_with_every_dataset():
    out = _at(_memory(), "bucket/out")
    for name in store.SHARD_DATASETS:
        store.write_part(out, name, "full", [_files_row()] if name == "files" else [])
    store.write_part(out, "documents", "half", [])
    assert store.complete_parts(out) == {"full"}
    store.write_part(out, "files", "full", [_files_row()], extra={"documents": 1})
    assert store.read_shard_summary(out, "full") == {"documents": 1}
    assert store.read_shard_summary(out, "half") is None
    assert store.open_dataset(out, "files").to_table().num_rows == 1
    assert store.open_dataset(out, "missing") is None


def test_remove_stale_on_object_store():
    out = _at(_memory(), "bucket/out")
    for name in store.SHARD_DATASETS:
        store.write_part(out, name, "old", [])
        store.write_part(out, name, "new", [])
    _upload(out, {"documents/.part-x.parquet.123.tmp": b"left by an old local run"})
    assert store.remove_stale(out, keep={"new"}) == len(store.SHARD_DATASETS)
    for name in store.SHARD_DATASETS:
        assert out.list_names(name) == ["part-new.parquet"]


def test_manifest_and_run_records_on_object_store():
    out = _at(_memory(), "bucket/out")
    assert store.load_manifest(out) == {}
    store.save_manifest(out, {"a.txt": [3, None, "cafe"]})
    assert store.load_manifest(out) == {"a.txt": [3, None, "cafe"]}
    store.save_run_record(out, "20260101T000000Z", {"summary": {"documents": 1}})
    assert out.list_names("_runs") == ["run-20260101T000000Z.json"]
    assert json.loads(out.read_bytes("_runs/run-20260101T000000Z.json"))["summary"] == {
        "documents": 1
    }


def test_a_write_that_fails_while_encoding_leaves_no_part(monkeypatch):
    out = _at(_memory(), "bucket/out")

    def torn(self, table, *args, **kwargs):
        raise OSError("disk full")  # after the header: the in-memory file is half written

    monkeypatch.setattr(store.pq.ParquetWriter, "write_table", torn)
    with pytest.raises(OSError, match="disk full"):
        store.write_part(out, "files", "k", [_files_row()])
    assert out.list_names("files") == [] and store.complete_parts(out) == set()


def test_an_upload_that_fails_leaves_no_part():
    out = _at(_memory(FailingUploadHandler), "bucket/out")
    with pytest.raises(ConnectionResetError):
        store.write_part(out, "files", "k", [_files_row()])
    assert out.list_names("files") == [] and store.complete_parts(out) == set()
    with pytest.raises(ConnectionResetError):
        store.save_manifest(out, {})
    assert store.load_manifest(out) == {} and out.kind("_manifest.json") is None


# --- the command line ----------------------------------------------------------------------


@pytest.fixture
def mem_scheme(monkeypatch):
    """`mem://NAME` resolves to an in-memory store; `mem://denied/...` to one without rights."""
    stores = {"ok": _memory(), "denied": _memory(DeniedHandler, word="denied")}
    stores["readonly"] = _memory(FailingUploadHandler)
    real = fs._resolve_text

    def resolve(text):
        if not text.startswith("mem://"):
            return real(text)
        name = text.removeprefix("mem://")
        return _at(stores[name.split("/")[0]], name)

    monkeypatch.setattr(fs, "_resolve_text", resolve)
    return stores


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.startswith("corpusprep: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def test_cli_unknown_scheme_is_one_line_error(tmp_path, capsys):
    assert main(["run", "nosuch://bucket/raw", "--out", str(tmp_path / "o")]) == 2
    assert "Unrecognized filesystem type" in _one_line_error(capsys)
    (tmp_path / "raw").mkdir()
    assert main(["run", str(tmp_path / "raw"), "--out", "nosuch://bucket/clean"]) == 2
    assert "cannot open 'nosuch://bucket/clean'" in _one_line_error(capsys)


def test_cli_missing_input_uri_is_one_line_error(tmp_path, capsys, mem_scheme):
    assert main(["run", (tmp_path / "nope").as_uri(), "--out", str(tmp_path / "o")]) == 2
    assert "does not exist" in _one_line_error(capsys)
    assert main(["run", "mem://ok/raw", "--out", str(tmp_path / "o")]) == 2
    assert "input folder 'mem://ok/raw' does not exist" in _one_line_error(capsys)


def test_cli_store_without_rights_is_one_line_error(tmp_path, capsys, mem_scheme):
    assert main(["run", "mem://denied/raw", "--out", str(tmp_path / "o")]) == 2
    err = _one_line_error(capsys)
    assert "cannot read input folder 'mem://denied/raw'" in err and "ACCESS_DENIED" in err
    _upload(_at(mem_scheme["ok"], "ok/raw"), {"a.txt": b"text"})
    assert main(["run", "mem://ok/raw", "--out", "mem://readonly/clean"]) == 2
    err = _one_line_error(capsys)
    assert "cannot write to output folder 'mem://readonly/clean'" in err and "reset" in err


def test_cli_show_reads_a_uri_out_dir(tmp_path, raw_corpus, capsys, mem_scheme):
    out = _at(mem_scheme["ok"], "ok/clean")
    paths = discover(raw_corpus)
    pipeline.process_shard(str(raw_corpus), out, "k", paths, {}, Config())
    doc = store.open_dataset(out, "documents").to_table().to_pylist()[0]
    raw_copy = _at(mem_scheme["ok"], "ok/raw")
    _upload_folder(raw_copy, raw_corpus)
    args = ["show", doc["doc_id"], "--raw", "mem://ok/raw", "--out", "mem://ok/clean"]
    assert main([*args, "--color", "never"]) == 0
    assert doc["source_path"] in capsys.readouterr().out
