#!/usr/bin/env python3
"""Title, author and date of each WCXB dev page against its gold metadata, for corpusprep's
HTML extraction and trafilatura's on the same pages (prints a table, asserts nothing).

    python scripts/eval_metadata.py --wcxb PATH [--workers 2] [--half A|B] [--show FIELD]
    python scripts/eval_metadata.py --wcxb PATH --time 300

A field is scored on the pages whose gold value is not null: exact match after normalising
both sides (Unicode NFKC, case folded, whitespace collapsed, surrounding punctuation dropped;
dates compared as YYYY-MM-DD). "extra" is the share of pages without a gold value for which
the extractor still returned one. Only the benchmark's ``dev/`` split is read.

The dev pages fall into two halves by their domain (``half_of``): rules are developed on the
misses of half A (``--half A --show author``) and must not lose on half B, the check that a
rule is general rather than fitted to the pages looked at (docs/decisions.md).
``--time N`` reports ms a page of ``page_metadata`` alone on the first N pages (parsed once).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIELDS = ("title", "author", "date")
_SPACE = re.compile(r"\s+")
_PLAIN = str.maketrans("\u2018\u2019\u201c\u201d\u2013\u2014", "''\"\"--")
_EDGE = "\"'“”‘’«»()[]{}.,;:!?-–—|·• "


def normalise(field: str, value) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).translate(_PLAIN)
    text = _SPACE.sub(" ", text).strip().casefold()
    if field == "date":
        match = re.search(r"\d{4}-\d{2}-\d{2}", text)
        return match.group() if match else (text[:10] or None)
    text = text.strip(_EDGE)
    return text or None


def half_of(domain: str) -> str:
    """Half "A" or "B": a stable split of the dev pages by domain (no site in both halves)."""
    return "AB"[hashlib.sha1(domain.lower().encode()).digest()[0] % 2]


def _load(html_path: str):
    from trafilatura.utils import load_html

    html = gzip.decompress(Path(html_path).read_bytes()).decode("utf-8", errors="replace")
    return html, load_html(html)


def _ours(tree, url: str | None) -> dict:
    """What `extract_html` returns as metadata (its own call, without the text extraction)."""
    from trafilatura.settings import Document

    from corpusprep.config import Config
    from corpusprep.extract import page_metadata

    meta = Document()
    if tree is not None:
        try:
            meta = page_metadata(tree, url, Config().html_author_search)
        except (TypeError, ValueError):
            pass
    return {f: getattr(meta, f, None) or None for f in FIELDS}


def _page(args: tuple[str, str, str, bool]) -> dict:
    html_path, gold_path, half, with_theirs = args
    import trafilatura

    record = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    gold = record.get("ground_truth") or {}
    url = record.get("url")
    html, tree = _load(html_path)
    page = {
        "id": Path(gold_path).stem, "url": url, "half": half,
        "gold": {"title": gold.get("title"), "author": gold.get("author"),
                 "date": gold.get("publish_date")},
        "corpusprep": _ours(tree, url),
    }  # fmt: skip
    if with_theirs:
        theirs = trafilatura.bare_extraction(html, url=url, with_metadata=True, fast=True)
        page["trafilatura"] = {f: getattr(theirs, f, None) if theirs else None for f in FIELDS}
    return page


def score(pages: list[dict], who: str) -> dict[str, tuple[float, float]]:
    out = {}
    for f in FIELDS:
        hit = n = extra = n_null = 0
        for p in pages:
            gold, got = normalise(f, p["gold"][f]), normalise(f, p[who][f])
            if gold is None:
                n_null += 1
                extra += got is not None
            else:
                n += 1
                hit += gold == got
        out[f] = (hit / n if n else 0.0, extra / n_null if n_null else 0.0)
    return out


def _time(jobs: list[tuple[str, str, str, bool]], n: int) -> float:
    """ms a page of `page_metadata` alone: every page parsed first, then timed twice (the
    second round counted, so imports and first-call caches are out of the figure)."""
    trees = []
    for html_path, gold_path, _, _ in jobs[:n]:
        url = json.loads(Path(gold_path).read_text(encoding="utf-8")).get("url")
        trees.append((_load(html_path)[1], url))
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        for tree, url in trees:
            _ours(tree, url)
        best = min(best, time.perf_counter() - t0)
    return 1000 * best / len(trees)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--wcxb", type=Path, required=True)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--half", choices=("A", "B"), help="score (and --show) one half only")
    ap.add_argument("--show", choices=FIELDS, help="print the misses of one field")
    ap.add_argument("--ours-only", action="store_true", help="skip trafilatura's metadata")
    ap.add_argument("--time", type=int, metavar="N", help="ms a page of page_metadata, N pages")
    a = ap.parse_args()
    dev = a.wcxb / "dev"
    domains = {
        k: v.get("domain") or ""
        for k, v in json.loads((a.wcxb / "metadata.json").read_text())["files"].items()
    }
    jobs = [
        (str(dev / "html" / f"{g.stem}.html.gz"), str(g), half_of(domains.get(g.stem, g.stem)),
         not a.ours_only)
        for g in sorted((dev / "ground-truth").glob("*.json"))
    ]  # fmt: skip
    if a.half:
        jobs = [j for j in jobs if j[2] == a.half]
    if a.time:
        print(f"page_metadata: {_time(jobs, a.time):.2f} ms a page on {a.time} dev pages")
        return 0
    with Pool(a.workers) as pool:
        pages = pool.map(_page, jobs, chunksize=8)
    counts = Counter(f for p in pages for f in FIELDS if normalise(f, p["gold"][f]) is not None)
    print(f"WCXB dev, {len(pages)} pages; with a gold value: "
          + ", ".join(f"{f} {counts[f]}" for f in FIELDS))  # fmt: skip
    print("| extractor | pages | " + " | ".join(f"{f} match | {f} extra" for f in FIELDS) + " |")
    print("|---|---|" + "---|---|" * len(FIELDS))
    for who in ("corpusprep", "trafilatura") if not a.ours_only else ("corpusprep",):
        for half in ("A", "B", "all"):
            part = [p for p in pages if half in ("all", p["half"])]
            if not part:
                continue
            s = score(part, who)
            cells = " | ".join(f"{s[f][0]:.3f} | {s[f][1]:.3f}" for f in FIELDS)
            print(f"| {who} | {half} | {cells} |")
    if a.show:
        for p in pages:
            gold, got = (
                normalise(a.show, p["gold"][a.show]),
                normalise(a.show, p["corpusprep"][a.show]),
            )
            if gold != got:
                print(f"{p['id']} {p['url']}\n gold {gold!r}\n  got {got!r}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
