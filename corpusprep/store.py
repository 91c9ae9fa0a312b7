"""Store stage: declared Parquet schemas and atomic part-file writes.

Each shard writes one part file per dataset, named by the shard's key. A part appears under its
final name whole or not at all (a rename on a local disk, one put on object storage: see
`corpusprep.fs`), so readers listing a folder never see a half-written part; the `files` part
is written last and marks the shard complete.

`out_dir` is anything `fs.resolve` takes: a local path, a URI (s3://...) or a Location.
"""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from corpusprep import fs
from corpusprep.fs import TMP_SUFFIX

# 2: sentences gained sentence_hash and dup_count; the duplicates dataset
SCHEMA_VERSION = "2"
MINHASH = "_minhash"  # internal: each shard's MinHash signatures, read by `dedup`
DUPLICATES = "duplicates"  # one part for the corpus, written by `dedup` after the shards
COMPLETION_DATASET = "files"  # written last: its presence means the shard is complete
# The datasets each shard writes a part of, in the order it writes them.
SHARD_DATASETS = ("documents", "sentences", "removed", MINHASH, COMPLETION_DATASET)
# The datasets users read.
DATASETS = ("documents", "sentences", "removed", "files", DUPLICATES)
PART_PREFIX = "part-"

_STR = pa.string()
_I32 = pa.int32()

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [
            ("doc_id", _STR),
            ("source_path", _STR),
            ("format", _STR),
            ("text", _STR),
            ("language", _STR),
            ("language_score", pa.float32()),
            ("title", _STR),
            ("url", _STR),
            ("author", _STR),
            ("date", _STR),
            ("site", _STR),
            ("n_sentences", _I32),
            ("n_words", _I32),
            ("n_chars", _I32),
            ("n_raw_chars", _I32),
            ("n_lines_removed", _I32),
            ("ftfy_fixes", _I32),
            ("encoding", _STR),
            ("record_id", _STR),
            ("source_meta", _STR),
            ("config_hash", _STR),
            ("corpusprep_version", _STR),
        ]
    ),
    "sentences": pa.schema(
        [
            ("doc_id", _STR),
            ("sentence_index", _I32),
            ("paragraph_index", _I32),
            ("char_start", _I32),
            ("char_end", _I32),
            ("text", _STR),
            ("n_words", _I32),
            ("n_chars", _I32),
            ("language", _STR),
            ("site", _STR),
            ("date", _STR),
            # 64-bit hash of the normalised text (dedup.sentence_hash), set by the worker
            ("sentence_hash", pa.int64()),
            # documents holding that normalised sentence, set by the run's last step (null
            # until then)
            ("dup_count", _I32),
        ]
    ),
    "removed": pa.schema(
        [
            ("doc_id", _STR),
            ("line_no", _I32),
            ("text", _STR),
            ("reason", _STR),
            ("score", pa.float32()),
        ]
    ),
    "files": pa.schema(
        [
            ("source_path", _STR),
            ("status", _STR),
            ("error", _STR),
            ("format", _STR),
            ("n_bytes", pa.int64()),
            ("n_documents", _I32),
            ("n_documents_failed", _I32),
        ]
    ),
    DUPLICATES: pa.schema(
        [
            ("doc_id", _STR),
            ("cluster_id", _STR),  # the canonical document's doc_id
            ("canonical_doc_id", _STR),
            ("similarity", pa.float32()),  # estimated Jaccard with the canonical document
            ("kind", _STR),  # exact (same cleaned text as the canonical) or near
        ]
    ),
    MINHASH: pa.schema(
        [
            ("doc_id", _STR),
            ("n_chars", _I32),
            ("text_hash", pa.uint64()),  # of the cleaned text: tells exact copies
            ("signature", pa.list_(pa.uint32())),  # Config.dedup_permutations values
        ]
    ),
}


def _with_metadata(schema: pa.Schema, name: str, extra: dict | None) -> pa.Schema:
    meta = {"corpusprep.schema_version": SCHEMA_VERSION, "corpusprep.dataset": name}
    if extra:
        meta["corpusprep.shard"] = json.dumps(extra, sort_keys=True)
    return schema.with_metadata(meta)


def part_name(key: str) -> str:
    return f"{PART_PREFIX}{key}.parquet"


def write_part(out_dir, dataset: str, key: str, rows: list[dict], extra: dict | None = None):
    """Write rows as one Parquet part, visible only once whole."""
    part = PartBuffer(dataset, extra)
    part.extend(rows)
    part.write(out_dir, key)


# Rows a part holds in Python lists before they are encoded as a Parquet row group: a shard's
# memory is then bounded by this, not by its number of documents (a shard of big JSONL or WARC
# files holds millions of rows).
FLUSH_ROWS = 50_000


class PartBuffer:
    """One dataset's part of one shard, encoded in memory a row group at a time and written
    once whole. In memory first: an error while encoding then leaves nothing behind, even on
    a store where an upload becomes an object as soon as it is closed.

    Rows are kept as columns (one list per field) until encoded: a third of the memory of a
    dict per row, and a third of the time to build and encode (see docs/decisions.md)."""

    def __init__(self, dataset: str, extra: dict | None = None):
        self.schema = _with_metadata(SCHEMAS[dataset], dataset, extra)
        self.dataset = dataset
        self.n_rows = 0
        self._new_row_group()
        self._sink = pa.BufferOutputStream()
        self._writer = pq.ParquetWriter(self._sink, self.schema, compression="zstd")

    def extend(self, rows: list[dict]) -> None:
        """Add rows given as dicts (a missing field is null)."""
        for name, column in self._columns.items():
            column.extend([row.get(name) for row in rows])
        self._added(len(rows))

    def extend_columns(self, columns: dict[str, list], n: int) -> None:
        """Add `n` rows given as one list of `n` values per field of the schema."""
        for name, column in self._columns.items():
            column.extend(columns[name])
        self._added(n)

    def _added(self, n: int) -> None:
        self.n_rows += n
        self._pending += n
        if self._pending >= FLUSH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            table = pa.Table.from_pydict(self._columns, schema=self.schema)
            self._writer.write_table(table)
            self._new_row_group()

    def _new_row_group(self) -> None:
        self._columns: dict[str, list] = {name: [] for name in self.schema.names}
        self._pending = 0  # rows in the columns

    def write(self, out_dir, key: str) -> None:
        """Encode what is left, close the file and put it under its final name."""
        self._flush()
        self._writer.close()
        fs.resolve(out_dir).put(f"{self.dataset}/{part_name(key)}", self._sink.getvalue())


def part_key(filename: str) -> str | None:
    if filename.startswith(PART_PREFIX) and filename.endswith(".parquet"):
        return filename[len(PART_PREFIX) : -len(".parquet")]
    return None


def complete_parts(out_dir) -> set[str]:
    """Keys of shards whose every dataset part exists."""
    out = fs.resolve(out_dir)
    keys = None
    for name in SHARD_DATASETS:
        found = {k for k in map(part_key, out.list_names(name)) if k}
        keys = found if keys is None else keys & found
    return keys or set()


def read_shard_summary(out_dir, key: str) -> dict | None:
    """The summary a completed shard stored in its `files` part metadata."""
    out = fs.resolve(out_dir)
    path = out.path(f"{COMPLETION_DATASET}/{part_name(key)}")
    try:
        meta = pq.read_schema(path, filesystem=out.fs).metadata or {}
    except (OSError, pa.ArrowInvalid):
        return None
    raw = meta.get(b"corpusprep.shard")
    return json.loads(raw) if raw else None


def remove_stale(out_dir, keep: set[str]) -> int:
    """Delete parts of shards no longer wanted and leftover temp files; return parts removed."""
    out = fs.resolve(out_dir)
    for filename in out.list_names(DUPLICATES):  # one part, replaced by each run's last step
        if filename.endswith(TMP_SUFFIX):
            out.delete(f"{DUPLICATES}/{filename}")
    removed = 0
    for name in SHARD_DATASETS:
        for filename in out.list_names(name):
            if filename.endswith(TMP_SUFFIX):
                out.delete(f"{name}/{filename}")
            elif part_key(filename) not in keep | {None}:
                out.delete(f"{name}/{filename}")
                removed += 1
    return removed


def open_dataset(out_dir, name: str) -> ds.Dataset | None:
    """One output dataset for reading, or None when its folder does not exist."""
    out = fs.resolve(out_dir)
    if out.kind(name) != "folder":
        return None
    return ds.dataset(out.path(name), filesystem=out.fs)


MANIFEST = "_manifest.json"
RUNS = "_runs"


def load_manifest(out_dir) -> dict[str, list]:
    """The last run's {relative path: [size, mtime_ns, content hash]}; empty if none."""
    try:
        data = json.loads(fs.resolve(out_dir).read_bytes(MANIFEST) or b"{}")
    except (OSError, ValueError):
        return {}
    return data.get("files", {}) if isinstance(data, dict) else {}


def save_manifest(out_dir, files: dict[str, list]) -> None:
    fs.resolve(out_dir).put_json(MANIFEST, {"version": 1, "files": files}, sort_keys=True)


def load_run_records(out_dir) -> list[dict]:
    """The run records under `_runs/`, oldest first (their names sort by time)."""
    out = fs.resolve(out_dir)
    records = []
    for name in sorted(n for n in out.list_names(RUNS) if n.endswith(".json")):
        try:
            records.append(json.loads(out.read_bytes(f"{RUNS}/{name}") or b"{}"))
        except (OSError, ValueError):
            continue  # a damaged record: the others still tell
    return records


def save_run_record(out_dir, stamp: str, record: dict) -> None:
    """Keep one run's record as `_runs/run-<stamp>.json`."""
    out = fs.resolve(out_dir)
    out.put_json(f"{RUNS}/run-{stamp}.json", record, indent=2, sort_keys=True, default=str)
