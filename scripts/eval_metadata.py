#!/usr/bin/env python3
"""Title, author and date of each WCXB dev page against its gold metadata, for corpusprep's
HTML extraction and trafilatura's on the same pages (prints a table, asserts nothing).

    python scripts/eval_metadata.py --wcxb PATH [--workers 2]

A field is scored on the pages whose gold value is not null: exact match after normalising
both sides (Unicode NFKC, case folded, whitespace collapsed, surrounding punctuation dropped;
dates compared as YYYY-MM-DD). "extra" is the share of pages without a gold value for which
the extractor still returned one. Only the benchmark's ``dev/`` split is read.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
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


def _page(args: tuple[str, str]) -> dict:
    html_path, gold_path = args
    import trafilatura

    from corpusprep.config import Config
    from corpusprep.extract import extract_html

    record = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    gold = record.get("ground_truth") or {}
    html = gzip.decompress(Path(html_path).read_bytes()).decode("utf-8", errors="replace")
    url = record.get("url")
    ours = extract_html(html, Config(), url=url)
    theirs = trafilatura.bare_extraction(html, url=url, with_metadata=True, fast=True)
    return {
        "gold": {"title": gold.get("title"), "author": gold.get("author"),
                 "date": gold.get("publish_date")},
        "corpusprep": {"title": ours.title, "author": ours.author, "date": ours.date},
        "trafilatura": {f: getattr(theirs, f, None) if theirs else None for f in FIELDS},
    }  # fmt: skip


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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--wcxb", type=Path, required=True)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--show", choices=FIELDS, help="print the misses of one field")
    a = ap.parse_args()
    dev = a.wcxb / "dev"
    jobs = [
        (str(dev / "html" / f"{g.stem}.html.gz"), str(g))
        for g in sorted((dev / "ground-truth").glob("*.json"))
    ]
    with Pool(a.workers) as pool:
        pages = pool.map(_page, jobs, chunksize=8)
    counts = Counter(f for p in pages for f in FIELDS if p["gold"][f] is not None)
    print(f"WCXB dev, {len(pages)} pages; with a gold value: "
          + ", ".join(f"{f} {counts[f]}" for f in FIELDS))  # fmt: skip
    print("| extractor | " + " | ".join(f"{f} match | {f} extra" for f in FIELDS) + " |")
    print("|---|" + "---|---|" * len(FIELDS))
    for who in ("corpusprep", "trafilatura"):
        s = score(pages, who)
        print(f"| {who} | " + " | ".join(f"{s[f][0]:.3f} | {s[f][1]:.3f}" for f in FIELDS) + " |")
    if a.show:
        for p in pages:
            gold, got = (
                normalise(a.show, p["gold"][a.show]),
                normalise(a.show, p["corpusprep"][a.show]),
            )
            if gold is not None and gold != got:
                print(f"gold {gold!r}\n got {got!r}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
