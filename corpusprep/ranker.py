"""A page's candidates for one metadata field (its dates, titles, authors), scored by small
LightGBM trees: the best-scored candidate is the field's value. ``pagedate``, ``pagetitle``
and ``pageauthor`` say what the candidates and their features are;
``scripts/train_metadata.py`` fits the trees on WCXB dev (a candidate is labelled 1 when it is
the gold value).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path

import numpy as np

_QUOTES = str.maketrans("\u2018\u2019\u201c\u201d\u2013\u2014", "''\"\"--")
_EDGE = "\"'“”‘’«»()[]{}.,;:!?-–—|·• "


def value_key(text: str) -> str:
    """What two spellings of one value (a title, a name) share: NFKC, case folded, spaces
    collapsed, edge punctuation dropped (as WCXB compares them, scripts/eval_metadata.py)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return " ".join(text.split()).casefold().strip(_EDGE)


class Ranker:
    """The trees, the feature names they were fit on and the digest of their file."""

    def __init__(self, booster, features: tuple[str, ...], digest: str = ""):
        self.booster = booster
        self.features = features
        self.digest = digest

    def choose(self, candidates: list[str], rows: np.ndarray, min_score: float = 0.0) -> str | None:
        """The best-scored candidate (None without any, or when none scores `min_score`)."""
        if not candidates:
            return None
        scores = self.booster.predict(rows, num_threads=1)
        best = int(np.argmax(scores))
        return candidates[best] if scores[best] >= min_score else None

    def to_json(self) -> str:
        spec = {
            "format": "corpusprep candidate ranker 1",
            "features": list(self.features),
            "trees": self.booster.model_to_string(),
        }
        return json.dumps(spec, separators=(",", ":")) + "\n"

    @classmethod
    def from_json(cls, text: str, features: tuple[str, ...]) -> Ranker:
        import lightgbm  # imported here: only processes that read HTML metadata pay for it

        spec = json.loads(text)
        if tuple(spec["features"]) != features:
            raise RuntimeError(
                "corpusprep: a metadata ranker was trained on other features than this version "
                "computes; rebuild it with `make train`"
            )
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        return cls(lightgbm.Booster(model_str=spec["trees"]), features, digest)


def load(path: Path, features: tuple[str, ...]) -> Ranker:
    from corpusprep.linemodel import read_model_file

    return Ranker.from_json(read_model_file(path), features)
