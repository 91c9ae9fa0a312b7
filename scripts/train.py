#!/usr/bin/env python3
"""Train the line classifier (corpusprep/models/line_classifier.json) and cross-validate it.

    python scripts/train.py --wcxb PATH [--shared ../shared]           # train, write the model
    python scripts/train.py --wcxb PATH --cv 5 [--report FILE]          # grouped CV, no model

Training data (see README, "The line classifier"):
- the WCXB benchmark's dev split (Foley 2026, CC-BY-4.0; PATH is a checkout of
  github.com/Murrough-Foley/web-content-extraction-benchmark): 1,497 pages of 7 page types with
  their gold main content. Only ``dev/`` is read; ``test/`` is the held-out yardstick.
- ``shared/data/boilerplate-dev`` (60 pages with gold text, given as text dumps and HTML) and
  the seeds' line labels (``shared/data/seeds/gold_lines.jsonl``).

How pages become labelled lines is in ``training_data.py``. The cross-validation folds group
pages by domain, so no site is both trained on and scored; the score is the benchmark's own
(mean per-page word F1 over lowercase ``\\w+`` bags) of the lines the fold's model keeps, next
to trafilatura on the same HTML.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import pickle
import sys
import time
from collections import Counter, defaultdict
from multiprocessing import Pool
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpusprep.clean import (  # noqa: E402
    CATEGORICAL_FEATURES,
    line_words,
    page_threshold,
    vocab_rows,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from training_data import (  # noqa: E402
    FORMS,
    IGNORE,
    UNSEEN,
    WORD,
    build_html_table,
    build_table,
    label_stats,
    load_all,
)

from corpusprep.blocks import CATEGORICAL_DOM, attr_rows  # noqa: E402
from corpusprep.config import Config  # noqa: E402
from corpusprep.linemodel import (  # noqa: E402
    CONTENT,
    HTML_MODEL_PATH,
    MODEL_PATH,
    LineModel,
    feature_names,
)
from corpusprep.pagetype import PAGE_TYPES, PageTypeModel  # noqa: E402

# LightGBM settings: multiclass trees, deterministic on one machine (seeded, fixed threads)
PARAMS = {
    "objective": "multiclass",
    "num_class": 3,
    "learning_rate": 0.2,
    "num_leaves": 31,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "seed": 7,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 2,
    "verbose": -1,
}
ROUNDS = 60
# The HTML classifier learns at half the rate over twice the trees: its out-of-fold
# probabilities vary with the seed (averaging two seeds' models gained 0.002 CV F1, as these
# settings do; docs/decisions.md).
HTML_PARAMS = {**PARAMS, "learning_rate": 0.1}
HTML_ROUNDS = 120
INNER_FOLDS = 3
# each kind's floor for the page-relative keep threshold, as configured (clean.page_threshold)
RELATIVE_FLOOR = {
    "html": Config().html_keep_relative_floor,
    "text": Config().clean.keep_relative_floor,
}
# Documents with line labels made by hand (the seeds) weigh more than aligned ones, and the
# shared dev pages (news, the text dumps this project is for) more than the multi-type set.
DOC_WEIGHT = {"seed": 30.0, "dev": 3.0}
VOCAB_MIN_DOMAINS = 5
VOCAB_SIZE = 30_000
# The page-type model: small trees over ~1,500 pages; a URL word or schema type is a column
# when it occurs on at least PAGE_TOKEN_MIN_PAGES training pages.
PAGE_PARAMS = {
    "objective": "multiclass",
    "num_class": len(PAGE_TYPES),
    "learning_rate": 0.15,
    "num_leaves": 15,
    "min_data_in_leaf": 10,
    "feature_fraction": 0.7,
    "seed": 1,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 2,
    "verbose": -1,
}
PAGE_ROUNDS = 100
PAGE_TOKEN_MIN_PAGES = 8
# The share of pages whose documents the text classifier also learns in an unseen language
# (training_data.unseen_copy): without them it leans on English words and stopwords, and a
# page in a language it has no words for lost 0.059 CV F1 (docs/decisions.md).
UNSEEN_SHARE = 0.5


def learns_unseen(page_id: str) -> bool:
    """Whether training uses the unseen-language copies of this page (a fixed share)."""
    return hashlib.blake2b(("unseen:" + page_id).encode(), digest_size=2).digest()[0] < (
        UNSEEN_SHARE * 256
    )


def matrix(docs: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X, y and weights of the labelled lines: each document weighs the same in total (but
    DOC_WEIGHT), and within it a line weighs by the square root of its tokens (the metric
    counts words, but short chrome lines are what most pages get wrong)."""
    xs, ys, ws = [], [], []
    for d in docs:
        lab = np.asarray(d["labels"])
        keep = lab != IGNORE
        if not keep.any():
            continue
        w = np.sqrt(1.0 + np.asarray(d["ntok"], dtype=np.float64))[keep]
        xs.append(d["rows"][keep])
        ys.append(lab[keep])
        ws.append(w / w.sum() * 100.0 * DOC_WEIGHT.get(d["id"].split("-")[0], 1.0))
    return np.vstack(xs), np.concatenate(ys), np.concatenate(ws)


def train_stage(docs: list[dict], names: list[str], html: bool = False):
    import lightgbm

    x, y, w = matrix(docs)
    categorical = [c for c in CATEGORICAL_FEATURES + CATEGORICAL_DOM if c in names]
    data = lightgbm.Dataset(
        x,
        label=y,
        weight=w,
        feature_name=names,
        categorical_feature=categorical,
        free_raw_data=False,
    )
    if html:
        return lightgbm.train(HTML_PARAMS, data, num_boost_round=HTML_ROUNDS)
    return lightgbm.train(PARAMS, data, num_boost_round=ROUNDS)


def _word_counts(d: dict, key: str = "words") -> dict[str, list[int]]:
    """Per word of a document's labelled lines: [content, boilerplate, comments] counts. The
    words are the lines' (``key`` "words") or their class/id words (``key`` "attrs")."""
    cache = f"{key}_counts"
    if cache not in d:
        counts: dict[str, list[int]] = {}
        for k, label in enumerate(d["labels"]):
            if label == IGNORE:
                continue
            words = d["attrs"][k] if key == "attrs" else line_words(d["lines"][k])
            for w in words:
                counts.setdefault(w, [0, 0, 0])[label] += 1
        d[cache] = counts
    return d[cache]


def build_vocabulary(docs: list[dict], domain_of: dict[str, str], key: str = "words") -> dict:
    """Log-odds of content (and of comments) against the other lines for the words seen in at
    least VOCAB_MIN_DOMAINS domains (a site's own names teach nothing), add-one smoothed.
    ``key`` "attrs": the words of the lines' class and id attributes (HTML)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    domains: dict[str, set] = defaultdict(set)
    for d in docs:
        dom = domain_of[d["id"]]
        for w, c in _word_counts(d, key).items():
            t = totals[w]
            t[0] += c[0]
            t[1] += c[1]
            t[2] += c[2]
            domains[w].add(dom)
    common = [w for w, t in totals.items() if len(domains[w]) >= VOCAB_MIN_DOMAINS]
    common.sort(key=lambda w: (-sum(totals[w]), w))
    common = common[:VOCAB_SIZE]
    n = [sum(totals[w][k] for w in common) for k in range(3)]
    v = len(common)
    vocab = {}
    for w in common:
        c, b, m = totals[w]
        lo_content = math.log((c + 1) / (n[0] + v)) - math.log((b + m + 1) / (n[1] + n[2] + v))
        lo_comments = math.log((m + 1) / (n[2] + v)) - math.log((c + b + 1) / (n[0] + n[1] + v))
        vocab[w] = (lo_content, lo_comments)
    return vocab


def _vocab_matrix(d: dict, vocab: dict) -> np.ndarray:
    return np.asarray(vocab_rows([line_words(x) for x in d["lines"]], vocab), dtype=np.float32)


def model_rows(d: dict, vocab: dict, attributes: dict | None, page_types=None) -> np.ndarray:
    """A document's rows as the model reads them (``linemodel.feature_names``); an HTML page's
    type probabilities come from ``page_types`` (a PageTypeModel)."""
    parts = [d["rows"], _vocab_matrix(d, vocab)]
    if attributes is not None:
        parts += [d["dom"], np.asarray(attr_rows(d["attrs"], attributes), dtype=np.float32)]
        probs = page_types.probabilities([d["page"]])[0]
        parts.append(np.tile(np.asarray(probs, dtype=np.float32), (len(d["rows"]), 1)))
    return np.hstack(parts)


def fit_page_types(docs: list[dict]) -> PageTypeModel:
    """The page-type model of HTML pages (their ``type`` and ``page`` inputs)."""
    import lightgbm

    counts = Counter(t for d in docs for t in d["page"][1])
    tokens = sorted(t for t, n in counts.items() if n >= PAGE_TOKEN_MIN_PAGES)
    model = PageTypeModel(None, tokens)
    y = [PAGE_TYPES.index(d["type"]) for d in docs]
    data = lightgbm.Dataset(model.rows([d["page"] for d in docs]), label=y)
    model.booster = lightgbm.train(PAGE_PARAMS, data, num_boost_round=PAGE_ROUNDS)
    return model


def fit(docs: list[dict], domain_of: dict[str, str]) -> LineModel:
    """The vocabulary and the trees (for an HTML table, the class/id vocabulary too). The trees
    learn from vocabulary features of words counted on other sites' pages (out of fold: 3
    folds grouped by domain), as they will meet them on pages they never saw; likewise an HTML
    page's type probabilities come from a page-type model trained on the other inner folds."""
    html = "dom" in docs[0]
    docs = [d for d in docs if not d["form"].endswith(UNSEEN) or learns_unseen(d["id"])]
    oof: dict[int, np.ndarray] = {}
    for fold in range(INNER_FOLDS):
        inner = [d for d in docs if fold_of("inner:" + domain_of[d["id"]], INNER_FOLDS) == fold]
        rest = [d for d in docs if fold_of("inner:" + domain_of[d["id"]], INNER_FOLDS) != fold]
        vocab = build_vocabulary(rest, domain_of)
        attrs = build_vocabulary(rest, domain_of, "attrs") if html else None
        types = fit_page_types(rest) if html else None
        for d in inner:
            oof[id(d)] = model_rows(d, vocab, attrs, types)
    vocab = build_vocabulary(docs, domain_of)
    attrs = build_vocabulary(docs, domain_of, "attrs") if html else None
    full = [dict(d, rows=oof[id(d)]) for d in docs]
    booster = train_stage(full, list(feature_names(html)), html)
    types = fit_page_types(docs) if html else None
    return LineModel(booster, vocab, attributes=attrs, page_types=types)


# ------------------------------------------------------------------------------------------
# Cross-validation


def word_prf(pred: str, gold: str) -> tuple[float, float, float]:
    """The WCXB metric for one page: precision, recall and F1 of lowercase \\w+ bags."""
    p = Counter(WORD.findall(pred.lower()))
    g = Counter(WORD.findall(gold.lower()))
    if not g:
        return (1.0, 1.0, 1.0) if not p else (0.0, 0.0, 0.0)
    if not p:
        return 0.0, 0.0, 0.0
    tp = sum((p & g).values())
    if not tp:
        return 0.0, 0.0, 0.0
    prec, rec = tp / sum(p.values()), tp / sum(g.values())
    return prec, rec, 2 * prec * rec / (prec + rec)


def fold_of(dom: str, k: int) -> int:
    return hashlib.blake2b(dom.encode(), digest_size=8).digest()[0] % k


def _trafilatura_text(page: dict) -> str:
    import trafilatura

    return trafilatura.extract(page["html"], url=page.get("url"), deduplicate=False) or ""


def cross_validate(
    pages: list[dict], table: list[dict], k: int, thresholds: list[float]
) -> dict[tuple[str, str], dict]:
    """Per (WCXB page, form) the (P, R, F1) of each keep_threshold, with the fold's model
    trained on every other fold's pages (all sources), plus trafilatura's on the HTML (its
    default, with fallbacks; and, for an HTML table, the fast mode the HTML path runs).

    The held-out text is the lines the model keeps (what ``clean_text`` keeps, but for the
    headline it moves to ``title``; ``--full`` scores ``clean_text`` itself)."""
    by_page: dict[str, list[dict]] = defaultdict(list)
    for d in table:
        by_page[d["id"]].append(d)
    info = {p["id"]: p for p in pages}
    domain_of = {p["id"]: p["domain"] for p in pages}
    wcxb = [p for p in pages if p["id"].startswith("wcxb-")]
    out: dict[tuple[str, str], dict] = {}
    for fold in range(k):
        t0 = time.perf_counter()
        held = [d for p in wcxb if fold_of(p["domain"], k) == fold for d in by_page[p["id"]]]
        held = [d for d in held if d["form"].removesuffix(UNSEEN) in FORMS + ("html",)]
        rest = [d for p in pages if fold_of(p["domain"], k) != fold for d in by_page[p["id"]]]
        model = fit(rest, domain_of)
        for d in held:
            rows = model_rows(d, model.vocabulary, model.attributes, model.page_types)
            p = model.probabilities(rows)
            page = info[d["id"]]
            res = {"type": page["type"]}
            for th in thresholds:
                floor = RELATIVE_FLOOR["html" if d["form"] == "html" else "text"]
                # scaled on a doubtful page, as at run time
                th_page = page_threshold(th, p[:, CONTENT], floor) if len(p) else th
                kept = [x for x, pk in zip(d["lines"], p[:, CONTENT], strict=True) if pk >= th_page]
                res[th] = word_prf("\n".join(kept), d.get("gold", page["gold"]))
            out[(d["id"], d["form"])] = res
            if "extracted" in d:
                fast = word_prf(d["extracted"], page["gold"])
                out[(d["id"], "trafilatura fast")] = {"type": page["type"], "html": fast}
        print(
            f"  fold {fold}: {len(held)} held-out documents, {len(rest)} training documents, "
            f"{time.perf_counter() - t0:.0f} s",
            file=sys.stderr,
        )
    with Pool(2) as pool:
        texts = pool.map(_trafilatura_text, wcxb, chunksize=8)
    for p, text in zip(wcxb, texts, strict=True):
        out[(p["id"], "trafilatura")] = {"type": p["type"], "html": word_prf(text, p["gold"])}
    return out


def cv_table(scores: dict[tuple[str, str], dict], thresholds: list[float]) -> str:
    """Mean per-page word F1 by page type and form (P / R for the mean of the forms), the mean
    of the forms' copies in an unseen language, and trafilatura on the same pages."""
    types = sorted({s["type"] for s in scores.values()})
    forms = [f for f in (*FORMS, "html") if any(f == g for _, g in scores)]
    unseen = [f + UNSEEN for f in forms if any(f + UNSEEN == g for _, g in scores)]
    refs = [f for f in ("trafilatura fast", "trafilatura") if any(f == g for _, g in scores)]
    scored = {page for page, f in scores if f in forms}
    out = []
    for th in thresholds:
        out.append(f"keep_threshold {th}: mean word F1 per page (P / R over the forms)")
        out.append(
            f"{'page type':<14} {'pages':>5} "
            + " ".join(f"{f:>7}" for f in forms)
            + (f" {'mean':>7}" if len(forms) > 1 else "")
            + (f" {'unseen':>7}" if unseen else "")
            + f" {'P':>6} {'R':>6} "
            + " ".join(f"{f:>16}" for f in refs)
        )
        for t in [*types, "all"]:
            cells = []
            pr = []
            for form in forms:
                rows = [
                    s[th] for (_, f), s in scores.items() if f == form and t in ("all", s["type"])
                ]
                cells.append(sum(r[2] for r in rows) / len(rows))
                pr.extend(rows)
            ref_cells = []
            for ref in refs:  # on the pages scored above
                got = [
                    s["html"][2]
                    for (page, f), s in scores.items()
                    if f == ref and t in ("all", s["type"]) and page in scored
                ]
                ref_cells.append(sum(got) / len(got))
            copies = [
                s[th][2] for (_, f), s in scores.items() if f in unseen and t in ("all", s["type"])
            ]
            out.append(
                f"{t:<14} {len(pr) // len(forms):>5} "
                + " ".join(f"{v:>7.3f}" for v in cells)
                + (f" {sum(cells) / len(cells):>7.3f}" if len(forms) > 1 else "")
                + (f" {sum(copies) / len(copies):>7.3f}" if copies else "")
                + f" {sum(r[0] for r in pr) / len(pr):>6.3f}"
                + f" {sum(r[1] for r in pr) / len(pr):>6.3f} "
                + " ".join(f"{v:>16.3f}" for v in ref_cells)
            )
    return "\n".join(out)


# ------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--wcxb", type=Path, required=True, help="checkout of the WCXB benchmark")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument(
        "--kind",
        choices=("text", "html", "both"),
        default="both",
        help="which classifier: the text one, the HTML one (block lines with DOM features)",
    )
    ap.add_argument("--cv", type=int, default=0, help="K-fold domain-grouped CV instead")
    ap.add_argument(
        "--thresholds",
        default="",
        help="keep_threshold values to score in CV (default: the configured one of each kind)",
    )
    ap.add_argument("--report", type=Path, help="write the CV table here too")
    ap.add_argument(
        "--cache",
        type=Path,
        help="keep the feature table in this file (a rerun "
        "with unchanged features and labels reads it instead)",
    )
    a = ap.parse_args()
    if not (a.wcxb / "dev" / "ground-truth").is_dir():
        print(f"train: no WCXB dev split under {a.wcxb}", file=sys.stderr)
        return 2
    pages = load_all(a.wcxb, a.shared)
    kinds = ("text", "html") if a.kind == "both" else (a.kind,)
    for kind in kinds:
        t0 = time.perf_counter()
        cache = a.cache.with_suffix(f".{kind}.pkl") if a.cache else None
        if cache and cache.exists():
            table = pickle.loads(cache.read_bytes())
        elif kind == "html":
            table = build_html_table(pages)
        else:
            table = build_table([p for p in pages if p["html"] or p.get("dump")])
        if cache and not cache.exists():
            cache.write_bytes(pickle.dumps(table, protocol=5))
        print(
            f"{kind} classifier: {len(pages)} pages, {len(table)} documents, "
            f"{sum(len(d['rows']) for d in table)} lines ({label_stats(table)}), "
            f"{time.perf_counter() - t0:.0f} s",
            file=sys.stderr,
        )
        if a.cv:
            default = (
                Config().html_keep_threshold if kind == "html" else Config().clean.keep_threshold
            )
            ths = [float(x) for x in a.thresholds.split(",")] if a.thresholds else [default]
            text = f"{kind} input:\n" + cv_table(cross_validate(pages, table, a.cv, ths), ths)
            print(text, flush=True)
            if a.report:
                with a.report.open("a", encoding="utf-8") as f:
                    f.write(text + "\n")
            continue
        model = fit(table, {p["id"]: p["domain"] for p in pages})
        out = HTML_MODEL_PATH if kind == "html" else MODEL_PATH
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(model.to_json(), encoding="utf-8")
        print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
