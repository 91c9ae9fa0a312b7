"""Signals stage: document language and simple counts analysts filter on.

Language identification uses py3langid (its model ships inside the wheel; nothing is downloaded
at run time). The comparison with other identifiers and the thresholds below are measured by
``scripts/eval_language.py`` and recorded in ``docs/decisions.md``.
"""

from __future__ import annotations

import re
import threading
from typing import Any

# Word tokens for counting: runs of word characters, each CJK character on its own
# (those scripts do not put spaces between words).
# Han and kana (a character is a word), also for clean's script detection
HAN_KANA = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_WORD = re.compile("[" + HAN_KANA + "]|[^\\W" + HAN_KANA + "]+")  # [^\W...]: a word char, not CJK

# Letters (word characters that are not digits or "_"); a CJK or Hangul character is one.
_NON_LETTER = re.compile(r"[\W\d_]+")
# Han, kana and Hangul: the scripts of zh, ja and ko.
_CJK_KO = HAN_KANA + "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
_CJK_KO_RUN = re.compile("[" + _CJK_KO + "]+")
_CJK_LANGS = frozenset({"zh", "ja", "ko"})

# Below this many letters the identifier is guessing (accuracy on 10-15 character prefixes of
# the dev articles is ~55-65%, and the few that pass MIN_PROBABILITY are mostly right).
MIN_LETTERS = 10
# Below this probability the answer is too unsure to store: on short dev texts (records and
# article prefixes) answers under 0.5 are right ~60% of the time, answers above ~97.5%.
MIN_PROBABILITY = 0.5
# The identifier reads at most this many UTF-8 bytes (its cost is linear in bytes, ~1 us a
# byte in a busy worker, where its 30 MB of tables miss the cache; CJK takes 3 a character).
# Article prefixes reach 98% accuracy at 200 characters and 100% at 300 bytes; the
# eval_language.py figures are identical at 1500, 1000, 800, 500 and 400 bytes (at 300 one
# paragraph of the multilingual set goes unanswered).
MAX_SAMPLE_BYTES = 400
# Longer texts without letters (tables of numbers) get a probability far under
# MIN_PROBABILITY, so the letter count is only needed below this length.
_SHORT_CHARS = 200
# A zh/ja/ko answer on a text whose letters are mostly in other scripts comes from a foreign
# UI string (a share button, "back to top"): the text is identified again without it.
MIN_CJK_SHARE = 0.3

# Labels the model emits that are not ISO 639-1, mapped to their macrolanguage's code; any
# other non-ISO 639-1 label (pcm, zxx, grc, ...) counts as "no code" and yields None.
_TO_ISO1 = {
    "arz": "ar",
    "ary": "ar",
    "uzs": "uz",
    "sdh": "ku",
    "yue": "zh",
    "wuu": "zh",
    "gug": "gn",
    "iw": "he",
    "in": "id",
    "jw": "jv",
}

_lock = threading.Lock()
_model: Any = None  # py3langid's LanguageIdentifier, loaded on first use


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def warm_up() -> None:
    """Load the language model now (once per process) instead of on the first document."""
    _identifier()


def _identifier():
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _model = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _model


def _iso1(label: str) -> str | None:
    code = _TO_ISO1.get(label, label)
    return code if len(code) == 2 else None


def _classify(sample: str) -> tuple[str | None, float]:
    """Best ISO 639-1 code and its probability. When the best label is not an ISO 639-1 code
    (arz, yue, pcm, ...), labels pool their probability by code, those without one into None."""
    model = _identifier()
    label, prob = model.classify(sample)
    if len(label) == 2 and label not in _TO_ISO1:
        return label, float(prob)
    pooled: dict[str | None, float] = {}
    for label, prob in model.rank(sample):
        key = _iso1(label)
        pooled[key] = pooled.get(key, 0.0) + prob
    code = max(pooled, key=pooled.__getitem__)
    return code, float(pooled[code])


def _n_letters(text: str) -> int:
    return len(text) - sum(len(m) for m in _NON_LETTER.findall(text))


def detect_language(text: str, max_chars: int = 4000) -> tuple[str | None, float | None]:
    """ISO 639-1 code and probability of ``text`` (its first ``max_chars`` characters, at most
    MAX_SAMPLE_BYTES of UTF-8), or (None, None) when it is too short or too unsure to tell."""
    sample = text[:max_chars]
    encoded = sample.encode("utf-8", "surrogatepass")
    if len(encoded) > MAX_SAMPLE_BYTES:
        sample = encoded[:MAX_SAMPLE_BYTES].decode("utf-8", "ignore")
    if len(sample) < _SHORT_CHARS and _n_letters(sample) < MIN_LETTERS:
        return None, None
    lang, prob = _classify(sample)
    if lang in _CJK_LANGS:
        letters = _n_letters(sample)
        n_cjk = sum(len(run) for run in _CJK_KO_RUN.findall(sample))
        if n_cjk < MIN_CJK_SHARE * letters and letters - n_cjk >= MIN_LETTERS:
            lang, prob = _classify(_CJK_KO_RUN.sub(" ", sample))
    if lang is None or prob < MIN_PROBABILITY:
        return None, None
    return lang, prob
