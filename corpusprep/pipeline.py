"""One shard, end to end, in plain Python: what a worker process runs.

raw file paths in -> Parquet part files (one per dataset) and a small summary dict out. How
files become shards is in ``plan``, the repeated lines each shard gets in ``scan``.
"""

from __future__ import annotations

import bisect
import json
import time
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from corpusprep import __version__, dedup
from corpusprep.clean import clean_text
from corpusprep.config import Config
from corpusprep.normalize import normalize
from corpusprep.plan import group_of
from corpusprep.read import InputError, RawDoc, format_of, read_file
from corpusprep.scan import keyset
from corpusprep.segment import split_sentences
from corpusprep.signals import count_words, detect_language
from corpusprep.store import MINHASH, PartBuffer, write_part
from corpusprep.textmeta import from_removed, site_of
from corpusprep.timeout import DocumentTimeout, time_limit

if TYPE_CHECKING:
    from corpusprep.extract import Extracted


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
    if raw.format == "html":  # a JSONL or WARC record's URL: its date, title words, page type
        meta = extract_html(raw.text, config, raw.url)
    t1 = time.perf_counter()
    text, fixes = normalize(meta.text)
    if timings is not None:
        timings["extract"] += t1 - t0
        timings["normalize"] += time.perf_counter() - t1
    return meta, text, fixes


def process_document(
    raw: RawDoc, config: Config, repeated: frozenset[int], timings: Counter
) -> tuple[dict, dict[str, list], dict[str, list], dict | None]:
    """Extract, normalize, clean, segment one document; return its `documents` row (without
    `format`, which the file gives), its `sentences` and `removed` rows as columns (one list
    per field), and its `_minhash` row (None for a text without words)."""
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

    found = from_removed(cleaned.removed, cleaned.first_kept_line)
    url = raw.url or meta.url
    date = raw.date or meta.date or found.get("date")
    site = meta.sitename or site_of(url)
    starts = paragraph_starts(cleaned.text)
    texts = [cleaned.text[s:e] for s, e in spans]
    word_counts = [count_words(t) for t in texts]
    n = len(spans)
    t6 = time.perf_counter()
    sentence_hashes = [dedup.sentence_hash(t) for t in texts]
    minhash = None
    if (sig := dedup.signature(cleaned.text, config)) is not None:
        minhash = {
            "doc_id": raw.doc_id,
            "n_chars": len(cleaned.text),
            "text_hash": dedup.text_hash(cleaned.text),
            "signature": sig,
        }
    t7 = time.perf_counter()
    timings["dedup"] += t7 - t6
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
        "sentence_hash": sentence_hashes,
        "dup_count": [None] * n,  # counted over the corpus by the run's last step
    }
    # Lines the HTML classifier dropped come first; they are not lines of the text the
    # cleaner saw, so they have no line_no.
    gone = [(None, *d) for d in meta.dropped]
    gone += [(r.line_no, r.text, r.reason, r.score) for r in cleaned.removed]
    removed = {
        "doc_id": [raw.doc_id] * len(gone),
        "line_no": [g[0] for g in gone],
        "text": [g[1] for g in gone],
        "reason": [g[2] for g in gone],
        "score": [g[3] for g in gone],
    }
    doc = {
        "doc_id": raw.doc_id,
        "source_path": raw.source_path,
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
    # metadata, word counts, the rows themselves
    timings["rows"] += time.perf_counter() - t5 - (t7 - t6)
    return doc, sentences, removed, minhash


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
        read = read_file(raw_dir, rel, config)
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
                doc, sentences, removed, minhash = process_document(
                    raw, config, group_repeated, timings
                )
        except DocumentTimeout as exc:
            problems.append(str(exc) if len(read.docs) == 1 else f"{_locate(raw)}: {exc}")
            continue
        except Exception as exc:  # a bug or a library failure must not end the run
            problems.append(f"{_locate(raw)}: internal error: {type(exc).__name__}: {exc}")
            continue
        doc["format"] = read.format  # the file's (jsonl, warc, txt, html), not the content's
        t0 = time.perf_counter()
        rows["documents"].extend([doc])
        rows["sentences"].extend_columns(sentences, doc["n_sentences"])
        rows["removed"].extend_columns(removed, doc["n_lines_removed"])
        if minhash is not None:
            rows[MINHASH].extend([minhash])
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


def top_folder(rel: str) -> str:
    """The top-level folder of an input path ('news/2024/a.txt' -> 'news'); '.' for a file
    at the top of the input folder. Shard summaries count files and documents per folder."""
    head, sep, _ = rel.partition("/")
    return head if sep else "."


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
    parts = {name: PartBuffer(name) for name in ("documents", "sentences", "removed", MINHASH)}
    files: list[dict] = []
    reasons: Counter = Counter()
    status_counts: Counter = Counter()
    folders: dict[str, Counter] = {}
    failures: list[tuple[str, str]] = []
    n_bytes = 0
    for rel in sorted(rel_paths):
        file_row = process_file(raw_dir, rel, repeated, config, timings, parts, reasons)
        status_counts[file_row["status"]] += 1
        folder = folders.setdefault(top_folder(rel), Counter())
        folder["files"] += 1
        folder[file_row["status"]] += 1
        folder["documents"] += file_row["n_documents"]
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
        "folders": {name: dict(counts) for name, counts in folders.items()},
    }
    t0 = time.perf_counter()
    for part in parts.values():  # the signatures too: a shard is complete only with them
        part.write(out_dir, key)
    write_part(out_dir, "files", key, files, extra=summary)  # last: it marks the shard complete
    timings["store"] += time.perf_counter() - t0
    summary["seconds"] = {k: round(v, 4) for k, v in timings.items()}
    return summary


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
        "folders": {},
        "retry": True,
    }
    for rel in rel_paths:
        folder = summary["folders"].setdefault(top_folder(rel), Counter())
        folder.update(files=1, failed=1)
    summary["folders"] = {name: dict(counts) for name, counts in summary["folders"].items()}
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
    for name in ("documents", "sentences", "removed", MINHASH):
        write_part(out_dir, name, key, [])
    write_part(out_dir, "files", key, files, extra=summary)
    return summary
