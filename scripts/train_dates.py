#!/usr/bin/env python3
"""Train the date ranker (corpusprep/models/date_ranker.json) on WCXB dev, or cross-validate it.

    python scripts/train_dates.py --wcxb PATH            # train, write the model
    python scripts/train_dates.py --wcxb PATH --cv 5     # domain-grouped CV, no model

Every dev page with a gold publish date gives its candidate dates (``pagedate.candidates``),
labelled 1 where the candidate is the gold day. The CV score is what ``page_metadata`` returns
(the ranker's best candidate, else htmldate's quick search) scored as ``eval_metadata.py``
scores it: exact match of the day on the pages with a gold date. Only ``dev/`` is read.
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

from corpusprep.pagedate import MODEL_PATH, DateRanker  # noqa: E402

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


def gold_day(value: object) -> str | None:
    match = re.search(r"\d{4}-\d{2}-\d{2}", value) if isinstance(value, str) else None
    return match.group() if match else None


def page_candidates(page: dict) -> dict | None:
    """A page's candidate dates and rows, and htmldate's answer where it has none."""
    from htmldate import find_date
    from trafilatura.utils import load_html

    from corpusprep.extract import DATE_PARAMS
    from corpusprep.htmlmeta import json_ld, main_objects
    from corpusprep.pagedate import candidates

    tree = load_html(page["html"])
    if tree is None:
        return None
    max_date = DATE_PARAMS["max_date"]
    days, rows = candidates(tree, main_objects(json_ld(tree)), page["url"], max_date)
    fallback = None
    if not days:
        try:
            fallback = find_date(tree, **{**DATE_PARAMS, "url": page["url"]})
        except Exception:  # noqa: BLE001 - as page_metadata
            fallback = None
    return {"id": page["id"], "domain": page["domain"], "gold": page["gold_date"],
            "days": days, "rows": rows, "fallback": fallback}  # fmt: skip


def fit(pages: list[dict]) -> DateRanker:
    import lightgbm

    used = [p for p in pages if p["days"]]
    x = np.vstack([p["rows"] for p in used])
    y = np.concatenate([[float(d == p["gold"]) for d in p["days"]] for p in used])
    return DateRanker(lightgbm.train(PARAMS, lightgbm.Dataset(x, y), ROUNDS))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--wcxb", type=Path, required=True, help="checkout of the WCXB benchmark")
    ap.add_argument("--cv", type=int, default=0, help="K-fold domain-grouped CV instead")
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    if not (a.wcxb / "dev" / "ground-truth").is_dir():
        print(f"train_dates: no WCXB dev split under {a.wcxb}", file=sys.stderr)
        return 2
    pages = [{**p, "gold_date": gold_day(p["date"])} for p in wcxb_pages(a.wcxb)]
    pages = [p for p in pages if p["gold_date"]]
    with Pool(a.workers) as pool:
        found = [p for p in pool.map(page_candidates, pages, chunksize=8) if p]
    print(
        f"date ranker: {len(found)} pages with a gold date, "
        f"{sum(len(p['days']) for p in found)} candidates, gold among them on "
        f"{sum(p['gold'] in p['days'] for p in found) / len(found):.3f} of pages",
        file=sys.stderr,
    )
    if not a.cv:
        ranker = fit(found)
        MODEL_PATH.write_text(ranker.to_json(), encoding="utf-8")
        print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size / 1e3:.0f} kB)", file=sys.stderr)
        return 0
    hits = 0
    for k in range(a.cv):
        test = [p for p in found if fold_of(p["domain"], a.cv) == k]
        ranker = fit([p for p in found if fold_of(p["domain"], a.cv) != k])
        for p in test:
            hits += (ranker.choose(p["days"], p["rows"]) or p["fallback"]) == p["gold"]
    print(f"date, {a.cv}-fold domain-grouped CV on WCXB dev: {hits / len(found):.3f} exact match "
          f"({len(found)} pages with a gold date)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
