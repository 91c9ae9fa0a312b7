"""The line classifier: its vocabulary features and the shipped model's loading."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from corpusprep import linemodel
from corpusprep.clean import FEATURE_NAMES, VOCAB_NAMES, line_features, line_words, vocab_rows
from corpusprep.linemodel import LineModel


def test_line_words_lowercase_numbers_and_punctuation():
    assert line_words("Posted 17 minutes ago") == ["posted", "0", "minutes", "ago"]
    assert line_words("Reply | Share: don't!") == ["reply", "share", "don't"]


def test_vocab_rows_by_hand():
    vocabulary = {"reply": (-2.0, 3.0), "council": (1.0, -1.0)}
    texts = ["Reply", "The council met", "Nothing known here"]
    rows = vocab_rows([line_words(t) for t in texts], vocabulary)
    col = {name: [r[k] for r in rows] for k, name in enumerate(VOCAB_NAMES)}
    assert col["vocab_mean"][:2] == [-2.0, 1.0] and math.isnan(col["vocab_mean"][2])
    assert col["vocab_min"][:2] == [-2.0, 1.0] and col["vocab_max"][:2] == [-2.0, 1.0]
    assert col["vocab_known"] == pytest.approx([1.0, 1 / 3, 0.0])
    assert col["vocab_comments"][:2] == [3.0, -1.0]
    # the mean of the other lines within three (a line without known words counts 0)
    assert col["vocab_window"] == pytest.approx([0.5, -1.0, -0.5])
    # every line carries the share of the page's words that are known: 2 of 7
    assert col["vocab_page_known"] == pytest.approx([2 / 7] * 3)
    assert vocab_rows([line_words(t) for t in texts], {})[0][-1] == 0.0


def test_shipped_model_loads_and_scores_lines():
    model = linemodel.default_model()
    texts = ["A headline", "The council met on Tuesday to discuss the budget."]
    _, rows = line_features("\n".join(texts))
    vocab = vocab_rows([line_words(t) for t in texts], model.vocabulary)
    p = model.probabilities([r + v for r, v in zip(rows, vocab, strict=True)])
    assert p.shape == (2, 3)
    assert np.allclose(p.sum(axis=1), 1.0)
    assert len(model.vocabulary) > 1000
    html = linemodel.html_model()
    assert html.attributes and "comment" in html.attributes
    assert html.attributes["comment"][1] > 0  # the class word says comments
    # all five files are in the config hash
    from corpusprep import pageauthor, pagedate, pagetitle

    rankers = "+".join(m.default_ranker().digest for m in (pagedate, pagetitle, pageauthor))
    assert linemodel.model_digest() == f"{model.digest}+{html.digest}+{rankers}"


def test_model_trained_on_other_features_is_refused():
    spec = json.loads(linemodel.MODEL_PATH.read_text(encoding="utf-8"))
    spec["features"] = list(FEATURE_NAMES[:-1])
    with pytest.raises(RuntimeError, match="make train"):
        LineModel.from_json(json.dumps(spec))
