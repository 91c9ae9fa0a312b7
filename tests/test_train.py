"""The training set's line labels: alignment of a page's lines with its gold text."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "training_data.py"


@pytest.fixture(scope="module")
def train():
    """scripts/training_data.py, which labels the training lines."""
    spec = importlib.util.spec_from_file_location("training_data", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GOLD = (
    "Ingredients\n\n2 cups flour\n\n1 egg\n\n"
    "Mix the flour and the egg in a bowl until the dough is smooth, then let it rest.\n\n"
    "Bake it for twenty minutes at a moderate heat and serve it warm with butter."
)


def test_labels_follow_the_gold_text(train):
    lines = [
        "Home",  # menu: not in the gold text
        "Recipes",
        "Ingredients",  # short, and the gold text goes on as the page does
        "2 cups flour",
        "1 egg",
        "Mix the flour and the egg in a bowl until the dough is smooth, then let it rest.",
        "Bake it for twenty minutes at a moderate heat and serve it warm with butter.",
        "Share on Facebook",
        "",
    ]
    c, b, i = train.CONTENT, train.BOILERPLATE, train.IGNORE
    assert train.label_lines(lines, GOLD) == [b, b, c, c, c, c, c, b, i]


def test_short_line_in_gold_without_agreement_is_ignored(train):
    # "bowl" occurs in the gold text, but not next to what the page puts around it
    lines = ["Subscribe today", "bowl", "Contact the editors of this fine website now please"]
    assert train.label_lines(lines, GOLD)[1] == train.IGNORE


def test_partial_overlap_is_ignored_and_comments_are_labelled(train):
    mixed = "Mix the flour and the egg in a pan with lots of other words nobody wrote here"
    comment = "Great recipe, my kids loved it and we will make it again next week"
    labels = train.label_lines([mixed, comment], GOLD, comments=comment)
    assert labels == [train.IGNORE, train.COMMENTS]


def test_renderings_differ_in_line_breaks(train):
    html = (
        "<html><body><nav><a href='/'>Home</a> <a href='/r'>Recipes</a></nav>"
        "<div><p>Mix the <a href='/f'>flour</a> and the egg.</p></div></body></html>"
    )
    blocks = train.render(html, "blocks").split("\n")
    nodes = train.render(html, "nodes").split("\n")
    coarse = train.render(html, "coarse").split("\n")
    assert "Mix the flour and the egg." in blocks
    assert "Mix the" in nodes and "flour" in nodes  # a line per text node
    assert "Home Recipes" in coarse  # the menu runs together


def test_unseen_language_keeps_layout_and_word_bags(train):
    text = "Mix the FLOUR and the egg: 2 cups, then rest.\nThe egg goes first (20 min)."
    copy = train.unseen_language(text, "page-a")
    assert copy.count("\n") == text.count("\n")
    # numbers, punctuation and case stay; every word is replaced, the same way each time
    assert "2 cups" not in copy and " 2 " in copy and "(20 min)" not in copy and "20" in copy
    words, copied = train.WORD.findall(text), train.WORD.findall(copy)
    pairs = {(w.lower(), c.lower()) for w, c in zip(words, copied, strict=True) if not w.isdigit()}
    assert len(pairs) == len({w for w, _ in pairs}) == len({c for _, c in pairs})
    assert all(w.lower() != c.lower() for w, c in pairs)
    assert copied[words.index("FLOUR")].isupper() and copied[0][0].isupper()
    # another page gets other words, so no word of the copies is learned across sites
    other = train.WORD.findall(train.unseen_language(text, "page-b"))
    assert set(c for c in copied if not c.isdigit()).isdisjoint(other)


def test_unseen_copy_keeps_the_labels_and_recomputes_the_features(train):
    text = "\n".join(["Home", "News", GOLD.replace("\n\n", "\n"), "Share on Facebook"])
    doc = train._doc("page-a", "blocks", text, lambda lines: train.label_lines(lines, GOLD))
    copy = train.unseen_copy(doc, GOLD)
    assert copy["form"] == "blocks" + train.UNSEEN
    assert copy["labels"] == doc["labels"] and copy["idx"] == doc["idx"]
    assert copy["lines"] != doc["lines"] and copy["rows"].shape == doc["rows"].shape
    assert (copy["rows"] != doc["rows"]).any()  # no stopword or chrome word is known now
    assert copy["gold"] == train.unseen_language(GOLD, "page-a")
