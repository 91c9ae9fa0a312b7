"""What kind of page an HTML page is (article, forum, product, listing, ...), as probabilities
the HTML classifier reads beside each line's features: a card list wants a lower bar for its
short lines than an article does (docs/decisions.md, "the page type as a feature").

A small LightGBM model over page-level numbers (the text features' ``page_*`` columns, the
word-weighted share of each DOM context, the URL's shape) and learned tokens (words of the URL
path, schema.org and og:type types) seen on enough training pages. ``scripts/train.py``
trains it with the HTML classifier and stores it in the same file.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import numpy as np
from lxml.html import HtmlElement

# The WCXB benchmark's page types, the classes of the model (in this order).
PAGE_TYPES = (
    "article",
    "collection",
    "documentation",
    "forum",
    "listing",
    "product",
    "service",
)
TYPE_NAMES = tuple(f"type_{t}" for t in PAGE_TYPES)  # the HTML classifier's extra columns
_LD_TYPE = re.compile(r'"@type"\s*:\s*\[?\s*"(?:https?://schema\.org/)?([A-Za-z]+)"')
_SCHEMA_TYPE = re.compile(r"schema\.org/([A-Za-z]+)")
_WORD = re.compile(r"[a-z]{2,}")


def page_tokens(root: HtmlElement, url: str | None) -> set[str]:
    """The page's structured types ("t:product", "t:discussionforumposting") and URL path words
    ("u:forum", "u:category"). Read before invisible elements (scripts) are dropped."""
    tokens = set()
    for script in root.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            tokens.update("t:" + t.lower() for t in _LD_TYPE.findall(script.text))
    for el in root.xpath("//*[@itemtype]"):
        tokens.update("t:" + t.lower() for t in _SCHEMA_TYPE.findall(el.get("itemtype", "")))
    for content in root.xpath("//meta[@property='og:type']/@content"):
        tokens.add("t:" + content.strip().lower().rpartition(".")[2].rpartition(":")[2])
    path = urlsplit(url or "").path.lower()
    tokens.update("u:" + w for w in _WORD.findall(path))
    return tokens


def page_numbers(url: str | None, text_rows, dom_rows) -> list[float]:
    """The page-level numbers: the first line's ``page_*`` text features, the page's DOM flags,
    the word-weighted share of each DOM column, and the URL's depth, digit segments and query."""
    from corpusprep.blocks import DOM_NAMES
    from corpusprep.clean import FEATURE_NAMES

    text = np.asarray(text_rows, dtype=np.float64)
    dom = np.asarray(dom_rows, dtype=np.float64)
    page_cols = [i for i, n in enumerate(FEATURE_NAMES) if n.startswith("page_")]
    flags = [DOM_NAMES.index(n) for n in ("page_json_ld", "page_og_product", "page_blocks")]
    weight = np.maximum(text[:, FEATURE_NAMES.index("words")], 0.0) + 1.0
    shares = (dom * weight[:, None]).sum(axis=0) / weight.sum()
    parts = urlsplit(url or "")
    segments = [s for s in parts.path.split("/") if s]
    return [
        *text[0, page_cols].tolist(),
        *dom[0, flags].tolist(),
        *shares.tolist(),
        float(len(segments)),
        float(bool(parts.query)),
        float(sum(s.isdigit() for s in segments)),
        float(len(segments[-1]) if segments else 0),
    ]


class PageTypeModel:
    """The trees and the tokens they read (one 0/1 column each, after the numbers)."""

    def __init__(self, booster, tokens: list[str]):
        self.booster = booster
        self.tokens = tokens

    def rows(self, inputs: list[tuple[list[float], set[str]]]) -> np.ndarray:
        return np.asarray(
            [numbers + [float(t in toks) for t in self.tokens] for numbers, toks in inputs],
            dtype=np.float64,
        )

    def probabilities(self, inputs: list[tuple[list[float], set[str]]]) -> np.ndarray:
        """(n_pages, len(PAGE_TYPES)) probabilities of pages' (numbers, tokens)."""
        return self.booster.predict(self.rows(inputs), num_threads=1)

    def to_spec(self) -> dict:
        return {
            "types": list(PAGE_TYPES),
            "tokens": self.tokens,
            "trees": self.booster.model_to_string(),
        }

    @classmethod
    def from_spec(cls, spec: dict) -> PageTypeModel:
        import lightgbm

        if tuple(spec["types"]) != PAGE_TYPES:
            raise RuntimeError("corpusprep: the page-type model has other classes; `make train`")
        return cls(lightgbm.Booster(model_str=spec["trees"]), list(spec["tokens"]))
