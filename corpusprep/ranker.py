"""A page's candidates for one metadata field (its dates, its titles), scored by small LightGBM
trees: the best-scored candidate is the field's value. ``pagedate`` and ``pagetitle`` say what
the candidates and their features are; ``scripts/train_metadata.py`` fits the trees on WCXB
dev (a candidate is labelled 1 when it is the gold value).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np


class Ranker:
    """The trees, the feature names they were fit on and the digest of their file."""

    def __init__(self, booster, features: tuple[str, ...], digest: str = ""):
        self.booster = booster
        self.features = features
        self.digest = digest

    def choose(self, candidates: list[str], rows: np.ndarray) -> str | None:
        """The best-scored candidate (None without any)."""
        if not candidates:
            return None
        scores = self.booster.predict(rows, num_threads=1)
        return candidates[int(np.argmax(scores))]

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
