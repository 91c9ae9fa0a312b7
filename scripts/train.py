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

Every HTML page is rendered to text three ways, because real text dumps come from many
scrapers (all keep the text of <noscript> elements, as a scraper without JavaScript does):
``blocks`` (a line per block element, as ``extract.visible_lines``), ``coarse`` (a line per
paragraph, heading, list item or table row: menus and link bars run together) and ``nodes``
(a line per DOM text node, as ``get_text("\\n")`` gives: links split sentences). A page with
gold text also gives two dumps a cleaner upstream may leave (``_gold_doc``, ``_crop``).
Each line is labelled by aligning it with the gold text (``label_lines``); the features are
``clean.line_features``. The cross-validation folds group pages by domain, so no site is both
trained on and scored; the score is the benchmark's own (mean per-page word F1 over lowercase
``\\w+`` bags) of the lines the fold's model keeps, next to trafilatura on the same HTML.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import pickle
import re
import sys
import time
from collections import Counter, defaultdict
from multiprocessing import Pool
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpusprep.clean import (  # noqa: E402
    CATEGORICAL_FEATURES,
    FEATURE_NAMES,
    VOCAB_NAMES,
    line_features,
    line_words,
    vocab_rows,
)
from corpusprep.extract import drop_invisible, visible_lines  # noqa: E402
from corpusprep.linemodel import (  # noqa: E402
    BOILERPLATE,
    COMMENTS,
    CONTENT,
    MODEL_PATH,
    LineModel,
)

IGNORE = -1  # a line whose label the alignment cannot tell (not trained on)
FORMS = ("blocks", "coarse", "nodes")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_TOKEN = re.compile(f"[{_CJK}]|(?:(?![{_CJK}])\\w)+")
_WORD = re.compile(r"\w+")  # the benchmark's own tokens
_COMMENT_ATTR = re.compile(r"comment|disqus|(?<![a-z])(?:respond|repl(?:y|ies))(?![a-z])", re.I)

# LightGBM settings: multiclass trees, deterministic on one machine (seeded, fixed threads)
PARAMS = {
    "objective": "multiclass",
    "num_class": 3,
    "learning_rate": 0.1,
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
ROUNDS = 120
INNER_FOLDS = 3
# Documents with line labels made by hand (the seeds) weigh more than aligned ones, and the
# shared dev pages (news, the text dumps this project is for) more than the multi-type set.
DOC_WEIGHT = {"seed": 30.0, "dev": 3.0}
VOCAB_MIN_DOMAINS = 5
VOCAB_SIZE = 30_000


# ------------------------------------------------------------------------------------------
# Pages and renderings


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _tree(html: str):
    import lxml.html

    try:
        return lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None


_COARSE = ("p", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "title", "blockquote")
_COARSE += ("pre", "dt", "dd")


def render(html: str, form: str) -> str:
    """The page's visible text in one of FORMS."""
    if form == "blocks":
        return visible_lines(html, noscript=False)
    root = _tree(html)
    if root is None:
        return ""
    drop_invisible(root, noscript=False)
    if form == "nodes":
        chunks = (" ".join(t.split()) for t in root.itertext())
        return "\n".join(c for c in chunks if c)
    for el in root.iter(*_COARSE):
        el.text = "\n" + (el.text or "")
        el.tail = "\n" + (el.tail or "")
    lines = (" ".join(x.split()) for x in root.text_content().split("\n"))
    return "\n".join(x for x in lines if x)


def comment_text(html: str) -> str:
    """Text of the page's comment containers (class or id naming comments or replies), used
    only to label lines that are not content; elements holding most of the page are not."""
    root = _tree(html)
    if root is None:
        return ""
    drop_invisible(root, noscript=False)
    whole = len(root.text_content())
    parts = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "main", "article"):
            continue
        attrs = f"{el.get('class', '')} {el.get('id', '')}"
        if _COMMENT_ATTR.search(attrs):
            t = el.text_content()
            if len(t) < 0.6 * whole:
                parts.append(t)
    return "\n".join(parts)


def domain(url: str | None, fallback: str) -> str:
    host = urlsplit(url or "").hostname or fallback
    return host.removeprefix("www.")


def wcxb_pages(root: Path) -> list[dict]:
    """The dev split's pages: id, domain, page type, gold text, HTML."""
    pages = []
    for gt in sorted((root / "dev" / "ground-truth").glob("*.json")):
        rec = json.loads(gt.read_text(encoding="utf-8"))
        html_path = root / "dev" / "html" / f"{gt.stem}.html.gz"
        html = gzip.decompress(html_path.read_bytes()).decode("utf-8", errors="replace")
        pages.append(
            {
                "id": f"wcxb-{gt.stem}",
                "domain": domain(rec.get("url"), gt.stem),
                "type": rec["_internal"]["page_type"]["primary"],
                "gold": rec["ground_truth"].get("main_content") or "",
                "html": html,
                "url": rec.get("url"),
            }
        )
    return pages


def shared_pages(shared: Path) -> list[dict]:
    """The 60 boilerplate-dev pages (HTML and their own text dump)."""
    dev = shared / "data" / "boilerplate-dev"
    pages = []
    for line in (dev / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        pid = str(rec["id"])
        pages.append(
            {
                "id": f"dev-{pid[:12]}",
                "domain": domain(rec.get("url"), pid),
                "type": "article",
                "gold": rec["gold"],
                "html": (dev / f"{pid}.html").read_text(encoding="utf-8", errors="replace"),
                "dump": (dev / f"{pid}.txt").read_text(encoding="utf-8"),
                "url": rec.get("url"),
            }
        )
    return pages


# ------------------------------------------------------------------------------------------
# Labels


def _grams(t: list[str]) -> list[tuple[str, ...]]:
    return [tuple(t[k : k + 3]) for k in range(len(t) - 2)]


def label_lines(lines: list[str], gold: str, comments: str = "") -> list[int]:
    """CONTENT, BOILERPLATE, COMMENTS or IGNORE for each line, by alignment with the gold text.

    A line of 4+ tokens is content when >= 70% of its token trigrams occur in the gold text,
    not content when <= 25% do (comments when most of its trigrams are in the page's comment
    containers), else IGNORE. A shorter line is content when its tokens occur in the gold text
    *and* the gold text continues it the way the page does (joined with the end of the line
    before or the start of the line after) or a neighbouring long line is content; a short line
    found in the gold text without such agreement ("Home", "Share" also said in the article)
    is IGNORE; one not found is boilerplate.
    """
    g = tokens(gold)
    gs = " " + " ".join(g) + " "
    g3 = set(_grams(g))
    c = tokens(comments)
    cs = " " + " ".join(c) + " "
    c3 = set(_grams(c))
    toks = [tokens(x) for x in lines]
    labels = [IGNORE] * len(lines)
    short: list[int] = []
    for k, t in enumerate(toks):
        if not t:
            continue
        if len(t) >= 4:
            grams = _grams(t)
            share = sum(1 for x in grams if x in g3) / len(grams)
            if share >= 0.7:
                labels[k] = CONTENT
            elif share <= 0.25:
                in_comments = sum(1 for x in grams if x in c3) / len(grams)
                labels[k] = COMMENTS if in_comments >= 0.5 else BOILERPLATE
        else:
            short.append(k)
    for k in short:
        t = toks[k]
        if f" {' '.join(t)} " not in gs:
            labels[k] = COMMENTS if c and f" {' '.join(t)} " in cs else BOILERPLATE
            continue
        prev = next((m for m in range(k - 1, max(-1, k - 4), -1) if toks[m]), None)
        nxt = next((m for m in range(k + 1, min(len(toks), k + 4)) if toks[m]), None)
        agree = False
        if prev is not None and f" {' '.join(toks[prev][-3:] + t)} " in gs:
            agree = True
        if nxt is not None and f" {' '.join(t + toks[nxt][:3])} " in gs:
            agree = True
        for m in (prev, nxt):
            if m is not None and len(toks[m]) >= 4 and labels[m] == CONTENT:
                agree = True
        if agree:
            labels[k] = CONTENT
    return labels


def seed_labels(shared: Path) -> dict[str, dict[str, int]]:
    """The seeds' keep / drop labels by file and stripped line text."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    path = shared / "data" / "seeds" / "gold_lines.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            label = {"keep": CONTENT, "drop": BOILERPLATE}.get(rec["label"], IGNORE)
            out[rec["file"]][" ".join(rec["text"].split())] = label
    return out


# ------------------------------------------------------------------------------------------
# The feature table


def _doc(page_id: str, form: str, text: str, labels_of) -> dict | None:
    """A document of the table: feature rows of `text` and the labels `labels_of` gives its
    non-blank raw lines."""
    idx, rows = line_features(text)
    if not rows:
        return None
    raw = text.split("\n")
    return {
        "id": page_id,
        "form": form,
        "rows": np.asarray(rows, dtype=np.float32),
        "labels": labels_of([raw[k] for k in idx]),
        "ntok": [len(tokens(raw[k])) for k in idx],
        "lines": [raw[k].strip() for k in idx],
    }


def _crop(text: str, labels: list[int], page_id: str) -> str:
    """The stretch of a rendering from its first to its last content line, with 0-5 lines
    of what surrounds it (chosen from the page id): a partly cleaned dump."""
    lines = [x for x in text.split("\n") if x.strip()]
    content = [k for k, y in enumerate(labels) if y == CONTENT]
    if not content or len(lines) != len(labels):
        return ""
    seed = hashlib.blake2b(page_id.encode(), digest_size=2).digest()
    lo = max(0, content[0] - seed[0] % 6)
    hi = min(len(lines), content[-1] + 1 + seed[1] % 6)
    return "\n".join(lines[lo:hi])


def _page_rows(page: dict) -> list[dict]:
    """The documents made of one page: each text form of it with its line labels, and, for a
    page with gold text, two that a text dump can also be: the gold text alone (all content:
    input that is already clean must stay whole) and a crop of the block rendering around its
    content."""
    texts = {form: render(page["html"], form) for form in FORMS} if page["html"] else {}
    if page.get("dump"):
        texts["dump"] = page["dump"]
    comments = comment_text(page["html"]) if page["html"] else ""
    if page.get("labels") is not None:
        labels = page["labels"]

        def labels_of(lines: list[str]) -> list[int]:
            return [labels.get(" ".join(x.split()), IGNORE) for x in lines]
    else:

        def labels_of(lines: list[str]) -> list[int]:
            return label_lines(lines, page["gold"], comments)

    out = [_doc(page["id"], form, text, labels_of) for form, text in texts.items()]
    blocks = next((d for d in out if d is not None and d["form"] == "blocks"), None)
    if page["gold"].strip() and blocks is not None:
        out.append(_gold_doc(page, blocks))
        crop = _crop(texts["blocks"], blocks["labels"], page["id"])
        out.append(_doc(page["id"], "crop", crop, labels_of))
    return [d for d in out if d is not None]


def _gold_doc(page: dict, blocks: dict) -> dict | None:
    """The gold text as a dump that a cleaner upstream already handled: its paragraphs, and
    0-4 lines of the page's own chrome above, 0-6 below and 0-1 inside (numbers chosen from
    the page id), so that clean input stays whole and what chrome is left still goes."""
    gold = [x.strip() for x in page["gold"].split("\n") if x.strip()]
    chrome = [x for x, y in zip(blocks["lines"], blocks["labels"], strict=True) if y == BOILERPLATE]
    seed = hashlib.blake2b(("gold:" + page["id"]).encode(), digest_size=3).digest()
    n_top, n_bottom, n_mid = seed[0] % 5, seed[1] % 7, seed[2] % 2
    picks = chrome[:: max(1, len(chrome) // 12)] if chrome else []
    top, bottom = picks[:n_top], picks[n_top : n_top + n_bottom]
    mid = picks[n_top + n_bottom : n_top + n_bottom + n_mid]
    lines = [(x, BOILERPLATE) for x in top] + [(x, CONTENT) for x in gold]
    if mid and len(gold) > 2:
        at = len(top) + len(gold) // 2
        lines.insert(at, (mid[0], BOILERPLATE))
    lines += [(x, BOILERPLATE) for x in bottom]
    labels = [y for _, y in lines]
    return _doc(page["id"], "gold", "\n".join(x for x, _ in lines), lambda _: labels)


def build_table(pages: list[dict], workers: int = 2) -> list[dict]:
    with Pool(workers) as pool:
        parts = pool.map(_page_rows, pages, chunksize=8)
    return [r for part in parts for r in part]


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


def train_stage(docs: list[dict], names: list[str], rounds: int = ROUNDS):
    import lightgbm

    x, y, w = matrix(docs)
    data = lightgbm.Dataset(
        x,
        label=y,
        weight=w,
        feature_name=names,
        categorical_feature=list(CATEGORICAL_FEATURES),
        free_raw_data=False,
    )
    return lightgbm.train(PARAMS, data, num_boost_round=rounds)


def _word_counts(d: dict) -> dict[str, list[int]]:
    """Per word of a document's labelled lines: [content, boilerplate, comments] counts."""
    if "words" not in d:
        counts: dict[str, list[int]] = {}
        for text, label in zip(d["lines"], d["labels"], strict=True):
            if label == IGNORE:
                continue
            for w in line_words(text):
                counts.setdefault(w, [0, 0, 0])[label] += 1
        d["words"] = counts
    return d["words"]


def build_vocabulary(docs: list[dict], domain_of: dict[str, str]) -> dict:
    """Log-odds of content (and of comments) against the other lines for the words seen in at
    least VOCAB_MIN_DOMAINS domains (a site's own names teach nothing), add-one smoothed."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    domains: dict[str, set] = defaultdict(set)
    for d in docs:
        dom = domain_of[d["id"]]
        for w, c in _word_counts(d).items():
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


def fit(docs: list[dict], domain_of: dict[str, str]) -> LineModel:
    """The vocabulary and the trees. The trees learn from vocabulary features of words
    counted on other sites' pages (out of fold: 3 folds grouped by domain), as they will meet
    them on pages they never saw."""
    oof: dict[int, np.ndarray] = {}
    for fold in range(INNER_FOLDS):
        inner = [d for d in docs if fold_of("inner:" + domain_of[d["id"]], INNER_FOLDS) == fold]
        rest = [d for d in docs if fold_of("inner:" + domain_of[d["id"]], INNER_FOLDS) != fold]
        vocab = build_vocabulary(rest, domain_of)
        for d in inner:
            oof[id(d)] = _vocab_matrix(d, vocab)
    vocab = build_vocabulary(docs, domain_of)
    full = [dict(d, rows=np.hstack((d["rows"], oof[id(d)]))) for d in docs]
    booster = train_stage(full, list(FEATURE_NAMES + VOCAB_NAMES))
    return LineModel(booster, vocab)


# ------------------------------------------------------------------------------------------
# Cross-validation


def word_prf(pred: str, gold: str) -> tuple[float, float, float]:
    """The WCXB metric for one page: precision, recall and F1 of lowercase \\w+ bags."""
    p = Counter(_WORD.findall(pred.lower()))
    g = Counter(_WORD.findall(gold.lower()))
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
    trained on every other fold's pages (all sources), plus trafilatura's on the HTML.

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
        held = [d for d in held if d["form"] in FORMS]
        rest = [d for p in pages if fold_of(p["domain"], k) != fold for d in by_page[p["id"]]]
        model = fit(rest, domain_of)
        for d in held:
            p = model.probabilities(np.hstack((d["rows"], _vocab_matrix(d, model.vocabulary))))
            page = info[d["id"]]
            res = {"type": page["type"]}
            for th in thresholds:
                kept = [x for x, pk in zip(d["lines"], p[:, CONTENT], strict=True) if pk >= th]
                res[th] = word_prf("\n".join(kept), page["gold"])
            out[(d["id"], d["form"])] = res
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
    """Mean per-page word F1 by page type and text form (P / R for the mean of the forms)."""
    types = sorted({s["type"] for s in scores.values()})
    out = []
    for th in thresholds:
        out.append(f"keep_threshold {th}: mean word F1 per page (P / R over the three forms)")
        out.append(
            f"{'page type':<14} {'pages':>5} "
            + " ".join(f"{f:>7}" for f in FORMS)
            + f" {'mean':>7} {'P':>6} {'R':>6} {'trafilatura':>12}"
        )
        for t in [*types, "all"]:
            cells = []
            pr = []
            for form in FORMS:
                rows = [
                    s[th] for (_, f), s in scores.items() if f == form and t in ("all", s["type"])
                ]
                cells.append(sum(r[2] for r in rows) / len(rows))
                pr.extend(rows)
            traf = [
                s["html"][2]
                for (_, f), s in scores.items()
                if f == "trafilatura" and t in ("all", s["type"])
            ]
            out.append(
                f"{t:<14} {len(traf):>5} "
                + " ".join(f"{v:>7.3f}" for v in cells)
                + f" {sum(cells) / len(cells):>7.3f} {sum(r[0] for r in pr) / len(pr):>6.3f}"
                + f" {sum(r[1] for r in pr) / len(pr):>6.3f} {sum(traf) / len(traf):>12.3f}"
            )
    return "\n".join(out)


# ------------------------------------------------------------------------------------------


def load_all(wcxb: Path, shared: Path) -> list[dict]:
    pages = wcxb_pages(wcxb) + shared_pages(shared)
    for name, labels in seed_labels(shared).items():
        text = (shared / "data" / "seeds" / name).read_text(encoding="utf-8")
        pages.append(
            {"id": f"seed-{name}", "domain": f"seed-{name}", "type": "article", "gold": "",
             "html": "", "dump": text, "labels": labels}
        )  # fmt: skip
    return pages


def label_stats(table: list[dict]) -> str:
    c: Counter = Counter()
    for d in table:
        c.update(d["labels"])
    n = sum(c.values())
    names = {
        CONTENT: "content",
        BOILERPLATE: "boilerplate",
        COMMENTS: "comments",
        IGNORE: "ignored",
    }
    return ", ".join(f"{names[k]} {v} ({v / n:.1%})" for k, v in sorted(c.items()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--wcxb", type=Path, required=True, help="checkout of the WCXB benchmark")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--cv", type=int, default=0, help="K-fold domain-grouped CV instead")
    ap.add_argument("--thresholds", default="0.5", help="keep_threshold values to score in CV")
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
    t0 = time.perf_counter()
    pages = load_all(a.wcxb, a.shared)
    if a.cache and a.cache.exists():
        table = pickle.loads(a.cache.read_bytes())
    else:
        table = build_table([p for p in pages if p["html"] or p.get("dump")])
        if a.cache:
            a.cache.write_bytes(pickle.dumps(table, protocol=5))
    print(
        f"{len(pages)} pages, {len(table)} documents, {sum(len(d['rows']) for d in table)} "
        f"lines ({label_stats(table)}), {time.perf_counter() - t0:.0f} s",
        file=sys.stderr,
    )
    if a.cv:
        ths = [float(x) for x in a.thresholds.split(",")]
        scores = cross_validate(pages, table, a.cv, ths)
        text = cv_table(scores, ths)
        print(text)
        if a.report:
            a.report.write_text(text + "\n", encoding="utf-8")
        return 0
    model = fit(table, {p["id"]: p["domain"] for p in pages})
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(model.to_json(), encoding="utf-8")
    print(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
