"""`corpusprep report`: the HTML page of charts, opened in headless Chromium.

The page counts, once laid out, the charts that have a size and show at least one drawn mark
(or, for an empty panel, its message) and writes the count on its body; the tests read it back
from Chromium's `--dump-dom`. Chromium is not optional here: `make test` installs it.
"""

import re
import shutil
import subprocess

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from corpusprep import pipeline, store
from corpusprep.config import Config
from corpusprep.read import discover
from corpusprep.report import build_report, error_reason, gather, write_report
from flows import cli

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# what a chart of data must show on the fixture's output (duplicates: no dataset, so a panel)
CHARTS_WITH_DATA = {"lengths", "reasons", "sites", "languages", "sentences", "words", "failures"}


@pytest.fixture
def out(raw_corpus, tmp_path):
    """A real run's output (the library path, as tests/test_stats.py): four good files, a
    JSONL file with a bad line and a binary file, both failed."""
    (raw_corpus / "news" / "broken.jsonl").write_text('{"text": "fine enough text here"}\n{oops\n')
    (raw_corpus / "binary.txt").write_bytes(bytes(range(256)) * 4)
    out = tmp_path / "out"
    pipeline.process_shard(str(raw_corpus), str(out), "k", discover(raw_corpus), {}, Config())
    return out


def browser(page, tmp_path) -> dict[str, str]:
    """Open the HTML file in headless Chromium; the attributes its script set on <body>."""
    assert shutil.which(CHROMIUM), "chromium is missing: `make test` installs it (apt-get)"
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    body = re.search(r"<body([^>]*)>", done.stdout)
    assert body, done.stdout[:500]
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', body.group(1)))


def n_figures(html: str) -> int:
    return html.count('<figure class="panel"')


def test_every_chart_renders_in_a_browser(out, tmp_path):
    path, figures = write_report(str(out))
    html = (out / "report.html").read_text(encoding="utf-8")
    assert path == str(out / "report.html") and figures["charts"] == n_figures(html)
    seen = browser(out / "report.html", tmp_path)
    assert int(seen["plots-total"]) == n_figures(html) >= 8
    assert int(seen["plots-rendered"]) == n_figures(html)
    assert set(seen["plots-with-marks"].split()) == CHARTS_WITH_DATA
    assert "no duplicates dataset in this output" in html  # its panel, drawn as a chart
    # nothing fetched: no source, link, import or url() anywhere; one script, inline
    assert not re.search(r"\b(src|href)\s*=|<link|@import|url\(", html)
    assert html.count("<script") == 1
    # every chart has a title and axis labels or a message; numbers are shown
    assert html.count('class="title"') == n_figures(html)
    assert html.count('class="axis-label"') == 2 * len(CHARTS_WITH_DATA)
    assert not list(out.glob(".report.html*"))  # the temp file was renamed


def test_the_browser_check_fails_on_an_empty_or_collapsed_chart(out, tmp_path):
    page, n = build_report(str(out))
    # the first chart loses its marks (an empty plot), the second its size
    first = page.index('<figure class="panel"')
    second = page.index('<figure class="panel"', first + 1)
    third = page.index('<figure class="panel"', second + 1)
    emptied = page[first:second].replace('class="mark ', 'class="was-mark ')
    collapsed = re.sub(
        r'width="\d+" height="\d+"', 'width="0" height="0"', page[second:third], count=1
    )
    broken = page[:first] + emptied + collapsed + page[third:]
    (tmp_path / "broken.html").write_text(broken, encoding="utf-8")
    seen = browser(tmp_path / "broken.html", tmp_path)
    assert int(seen["plots-total"]) == n
    assert int(seen["plots-rendered"]) == n - 2


def test_a_duplicates_dataset_is_drawn(out, tmp_path):
    docs = ds.dataset(out / "documents").to_table(columns=["doc_id"]).column(0).to_pylist()
    assert len(docs) == 5
    (out / "duplicates").mkdir()
    clusters = [docs[0], docs[0], docs[0], docs[3], docs[3]]  # a cluster of 3, one of 2
    table = pa.table(
        {
            "doc_id": docs[:5],
            "cluster_id": ["c1", "c1", "c1", "c2", "c2"],
            "canonical_doc_id": clusters,
            "similarity": [1.0, 0.9, 0.85, 1.0, 1.0],
            "kind": ["exact", "near", "near", "exact", "exact"],
        }
    )
    assert "the duplicates dataset is empty" in build_report(str(out))[0]  # a folder, no parts
    pq.write_table(table, out / "duplicates" / "part-0.parquet")
    dup = gather(str(out))["duplicates"]
    assert (dup["documents"], dup["clusters"]) == (5, 2)
    assert dict(zip(dup["bins"], dup["counts"], strict=True)) == {"2": 1, "3": 1}
    write_report(str(out))
    seen = browser(out / "report.html", tmp_path)
    assert set(seen["plots-with-marks"].split()) == CHARTS_WITH_DATA | {"duplicates"}
    assert int(seen["plots-rendered"]) == int(seen["plots-total"])


def test_an_output_without_documents_gives_a_valid_report(tmp_path):
    out = tmp_path / "out"
    for name in ("documents", "sentences", "removed"):
        store.write_part(out, name, "k", [])
    row = {"source_path": "notes.pdf", "status": "skipped", "error": None, "format": None}
    store.write_part(out, "files", "k", [row])
    path, _ = write_report(str(out))
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "This output holds no documents." in html
    seen = browser(out / "report.html", tmp_path)
    assert int(seen["plots-rendered"]) == int(seen["plots-total"]) == n_figures(html) >= 8
    assert seen["plots-with-marks"] == ""  # every panel says why it is empty


def test_text_from_the_data_is_escaped(tmp_path):
    out = tmp_path / "out"
    evil = '<script>alert("x")</script> & <b>'
    doc = {
        "doc_id": "d1",
        "source_path": f"{evil}.txt",
        "format": "txt",
        "text": "Kept.",
        "site": evil,
        "language": evil,
        "n_sentences": 1,
        "n_words": 1,
        "n_chars": 5,
        "n_raw_chars": 50,
        "n_lines_removed": 1,
        "ftfy_fixes": 0,
    }
    store.write_part(out, "documents", "k", [doc])
    store.write_part(out, "sentences", "k", [{"doc_id": "d1", "n_words": 1, "text": "Kept."}])
    store.write_part(out, "removed", "k", [{"doc_id": "d1", "text": evil, "reason": evil}])
    files = [
        {"source_path": f"{evil}.txt", "status": "ok"},
        {"source_path": "x.txt", "status": "failed", "error": f"{evil}: more"},
    ]
    store.write_part(out, "files", "k", files)
    page, _ = build_report(str(out))
    assert evil not in page and "alert" in page
    assert page.count("<script") == 1 and "&lt;script&gt;" in page


def test_failure_messages_group_by_their_kind():
    assert error_reason("file too large: 70 bytes (limit 5)") == "file too large"
    assert error_reason("record r1: not valid JSON (x); record r2: y") == "not valid JSON (x)"
    assert (
        error_reason("line 2: not valid JSON (Expecting value)")
        == "not valid JSON (Expecting value)"
    )
    assert error_reason("document ab12: internal error: ValueError: z") == "internal error"
    assert error_reason("") == "(no message)"


def test_the_histograms_count_every_document(out):
    data = gather(str(out))
    n = data["totals"]["documents"]
    labels, counts = data["lengths"]
    assert sum(counts["raw"]) == sum(counts["clean"]) == n and len(labels) == len(counts["raw"])
    assert sum(data["sentences_per_doc"][1]) == n
    n_sentences = ds.dataset(out / "sentences").count_rows()
    assert sum(data["words_per_sentence"][1]) == n_sentences
    assert [r for r, _ in data["failure_reasons"]] == [
        "binary file",
        "not valid JSON (Expecting property name enclosed in double quotes)",
    ]


def test_the_command_writes_the_page_and_prints_its_path(out, tmp_path, capsys):
    assert cli.main(["report", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out / "report.html")
    target = tmp_path / "elsewhere" / "r.html"
    assert cli.main(["report", str(out), "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_no_datasets_is_one_line_error(tmp_path, capsys):
    assert cli.main(["report", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("corpusprep: error: no datasets in") and err.count("\n") == 1
