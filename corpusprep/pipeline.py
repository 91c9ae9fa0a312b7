"""One shard, end to end, in plain Python: what a worker process runs.

raw file paths in -> Parquet part files (one per dataset) and a small summary dict out.
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import hashlib
import json
import math
import signal
import threading
import time
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from corpusprep import __version__, fs
from corpusprep.clean import clean_text, line_keys, repeat_threshold
from corpusprep.config import Config
from corpusprep.normalize import normalize
from corpusprep.read import InputError, RawDoc, format_of, read_file
from corpusprep.segment import split_sentences
from corpusprep.signals import count_words, detect_language
from corpusprep.store import PartBuffer, write_part
from corpusprep.textmeta import from_removed, site_of

if TYPE_CHECKING:
    from corpusprep.extract import Extracted


def group_of(rel_path: str) -> str:
    """The source group a file belongs to for corpus-level statistics: its folder."""
    return str(PurePosixPath(rel_path).parent)


def bucket_of(rel_path: str, buckets: int) -> int:
    digest = hashlib.blake2b(rel_path.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % buckets


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
            docs = read_file(raw_dir, rel, config.max_file_bytes, config.max_doc_chars).docs
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


class DocumentTimeout(BaseException):
    """A document took longer than the per-document time limit.

    A BaseException, like KeyboardInterrupt, so that libraries' broad `except Exception`
    handlers (trafilatura has several) cannot swallow it.
    """


@contextlib.contextmanager
def time_limit(seconds: float):
    """Interrupt the body after `seconds`; with seconds <= 0 it runs unbounded.

    In a process's main thread (our worker pool) by SIGALRM; in any other thread (a Dask
    worker runs tasks in threads) by an exception set on the thread from a timer. Both land
    between Python bytecodes, so a body stuck inside one C call is interrupted when it returns.
    """
    if seconds <= 0:
        yield
        return
    message = f"processing took longer than {seconds:g} s (the time limit)"
    if threading.current_thread() is threading.main_thread():
        with _alarm(seconds, message):
            yield
    else:
        with _thread_timer(seconds, message):
            yield


@contextlib.contextmanager
def _alarm(seconds: float, message: str):
    def expire(signum, frame):
        raise DocumentTimeout(message)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _thread_timer(seconds: float, message: str):
    # PyThreadState_SetAsyncExc takes an exception class, so the message lives in a subclass.
    expired = type("DocumentTimeout", (DocumentTimeout,), {"__str__": lambda self: message})
    thread_id = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"inside": True, "fired": False}

    def expire():
        with lock:
            if state["inside"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(thread_id, ctypes.py_object(expired))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["inside"] = False
            if state["fired"]:  # not raised yet (the body ended just then): never raise it later
                ctypes.pythonapi.PyThreadState_SetAsyncExc(thread_id, None)


def paragraph_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def prepare_text(
    raw: RawDoc, config: Config, timings: Counter | None = None
) -> tuple[Extracted, str, int]:
    """The text the cleaner sees: extracted (HTML) and normalized; also metadata and ftfy fixes.

    `removed.line_no` counts lines of this text.
    """
    # Imported here: the flow's process plans and merges shards and never extracts, and
    # trafilatura is ~38 MiB of it (the workers' forkserver preloads it, corpusprep.worker).
    from corpusprep.extract import Extracted, extract_html

    t0 = time.perf_counter()
    meta = Extracted(text=raw.text)
    if raw.format == "html":
        meta = extract_html(
            raw.text,
            favor_precision=config.html_favor_precision,
            author_search=config.html_author_search,
            keep_comments=config.clean.keep_comments,
        )
    t1 = time.perf_counter()
    text, fixes = normalize(meta.text)
    if timings is not None:
        timings["extract"] += t1 - t0
        timings["normalize"] += time.perf_counter() - t1
    return meta, text, fixes


def _first_kept_line(text: str, cleaned) -> int | None:
    """Line number (in the cleaner's input) of the article's first kept line."""
    lines = text.split("\n")
    gone = {r.line_no for r in cleaned.removed if r.text.strip() == lines[r.line_no].strip()}
    return next((i for i, ln in enumerate(lines) if ln.strip() and i not in gone), None)


def process_document(
    raw: RawDoc, config: Config, repeated: frozenset[int], timings: Counter
) -> tuple[dict, dict[str, list], dict[str, list]]:
    """Extract, normalize, clean, segment one document; return its `documents` row, and its
    `sentences` and `removed` rows as columns (one list per field)."""
    meta, text, fixes = prepare_text(raw, config, timings)
    t2 = time.perf_counter()
    cleaned = clean_text(text, repeated=repeated, fmt=raw.format, config=config.clean)
    t3 = time.perf_counter()
    language, lang_score = detect_language(cleaned.text)
    t4 = time.perf_counter()
    spans = split_sentences(cleaned.text, language)
    t5 = time.perf_counter()
    timings["clean"] += t3 - t2
    timings["signals"] += t4 - t3
    timings["segment"] += t5 - t4

    found = from_removed(cleaned.removed, _first_kept_line(text, cleaned))
    url = raw.url or meta.url
    date = raw.date or meta.date or found.get("date")
    site = meta.sitename or site_of(url)
    starts = paragraph_starts(cleaned.text)
    texts = [cleaned.text[s:e] for s, e in spans]
    word_counts = [count_words(t) for t in texts]
    n = len(spans)
    # Columns, one list per field of the sentences and removed schemas (store.PartBuffer).
    sentences = {
        "doc_id": [raw.doc_id] * n,
        "sentence_index": list(range(n)),
        "paragraph_index": [bisect.bisect_right(starts, s) - 1 for s, _ in spans],
        "char_start": [s for s, _ in spans],
        "char_end": [e for _, e in spans],
        "text": texts,
        "n_words": word_counts,
        "n_chars": [e - s for s, e in spans],
        "language": [language] * n,
        "site": [site] * n,
        "date": [date] * n,
    }
    gone = cleaned.removed
    removed = {
        "doc_id": [raw.doc_id] * len(gone),
        "line_no": [r.line_no for r in gone],
        "text": [r.text for r in gone],
        "reason": [r.reason for r in gone],
        "score": [r.score for r in gone],
    }
    doc = {
        "doc_id": raw.doc_id,
        "source_path": raw.source_path,
        "format": raw.format,
        "text": cleaned.text,
        "language": language,
        "language_score": lang_score,
        "title": raw.title or meta.title or cleaned.title,
        "url": url,
        "author": meta.author or found.get("author"),
        "date": date,
        "site": site,
        "n_sentences": n,
        # the sentences hold every word (their cuts never split one): no second pass
        "n_words": sum(word_counts),
        "n_chars": len(cleaned.text),
        "n_raw_chars": len(raw.text),
        "n_lines_removed": len(gone),
        "ftfy_fixes": fixes,
        "encoding": raw.encoding,
        "record_id": raw.record_id,
        "source_meta": json.dumps(raw.meta, sort_keys=True, ensure_ascii=False)
        if raw.meta
        else None,
        "config_hash": config.digest(),
        "corpusprep_version": __version__,
    }
    timings["rows"] += time.perf_counter() - t5  # metadata, word counts, the rows themselves
    return doc, sentences, removed


def process_file(
    raw_dir: str,
    rel: str,
    repeated: dict[str, frozenset[int]],
    config: Config,
    timings: Counter,
    rows: dict[str, PartBuffer],
    reasons: Counter,
) -> dict:
    """Process one input file, adding its rows to the shard's parts; return its `files` row.

    A file that cannot be read at all fails whole. In a file of many documents (JSONL, WARC)
    a bad record is reported in `error` (status `failed`) and the other documents are kept.
    """
    fmt = format_of(rel)
    file_row = {
        "source_path": rel,
        "status": "ok",
        "error": None,
        "format": fmt,
        "n_bytes": None,
        "n_documents": 0,
        "n_documents_failed": 0,
    }
    if fmt is None:
        file_row["status"] = "skipped"
        return file_row
    t0 = time.perf_counter()
    try:
        read = read_file(raw_dir, rel, config.max_file_bytes, config.max_doc_chars)
    except InputError as exc:
        file_row.update(status="failed", error=str(exc))
        return file_row
    finally:
        timings["read"] += time.perf_counter() - t0
    file_row["n_bytes"] = read.n_bytes
    problems = list(read.problems)
    group_repeated = repeated.get(group_of(rel), frozenset())
    for raw in read.docs:
        try:
            with time_limit(config.doc_timeout_s):
                doc, sentences, removed = process_document(raw, config, group_repeated, timings)
        except DocumentTimeout as exc:
            problems.append(str(exc) if len(read.docs) == 1 else f"{_locate(raw)}: {exc}")
            continue
        except Exception as exc:  # a bug or a library failure must not end the run
            problems.append(f"{_locate(raw)}: internal error: {type(exc).__name__}: {exc}")
            continue
        doc["format"] = read.format
        t0 = time.perf_counter()
        rows["documents"].extend([doc])
        rows["sentences"].extend_columns(sentences, doc["n_sentences"])
        rows["removed"].extend_columns(removed, doc["n_lines_removed"])
        timings["store"] += time.perf_counter() - t0  # encoding row groups as they fill
        reasons.update(removed["reason"])
        file_row["n_documents"] += 1
    if problems:
        n_failed = len(problems) if read.format in ("jsonl", "warc") else 1
        file_row.update(status="failed", n_documents_failed=n_failed)
        file_row["error"] = "; ".join(problems[:5]) + (
            f"; ... ({len(problems)} problems)" if len(problems) > 5 else ""
        )
    return file_row


def _locate(raw: RawDoc) -> str:
    return f"record {raw.record_id}" if raw.record_id else f"document {raw.doc_id}"


def process_shard(
    raw_dir: str,
    out_dir: str,
    key: str,
    rel_paths: list[str],
    repeated: dict[str, np.ndarray],
    config: Config,
) -> dict:
    """Process the files of one shard and write its parts; return a small summary.

    `repeated`: per group, its repeated line keys as `repeated_by_group` gives them."""
    timings: Counter = Counter()
    repeated = {g: keyset(keys) for g, keys in repeated.items()}
    parts = {name: PartBuffer(name) for name in ("documents", "sentences", "removed")}
    files: list[dict] = []
    reasons: Counter = Counter()
    status_counts: Counter = Counter()
    failures: list[tuple[str, str]] = []
    n_bytes = 0
    for rel in sorted(rel_paths):
        file_row = process_file(raw_dir, rel, repeated, config, timings, parts, reasons)
        status_counts[file_row["status"]] += 1
        if file_row["status"] == "failed":
            failures.append((rel, file_row["error"]))
        n_bytes += file_row["n_bytes"] or 0
        files.append(file_row)

    summary = {
        "key": key,
        "files": dict(status_counts),
        "documents": parts["documents"].n_rows,
        "sentences": parts["sentences"].n_rows,
        "removed": dict(reasons),
        "bytes": n_bytes,
        "failures": failures[:50],
    }
    t0 = time.perf_counter()
    for part in parts.values():
        part.write(out_dir, key)
    write_part(out_dir, "files", key, files, extra=summary)  # last: it marks the shard complete
    timings["store"] += time.perf_counter() - t0
    summary["seconds"] = {k: round(v, 4) for k, v in timings.items()}
    return summary


def _digest(*parts) -> str:
    h = hashlib.blake2b(digest_size=10)
    for part in parts:
        h.update(repr(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


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


def biggest_first(buckets: list[list[str]], hashes: dict[str, list]) -> list[list[str]]:
    """Shards in the order to run them: biggest (in bytes) first, so the last ones to finish
    are small and no worker idles long."""
    return sorted(buckets, key=lambda ps: -sum(hashes[p][0] or 0 for p in ps))


def repeated_for(rel_paths: list[str], repeated: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The repeated lines of the groups a shard's files belong to (what its task carries)."""
    groups = {group_of(p) for p in rel_paths}
    return {g: repeated[g] for g in groups if g in repeated}


def keyset(keys: np.ndarray) -> frozenset[int]:
    """A group's repeated line keys (an array) as the cleaner looks them up."""
    return frozenset(keys.tolist())


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
    return _digest(config.digest(), contents, _digest(group_stats))


def _keys_digest(keys: np.ndarray | None) -> str | None:
    """Digest of a group's repeated line keys (a sorted array): of its bytes, where the repr of
    the sorted set, for a few hundred keys in each of hundreds of groups, cost the flow seconds."""
    if keys is None:
        return None
    data = np.ascontiguousarray(keys, dtype=np.uint64).tobytes()
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def write_failed_shard(out_dir: str, key: str, rel_paths: list[str], error: str) -> dict:
    """Record every file of a shard whose worker died as failed, so no file goes unaccounted.

    The summary is flagged `retry`, so the next run processes the shard again.
    """
    summary = {
        "key": key,
        "files": {"failed": len(rel_paths)},
        "documents": 0,
        "sentences": 0,
        "removed": {},
        "bytes": 0,
        "failures": [(rel, error) for rel in rel_paths][:50],
        "retry": True,
    }
    files = [
        {
            "source_path": rel,
            "status": "failed",
            "error": error,
            "format": format_of(rel),
            "n_bytes": None,
            "n_documents": 0,
        }
        for rel in sorted(rel_paths)
    ]
    for name in ("documents", "sentences", "removed"):
        write_part(out_dir, name, key, [])
    write_part(out_dir, "files", key, files, extra=summary)
    return summary
