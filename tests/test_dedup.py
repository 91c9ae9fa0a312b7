"""Near-duplicate documents and repeated sentences, through the library (shards, then
dedup.finish), as tests/test_pipeline.py runs the pipeline."""

import json
import re
import shutil

import numpy as np
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES, SEEDS

from corpusprep import dedup, pipeline, plan, scan, store
from corpusprep.config import Config
from corpusprep.read import discover

ARTICLE = json.loads((FIXTURES / "html" / "article.gold.json").read_text())["gold"]
FOOTER = [
    "This article was updated on May 19 to include comments from NASA's Goddard Space "
    "Flight Center and the W.M. Keck Observatory.",
    'Mike Wall\'s book about the search for alien life, "Out There", is published by Grand '
    "Central Publishing.",
]
OTHER_FOOTER = [
    "Originally published on Live Science.",
    "Reporting by the Space.com staff; editing by the science desk.",
]


def _rows(out, name):
    return ds.dataset(out / name).to_table().to_pylist()


def _run(raw, out, config=None, shards=1):
    """The flow's work without Prefect: scan, the shards (`shards` of them), dedup.finish."""
    config = config or Config()
    paths = discover(raw)
    repeated = scan.repeated_by_group([scan.scan_shard(raw, paths, config)], config)
    hashes = plan.content_hashes(raw, paths, {})
    for i in range(shards):
        part = paths[i::shards]
        key = plan.shard_key(part, hashes, repeated, config)
        pipeline.process_shard(str(raw), str(out), key, part, repeated, config)
    return dedup.finish(out, config)


def _with_footer(lines):
    return ARTICLE + "\n\n" + "\n\n".join(lines) + "\n"


@pytest.fixture
def copies_and_seeds(tmp_path):
    """One folder: an article twice, the article with another footer, the three seeds."""
    raw = tmp_path / "raw"
    (raw / "news").mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, raw / "news" / seed.name)
    (raw / "news" / "europa.txt").write_text(_with_footer(FOOTER), encoding="utf-8")
    (raw / "news" / "europa-again.txt").write_text(_with_footer(FOOTER), encoding="utf-8")
    (raw / "news" / "europa-syndicated.txt").write_text(
        _with_footer(OTHER_FOOTER), encoding="utf-8"
    )
    return raw


def test_copies_and_a_variant_make_one_cluster_and_the_seeds_none(copies_and_seeds, tmp_path):
    out = tmp_path / "out"
    found = _run(copies_and_seeds, out)
    docs = {d["doc_id"]: d for d in _rows(out, "documents")}
    path_of = {i: d["source_path"].split("/")[-1] for i, d in docs.items()}
    dups = _rows(out, "duplicates")
    assert found["clusters"] == len({d["cluster_id"] for d in dups}) == 1
    by_path = {path_of[d["doc_id"]]: d for d in dups}
    assert sorted(by_path) == ["europa-again.txt", "europa-syndicated.txt", "europa.txt"]
    assert not any(name.startswith("00") for name in by_path)  # no seed
    # the canonical: the longest cleaned text (a copy kept its updated-on line), then the
    # smallest doc_id
    copies = sorted(i for i in docs if path_of[i] in ("europa.txt", "europa-again.txt"))
    canonical = copies[0]
    assert {d["canonical_doc_id"] for d in dups} == {d["cluster_id"] for d in dups} == {canonical}
    assert docs[canonical]["n_chars"] > docs[by_path["europa-syndicated.txt"]["doc_id"]]["n_chars"]
    assert {p: d["kind"] for p, d in by_path.items()} == {
        "europa.txt": "exact",
        "europa-again.txt": "exact",
        "europa-syndicated.txt": "near",
    }
    assert by_path["europa.txt"]["similarity"] == by_path["europa-again.txt"]["similarity"] == 1
    assert 0.7 <= by_path["europa-syndicated.txt"]["similarity"] < 1


def test_the_same_input_gives_the_same_clusters_whatever_the_shards(copies_and_seeds, tmp_path):
    _run(copies_and_seeds, tmp_path / "one", shards=1)
    _run(copies_and_seeds, tmp_path / "three", shards=3)
    one, three = _rows(tmp_path / "one", "duplicates"), _rows(tmp_path / "three", "duplicates")
    assert one == three and len(one) == 3


def test_signatures_and_sentence_hashes_are_fixed_values():
    """Pinned: a change here changes every stored signature and count (bump PIPELINE_VERSION)."""
    sig = dedup.signature("The quick brown fox jumps over the lazy dog again", Config())
    assert sig.dtype == np.uint32 and sig.shape == (112,)
    assert sig[:4].tolist() == [33352308, 147715910, 55918037, 49084]
    assert dedup.sentence_hash("Hello, world!") == -4360738600321850863


def test_shingles_are_the_lowercase_words_of_the_regex():
    text = "Ünïcode Straße, naïve café — 東京 🙂 x_y 42 fin\u0301 ﬁne. Word"
    words = re.findall(r"\w+", text.lower())
    shingles = dedup.word_shingles(text, 5)
    assert len(shingles) == len(words) - 4
    # the same words between other separators: the same shingles; case does not count
    assert np.array_equal(shingles, dedup.word_shingles(" -- ".join(words), 5))
    assert np.array_equal(
        dedup.word_shingles("Hello World", 5), dedup.word_shingles("hello world", 5)
    )
    assert len(dedup.word_shingles("only three words", 5)) == 1  # fewer words than the size
    assert dedup.word_shingles(" ... — !", 5) is None
    assert dedup.signature("", Config()) is None


def test_estimated_jaccard_is_close_to_the_true_one():
    config = Config()
    words = [f"w{i}" for i in range(2000)]
    a = " ".join(words[:1200])
    b = " ".join(words[300:1500])  # 900 of 1,500 distinct shingles shared, about 0.6
    true = (900 - 4) / (1500 - 4)
    sa, sb = dedup.signature(a, config), dedup.signature(b, config)
    assert abs((sa == sb).mean() - true) < 0.15


def test_many_copies_make_one_cluster(tmp_path):
    raw = tmp_path / "raw"
    for i in range(40):  # in folders of their own: copies within a folder count once anyway
        (raw / f"d{i}").mkdir(parents=True)
        (raw / f"d{i}" / "page.txt").write_text(_with_footer(FOOTER), encoding="utf-8")
    found = _run(raw, tmp_path / "out")
    assert found == found | {"clusters": 1, "documents": 40}
    assert {d["kind"] for d in _rows(tmp_path / "out", "duplicates")} == {"exact"}


SENTENCES = {
    "a.txt": "The council approved the new budget on Tuesday evening after a long debate.\n"
    "Residents of the valley will see their water bills rise by four percent next year.\n"
    "The council approved the new budget on Tuesday evening after a long debate.\n",
    "b.txt": '"THE COUNCIL approved the   new budget on Tuesday evening after a long debate"\n'
    "Opponents of the plan said that the increase would hurt families on fixed incomes.\n",
    "c.txt": "Opponents of the plan said that the increase would hurt families on fixed incomes.\n"
    "The mayor promised to review the water rates again before the end of the summer.\n",
}


@pytest.mark.parametrize("flush_rows", [50_000, 2])  # 2: parts of many row groups
def test_dup_count_counts_documents_per_normalised_sentence(tmp_path, monkeypatch, flush_rows):
    monkeypatch.setattr(store, "FLUSH_ROWS", flush_rows)
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, text in SENTENCES.items():
        (raw / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert _run(raw, out, shards=2)["sentence_parts_updated"] == 2
    path = {d["doc_id"]: d["source_path"] for d in _rows(out, "documents")}
    counts = {
        (path[s["doc_id"]], s["sentence_index"]): s["dup_count"] for s in _rows(out, "sentences")
    }
    assert counts == {
        ("a.txt", 0): 2,  # in a.txt twice (counted once) and, cased and quoted, in b.txt
        ("a.txt", 1): 1,
        ("a.txt", 2): 2,
        ("b.txt", 0): 2,
        ("b.txt", 1): 2,
        ("c.txt", 0): 2,
        ("c.txt", 1): 1,
    }
    # a second pass changes no count: no part is rewritten
    parts = {p: p.stat().st_mtime_ns for p in (out / "sentences").glob("part-*.parquet")}
    assert dedup.finish(out, Config())["sentence_parts_updated"] == 0
    assert {p: p.stat().st_mtime_ns for p in parts} == parts
    # the rewritten parts keep their declared schema and its metadata
    schema = pq.read_schema(next(iter(parts)))
    assert schema.names == store.SCHEMAS["sentences"].names
    assert schema.metadata[b"corpusprep.schema_version"] == store.SCHEMA_VERSION.encode()


def test_normalised_sentences():
    assert dedup.normalise_sentence("  «Hello,\tWORLD!»  ") == "hello, world"
    assert dedup.normalise_sentence("ﬁnal ＡＢＣ — ...") == "final abc"  # NFKC; a dash is Pd
    assert dedup.sentence_hash("Hello world.") == dedup.sentence_hash('"hello   world"')
    assert dedup.sentence_hash("Hello world.") != dedup.sentence_hash("Hello, world.")


def test_no_clusters_still_writes_the_dataset(raw_corpus, tmp_path):
    assert _run(raw_corpus, tmp_path / "out")["clusters"] == 0
    table = ds.dataset(tmp_path / "out" / store.DUPLICATES).to_table()
    assert table.num_rows == 0 and table.schema.names == store.SCHEMAS[store.DUPLICATES].names


def test_the_threshold_reprocesses_no_shard_but_the_signature_settings_do():
    """Only the last step reads the threshold: it is not part of the digest naming parts."""
    assert Config(dedup_threshold=0.9).digest() == Config().digest()
    assert Config(dedup_shingle_words=4).digest() != Config().digest()
    assert Config(dedup_bands=16).digest() != Config().digest()
