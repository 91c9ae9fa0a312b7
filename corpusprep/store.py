"""Store stage: declared Parquet schemas and atomic part-file writes.

Each shard writes one part file per dataset, named by the shard's key. A file appears under its
final name only by an atomic rename, so readers never see a half-written part; the `files` part
is written last and marks the shard complete.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

SCHEMA_VERSION = "1"
DATASETS = ("documents", "sentences", "removed", "files")
COMPLETION_DATASET = "files"  # written last: its presence means the shard is complete
PART_PREFIX = "part-"
TMP_SUFFIX = ".tmp"

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
}


def _with_metadata(schema: pa.Schema, name: str, extra: dict | None) -> pa.Schema:
    meta = {"corpusprep.schema_version": SCHEMA_VERSION, "corpusprep.dataset": name}
    if extra:
        meta["corpusprep.shard"] = json.dumps(extra, sort_keys=True)
    return schema.with_metadata(meta)


def part_name(key: str) -> str:
    return f"{PART_PREFIX}{key}.parquet"


def write_part(out_dir: Path, dataset: str, key: str, rows: list[dict], extra: dict | None = None):
    """Write rows as one Parquet part atomically (temp file, fsync, rename)."""
    folder = out_dir / dataset
    folder.mkdir(parents=True, exist_ok=True)
    schema = _with_metadata(SCHEMAS[dataset], dataset, extra)
    table = pa.Table.from_pylist(rows, schema=schema)
    final = folder / part_name(key)
    tmp = folder / f".{final.name}.{os.getpid()}{TMP_SUFFIX}"
    pq.write_table(table, tmp, compression="zstd")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, final)


def _part_key(filename: str) -> str | None:
    if filename.startswith(PART_PREFIX) and filename.endswith(".parquet"):
        return filename[len(PART_PREFIX) : -len(".parquet")]
    return None


def complete_parts(out_dir: Path) -> set[str]:
    """Keys of shards whose every dataset part exists."""
    keys = None
    for name in DATASETS:
        folder = out_dir / name
        names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
        found = {k for k in map(_part_key, names) if k}
        keys = found if keys is None else keys & found
    return keys or set()


def read_shard_summary(out_dir: Path, key: str) -> dict | None:
    """The summary a completed shard stored in its `files` part metadata."""
    path = out_dir / COMPLETION_DATASET / part_name(key)
    try:
        meta = pq.read_schema(path).metadata or {}
    except (OSError, pa.ArrowInvalid):
        return None
    raw = meta.get(b"corpusprep.shard")
    return json.loads(raw) if raw else None


def remove_stale(out_dir: Path, keep: set[str]) -> int:
    """Delete parts of shards no longer wanted and leftover temp files; return parts removed."""
    removed = 0
    for name in DATASETS:
        folder = out_dir / name
        if not folder.is_dir():
            continue
        for p in folder.iterdir():
            if p.name.endswith(TMP_SUFFIX):
                p.unlink(missing_ok=True)
            elif _part_key(p.name) not in keep | {None}:
                p.unlink(missing_ok=True)
                removed += 1
    return removed


MANIFEST = "_manifest.json"


def load_manifest(out_dir: Path) -> dict[str, list]:
    """The last run's {relative path: [size, mtime_ns, content hash]}; empty if none."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("files", {}) if isinstance(data, dict) else {}


def save_manifest(out_dir: Path, files: dict[str, list]) -> None:
    tmp = out_dir / f".{MANIFEST}.{os.getpid()}{TMP_SUFFIX}"
    tmp.write_text(json.dumps({"version": 1, "files": files}, sort_keys=True), encoding="utf-8")
    os.replace(tmp, out_dir / MANIFEST)
