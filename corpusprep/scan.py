"""The scan pass: before any shard is cleaned, find per folder the lines that occur in many of
its documents (site chrome), counted in this process or, for a big corpus, in spilled
partitions by the workers."""

from __future__ import annotations

import hashlib
import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from corpusprep import fs
from corpusprep.clean import line_keys, repeat_threshold
from corpusprep.config import Config
from corpusprep.normalize import normalize
from corpusprep.plan import group_of
from corpusprep.read import InputError, format_of, read_file


@dataclass
class GroupScan:
    """One folder's lines as the scan pass saw them: each document's distinct line keys, all
    in one array (8 bytes a line, where a Counter of keys would take ~100), and beside each
    key a hash of its document's text, so that a document saved twice counts once."""

    n_docs: int
    keys: np.ndarray  # uint64
    docs: np.ndarray  # uint64, the same length: the text hash of the key's document


def scan_shard(raw_dir: str, rel_paths: list[str], config: Config) -> dict[str, GroupScan]:
    """First, cheap pass: per group (folder), the distinct line keys of each document.

    Only plain-text inputs are scanned: HTML goes through trafilatura, which removes the
    site's repeated chrome itself.
    """
    keys: dict[str, array] = defaultdict(lambda: array("Q"))
    texts: dict[str, array] = defaultdict(lambda: array("Q"))  # beside each key, its text hash
    n_docs: Counter = Counter()
    for rel in rel_paths:
        if format_of(rel) != "txt":
            continue
        try:
            docs = read_file(raw_dir, rel, config).docs
        except InputError:
            continue
        group = group_of(rel)
        for doc in docs:
            text, _ = normalize(doc.text)  # the lines as the cleaner will see them
            found = line_keys(text)
            keys[group].extend(found)
            texts[group].extend(array("Q", [_text_hash(text)]) * len(found))
            n_docs[group] += 1
    return {
        g: GroupScan(
            n_docs[g],
            np.frombuffer(keys[g], dtype=np.uint64),
            np.frombuffer(texts[g], dtype=np.uint64),
        )
        for g in sorted(n_docs)
    }


def _text_hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def repeated_by_group(
    scans: Iterable[dict[str, GroupScan]], config: Config
) -> dict[str, np.ndarray]:
    """Merge the scan pass's shards; keep, per group, the lines found in many documents: their
    keys as a sorted uint64 array. Arrays, not sets, because every shard task carries the
    repeated lines of all its groups to a worker, and pickling an array is a copy of its bytes
    where a set is pickled element by element."""
    parts: dict[str, list[tuple[np.ndarray, np.ndarray]]] = defaultdict(list)
    n_docs: Counter = Counter()
    for shard in scans:
        for group, scan in shard.items():
            parts[group].append((scan.keys, scan.docs))
            n_docs[group] += scan.n_docs
    return _frequent(parts, _thresholds(n_docs, config))


def _thresholds(n_docs: Counter, config: Config) -> dict[str, int]:
    """Per group, in how many of its documents a line must occur to count as repeated."""
    return {g: repeat_threshold(k, config.clean) for g, k in n_docs.items()}


def _frequent(
    parts: dict[str, list[tuple[np.ndarray, np.ndarray]]], thresholds: dict[str, int]
) -> dict[str, np.ndarray]:
    """Per group, the sorted distinct keys of its (keys, document hashes) arrays that occur
    in at least its threshold of distinct document texts: two copies of one article do not
    make its lines repeated. Empties `parts` as it goes."""
    out = {}
    for group in sorted(parts):
        pieces = parts.pop(group)
        keys = np.concatenate([k for k, _ in pieces])
        docs = np.concatenate([d for _, d in pieces])
        order = np.lexsort((docs, keys))
        keys, docs = keys[order], docs[order]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])
        keys, counts = np.unique(keys[first], return_counts=True)
        out[group] = keys[counts >= thresholds[group]]
    return out


# Beyond this many files the scan's line keys (~1.3 KB a text page) are not brought together
# in the flow process: they are counted in hash partitions of the keys, each by one worker,
# so that no process holds more than about this many files' keys at once.
SCAN_FILES_PER_PARTITION = 50_000
SCAN_SPILL = "_scan"  # scratch folder in the output location, removed by the same run


def find_repeated(
    executor: Executor, raw_dir: str, shards: list[list[str]], config: Config, out_dir: str
) -> dict[str, np.ndarray]:
    """The repeated lines of each group (folder), as `repeated_by_group` gives them: the scan
    pass over all shards on `executor`, then the counting.

    A corpus of up to SCAN_FILES_PER_PARTITION files is counted in this process. A bigger one
    is written by the scan, split by key into partitions, under `out_dir`/SCAN_SPILL (every
    worker can reach the output location), and each partition is counted by a worker; the
    folder is removed afterwards. Both give the same arrays (tested)."""
    n = len(shards)
    parts = math.ceil(sum(map(len, shards)) / SCAN_FILES_PER_PARTITION)
    if parts <= 1:
        return repeated_by_group(
            executor.map(scan_shard, [raw_dir] * n, shards, [config] * n), config
        )
    where = fs.resolve(out_dir)
    where.delete_tree(SCAN_SPILL)  # left by a run that died
    try:
        n_docs: Counter = Counter()
        args = ([out_dir] * n, range(n), [parts] * n, [raw_dir] * n, shards, [config] * n)
        for docs in executor.map(spill_scan, *args):
            n_docs.update(docs)
        thresholds = _thresholds(n_docs, config)
        pieces: dict[str, list[np.ndarray]] = defaultdict(list)
        args = ([out_dir] * parts, range(parts), [thresholds] * parts)
        for found in executor.map(repeated_in_partition, *args):
            for group, keys in found.items():
                pieces[group].append(keys)
        return {g: np.sort(np.concatenate(pieces[g])) for g in sorted(pieces)}
    finally:
        where.delete_tree(SCAN_SPILL)


def spill_scan(
    out_dir: str, index: int, parts: int, raw_dir: str, rel_paths: list[str], config: Config
) -> dict[str, int]:
    """`scan_shard`, its keys written under `out_dir` in `parts` partitions (key % parts);
    returns the number of documents per group.

    Each partition is an Arrow IPC file of (group, key) rows, not a pickle: the output
    location may be shared, and reading a pickle can run code."""
    where = fs.resolve(out_dir)
    scans = scan_shard(raw_dir, rel_paths, config)
    groups = sorted(scans)
    part_of = {g: scans[g].keys % np.uint64(parts) for g in groups}
    for p in range(parts):
        keys = [scans[g].keys[part_of[g] == p] for g in groups]
        docs = [scans[g].docs[part_of[g] == p] for g in groups]
        index_of = [np.full(len(k), i, dtype=np.int32) for i, k in enumerate(keys)]
        table = pa.table(
            {
                "group": pa.DictionaryArray.from_arrays(
                    np.concatenate(index_of or [np.empty(0, np.int32)]),
                    pa.array(groups, pa.string()),
                ),
                "key": np.concatenate(keys or [np.empty(0, np.uint64)]),
                "doc": np.concatenate(docs or [np.empty(0, np.uint64)]),
            }
        )
        sink = pa.BufferOutputStream()
        with pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        where.put(f"{SCAN_SPILL}/{p:05d}/{index:06d}.arrow", sink.getvalue(), durable=False)
    return {g: scans[g].n_docs for g in groups}


def repeated_in_partition(
    out_dir: str, part: int, thresholds: dict[str, int]
) -> dict[str, np.ndarray]:
    """Count one partition of the spilled keys: per group, the keys that reach its threshold."""
    where = fs.resolve(out_dir)
    folder = f"{SCAN_SPILL}/{part:05d}"
    keys: dict[str, list[tuple[np.ndarray, np.ndarray]]] = defaultdict(list)
    for name in sorted(n for n in where.list_names(folder) if n.endswith(".arrow")):
        table = pa.ipc.open_file(pa.BufferReader(where.read_bytes(f"{folder}/{name}"))).read_all()
        column = table.column("group").combine_chunks()
        index = column.indices.to_numpy(zero_copy_only=False)
        found = table.column("key").to_numpy()
        docs = table.column("doc").to_numpy()
        for i, group in enumerate(column.dictionary.to_pylist()):
            keys[group].append((found[index == i], docs[index == i]))
    return _frequent(keys, thresholds)


def repeated_for(rel_paths: list[str], repeated: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The repeated lines of the groups a shard's files belong to (what its task carries)."""
    groups = {group_of(p) for p in rel_paths}
    return {g: repeated[g] for g in groups if g in repeated}


def keyset(keys: np.ndarray) -> frozenset[int]:
    """A group's repeated line keys (an array) as the cleaner looks them up."""
    return frozenset(keys.tolist())
