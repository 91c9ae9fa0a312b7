"""The learned line classifier: a model shipped in the package, loaded once per process, that
gives each line of a text page P(boilerplate), P(content) and P(comments).

Gradient-boosted trees (LightGBM) over ``clean.FEATURE_NAMES`` (the rules are among them) and
``clean.VOCAB_NAMES``: what the line's words say, from a vocabulary of log-odds learned with
the trees (words such as "reply", "cart" or "abonnieren" that mark chrome or comments in any
language the training pages hold). ``scripts/train.py`` (``make train``) rebuilds
``models/line_classifier.json``.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).with_name("models") / "line_classifier.json"
CLASSES = ("boilerplate", "content", "comments")  # the model's output columns, in order
BOILERPLATE, CONTENT, COMMENTS = 0, 1, 2
# A vocabulary: word -> (log-odds of content against the rest, log-odds of comments).
Vocabulary = dict[str, tuple[float, float]]


class LineModel:
    """The trained trees, their vocabulary and the digest of the file they came from."""

    def __init__(self, booster, vocabulary: Vocabulary, digest: str = ""):
        self.booster = booster
        self.vocabulary = vocabulary
        self.digest = digest

    @classmethod
    def from_json(cls, text: str) -> LineModel:
        import lightgbm  # imported here: only processes that clean text pay for it

        from corpusprep.clean import FEATURE_NAMES, VOCAB_NAMES

        spec = json.loads(text)
        if tuple(spec["features"]) != FEATURE_NAMES + VOCAB_NAMES:
            raise RuntimeError(
                "corpusprep: the line classifier was trained on other features than this "
                "version computes; rebuild it with `make train`"
            )
        vocabulary = {w: (c, m) for w, (c, m) in spec["vocabulary"].items()}
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        return cls(lightgbm.Booster(model_str=spec["trees"]), vocabulary, digest)

    def to_json(self) -> str:
        from corpusprep.clean import FEATURE_NAMES, VOCAB_NAMES

        spec = {
            "format": "corpusprep line classifier 1",
            "classes": list(CLASSES),
            "features": list(FEATURE_NAMES + VOCAB_NAMES),
            "vocabulary": {
                w: [round(c, 4), round(m, 4)] for w, (c, m) in sorted(self.vocabulary.items())
            },
            "trees": self.booster.model_to_string(),
        }
        return json.dumps(spec, ensure_ascii=False, separators=(",", ":")) + "\n"

    def probabilities(self, rows) -> np.ndarray:
        """(n_lines, 3) class probabilities, columns in CLASSES order, of the lines'
        ``clean.FEATURE_NAMES`` + ``clean.VOCAB_NAMES`` rows."""
        return self.booster.predict(np.asarray(rows, dtype=np.float64), num_threads=1)

    def keep_probabilities(self, rows, keep_comments: bool) -> tuple[list[float], list[float]]:
        """P(content) per line (plus P(comments) when comments are kept), and P(comments)."""
        p = self.probabilities(rows)
        keep = p[:, CONTENT] + p[:, COMMENTS] if keep_comments else p[:, CONTENT]
        return keep.tolist(), p[:, COMMENTS].tolist()


@functools.cache
def default_model() -> LineModel:
    """The shipped model, read once per process."""
    try:
        text = MODEL_PATH.read_text(encoding="utf-8")
    except OSError as e:
        raise RuntimeError(
            f"corpusprep: the line classifier is missing ({MODEL_PATH}); reinstall, or "
            "rebuild it with `make train`"
        ) from e
    return LineModel.from_json(text)


def model_digest() -> str:
    """Digest of the shipped model's file ('' when it is missing): part of the config hash."""
    try:
        return hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()[:16]
    except OSError:
        return ""
