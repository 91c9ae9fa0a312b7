"""`corpusprep report`: one self-contained HTML page of charts about a run's datasets.

The data come from DuckDB over the Arrow datasets (`corpusprep.stats.connect`, as `corpusprep
stats` reads them), aggregated there so that a big corpus never comes into Python row by row;
the charts are inline SVG drawn by `corpusprep.plots`. The page loads nothing: no script, font
or style sheet from anywhere else. A small inline script counts, once the page is laid out, the
charts that show something (`data-plots-rendered` on the body), for the tests' headless browser.
"""

from __future__ import annotations

import math
import os
import posixpath
import re
import time
from datetime import UTC, datetime

from corpusprep import fs, store
from corpusprep.plots import (
    Bar,
    Series,
    compact,
    empty,
    esc,
    hbar,
    histogram,
    nice_step,
    percent,
)
from corpusprep.stats import connect, query, summarise

TOP_SITES = 15
TOP_REASONS = 12
TOP_LANGUAGES = 15
TOP_FAILURES = 12
TOP_DOCUMENTS = 20
REPORT_NAME = "report.html"
DUPLICATES = "duplicates"  # an optional dataset: doc_id, cluster_id, canonical_doc_id, ...
EXTRACTION = "(extraction, markup)"  # what `removed` does not record line by line


def default_path(out_dir: str) -> str:
    """Where the report goes unless told: OUT_DIR/report.html (a path or a URI)."""
    join = posixpath.join if fs.is_uri(out_dir) else os.path.join
    return join(out_dir, REPORT_NAME)


def write_report(out_dir: str, path: str | None = None) -> tuple[str, dict]:
    """Build the report of the datasets under `out_dir` and write it to `path` (default:
    OUT_DIR/report.html); return the path and a few figures (seconds, bytes, charts). Raises
    FileNotFoundError when `out_dir` holds no datasets."""
    started = time.perf_counter()
    page, n_charts = build_report(out_dir)
    path = path or default_path(out_dir)
    data = save_report(page, path)
    return path, {"seconds": time.perf_counter() - started, "bytes": data, "charts": n_charts}


def save_report(page: str, path: str) -> int:
    """Write the page to `path` (a local path or a URI) whole or not at all: a temp file
    renamed, or one put to a bucket. Returns its size in bytes."""
    data = page.encode("utf-8")
    if fs.is_uri(path):
        folder, name = path.rsplit("/", 1)
    else:
        folder, name = os.path.split(os.path.abspath(path))
    fs.resolve(folder).put(name, data)
    return len(data)


# --- the data ---------------------------------------------------------------------------------


def _log_bins(con, sql: str) -> tuple[list[str], dict[str, list[int]]]:
    """Bins 1-2-5 per power of ten (plus one for 0) of the values `sql` gives as (series, x);
    the labels and each series' counts, every bin from the smallest value's to the biggest's."""
    found = query(
        con,
        f"""with v as ({sql}),
        b as (select s, x, case when x <= 0 then -1 else floor(log10(x) + 1e-9)::int end as k
              from v where x is not null)
        select s, k, case when k < 0 then 0 when x >= 5 * 10 ** k then 5
                          when x >= 2 * 10 ** k then 2 else 1 end as d, count(*) as n
        from b group by all""",
    )
    if not found:
        return [], {}
    edges = {(r["k"], r["d"]) for r in found}
    positive = sorted(e for e in edges if e[0] >= 0)
    seq = [(-1, 0)] if (-1, 0) in edges else []  # the bin of zeros
    if positive:
        (k, d), last = positive[0], positive[-1]
        while (k, d) <= last:
            seq.append((k, d))
            k, d = (k + 1, 1) if d == 5 else (k, {1: 2, 2: 5}[d])
    index = {e: i for i, e in enumerate(seq)}
    counts: dict[str, list[int]] = {}
    for r in found:
        counts.setdefault(r["s"], [0] * len(seq))[index[(r["k"], r["d"])]] += r["n"]
    labels = []
    for k, d in seq:
        if k < 0:
            labels.append("0")
        else:
            start = d * 10**k
            end = {1: 2, 2: 5, 5: 10}[d] * 10**k
            labels.append(f"{compact(start)}\u2013{compact(end)}")
    return labels, counts


def _linear_bins(con, sql: str, target: int = 12) -> tuple[list[str], list[int]]:
    """Bins of a round width over the values `sql` gives as (x), non-negative integers, up to
    about their 99th percentile; the values beyond in one last bin (">= N")."""
    (r,) = query(
        con,
        f"select min(x) as lo, max(x) as hi, quantile_disc(x, 0.99) as p99, count(x) as n"
        f" from ({sql})",
    )
    if not r["n"]:
        return [], []
    lo, hi, p99 = int(r["lo"]), int(r["hi"]), int(r["p99"])
    cap = p99 if hi > p99 * 1.5 + 1 else hi
    width = int(nice_step(cap - lo + 1, target, integer=True))
    start = lo - lo % width
    n = max(1, math.ceil((cap + 1 - start) / width))
    overflow = hi >= start + n * width
    found = query(
        con,
        f"select least((x - ?) // ?, ?)::int as b, count(*) as n from ({sql})"
        " where x is not null group by 1",
        start,
        width,
        n,
    )
    counts = [0] * (n + overflow)
    for row in found:
        counts[row["b"]] += row["n"]
    labels = [
        str(start + i * width)
        if width == 1
        else f"{start + i * width}\u2013{start + (i + 1) * width - 1}"
        for i in range(n)
    ]
    if overflow:
        labels.append(f"\u2265{start + n * width}")
    return labels, counts


_PREFIX = re.compile(r"^(?:record \S+|document \S+|line \d+): ")


def error_reason(error: str) -> str:
    """The kind of an error message, without what varies (its first problem, the words before
    the first colon): 'file too large: 7 bytes (limit 5)' -> 'file too large'."""
    first = (error or "").split("; ")[0].strip()
    first = _PREFIX.sub("", first)
    head = first.split(": ")[0].strip()
    return head or "(no message)"


def gather(out_dir: str) -> dict:
    """Everything the page shows, as plain data (FileNotFoundError without datasets)."""
    con = connect(out_dir)
    # what the page shows of `corpusprep stats` (the lines removed most often cost the most)
    shown = ("totals", "files", "by_language", "removal_reasons", "mojibake")
    data = summarise(con, top=TOP_LANGUAGES, only=shown)
    data["lengths"] = _log_bins(
        con,
        "select 'raw' as s, n_raw_chars as x from documents"
        " union all select 'clean', n_chars from documents",
    )
    data["sentences_per_doc"] = _linear_bins(con, "select n_sentences as x from documents")
    data["words_per_sentence"] = _linear_bins(con, "select n_words as x from sentences")
    data["sites"] = query(
        con,
        "select coalesce(site, '(unknown)') as site, count(*) as documents,"
        " sum(n_raw_chars) as raw_chars, sum(n_chars) as chars,"
        " 1 - sum(n_chars) / nullif(sum(n_raw_chars), 0) as share_removed"
        " from documents group by 1 having sum(n_raw_chars) > 0"
        " order by share_removed desc, site limit ?",
        TOP_SITES,
    )
    data["n_sites"] = query(con, "select count(distinct site) as n from documents")[0]["n"]
    errors = query(
        con,
        "select coalesce(error, '') as error, count(*) as files, min(source_path) as example"
        " from files where status = 'failed' group by 1",
    )
    reasons: dict[str, dict] = {}
    for e in errors:
        r = reasons.setdefault(error_reason(e["error"]), {"files": 0, "example": e})
        r["files"] += e["files"]
    data["failure_reasons"] = sorted(reasons.items(), key=lambda kv: (-kv[1]["files"], kv[0]))
    data["duplicates"] = _duplicates(con, out_dir)
    data["top_documents"] = query(
        con,
        """with top as (
            select doc_id, source_path, site, format, n_raw_chars, n_chars,
                   n_raw_chars - n_chars as lost
            from documents order by lost desc, doc_id limit ?),
        r as (select doc_id, reason, sum(length(text)) as chars from removed
              where doc_id in (select doc_id from top) group by 1, 2),
        best as (select doc_id, reason, chars from r
                 qualify row_number() over (partition by doc_id order by chars desc, reason) = 1),
        ledger as (select doc_id, sum(chars) as chars from r group by 1)
        select top.*, best.reason, coalesce(best.chars, 0) as reason_chars,
               coalesce(ledger.chars, 0) as ledger_chars
        from top left join best using (doc_id) left join ledger using (doc_id)
        order by lost desc, doc_id""",
        TOP_DOCUMENTS,
    )
    data["ledger_chars"] = sum(r["chars"] or 0 for r in data["removal_reasons"])
    return data


def _duplicates(con, out_dir: str) -> dict | None:
    """Cluster sizes of the `duplicates` dataset, or None when the output has none."""
    dataset = store.open_dataset(out_dir, DUPLICATES)
    if dataset is None:
        return None
    if not getattr(dataset, "files", True):  # the folder, without parts yet
        return {"documents": 0}
    if "cluster_id" not in dataset.schema.names:
        return {"error": "the duplicates dataset has no cluster_id column"}
    con.register(DUPLICATES, dataset)
    sizes = "select count(*) as x from duplicates group by cluster_id"
    (totals,) = query(
        con, "select count(*) as documents, count(distinct cluster_id) as clusters from duplicates"
    )
    kinds = []
    if "kind" in dataset.schema.names:
        kinds = query(
            con,
            "select coalesce(kind, '(none)') as kind, count(*) as n from duplicates"
            " group by 1 order by n desc, kind",
        )
    labels, counts = _linear_bins(con, sizes)
    return {**totals, "kinds": kinds, "bins": labels, "counts": counts}


# --- the page ---------------------------------------------------------------------------------


def _n(n: int, noun: str) -> str:
    """'1 line', '2,048 lines'."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _figure(key: str, svg: str, caption: str = "") -> str:
    cap = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure class="panel" data-plot="{esc(key)}">\n{svg}\n{cap}</figure>'


def _charts(d: dict) -> list[str]:
    t = d["totals"]
    n_docs = t["documents"]
    none = "no documents in this output"
    charts = []

    title = "Document length before and after cleaning"
    labels, counts = d["lengths"]
    if n_docs:
        raw, clean = counts.get("raw", [0] * len(labels)), counts.get("clean", [0] * len(labels))
        series = [Series("raw", raw, "c-raw"), Series("clean", clean, "c-clean")]
        svg = histogram(title, labels, series, "characters per document (log bins)", "documents")
        kept = (t["chars"] or 0) / t["raw_chars"] if t["raw_chars"] else 0
        cap = (
            f"{_n(n_docs, 'document')}: {_n(t['raw_chars'] or 0, 'raw character')}, "
            f"{t['chars'] or 0:,} after cleaning ({percent(kept)} kept). Raw length is that "
            "of the decoded input, markup included for HTML."
        )
    else:
        svg, cap = empty(title, none), ""
    charts.append(_figure("lengths", svg, esc(cap)))

    title = "Lines removed by reason (share of removed characters)"
    reasons = d["removal_reasons"]
    ledger = d["ledger_chars"]
    if reasons and ledger:
        bars = [
            Bar(
                r["reason"],
                (r["chars"] or 0) / ledger,
                f"{percent((r['chars'] or 0) / ledger)} \u00b7 {_n(r['lines'], 'line')}",
                f"{r['reason']}: {_n(r['chars'] or 0, 'character')} in {_n(r['lines'], 'line')} "
                f"of {_n(r['documents'], 'document')}",
            )
            for r in sorted(reasons, key=lambda r: (-(r["chars"] or 0), r["reason"]))
        ]
        if len(bars) > TOP_REASONS:
            rest = bars[TOP_REASONS - 1 :]
            share = sum(b.value for b in rest)
            bars[TOP_REASONS - 1 :] = [
                Bar(
                    f"({len(rest)} other reasons)",
                    share,
                    percent(share),
                    ", ".join(b.label for b in rest),
                )
            ]
        svg = hbar(
            title, bars, "share of the characters in removed lines", "reason", percent, "c-reason"
        )
        raw = t["raw_chars"] or 0
        cap = (
            f"{_n(sum(r['lines'] for r in reasons), 'line')}, {_n(ledger, 'character')} "
            f"({percent(ledger / raw if raw else 0)} of the raw characters); the rest of what "
            "cleaning dropped is HTML markup and page chrome left out by extraction."
        )
    else:
        svg, cap = empty(title, "no lines removed" if n_docs else none), ""
    charts.append(_figure("reasons", svg, esc(cap)))

    title = "Share of raw characters removed, by site"
    sites = d["sites"]
    if sites:
        bars = [
            Bar(
                s["site"],
                s["share_removed"] or 0,
                f"{percent(s['share_removed'] or 0)} of {compact(s['raw_chars'])}",
                f"{s['site']}: {_n(s['documents'], 'document')}, "
                f"{s['raw_chars']:,} raw characters, {s['chars']:,} kept",
            )
            for s in sites
        ]
        svg = hbar(
            title, bars, "share of the site's raw characters removed", "site", percent, "c-site"
        )
        unknown = any(s["site"] == "(unknown)" for s in sites)
        cap = "(unknown): documents without a site name or URL." if unknown else ""
        if d["n_sites"] > len(sites):
            cap = f"The {len(sites)} of {d['n_sites']:,} sites with the most removed. {cap}"
    else:
        svg, cap = empty(title, none), ""
    charts.append(_figure("sites", svg, esc(cap)))

    title = "Documents per language"
    langs = d["by_language"]
    if langs:
        bars = [Bar(r["language"], r["documents"], f"{r['documents']:,}") for r in langs]
        rest = n_docs - sum(r["documents"] for r in langs)
        if rest > 0:
            bars.append(Bar("(other languages)", rest, f"{rest:,}"))
        svg = hbar(title, bars, "documents", "language", compact, "c-lang", integer=True)
        cap = "ISO 639-1 codes (py3langid); (unknown): too short or unsure."
    else:
        svg, cap = empty(title, none), ""
    charts.append(_figure("languages", svg, esc(cap)))

    title = "Sentences per document"
    labels, counts = d["sentences_per_doc"]
    if labels:
        svg = histogram(
            title, labels, [Series("documents", counts, "c-sent")], "sentences", "documents"
        )
        cap = f"{_n(t['sentences'] or 0, 'sentence')} in {_n(n_docs, 'document')}."
    else:
        svg, cap = empty(title, none), ""
    charts.append(_figure("sentences", svg, esc(cap)))

    title = "Words per sentence"
    labels, counts = d["words_per_sentence"]
    if labels:
        svg = histogram(
            title, labels, [Series("sentences", counts, "c-word")], "words", "sentences"
        )
        cap = f"{_n(t['words'] or 0, 'word')} in {_n(sum(counts), 'sentence')}."
        if labels[-1].startswith("\u2265"):
            cap += " The last bin holds the longest sentences (about 1%)."
    else:
        svg, cap = empty(title, "no sentences in this output"), ""
    charts.append(_figure("words", svg, esc(cap)))

    title = "Duplicate clusters by size"
    dup = d["duplicates"]
    if dup is None:
        svg, cap = empty(title, "no duplicates dataset in this output"), ""
    elif dup.get("error"):
        svg, cap = empty(title, dup["error"]), ""
    elif not dup["documents"]:
        svg, cap = empty(title, "the duplicates dataset is empty"), ""
    else:
        svg = histogram(
            title,
            dup["bins"],
            [Series("clusters", dup["counts"], "c-dup")],
            "documents in the cluster",
            "clusters",
        )
        kinds = ", ".join(f"{k['kind']} {k['n']:,}" for k in dup["kinds"])
        cap = f"{_n(dup['documents'], 'document')} in {_n(dup['clusters'], 'cluster')}" + (
            f" (documents by kind: {kinds})." if kinds else "."
        )
    charts.append(_figure("duplicates", svg, esc(cap)))

    title = "Failed files by error"
    failures = d["failure_reasons"]
    files = d["files"]
    if failures:
        shown = failures[:TOP_FAILURES]
        bars = [
            Bar(
                reason,
                f["files"],
                f"{f['files']:,}",
                f"{reason}: {_n(f['files'], 'file')}; e.g. {f['example']['example']}: "
                f"{f['example']['error']}",
            )
            for reason, f in shown
        ]
        svg = hbar(title, bars, "files", "error", compact, "c-fail", integer=True)
        more = len(failures) - len(shown)
        cap = (
            f"{files.get('failed', 0):,} of {_n(sum(files.values()), 'file')} failed"
            + (f"; {more} more kinds of error not shown" if more else "")
            + ". The files dataset has each file's full message."
        )
    else:
        message = "no failed files" if files else "no files recorded"
        svg, cap = empty(title, message), f"{_n(sum(files.values()), 'file')}, none failed."
    charts.append(_figure("failures", svg, esc(cap)))
    return charts


def _top_table(d: dict) -> str:
    docs = d["top_documents"]
    if not docs:
        return '<p class="note">No documents.</p>'
    head = (
        "<tr><th>#</th><th>source_path</th><th>site</th><th>format</th><th>raw chars</th>"
        "<th>clean chars</th><th>removed</th><th>share removed</th><th>top reason</th></tr>"
    )
    body = []
    for i, r in enumerate(docs, 1):
        lost, raw = r["lost"], r["n_raw_chars"]
        rest = lost - r["ledger_chars"]
        reason = r["reason"] if r["reason"] and r["reason_chars"] >= rest else EXTRACTION
        if lost <= 0:
            reason = ""
        body.append(
            "<tr>"
            f"<td>{i}</td>"
            f'<td class="path" title="doc_id {esc(r["doc_id"])}">{esc(r["source_path"])}</td>'
            f"<td>{esc(r['site'] or '')}</td>"
            f"<td>{esc(r['format'] or '')}</td>"
            f'<td class="num">{raw:,}</td>'
            f'<td class="num">{r["n_chars"]:,}</td>'
            f'<td class="num">{lost:,}</td>'
            f'<td class="num">{percent(lost / raw if raw else 0)}</td>'
            f'<td class="reason">{esc(reason)}</td>'
            "</tr>"
        )
    return (
        f'<table class="docs">\n<thead>{head}</thead>\n<tbody>\n'
        + "\n".join(body)
        + ("\n</tbody></table>")
    )


STYLE = """
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9dee4; --bg: #f7f8fa; }
* { box-sizing: border-box; }
body { margin: 0; padding: 28px 32px 48px; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 32px 0 10px; }
.sub { color: var(--muted); margin: 0 0 18px; }
.facts { display: flex; flex-wrap: wrap; gap: 10px; margin: 0 0 8px; padding: 0; list-style: none; }
.facts li { background: #fff; border: 1px solid var(--line); border-radius: 8px;
  padding: 8px 14px; }
.facts b { display: block; font-size: 18px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 16px; }
figure.panel { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px;
  padding: 14px 16px 10px; }
figure.panel svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 12.5px; margin-top: 6px; }
svg text { font-family: inherit; font-size: 12px; fill: var(--ink); }
svg .title { font-size: 14.5px; font-weight: 600; }
svg .tick, svg .count, svg .value { fill: var(--muted); font-variant-numeric: tabular-nums; }
svg .axis-label { fill: var(--muted); font-style: italic; }
svg .grid { stroke: #edf0f3; }
svg .axis { stroke: #9aa5b1; }
svg .frame { fill: #fafbfc; stroke: var(--line); stroke-dasharray: 5 4; }
svg .empty-note { fill: var(--muted); font-size: 13.5px; }
svg rect.mark:hover { opacity: .8; }
.c-raw { fill: #b8c2cc; } .c-clean { fill: #3b82c4; } .c-reason { fill: #e07b53; }
.c-site { fill: #c8553d; } .c-lang { fill: #4f9d69; } .c-sent { fill: #6d6fb8; }
.c-word { fill: #3f9aa6; } .c-dup { fill: #8a6bb8; } .c-fail { fill: #c94c4c; }
table.docs { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px;
  border: 1px solid var(--line); }
table.docs th, table.docs td { padding: 5px 9px; border-bottom: 1px solid #edf0f3;
  text-align: left; vertical-align: top; }
table.docs th { background: #eef1f4; font-weight: 600; white-space: nowrap; }
table.docs td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.docs td.path { word-break: break-all; max-width: 420px; }
table.docs td.reason { white-space: nowrap; }
.note { color: var(--muted); }
"""

# Runs once the page is laid out: counts the charts that have a size and show at least one
# drawn mark with a size (or, for an empty panel, its message), for the tests' browser.
CHECK = """
(function () {
  function drawn(el) { var b = el.getBBox(); return b.width > 0 && b.height > 0; }
  var svgs = document.querySelectorAll("figure.panel > svg.plot"), ok = 0, marked = [];
  for (var i = 0; i < svgs.length; i++) {
    var svg = svgs[i], r = svg.getBoundingClientRect();
    if (!(r.width > 0 && r.height > 0)) continue;
    var marks = Array.prototype.some.call(svg.querySelectorAll(".mark"), drawn);
    var note = svg.classList.contains("empty") &&
      Array.prototype.some.call(svg.querySelectorAll(".empty-note"), drawn);
    if (marks) marked.push(svg.parentNode.getAttribute("data-plot"));
    if (marks || note) ok++;
  }
  document.body.setAttribute("data-plots-total", svgs.length);
  document.body.setAttribute("data-plots-with-marks", marked.join(" "));
  document.body.setAttribute("data-plots-rendered", ok);
})();
"""


def build_report(out_dir: str) -> tuple[str, int]:
    """The HTML page for the datasets under `out_dir`, and its number of charts."""
    d = gather(out_dir)
    t = d["totals"]
    n_docs = t["documents"]
    files = d["files"]
    kept = (t["chars"] or 0) / t["raw_chars"] if t["raw_chars"] else 0
    facts = [
        ("documents", f"{n_docs:,}"),
        ("sentences", f"{t['sentences'] or 0:,}"),
        ("words", f"{t['words'] or 0:,}"),
        ("raw characters kept", percent(kept)),
        ("lines removed", f"{sum(r['lines'] for r in d['removal_reasons']):,}"),
        (
            "files ok / failed / skipped",
            " / ".join(f"{files.get(s, 0):,}" for s in ("ok", "failed", "skipped")),
        ),
        ("mojibake fixes (lines)", f"{d['mojibake']['lines_fixed']:,}"),
    ]
    charts = _charts(d)
    shown = len(d["top_documents"])
    lost_title = (
        f"The {shown} documents that lost the most"
        if shown == TOP_DOCUMENTS or shown < n_docs
        else "The documents by what they lost"
    )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    empty_note = (
        '<p class="note"><b>This output holds no documents.</b> The charts below are empty.</p>'
        if not n_docs
        else ""
    )
    facts_html = "".join(f"<li><b>{esc(v)}</b>{esc(k)}</li>" for k, v in facts)
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>corpusprep report: {esc(out_dir)}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>corpusprep report</h1>
<p class="sub">{esc(out_dir)} &middot; made {esc(stamp)}</p>
<ul class="facts">{facts_html}</ul>
{empty_note}
<div class="charts">
{chr(10).join(charts)}
</div>
<h2>{esc(lost_title)}</h2>
<p class="note">Raw characters minus clean characters. Top reason: the removal reason with the
most characters in the document, or {esc(EXTRACTION)} when more went in extracting the text
from its HTML than in any one reason.</p>
{_top_table(d)}
<script>{CHECK}</script>
</body>
</html>
"""
    return page, len(charts)
