from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq

from corpusprep import store
from corpusprep.store import DATASETS, SCHEMAS


def test_parts_carry_declared_schema_and_version(tmp_path):
    store.write_part(tmp_path, "removed", "k1", [], extra=None)
    schema = pq.read_schema(tmp_path / "removed" / "part-k1.parquet")
    assert schema.metadata[b"corpusprep.schema_version"] == store.SCHEMA_VERSION.encode()
    # declared, not inferred: an empty part still has every column with its type
    assert schema.field("score").type == store.SCHEMAS["removed"].field("score").type
    assert schema.names == store.SCHEMAS["removed"].names


def test_write_leaves_no_temp_files_and_reads_as_one_dataset(tmp_path):
    rows = [
        {
            "source_path": "a.txt",
            "status": "ok",
            "error": None,
            "format": "txt",
            "n_bytes": 3,
            "n_documents": 1,
        }
    ]
    store.write_part(tmp_path, "files", "k1", rows, extra={"documents": 1})
    store.write_part(tmp_path, "files", "k2", rows, extra={"documents": 2})
    assert sorted(p.name for p in (tmp_path / "files").iterdir()) == [
        "part-k1.parquet",
        "part-k2.parquet",
    ]
    assert ds.dataset(tmp_path / "files").to_table().num_rows == 2
    assert store.read_shard_summary(tmp_path, "k2") == {"documents": 2}


def test_shard_complete_only_when_every_dataset_has_its_part(tmp_path):
    for name in store.SHARD_DATASETS:
        store.write_part(tmp_path, name, "full", [])
    store.write_part(tmp_path, "documents", "half", [])
    for name in store.SHARD_DATASETS:
        if name != store.MINHASH:  # a shard without its signatures is not complete either
            store.write_part(tmp_path, name, "unsigned", [])
    assert store.complete_parts(tmp_path) == {"full"}


def test_remove_stale_parts_and_temp_files(tmp_path):
    for name in store.SHARD_DATASETS:
        store.write_part(tmp_path, name, "old", [])
        store.write_part(tmp_path, name, "new", [])
    store.write_part(tmp_path, store.DUPLICATES, "all", [])  # the corpus's, kept
    (tmp_path / "documents" / ".part-x.parquet.123.tmp").write_bytes(b"partial")
    (tmp_path / store.DUPLICATES / ".part-all.parquet.123.tmp").write_bytes(b"partial")
    assert store.remove_stale(tmp_path, keep={"new"}) == len(store.SHARD_DATASETS)
    for name in store.SHARD_DATASETS:
        assert [p.name for p in (tmp_path / name).iterdir()] == ["part-new.parquet"]
    assert [p.name for p in (tmp_path / store.DUPLICATES).iterdir()] == ["part-all.parquet"]


def test_readme_documents_every_column():
    """The README's dataset section names each column the code declares, dataset by dataset."""
    import re

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## The datasets") : readme.index("## Querying")]
    starts = {name: section.index(f"`{name}`:") for name in DATASETS}
    bounds = sorted(starts.values()) + [len(section)]
    for name, start in starts.items():
        text = section[start : bounds[bounds.index(start) + 1]]
        words = set(re.findall(r"\w+", text))
        missing = [f.name for f in SCHEMAS[name] if f.name not in words]
        assert not missing, f"{name}: columns not in the README: {missing}"
