"""The learned line classifier: a model shipped in the package, loaded once per process, that
gives each line of a text page P(boilerplate), P(content) and P(comments).

Gradient-boosted trees (LightGBM) over ``clean.FEATURE_NAMES`` (the rules are among them) and
``clean.VOCAB_NAMES``: what the line's words say, from a vocabulary of log-odds learned with
the trees (words such as "reply", "cart" or "abonnieren" that mark chrome or comments in any
language the training pages hold). ``scripts/train.py`` (``make train``) rebuilds
``models/line_classifier.json``.

The HTML classifier (``html_model``, ``models/html_classifier.json``) is the same kind of
model over the same features of a page's block lines plus ``blocks.DOM_NAMES`` and
``blocks.ATTR_NAMES`` (from a second vocabulary: the words of class and id attributes).
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).with_name("models") / "line_classifier.json"
HTML_MODEL_PATH = MODEL_PATH.with_name("html_classifier.json")
CLASSES = ("boilerplate", "content", "comments")  # the model's output columns, in order
BOILERPLATE, CONTENT, COMMENTS = 0, 1, 2
# A vocabulary: word -> (log-odds of content against the rest, log-odds of comments).
Vocabulary = dict[str, tuple[float, float]]


class LineModel:
    """The trained trees, their vocabulary and the digest of the file they came from."""

    def __init__(
        self,
        booster,
        vocabulary: Vocabulary,
        digest: str = "",
        attributes: Vocabulary | None = None,
        page_types=None,
    ):
        self.booster = booster
        self.vocabulary = vocabulary
        self.digest = digest
        self.attributes = attributes  # the HTML model's class/id vocabulary
        self.page_types = page_types  # the HTML model's pagetype.PageTypeModel

    @classmethod
    def from_json(cls, text: str) -> LineModel:
        import lightgbm  # imported here: only processes that clean text pay for it

        spec = json.loads(text)
        attributes = spec.get("attributes")
        if tuple(spec["features"]) != feature_names(html=attributes is not None):
            raise RuntimeError(
                "corpusprep: the line classifier was trained on other features than this "
                "version computes; rebuild it with `make train`"
            )
        vocabulary = {w: (c, m) for w, (c, m) in spec["vocabulary"].items()}
        if attributes is not None:
            attributes = {w: (c, m) for w, (c, m) in attributes.items()}
        page_types = None
        if "page_types" in spec:
            from corpusprep.pagetype import PageTypeModel

            page_types = PageTypeModel.from_spec(spec["page_types"])
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        booster = lightgbm.Booster(model_str=spec["trees"])
        return cls(booster, vocabulary, digest, attributes, page_types)

    def to_json(self) -> str:
        def rounded(vocab: Vocabulary) -> dict:
            return {w: [round(c, 4), round(m, 4)] for w, (c, m) in sorted(vocab.items())}

        spec = {
            "format": "corpusprep line classifier 1",
            "classes": list(CLASSES),
            "features": list(feature_names(html=self.attributes is not None)),
            "vocabulary": rounded(self.vocabulary),
            "trees": self.booster.model_to_string(),
        }
        if self.attributes is not None:
            spec["attributes"] = rounded(self.attributes)
        if self.page_types is not None:
            spec["page_types"] = self.page_types.to_spec()
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


def feature_names(html: bool = False) -> tuple[str, ...]:
    """The columns of a model's rows: the text features, and for HTML the DOM ones and the
    page-type probabilities."""
    from corpusprep.blocks import ATTR_NAMES, DOM_NAMES
    from corpusprep.clean import FEATURE_NAMES, VOCAB_NAMES
    from corpusprep.pagetype import TYPE_NAMES

    return FEATURE_NAMES + VOCAB_NAMES + (DOM_NAMES + ATTR_NAMES + TYPE_NAMES if html else ())


def read_model_file(path: Path) -> str:
    """A shipped model file's text; a clear error when it is missing."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        raise RuntimeError(
            f"corpusprep: a trained model is missing ({path}); reinstall, or rebuild it with "
            "`make train`"
        ) from e


def _load(path: Path) -> LineModel:
    return LineModel.from_json(read_model_file(path))


@functools.cache
def default_model() -> LineModel:
    """The shipped line classifier for text, read once per process."""
    return _load(MODEL_PATH)


@functools.cache
def html_model() -> LineModel:
    """The shipped classifier of HTML block lines, read once per process."""
    return _load(HTML_MODEL_PATH)


def model_digest() -> str:
    """Digest of the shipped models' files ('' for a missing one): part of the config hash."""
    from corpusprep import pageauthor, pagedate, pagetitle

    parts = []
    rankers = (pagedate.MODEL_PATH, pagetitle.MODEL_PATH, pageauthor.MODEL_PATH)
    for path in (MODEL_PATH, HTML_MODEL_PATH, *rankers):
        try:
            parts.append(hashlib.sha256(path.read_bytes()).hexdigest()[:16])
        except OSError:
            parts.append("")
    return "+".join(parts)
