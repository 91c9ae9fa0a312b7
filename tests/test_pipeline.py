"""The shard entry point without Prefect: rows, invariants, failures recorded."""

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow.dataset as ds
from conftest import seed_label_misses

from corpusprep import fs, pipeline, plan, scan, timeout
from corpusprep.config import Config
from corpusprep.read import discover


def _load(out, name):
    return ds.dataset(out / name).to_table().to_pylist()


def _run_one_shard(raw, out, config=None):
    config = config or Config()
    paths = discover(raw)
    counts = [scan.scan_shard(str(raw), paths, config)]
    repeated = scan.repeated_by_group(counts, config)
    return pipeline.process_shard(str(raw), str(out), "k", paths, repeated, config)


def test_shard_writes_all_datasets_with_exact_offsets(raw_corpus, tmp_path):
    summary = _run_one_shard(raw_corpus, tmp_path / "out")
    docs = _load(tmp_path / "out", "documents")
    sents = _load(tmp_path / "out", "sentences")
    assert summary["files"] == {"ok": 4}
    assert summary["documents"] == len(docs) == 4
    assert summary["sentences"] == len(sents) > 50
    # per top-level folder ('.': the files at the top), for the flow's Prefect artifact
    assert summary["folders"] == {
        "news": {"files": 3, "ok": 3, "documents": 3},
        ".": {"files": 1, "ok": 1, "documents": 1},
    }
    text_of = {d["doc_id"]: d["text"] for d in docs}
    per_doc = Counter(s["doc_id"] for s in sents)
    for d in docs:
        assert d["n_sentences"] == per_doc[d["doc_id"]]
    for s in sents:
        text = text_of[s["doc_id"]]
        assert text[s["char_start"] : s["char_end"]] == s["text"]
        assert text.count("\n", 0, s["char_start"]) == s["paragraph_index"]
    for doc_id in text_of:
        idx = [s["sentence_index"] for s in sents if s["doc_id"] == doc_id]
        assert idx == list(range(len(idx)))
    html = next(d for d in docs if d["format"] == "html")
    assert html["title"] and html["language"] == "en"
    assert {d["source_path"] for d in docs} >= {"page.html", "news/000_364bcb2ed17dc882.txt"}


def test_seed_labels_hold_through_the_pipeline(raw_corpus, tmp_path):
    _run_one_shard(raw_corpus, tmp_path / "out")
    docs = _load(tmp_path / "out", "documents")
    misses, kept, dropped = seed_label_misses(
        {d["source_path"].split("/")[-1]: d["text"] for d in docs}
    )
    assert not misses
    assert (kept, dropped) == (60, 44)


def test_bad_files_are_recorded_and_the_shard_goes_on(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text("This is a perfectly ordinary sentence of an article.\n")
    (raw / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "notes.csv").write_text("a,b\n")
    summary = _run_one_shard(raw, tmp_path / "out")
    files = {f["source_path"]: f for f in _load(tmp_path / "out", "files")}
    assert files["good.txt"]["status"] == "ok" and files["good.txt"]["error"] is None
    assert files["image.txt"]["status"] == "failed"
    assert "binary" in files["image.txt"]["error"]
    assert files["empty.txt"]["status"] == "failed" and files["empty.txt"]["error"] == "empty file"
    assert files["notes.csv"]["status"] == "skipped"
    assert summary["files"] == {"ok": 1, "failed": 2, "skipped": 1}
    assert [d["source_path"] for d in _load(tmp_path / "out", "documents")] == ["good.txt"]


def test_removed_rows_name_a_rule(raw_corpus, tmp_path):
    _run_one_shard(raw_corpus, tmp_path / "out")
    removed = _load(tmp_path / "out", "removed")
    assert removed, "the seeds hold boilerplate, so something must be removed"
    for r in removed:
        assert r["reason"] and "." in r["reason"]
        assert r["text"].strip()


def test_shard_key_follows_content_not_timestamps(tmp_path):
    import os

    (tmp_path / "a.txt").write_text("one")
    config = Config()

    def key(repeated=None, cfg=config):
        hashes = plan.content_hashes(tmp_path, ["a.txt"], {})
        return plan.shard_key(["a.txt"], hashes, repeated or {}, cfg)

    k1 = key()
    assert k1 == key()
    assert k1 != key(repeated={".": np.array([7], dtype=np.uint64)})
    assert key(repeated={"elsewhere": np.array([7], dtype=np.uint64)}) == k1  # not its folder
    assert k1 != key(cfg=Config(max_file_bytes=5))
    os.utime(tmp_path / "a.txt", ns=(1, 1))  # touched, same bytes
    assert key() == k1
    (tmp_path / "a.txt").write_text("one more")
    assert key() != k1


def test_content_hashes_reuse_the_manifest_while_stat_holds(tmp_path):
    (tmp_path / "a.txt").write_text("one")
    first = plan.content_hashes(tmp_path, ["a.txt"], {})
    st = (tmp_path / "a.txt").stat()
    fake = {"a.txt": [st.st_size, st.st_mtime_ns, "cafe"]}
    assert plan.content_hashes(tmp_path, ["a.txt"], fake)["a.txt"][2] == "cafe"
    assert first["a.txt"][2] != "cafe" and len(first["a.txt"][2]) == 32
    assert plan.content_hashes(tmp_path, ["gone.txt"], {})["gone.txt"] == [None] * 3


def test_buckets_do_not_depend_on_discovery_order():
    config = Config()
    paths = [f"d{i % 3}/f{i}.txt" for i in range(200)]
    assert plan.plan_buckets(paths, config) == plan.plan_buckets(paths[::-1], config)
    assert sorted(p for b in plan.plan_buckets(paths, config) for p in b) == sorted(paths)


def test_time_limit_interrupts_a_runaway_document():
    import time

    import pytest

    start = time.perf_counter()
    with pytest.raises(timeout.DocumentTimeout, match="time limit"), timeout.time_limit(0.2):
        while True:
            pass
    assert time.perf_counter() - start < 2


def test_a_time_limit_swallowed_once_still_ends_the_body():
    """A gc callback or a __del__ drops the exception it is interrupted with: the limit is
    raised again until the body ends."""
    import time

    import pytest

    deadline = time.monotonic() + 10
    with pytest.raises(timeout.DocumentTimeout), timeout.time_limit(0.05):
        try:
            while time.monotonic() < deadline:
                pass
        except timeout.DocumentTimeout:
            pass  # swallowed, as Python does where it cannot raise
        while time.monotonic() < deadline:
            pass
    assert time.monotonic() < deadline


def test_time_limit_also_works_outside_the_main_thread():
    """As on a Dask worker, whose tasks run in threads (SIGALRM cannot reach them)."""
    import threading
    import time

    outcome = {}

    def runaway():
        start = time.perf_counter()
        try:
            with timeout.time_limit(0.2):
                while True:
                    pass
        except timeout.DocumentTimeout as exc:
            outcome["error"], outcome["took"] = str(exc), time.perf_counter() - start
        with timeout.time_limit(0.2):  # a body within its limit: nothing is raised, then
            pass  # or later, once the limit has passed
        try:
            deadline = time.perf_counter() + 0.5
            while time.perf_counter() < deadline:
                pass
            outcome["after"] = "quiet"
        except timeout.DocumentTimeout:
            outcome["after"] = "raised late"

    worker = threading.Thread(target=runaway, daemon=True)
    worker.start()
    worker.join(10)
    assert "time limit" in outcome["error"] and outcome["took"] < 2
    assert outcome["after"] == "quiet"


def test_every_hostile_file_is_accounted_for_with_its_reason(tmp_path):
    from test_hostile import hostile_files

    raw = tmp_path / "raw"
    raw.mkdir()
    expected = hostile_files(raw)
    summary = _run_one_shard(raw, tmp_path / "out")
    files = {f["source_path"]: f for f in _load(tmp_path / "out", "files")}
    assert set(files) == set(expected)
    for path, message in expected.items():
        row = files[path]
        if message is not None:
            assert row["status"] == "failed", path
            assert message in row["error"], (path, row["error"])
    # a JSONL with one bad line: reported with its line number, the good lines kept
    partly = files["partly_bad.jsonl"]
    assert partly["n_documents"] == 2 and partly["n_documents_failed"] == 1
    docs = _load(tmp_path / "out", "documents")
    assert sum(d["source_path"] == "partly_bad.jsonl" for d in docs) == 2
    assert files["deep.html"]["status"] in ("ok", "failed")
    assert summary["files"].get("failed", 0) >= len([m for m in expected.values() if m])


def test_jsonl_fields_reach_the_documents(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    lines = [
        {
            "id": "a1",
            "url": "https://example.org/a",
            "title": "First",
            "text": "One line of "
            "ordinary article text that is long enough to be kept by the cleaner here.",
            "lang_hint": "en",
        },
        {
            "id": "a2",
            "html": "<html><head><title>Second</title></head><body><article><p>"
            + "A paragraph of ordinary article text that is long enough to be kept. " * 5
            + "</p></article></body></html>",
        },
    ]
    (raw / "batch.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    _run_one_shard(raw, tmp_path / "out")
    docs = sorted(_load(tmp_path / "out", "documents"), key=lambda d: d["record_id"])
    assert [d["record_id"] for d in docs] == ["a1", "a2"]
    assert docs[0]["url"] == "https://example.org/a" and docs[0]["title"] == "First"
    assert json.loads(docs[0]["source_meta"]) == {"lang_hint": "en"}
    assert {d["format"] for d in docs} == {"jsonl"}
    assert "ordinary article text" in docs[1]["text"] and "<p>" not in docs[1]["text"]


def test_a_document_over_the_time_limit_fails_with_that_reason(raw_corpus, tmp_path):
    _run_one_shard(raw_corpus, tmp_path / "out", Config(doc_timeout_s=0.001))
    files = {f["source_path"]: f for f in _load(tmp_path / "out", "files")}
    assert files["page.html"]["status"] == "failed"
    assert "longer than 0.001 s" in files["page.html"]["error"]


def test_a_repeated_line_with_mojibake_is_found_after_repair(tmp_path):
    """The scan pass keys lines of the text the cleaner sees (normalized), not the raw bytes."""
    raw = tmp_path / "raw" / "site"
    raw.mkdir(parents=True)
    slogan_raw = "Independent news for the valley since 1921 \u00e2\u20ac\u201d every single day"
    slogan_fixed = "Independent news for the valley since 1921 \u2014 every single day"
    for i in range(5):
        body = "\n".join(
            f"Story {i}, paragraph {k}: the council met on Tuesday to discuss the budget, and "
            "the members agreed that the road repairs would have to wait until the spring."
            for k in range(4)
        )
        (raw / f"page{i}.txt").write_text(body + "\n" + slogan_raw + "\n", encoding="utf-8")
    _run_one_shard(tmp_path / "raw", tmp_path / "out")
    removed = [r for r in _load(tmp_path / "out", "removed") if r["text"] == slogan_fixed]
    assert [r["reason"] for r in removed] == ["boilerplate.repeated"] * 5


def test_a_shard_encodes_its_rows_as_they_fill_row_groups(raw_corpus, tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    from corpusprep import store

    whole = _run_one_shard(raw_corpus, tmp_path / "whole")
    monkeypatch.setattr(store, "FLUSH_ROWS", 7)  # a shard's rows never wait unencoded past 7
    flushed = _run_one_shard(raw_corpus, tmp_path / "flushed")
    assert flushed["documents"] == whole["documents"] and flushed["removed"] == whole["removed"]
    for name in ("documents", "sentences", "removed", "files"):
        assert _load(tmp_path / "flushed", name) == _load(tmp_path / "whole", name), name
    part = tmp_path / "flushed" / "sentences" / store.part_name("k")
    assert pq.ParquetFile(part).num_row_groups > 1  # one a document here: each has > 7


WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima".split()  # noqa: SIM905


def site_pages() -> dict[str, str]:
    """Three folders of 12 pages; in each, 4 menu lines repeat on 3 to 12 pages (line keys
    ignore digits: words tell the lines apart)."""
    pages = {}
    for site in ("a", "b", "c"):
        for i in range(12):
            menu = ["home", "sports", "weather", "contact"][: i % 4 + 1]
            lines = [f"Site {site} menu {entry}" for entry in menu]
            lines += [f"Page {site} {WORDS[i]} says {WORDS[k]} about apples." for k in range(5)]
            pages[f"{site}/{i}.txt"] = "\n".join(lines) + "\n"
    return pages


def write_site_pages(raw):
    """`site_pages` as files under the folder `raw`."""
    for rel, text in site_pages().items():
        (raw / rel).parent.mkdir(parents=True, exist_ok=True)
        (raw / rel).write_text(text)


def repeated_both_ways(raw, out, monkeypatch, files_per_partition: int):
    """The repeated lines of the corpus at `raw` (a path or a Location) counted in memory, then
    in partitions of `files_per_partition` files spilled under `out`; with the most partition
    files there were after a shard's spill."""
    config = Config()
    shards = plan.plan_buckets(discover(raw), config)
    in_memory = scan.repeated_by_group([scan.scan_shard(raw, ps, config) for ps in shards], config)
    monkeypatch.setattr(scan, "SCAN_FILES_PER_PARTITION", files_per_partition)
    where = fs.resolve(out)
    spilled = []
    real_spill = scan.spill_scan

    def spill_and_count(*args):
        docs = real_spill(*args)
        folders = [f"{scan.SCAN_SPILL}/{p}" for p in where.list_names(scan.SCAN_SPILL)]
        spilled.append(sum(len(where.list_names(folder)) for folder in folders))
        return docs

    monkeypatch.setattr(scan, "spill_scan", spill_and_count)
    with ThreadPoolExecutor(2) as pool:
        partitioned = scan.find_repeated(pool, raw, shards, config, out)
    return in_memory, partitioned, max(spilled, default=0)


def test_a_big_corpus_counts_its_repeated_lines_in_partitions_with_the_same_result(
    tmp_path, monkeypatch
):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_site_pages(raw)
    # 36 files, 5 a partition: 8 partitions
    expected, found, spilled = repeated_both_ways(str(raw), str(out), monkeypatch, 5)
    assert sorted(expected) == ["a", "b", "c"]
    assert all(len(keys) == 4 for keys in expected.values())  # each menu entry: >= 3 pages
    assert spilled >= 8  # the keys went through the partition files
    assert sorted(found) == sorted(expected)
    for group, keys in expected.items():
        assert np.array_equal(found[group], keys)
    assert not (out / scan.SCAN_SPILL).exists()  # the scratch folder is removed


def test_copies_of_a_document_count_once_and_keep_their_text(tmp_path):
    """The same article saved four times is one text for the repetition count: its lines are
    not site chrome, while a menu line found in three distinct texts still is."""
    raw = tmp_path / "raw" / "site"
    raw.mkdir(parents=True)
    menu = "Home | World | Sports | Contact"

    def story(topic: str) -> str:
        return "\n".join(
            f"Paragraph {k} on {topic}: the council met on Tuesday to discuss the budget, and "
            "the members agreed that the road repairs would have to wait until the spring."
            for k in range(4)
        )

    for i in range(4):
        (raw / f"copy{i}.txt").write_text(f"{menu}\n{story('roads')}\n", encoding="utf-8")
    for i, topic in enumerate(("parks", "schools")):
        (raw / f"other{i}.txt").write_text(f"{menu}\n{story(topic)}\n", encoding="utf-8")
    _run_one_shard(tmp_path / "raw", tmp_path / "out")
    docs = {d["source_path"]: d["text"] for d in _load(tmp_path / "out", "documents")}
    for i in range(4):
        assert docs[f"site/copy{i}.txt"] == story("roads")
    removed = _load(tmp_path / "out", "removed")
    assert [r["reason"] for r in removed if r["text"] == menu] == ["boilerplate.repeated"] * 6
    assert all(r["text"] == menu for r in removed)


def test_a_records_url_reaches_the_extractor():
    """A JSONL or WARC record's URL is the page's URL for its metadata: here the date, which
    only the URL states (it also feeds the title ranker and the page-type model)."""
    from corpusprep.read import RawDoc

    html = (
        "<html><head><title>Council passes the budget</title></head><body>"
        "<h1>Council passes the budget</h1><p>The council voted on Tuesday night to pass "
        "the budget after a long debate about the library and the roads.</p></body></html>"
    )
    url = "https://news.example/2024/05/17/council-passes-the-budget"
    doc = RawDoc("id", "pages.jsonl", "html", html, "utf-8", len(html), url=url)
    meta, _, _ = pipeline.prepare_text(doc, Config())
    assert meta.date == "2024-05-17"
    bare, _, _ = pipeline.prepare_text(RawDoc("id", "p.html", "html", html, "utf-8", 1), Config())
    assert bare.date is None
