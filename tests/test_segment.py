"""Sentence segmenter: hard cases on inline strings, span invariants, golden rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpusprep import split_sentences
from corpusprep.signals import count_words

GOLDEN = Path(__file__).parent / "fixtures" / "sentences"


def sents(text: str, language: str | None = None) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, language)]


# (text, language, expected sentences), each written by hand.
CASES = [
    # abbreviations
    (
        "The U.N.-mandated force arrived on Monday. It left on Friday.",
        None,
        ["The U.N.-mandated force arrived on Monday.", "It left on Friday."],
    ),
    (
        "The U.S. military said so. He has lived in the U.S. Now he wants to leave.",
        None,
        ["The U.S. military said so.", "He has lived in the U.S.", "Now he wants to leave."],
    ),
    (
        "Dr. Jane Smith met Mr. Brown at 10 a.m. on Tuesday. It closed at 4 p.m. The market fell.",
        None,
        [
            "Dr. Jane Smith met Mr. Brown at 10 a.m. on Tuesday.",
            "It closed at 4 p.m.",
            "The market fell.",
        ],
    ),
    (
        "The orchestra played Op. 46 on Jan. 5. In Smith v. Jacobs the court ruled.",
        None,
        ["The orchestra played Op. 46 on Jan. 5.", "In Smith v. Jacobs the court ruled."],
    ),
    (
        "Acme Inc. reported profits. Shares of Acme Inc. rose.",
        None,
        ["Acme Inc. reported profits.", "Shares of Acme Inc. rose."],
    ),
    ("See Fig. 3 and Eq. 2 for details.", None, ["See Fig. 3 and Eq. 2 for details."]),
    ("He met Ms. Jones yesterday.", None, ["He met Ms. Jones yesterday."]),
    # initials
    (
        "The book by J. R. R. Tolkien sold well. It was reprinted.",
        None,
        ["The book by J. R. R. Tolkien sold well.", "It was reprinted."],
    ),
    # quotations
    (
        "“We are ready. We have the votes. We will win,” she said.",
        None,
        ["“We are ready.", "We have the votes.", "We will win,” she said."],
    ),
    (
        '"Why now?" he asked. Nobody answered.',
        None,
        ['"Why now?" he asked.', "Nobody answered."],
    ),
    (
        "While the “Stop. Think.” campaign ran, sales fell.",
        None,
        ["While the “Stop. Think.” campaign ran, sales fell."],
    ),
    # citation markers stay with the sentence they follow
    (
        "The effect is well known.[12] Later work confirmed it.",
        None,
        ["The effect is well known.[12]", "Later work confirmed it."],
    ),
    # headlines (lines are paragraphs) and lower-case sentence starts
    (
        "Storm batters coast\nThe storm hit on Monday. Thousands lost power.",
        None,
        ["Storm batters coast", "The storm hit on Monday.", "Thousands lost power."],
    ),
    ("the vote failed. the bill is dead.", None, ["the vote failed.", "the bill is dead."]),
    ("Who called? nobody knows.", None, ["Who called?", "nobody knows."]),
    ("She works at Yahoo! in the city.", None, ["She works at Yahoo! in the city."]),
    # list markers
    ("1. The first item 2. The second item", None, ["1. The first item", "2. The second item"]),
    (
        "a) first point b) second point c) third point",
        None,
        ["a) first point", "b) second point", "c) third point"],
    ),
    ("3. Drink water. It helps.", None, ["3. Drink water.", "It helps."]),
    ("• Prices rose • Wages fell", None, ["• Prices rose", "• Wages fell"]),
    (
        "Key points:\n- Prices rose\n- Wages fell",
        None,
        ["Key points:", "- Prices rose", "- Wages fell"],
    ),
    # URLs, e-mail addresses, numbers
    (
        "See https://www.example.com/a.b/c.html. Or mail jane.doe@example.co.uk. Thanks.",
        None,
        ["See https://www.example.com/a.b/c.html.", "Or mail jane.doe@example.co.uk.", "Thanks."],
    ),
    (
        "Acme earned $1.5bn. Shares rose 3.2% in early trading.",
        None,
        ["Acme earned $1.5bn.", "Shares rose 3.2% in early trading."],
    ),
    # ellipses
    ("He paused... Then he spoke again.", None, ["He paused...", "Then he spoke again."]),
    (
        "81 procent was raak. ...en toen barste de hel los.",
        "nl",
        ["81 procent was raak.", "...en toen barste de hel los."],
    ),
    # other scripts
    ("这是一本书。那是什么？好！", "zh", ["这是一本书。", "那是什么？", "好！"]),
    ("これはペンです。それは何ですか？", "ja", ["これはペンです。", "それは何ですか？"]),
    ("यह किताब है। वह क्या है?", "hi", ["यह किताब है।", "वह क्या है?"]),
    ("کیا حال ہے؟ میں ٹھیک ہوں۔", "ur", ["کیا حال ہے؟", "میں ٹھیک ہوں۔"]),
    ("ماذا حدث؟ لا شيء.", "ar", ["ماذا حدث؟", "لا شيء."]),
    ("Ի՞նչ ես մտածում։ Ոչինչ։", "hy", ["Ի՞նչ ես մտածում։", "Ոչինչ։"]),
    ("Τι κάνεις; Καλά είμαι.", "el", ["Τι κάνεις;", "Καλά είμαι."]),
    (
        "Die Sitzung am 12. Juni war kurz. Dann ging er.",
        "de",
        ["Die Sitzung am 12. Juni war kurz.", "Dann ging er."],
    ),
]


@pytest.mark.parametrize(("text", "language", "expected"), CASES)
def test_hard_cases(text, language, expected):
    assert sents(text, language) == expected


def test_exact_spans_with_paragraphs_and_whitespace():
    text = "  Hello there.  Bye.\r\n\n\u00a0Next line\n"
    assert split_sentences(text) == [(2, 14), (16, 20), (24, 33)]


def test_empty_and_blank():
    assert split_sentences("") == []
    assert split_sentences(" \n\t\n\u00a0") == []


def test_language_codes_are_normalised():
    text = "He met Dr. Smith. It rained."
    expected = ["He met Dr. Smith.", "It rained."]
    assert sents(text, "en-US") == sents(text, "EN") == sents(text, "en") == expected


def test_lone_surrogate_does_not_crash():
    text = "Bad \ud800 byte. Next one."
    assert sents(text) == ["Bad \ud800 byte.", "Next one."]


# --------------------------------------------------------------- span invariants
_ALPHABET = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(list('.!?。！？।؟…"“”«»()[]•1a \u00a0\u3000\t\r\n\u0301\u200b😀👍🏽')),
)
_TEXTS = st.one_of(
    st.text(_ALPHABET, max_size=200),
    st.lists(
        st.sampled_from(
            [
                "Dr.",
                "U.S.",
                "1.",
                "a)",
                "•",
                "...",
                "“Yes.",
                "No.”",
                "word",
                "漢字。",
                "\r\n",
                "\n\n",
            ]
        ),
        max_size=30,
    ).map(" ".join),
)


@settings(max_examples=400, deadline=None)
@given(_TEXTS, st.sampled_from([None, "en", "de", "zh", "ar", "hy", "xx"]))
def test_span_invariants(text, language):
    spans = split_sentences(text, language)
    prev_end = 0
    for s, e in spans:
        assert prev_end <= s < e <= len(text)
        piece = text[s:e]
        assert piece == piece.strip()
        assert "\n" not in piece
        prev_end = e
    # Every non-space character is in some sentence: nothing is dropped.
    inside = sum(not ch.isspace() for s, e in spans for ch in text[s:e])
    assert inside == sum(not ch.isspace() for ch in text)
    # No cut splits a word: a document's word count is its sentences' sum (the pipeline relies
    # on it to count words once).
    assert sum(count_words(text[s:e]) for s, e in spans) == count_words(text)


# ------------------------------------------------------------------- golden rules
def golden_score(name: str) -> tuple[int, int]:
    """Correct cases as the shared scorer counts them: stripped sentence lists are equal."""
    correct = total = 0
    with (GOLDEN / name).open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            got = [s.strip() for s in sents(rec["text"], rec.get("lang")) if s.strip()]
            want = [s.strip() for s in rec["sentences"] if s.strip()]
            correct += got == want
            total += 1
    return correct, total


def test_golden_rules_english():
    correct, total = golden_score("golden_rules_en.jsonl")
    assert total == 48
    assert correct >= 46


def test_golden_rules_multilingual():
    correct, total = golden_score("golden_rules_multilingual.jsonl")
    assert total == 116
    assert correct >= 100
