#!/usr/bin/env python3
"""The line classifier's training data: pages (WCXB dev, the shared dev pages, the seeds),
rendered to text, each line labelled by aligning it with the page's gold text (used by
``train.py``).

Every HTML page is rendered to text three ways, because real text dumps come from many
scrapers (all keep the text of <noscript> elements, as a scraper without JavaScript does):
``blocks`` (a line per block element, as ``extract.visible_lines``), ``coarse`` (a line per
paragraph, heading, list item or table row: menus and link bars run together) and ``nodes``
(a line per DOM text node, as ``get_text("\\n")`` gives: links split sentences). A page with
gold text also gives two dumps a cleaner upstream may leave (``_gold_doc``, ``_crop``).
Every document also has a copy in a language no list or vocabulary knows (``unseen_copy``).
Each line is labelled by aligning it with the gold text (``label_lines``); the features are
``clean.line_features``.

The HTML classifier's table (``build_html_table``) has one document per HTML page: its block
lines as ``blocks.page_blocks`` renders them at run time, with the DOM features.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from multiprocessing import Pool
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpusprep.blocks import drop_invisible, page_features  # noqa: E402
from corpusprep.clean import line_features  # noqa: E402
from corpusprep.extract import visible_lines  # noqa: E402
from corpusprep.linemodel import BOILERPLATE, COMMENTS, CONTENT  # noqa: E402
from corpusprep.pagetype import page_numbers, page_tokens  # noqa: E402
from corpusprep.signals import HAN_KANA  # noqa: E402

IGNORE = -1  # a line whose label the alignment cannot tell (not trained on)
FORMS = ("blocks", "coarse", "nodes")
_TOKEN = re.compile(f"[{HAN_KANA}]|(?:(?![{HAN_KANA}])\\w)+")
WORD = re.compile(r"\w+")  # the benchmark's own tokens
_COMMENT_ATTR = re.compile(r"comment|disqus|(?<![a-z])(?:respond|repl(?:y|ies))(?![a-z])", re.I)


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
    """The dev split's pages: id, domain, page type, gold text, date, title and author, HTML."""
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
                "date": rec["ground_truth"].get("publish_date"),
                "title": rec["ground_truth"].get("title"),
                "author": rec["ground_truth"].get("author"),
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
    """A document of the table: feature rows of `text` and the labels `labels_of` gives the
    raw lines that have rows (a function of their texts, or a list of one label per raw line).
    Lines the cleaner sets aside as noise have no row."""
    idx, rows = line_features(text)
    if not rows:
        return None
    raw = text.split("\n")
    labels = (
        labels_of([raw[k] for k in idx]) if callable(labels_of) else [labels_of[k] for k in idx]
    )
    return {
        "id": page_id,
        "form": form,
        "idx": idx,
        "rows": np.asarray(rows, dtype=np.float32),
        "labels": labels,
        "ntok": [len(tokens(raw[k])) for k in idx],
        "lines": [raw[k].strip() for k in idx],
    }


def _crop(text: str, doc: dict, page_id: str) -> str:
    """The stretch of a rendering (`doc`: its table document) from its first to its last
    content line, with 0-5 non-blank lines of what surrounds it (chosen from the page id): a
    partly cleaned dump."""
    raw = text.split("\n")
    nonblank = [k for k, x in enumerate(raw) if x.strip()]
    at = {k: n for n, k in enumerate(nonblank)}
    lines = [raw[k] for k in nonblank]
    content = [at[k] for k, y in zip(doc["idx"], doc["labels"], strict=True) if y == CONTENT]
    if not content:
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
        crop = _crop(texts["blocks"], blocks, page["id"])
        out.append(_doc(page["id"], "crop", crop, labels_of))
    docs = [d for d in out if d is not None]
    return docs + [c for d in docs if (c := unseen_copy(d, page["gold"])) is not None]


# ------------------------------------------------------------------------------------------
# A language the model has never seen

_CONSONANTS, _VOWELS = "bcdfghjklmnprstvwz", "aeiou"
UNSEEN = "/unseen"  # suffix of the form of a document's copy in an unseen language


def _pseudo_word(word: str, key: bytes) -> str:
    """A pronounceable word of the same length and case, fixed for `word` under `key`."""
    h = hashlib.blake2b(word.lower().encode(), key=key, digest_size=16).digest()
    out = "".join(
        _CONSONANTS[h[i % 16] % 18] if i % 2 == 0 else _VOWELS[h[i % 16] % 5]
        for i in range(len(word))
    )
    if len(word) > 1 and word.isupper():
        return out.upper()
    return out[0].upper() + out[1:] if word[0].isupper() else out


def unseen_language(text: str, page_id: str) -> str:
    """`text` with each word of letters replaced by a pseudo-word, the same one throughout the
    page and a different one on every other page (numbers and punctuation stay): the page's
    layout in a language no stopword list, rule vocabulary or learned vocabulary knows. A
    bijection on the benchmark's word bags, so a copy scores against its gold's copy."""
    key = hashlib.blake2b(page_id.encode(), digest_size=16).digest()

    def replace(m: re.Match) -> str:
        w = m.group(0)
        if any(c.isdigit() for c in w) or not any(c.isalpha() for c in w):
            return w
        return _pseudo_word(w, key)

    return WORD.sub(replace, text)


def unseen_copy(doc: dict, gold: str) -> dict | None:
    """`doc` in an unseen language (``unseen_language``), lines and labels unchanged, features
    computed again; with the page's gold text in that language, which cross-validation scores
    it against. None when a line would change its fate as noise (a rare few)."""
    lines = [unseen_language(x, doc["id"]) for x in doc["lines"]]
    idx, rows = line_features("\n".join(lines))
    if len(idx) != len(lines):
        return None
    return dict(
        doc,
        form=doc["form"] + UNSEEN,
        rows=np.asarray(rows, dtype=np.float32),
        lines=lines,
        gold=unseen_language(gold, doc["id"]),
    )


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
    return _doc(page["id"], "gold", "\n".join(x for x, _ in lines), labels)


def build_table(pages: list[dict], workers: int = 2) -> list[dict]:
    with Pool(workers) as pool:
        parts = pool.map(_page_rows, pages, chunksize=8)
    return [r for part in parts for r in part]


def load_all(wcxb: Path, shared: Path) -> list[dict]:
    pages = wcxb_pages(wcxb) + shared_pages(shared)
    for name, labels in seed_labels(shared).items():
        text = (shared / "data" / "seeds" / name).read_text(encoding="utf-8")
        pages.append(
            {"id": f"seed-{name}", "domain": f"seed-{name}", "type": "article", "gold": "",
             "html": "", "dump": text, "labels": labels}
        )  # fmt: skip
    return pages


def html_doc(page: dict) -> dict | None:
    """A page's block lines as the HTML path sees them (trafilatura's loader,
    ``blocks.page_features``), with text and DOM features and labels; and trafilatura's fast
    text of the page, the cross-validation's reference."""
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(page["html"]) if page["html"] else None
    if tree is None:
        return None
    doc = trafilatura.bare_extraction(
        tree, url=page.get("url"), with_metadata=False, deduplicate=False,
        include_comments=False, include_tables=True, fast=True,
    )  # fmt: skip
    extracted = (doc.text or "") if doc is not None else ""
    page_toks = page_tokens(tree, page.get("url"))  # before page_features drops scripts
    blocks, rows, dom = page_features(tree)
    if not blocks:
        return None
    lines = [b.text for b in blocks]
    return {
        "id": page["id"],
        "form": "html",
        "rows": np.asarray(rows, dtype=np.float32),
        "dom": np.asarray(dom, dtype=np.float32),
        "attrs": [b.attr_words for b in blocks],
        "labels": label_lines(lines, page["gold"], comment_text(page["html"])),
        "ntok": [len(tokens(x)) for x in lines],
        "lines": lines,
        "extracted": extracted,
        "type": page["type"],
        "page": (page_numbers(page.get("url"), rows, dom), page_toks),
    }


def build_html_table(pages: list[dict], workers: int = 2) -> list[dict]:
    with Pool(workers) as pool:
        docs = pool.map(html_doc, [p for p in pages if p["html"] and p["gold"]], chunksize=8)
    return [d for d in docs if d is not None]


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
