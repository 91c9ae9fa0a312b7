"""How a corpus is split into shards, and the keys that name a shard's parts: files go to
shards by a hash of their path; a shard's key changes when its files' contents, the config
or its folders' repeated lines change."""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from pathlib import PurePosixPath

import numpy as np

from corpusprep import fs
from corpusprep.config import Config


def group_of(rel_path: str) -> str:
    """The source group a file belongs to for corpus-level statistics: its folder."""
    return str(PurePosixPath(rel_path).parent)


def bucket_of(rel_path: str, buckets: int) -> int:
    digest = hashlib.blake2b(rel_path.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % buckets


def shard_count(n_files: int, config: Config) -> int:
    """How many shards a corpus is split into: a power of two giving about
    `shard_target_files` files a shard, and never fewer than `min_shards`.

    Powers of two keep the layout stable as a corpus grows: it changes (and everything is
    processed once more) only when the corpus doubles past a tier.
    """
    wanted = max(config.min_shards, math.ceil(n_files / config.shard_target_files))
    return 1 << (wanted - 1).bit_length()


def plan_buckets(rel_paths: list[str], config: Config) -> list[list[str]]:
    """Group files into shards by a hash of their path (independent of worker count and order)."""
    n = shard_count(len(rel_paths), config)
    buckets: dict[int, list[str]] = defaultdict(list)
    for rel in sorted(rel_paths):
        buckets[bucket_of(rel, n)].append(rel)
    return [buckets[b] for b in sorted(buckets)]


def biggest_first(buckets: list[list[str]], hashes: dict[str, list]) -> list[list[str]]:
    """Shards in the order to run them: biggest (in bytes) first, so the last ones to finish
    are small and no worker idles long."""
    return sorted(buckets, key=lambda ps: -sum(hashes[p][0] or 0 for p in ps))


def content_hashes(raw_dir, rel_paths: list[str], known: dict[str, list]) -> dict[str, list]:
    """[size, mtime_ns, content hash] per file; the hash is reused while size and mtime hold.

    `raw_dir` is a local path or a URI; `known` is the previous run's manifest. A file that
    cannot be read hashes to None (it will fail in its shard, with the reason).
    """
    where = fs.resolve(raw_dir)
    out = {}
    for rel in rel_paths:
        try:
            st = where.info(rel)
        except fs.ERRORS:
            out[rel] = [None, None, None]
            continue
        if _unchanged(known.get(rel), st):
            out[rel] = known[rel]
            continue
        out[rel] = [st.size, st.mtime_ns, _file_hash(where, rel) if st.kind == "file" else None]
    return out


def _unchanged(prev: list | None, st: fs.FileStat) -> bool:
    """The manifest's hash still holds: same size and mtime (never without an mtime)."""
    if not prev or not prev[2] or st.mtime_ns is None:
        return False
    return prev[0] == st.size and prev[1] == st.mtime_ns


def _file_hash(where: fs.Location, rel: str) -> str | None:
    h = hashlib.blake2b(digest_size=16)
    try:
        with where.open_read(rel) as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
    except fs.ERRORS:
        return None
    return h.hexdigest()


def shard_key(
    rel_paths: list[str],
    hashes: dict[str, list],
    repeated: dict[str, np.ndarray],
    config: Config,
) -> str:
    """Key naming a shard's parts: changes when a file's content, the config or the corpus
    statistics of its folders change (not when a file is merely touched or copied)."""
    contents = [(rel, hashes.get(rel, [None] * 3)[2]) for rel in rel_paths]
    groups = sorted({group_of(r) for r in rel_paths})
    group_stats = [(g, _keys_digest(repeated.get(g))) for g in groups]
    return _hash_of(config.digest(), contents, _hash_of(group_stats))


def _keys_digest(keys: np.ndarray | None) -> str | None:
    """Digest of a group's repeated line keys (a sorted array): of its bytes, where the repr of
    the sorted set, for a few hundred keys in each of hundreds of groups, cost the flow seconds."""
    if keys is None:
        return None
    data = np.ascontiguousarray(keys, dtype=np.uint64).tobytes()
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _hash_of(*parts) -> str:
    h = hashlib.blake2b(digest_size=10)
    for part in parts:
        h.update(repr(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()
