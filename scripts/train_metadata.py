#!/usr/bin/env python3
"""Train the HTML metadata rankers (corpusprep/models/date_ranker.json, title_ranker.json and
author_ranker.json) on WCXB dev, or cross-validate them.

    python scripts/train_metadata.py --wcxb PATH            # train, write the models
    python scripts/train_metadata.py --wcxb PATH --cv 5     # domain-grouped CV, no model

Every dev page with a gold value gives its candidates (``pagedate``, ``pagetitle`` and
``pageauthor.candidates``), labelled 1 where the candidate is the gold value. The CV score is
what ``page_metadata`` returns (the ranker's best candidate, else its fallback: htmldate's
quick search for the date, the hand-written rule for the title and the author) scored as
``eval_metadata.py`` scores it: exact match after normalising, on the pages with a gold value
(for the title and the author, next to the rule alone). Only ``dev/`` is read.
"""

from __future__ import annotations

import argparse
import re
import sys
from multiprocessing import Pool
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from train import fold_of  # noqa: E402
from training_data import wcxb_pages  # noqa: E402

from corpusprep import pageauthor, pagedate, pagetitle  # noqa: E402
from corpusprep.ranker import Ranker, value_key  # noqa: E402

PARAMS = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 10,
    "seed": 1,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,
    "verbose": -1,
}
ROUNDS = 150
MIN_SCORE = {"author": pageauthor.MIN_SCORE}
FIELDS = {
    "date": (pagedate.MODEL_PATH, pagedate.DATE_FEATURES),
    "title": (pagetitle.MODEL_PATH, pagetitle.TITLE_FEATURES),
    "author": (pageauthor.MODEL_PATH, pageauthor.AUTHOR_FEATURES),
}


def gold_day(value: object) -> str | None:
    match = re.search(r"\d{4}-\d{2}-\d{2}", value) if isinstance(value, str) else None
    return match.group() if match else None


def page_candidates(page: dict) -> dict | None:
    """A page's candidates (as keys compared with the gold) and rows per field, and its
    fallback."""
    from htmldate import find_date
    from trafilatura.utils import load_html

    from corpusprep.config import Config
    from corpusprep.extract import DATE_PARAMS, page_metadata
    from corpusprep.htmlmeta import json_ld, main_objects

    tree = load_html(page["html"])
    if tree is None:
        return None
    objs = json_ld(tree)
    main = main_objects(objs)
    out = {"id": page["id"], "domain": page["domain"]}
    if gold := gold_day(page["date"]):
        days, rows = pagedate.candidates(tree, main, page["url"], DATE_PARAMS["max_date"])
        fallback = None
        if not days:
            try:
                fallback = find_date(tree, **{**DATE_PARAMS, "url": page["url"]})
            except Exception:  # noqa: BLE001 - as page_metadata
                fallback = None
        out["date"] = {"gold": gold, "keys": days, "rows": rows,
                       "fallback": fallback}  # fmt: skip
    rules = page_metadata(tree, page["url"], Config().html_author_search, rank=False)
    if page["title"] and (gold := value_key(page["title"])):
        titles, rows = pagetitle.candidates(tree, main, rules.sitename, rules.title, rules.url)
        # the same page as a file without a URL: the ranker learns both ways
        no_url = rows.copy()
        no_url[:, pagetitle.TITLE_FEATURES.index("url_share")] = np.nan
        out["title"] = {"gold": gold, "keys": [value_key(t) for t in titles], "rows": rows,
                        "rows_no_url": no_url,
                        "fallback": value_key(rules.title) if rules.title else None}  # fmt: skip
    if page["author"] and (gold := value_key(page["author"])):
        text = pagedate.page_text(tree)
        names, rows = pageauthor.candidates(tree, objs, rules.sitename, rules.author, text)
        out["author"] = {"gold": gold, "keys": [value_key(n) for n in names], "rows": rows,
                         "fallback": value_key(rules.author) if rules.author else None}  # fmt: skip
    return out


def fit(items: list[dict], features: tuple[str, ...]) -> Ranker:
    import lightgbm

    used = [c for c in items if c["keys"]]
    x = np.vstack(
        [c["rows"] for c in used] + [c["rows_no_url"] for c in used if "rows_no_url" in c]
    )
    labels = [[float(k == c["gold"]) for k in c["keys"]] for c in used]
    labels += [label for c, label in zip(used, labels, strict=True) if "rows_no_url" in c]
    y = np.concatenate(labels)
    return Ranker(lightgbm.train(PARAMS, lightgbm.Dataset(x, y), ROUNDS), features)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--wcxb", type=Path, required=True, help="checkout of the WCXB benchmark")
    ap.add_argument("--cv", type=int, default=0, help="K-fold domain-grouped CV instead")
    ap.add_argument("--field", choices=(*FIELDS, "both"), default="both")
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    if not (a.wcxb / "dev" / "ground-truth").is_dir():
        print(f"train_metadata: no WCXB dev split under {a.wcxb}", file=sys.stderr)
        return 2
    with Pool(a.workers) as pool:
        pages = [p for p in pool.map(page_candidates, wcxb_pages(a.wcxb), chunksize=8) if p]
    for field in FIELDS if a.field == "both" else (a.field,):
        path, features = FIELDS[field]
        items = [{**p[field], "domain": p["domain"]} for p in pages if field in p]
        print(
            f"{field} ranker: {len(items)} pages with a gold {field}, "
            f"{sum(len(c['keys']) for c in items)} candidates, gold among them on "
            f"{sum(c['gold'] in c['keys'] for c in items) / len(items):.3f} of pages",
            file=sys.stderr,
        )
        if not a.cv:
            path.write_text(fit(items, features).to_json(), encoding="utf-8")
            print(f"wrote {path} ({path.stat().st_size / 1e3:.0f} kB)", file=sys.stderr)
            continue
        hits = fallback_hits = no_url_hits = 0
        for k in range(a.cv):
            ranker = fit([c for c in items if fold_of(c["domain"], a.cv) != k], features)
            for c in items:
                if fold_of(c["domain"], a.cv) != k:
                    continue
                best = ranker.choose(c["keys"], c["rows"], MIN_SCORE.get(field, 0.0))
                best = best or c["fallback"]
                hits += best == c["gold"]
                fallback_hits += c["fallback"] == c["gold"]
                if "rows_no_url" in c:
                    best = ranker.choose(c["keys"], c["rows_no_url"], MIN_SCORE.get(field, 0.0))
                    no_url_hits += (best or c["fallback"]) == c["gold"]
        # a title's or author's fallback is the rule the ranker overrules; the date's is for pages
        # without a candidate (the rule it replaced: docs/decisions.md)
        rule = f", the rule alone {fallback_hits / len(items):.3f}" if field != "date" else ""
        if field == "title":
            rule += f", the same pages without their URL {no_url_hits / len(items):.3f}"
        print(f"{field}, {a.cv}-fold domain-grouped CV on WCXB dev ({len(items)} pages): "
              f"{hits / len(items):.3f} exact match{rule}", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
