"""Near-duplicate documents and repeated sentences, as data: nothing is deleted.

In the worker, per document (``pipeline.process_document``): a MinHash signature of the
cleaned text's word shingles (`signature`) and a 64-bit hash of each normalised sentence
(`sentence_hash`). After every shard, once a run (`finish`): LSH over all signatures,
candidates confirmed by their estimated Jaccard, clusters by union-find -> the `duplicates`
dataset; and each sentence's `dup_count`, the number of documents holding it.

Every hash is seeded from fixed labels through blake2b, so signatures, clusters and counts are
the same on any machine and in any run (Python's ``hash()`` is salted per process).
"""

from __future__ import annotations

import functools
import hashlib
import time
import unicodedata
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from corpusprep import fs, store
from corpusprep.config import Config

_U64 = np.uint64


def _seed(label: str) -> int:
    return int.from_bytes(hashlib.blake2b(label.encode(), digest_size=8).digest(), "little")


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads every input bit over the 64 output bits."""
    x = x ^ (x >> _U64(30))
    x = x * _U64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> _U64(27))
    x = x * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


# Word characters as `\w` sees them (str.isalnum() or "_"), for the Basic Multilingual Plane
# (4.5 ms to build); a character above it is looked up one by one.
_WORD = np.array([chr(c).isalnum() or c == 95 for c in range(0x10000)], dtype=bool)
_P = 0x100000001B3  # odd, so it has an inverse modulo 2**64
_P_INV = pow(_P, -1, 1 << 64)
_Q = _U64(0x9E3779B97F4A7C15)


def _powers(base: int, n: int) -> np.ndarray:
    out = np.full(n, base, dtype=np.uint64)
    out[0] = 1
    return np.cumprod(out, out=out)  # wraps modulo 2**64: deterministic


def word_shingles(text: str, size: int) -> np.ndarray | None:
    """A 64-bit hash of every run of `size` consecutive lowercase words (`\\w+`) of `text`;
    one of all its words when it has fewer; None when it has none.

    Vectorised: a polynomial hash of each word from prefix sums over the code points (no
    Python work per word), then the words of each shingle combined."""
    cps = np.frombuffer(text.lower().encode("utf-32-le"), dtype=np.uint32)
    if not cps.size:
        return None
    is_word = np.zeros(cps.size + 2, dtype=bool)  # padded: every word has both edges
    high = cps > 0xFFFF
    is_word[1:-1] = _WORD[np.where(high, 0, cps)]
    if high.any():
        at = np.flatnonzero(high)
        is_word[at + 1] = [chr(c).isalnum() for c in cps[at]]
    edges = np.flatnonzero(is_word[1:] != is_word[:-1])
    starts, ends = edges[0::2], edges[1::2]
    if not starts.size:
        return None
    prefix = np.zeros(cps.size + 1, dtype=np.uint64)
    np.cumsum(cps.astype(np.uint64) * _powers(_P, cps.size), out=prefix[1:])
    # a word's hash, independent of where it stands: (sum of c_j P^j over it) * P^-start
    words = _mix((prefix[ends] - prefix[starts]) * _powers(_P_INV, cps.size)[starts])
    n = max(words.size - size + 1, 1)
    shingles = words[:n].copy()
    for j in range(1, min(size, words.size)):
        shingles = shingles * _Q + words[j : j + n]
    return _mix(shingles)


@functools.lru_cache(maxsize=4)
def _permutations(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The `n` hash functions h_i(x) = a_i * x + b_i modulo 2**32 (a_i odd: a permutation of
    the 32-bit values), fixed by their labels."""
    a = [_seed(f"corpusprep.minhash.a.{i}") | 1 for i in range(n)]
    b = [_seed(f"corpusprep.minhash.b.{i}") for i in range(n)]
    mask = 0xFFFFFFFF
    return (
        np.array([x & mask for x in a], dtype=np.uint32)[:, None],
        np.array([x & mask for x in b], dtype=np.uint32)[:, None],
    )


_CHUNK = 4096  # shingles a step: the (permutations x chunk) block stays ~2 MB


def signature(text: str, config: Config) -> np.ndarray | None:
    """The MinHash signature of `text` (uint32, `config.dedup_permutations` values), or None
    for a text without words. Two signatures agree at a position with probability the
    Jaccard similarity of the texts' shingle sets."""
    shingles = word_shingles(text, config.dedup_shingle_words)
    if shingles is None:
        return None
    x = (shingles >> _U64(32)).astype(np.uint32)  # the well-mixed high half
    a, b = _permutations(config.dedup_permutations)
    out = np.full(a.shape[0], 0xFFFFFFFF, dtype=np.uint32)
    for i in range(0, x.size, _CHUNK):
        np.minimum(out, (a * x[i : i + _CHUNK] + b).min(axis=1), out=out)
    return out


def text_hash(text: str) -> int:
    """64-bit hash of a cleaned text: equal hashes mean exact copies."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def normalise_sentence(text: str) -> str:
    """The form in which two sentences count as the same: NFKC, lowercase, whitespace runs
    as one space, punctuation (Unicode P*) and spaces stripped from both ends."""
    s = " ".join(unicodedata.normalize("NFKC", text).lower().split())
    start, end = 0, len(s)
    while start < end and (s[start] == " " or unicodedata.category(s[start])[0] == "P"):
        start += 1
    while end > start and (s[end - 1] == " " or unicodedata.category(s[end - 1])[0] == "P"):
        end -= 1
    return s[start:end]


def sentence_hash(text: str) -> int:
    """Signed 64-bit hash (Parquet int64) of the normalised sentence."""
    digest = hashlib.blake2b(normalise_sentence(text).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


# -- the run's last step ------------------------------------------------------------------


def finish(out_dir, config: Config) -> dict:
    """After all shards (and the removal of stale parts): write the `duplicates` dataset from
    every shard's signatures, then set `dup_count` on every sentences part. Returns counts
    and seconds for the run's summary."""
    t0 = time.perf_counter()
    dups = find_duplicates(read_signatures(out_dir, config), config)
    write_duplicates(out_dir, dups)
    t1 = time.perf_counter()
    rewritten = update_dup_counts(out_dir)
    return {
        "clusters": len(set(dups["cluster_id"])),
        "documents": len(dups["doc_id"]),
        "sentence_parts_updated": rewritten,
        "seconds": {
            "duplicates": round(t1 - t0, 3),
            "dup_count": round(time.perf_counter() - t1, 3),
        },
    }


def _parts(out: fs.Location, dataset: str) -> list[str]:
    """The dataset's parts, as paths relative to `out`, in name order."""
    return [f"{dataset}/{n}" for n in sorted(out.list_names(dataset)) if store.part_key(n)]


# The system allocator, not Arrow's default (mimalloc), which keeps what the step frees: at
# 20,000 documents the step's peak RSS was ~75 MiB higher with it (docs/decisions.md).
_POOL = pa.system_memory_pool()


def _read(out: fs.Location, rels: list[str], dataset: str, columns=None) -> pa.Table:
    """Parts of `dataset` listed by name (discovery would skip the folder `_minhash`, whose
    name starts with '_'), read with the declared schema."""
    paths = [out.path(rel) for rel in rels]
    schema = store.SCHEMAS[dataset]
    found = ds.dataset(paths, schema=schema, filesystem=out.fs, format="parquet")
    return found.to_table(columns=columns, memory_pool=_POOL)


@dataclass
class Signatures:
    """Every shard's `_minhash` rows as arrays, in doc_id order (so the clusters do not depend
    on how the documents fell into shards)."""

    doc_ids: pa.Array
    n_chars: np.ndarray
    text_hashes: np.ndarray
    values: np.ndarray  # (documents, permutations) uint32


def read_signatures(out_dir, config: Config) -> Signatures:
    """The `_minhash` parts, each read once into arrays allocated for all of them: first
    their doc_ids, which give every row its place, then the rest, part by part."""
    out = fs.resolve(out_dir)
    parts = _parts(out, store.MINHASH)
    ids = [_read(out, [rel], store.MINHASH, ["doc_id"]).column("doc_id") for rel in parts]
    doc_ids = pa.chunked_array([c for col in ids for c in col.chunks], type=pa.string())
    order = pc.sort_indices(doc_ids, memory_pool=_POOL).to_numpy()
    n, k = len(doc_ids), config.dedup_permutations
    place = np.empty(n, dtype=np.int64)
    place[order] = np.arange(n)
    found = Signatures(
        doc_ids.take(order).combine_chunks(memory_pool=_POOL),
        np.empty(n, dtype=np.int32),
        np.empty(n, dtype=np.uint64),
        np.empty((n, k), dtype=np.uint32),
    )
    at = 0
    for rel in parts:
        table = _read(out, [rel], store.MINHASH, ["n_chars", "text_hash", "signature"])
        rows = place[at : at + table.num_rows]
        found.n_chars[rows] = table.column("n_chars").to_numpy()
        found.text_hashes[rows] = table.column("text_hash").to_numpy()
        values = table.column("signature").combine_chunks(memory_pool=_POOL).flatten()
        if len(values) != table.num_rows * k:
            raise ValueError(f"{rel}: signatures of {k} values expected")
        found.values[rows] = values.to_numpy().reshape(-1, k)
        at += table.num_rows
    return found


def find_duplicates(sigs: Signatures, config: Config) -> dict[str, list]:
    """The `duplicates` rows, as columns."""
    pairs = _candidates(sigs.values, config.dedup_bands, config.dedup_rows)
    keep = _similarity(sigs.values, pairs[:, 0], pairs[:, 1]) >= config.dedup_threshold
    root = _components(len(sigs.doc_ids), pairs[keep])
    return _cluster_rows(sigs, root)


def _candidates(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Pairs (i < j) of documents that share a bucket in some band: each document is paired
    with the previous one and the first one of its bucket, in doc_id order (all pairs would be
    quadratic in a bucket of thousands of copies; these connect the same bucket)."""
    n = sig.shape[0]
    found = [np.empty(0, dtype=np.int64)]  # pairs as i * n + j: one int64 each
    for band in range(bands):
        block = sig[:, band * rows : (band + 1) * rows].astype(np.uint64)
        key = np.zeros(n, dtype=np.uint64)
        for j in range(rows):
            key = key * _Q + block[:, j]
        key = _mix(key ^ _U64(band))
        order = np.argsort(key, kind="stable")
        same = key[order][1:] == key[order][:-1]
        member = np.flatnonzero(same) + 1  # positions in `order` that join the one before
        if not member.size:
            continue
        start = np.where(np.concatenate(([True], ~same)), np.arange(n), 0)
        first = order[np.maximum.accumulate(start)]
        for a, b in ((order[member - 1], order[member]), (first[member], order[member])):
            keep = a != b
            a, b = a[keep], b[keep]
            found.append(np.minimum(a, b) * n + np.maximum(a, b))
    pairs = np.unique(np.concatenate(found))
    return np.stack([pairs // n, pairs % n], axis=1)


def _similarity(sig: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of the pairs (a[i], b[i]): the share of equal values."""
    out = np.empty(a.size, dtype=np.float64)
    for i in range(0, a.size, 8192):  # bounded temporaries (~8 MB) for many pairs
        s = slice(i, i + 8192)
        out[s] = (sig[a[s]] == sig[b[s]]).mean(axis=1)
    return out


def _components(n: int, pairs: np.ndarray) -> np.ndarray:
    """Union-find over the confirmed pairs: each document's root (the smallest index of its
    component)."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving
            x = parent[x]
        return x

    for a, b in pairs.tolist():
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(x) for x in range(n)], dtype=np.int64)


def _cluster_rows(sigs: Signatures, root: np.ndarray) -> dict[str, list]:
    """Rows of the clusters of two or more documents; the canonical document is the one with
    the longest cleaned text, then the smallest doc_id (rows are in doc_id order)."""
    sizes = np.bincount(root, minlength=root.size)
    members = np.flatnonzero(sizes[root] >= 2)
    if not members.size:
        return {name: [] for name in store.SCHEMAS[store.DUPLICATES].names}
    n_chars = sigs.n_chars
    # per cluster, members by length descending then index: the first is the canonical
    order = members[np.lexsort((members, -n_chars[members].astype(np.int64), root[members]))]
    is_first = np.concatenate(([True], root[order][1:] != root[order][:-1]))
    canonical = order[np.maximum.accumulate(np.where(is_first, np.arange(order.size), 0))]
    hashes = sigs.text_hashes
    exact = hashes[order] == hashes[canonical]
    similarity = np.where(exact, 1.0, _similarity(sigs.values, order, canonical))
    ids = sigs.doc_ids
    doc_ids = ids.take(pa.array(order)).to_pylist()
    canonical_ids = ids.take(pa.array(canonical)).to_pylist()
    rows = sorted(
        zip(canonical_ids, doc_ids, similarity.tolist(), exact.tolist(), strict=True),
        key=lambda r: (r[0], r[1]),
    )
    return {
        "doc_id": [r[1] for r in rows],
        "cluster_id": [r[0] for r in rows],
        "canonical_doc_id": [r[0] for r in rows],
        "similarity": [r[2] for r in rows],
        "kind": ["exact" if r[3] else "near" for r in rows],
    }


DUPLICATES_KEY = "all"  # the one part of the duplicates dataset


def write_duplicates(out_dir, columns: dict[str, list]) -> None:
    """Replace the `duplicates` dataset's one part (whole or not at all); an empty part when
    there are no clusters, so readers always find the dataset."""
    part = store.PartBuffer(store.DUPLICATES)
    part.extend_columns(columns, len(columns["doc_id"]))
    part.write(out_dir, DUPLICATES_KEY)


def update_dup_counts(out_dir) -> int:
    """Set each sentence's `dup_count`: the number of documents that hold its normalised
    sentence, over every sentences part. A part is rewritten (whole, under its own name) only
    when one of its counts changed; returns how many were.

    Two passes over the parts: the distinct (document, hash) pairs of each, counted by hash
    (8 bytes a distinct sentence of a document in memory), then each part's counts compared."""
    out = fs.resolve(out_dir)
    parts = _parts(out, "sentences")
    hashes = [_distinct_per_document(_read(out, [rel], "sentences", _COUNTED)) for rel in parts]
    known, counts = np.unique(np.concatenate(hashes or [np.empty(0, np.int64)]), return_counts=True)
    del hashes
    rewritten = 0
    for rel in parts:
        table = _read(out, [rel], "sentences", ["sentence_hash", "dup_count"])
        new = counts[np.searchsorted(known, table.column("sentence_hash").to_numpy())]
        old = table.column("dup_count")
        if old.null_count == 0 and np.array_equal(old.to_numpy(), new):
            continue
        _rewrite_counts(out, rel, new.astype(np.int32))
        rewritten += 1
    return rewritten


_COUNTED = ["doc_id", "sentence_hash"]


def _distinct_per_document(table: pa.Table) -> np.ndarray:
    """The sentence hashes of `table`, each once per document that holds it."""
    doc = pc.dictionary_encode(table.column("doc_id"), memory_pool=_POOL).combine_chunks()
    docs = doc.indices.to_numpy()
    hashes = table.column("sentence_hash").to_numpy()
    order = np.lexsort((hashes, docs))
    hashes, docs = hashes[order], docs[order]
    first = np.ones(hashes.size, dtype=bool)
    first[1:] = (hashes[1:] != hashes[:-1]) | (docs[1:] != docs[:-1])
    return hashes[first]


def _rewrite_counts(out: fs.Location, rel: str, dup_count: np.ndarray) -> None:
    """The part `rel` with its `dup_count` column replaced, a row group per FLUSH_ROWS rows as
    the worker wrote it (its schema and metadata kept), put under the same name: readers see
    the old part or this one."""
    schema = pq.read_schema(out.path(rel), filesystem=out.fs)  # with the part's metadata
    column = schema.get_field_index("dup_count")
    found = ds.dataset(out.path(rel), schema=schema, filesystem=out.fs, format="parquet")
    sink = pa.BufferOutputStream()
    with pq.ParquetWriter(sink, schema, compression="zstd", memory_pool=_POOL) as writer:
        at = 0
        for batch in found.to_batches(batch_size=store.FLUSH_ROWS, memory_pool=_POOL):
            counts = pa.array(dup_count[at : at + batch.num_rows], type=pa.int32())
            writer.write_batch(batch.set_column(column, schema.field(column), counts))
            at += batch.num_rows
    out.put(rel, sink.getvalue())
