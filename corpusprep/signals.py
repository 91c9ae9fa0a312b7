"""Signals stage: document language and simple counts analysts filter on."""

from __future__ import annotations

import re
from functools import cache

# Word tokens for counting: runs of word characters, each CJK character on its own
# (those scripts do not put spaces between words).
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_WORD = re.compile("[" + _CJK + "]|(?:(?![" + _CJK + "])\\w)+")

# Below this many characters the identifier is guessing.
MIN_CHARS_FOR_LANGUAGE = 20


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, max_chars: int = 4000) -> tuple[str | None, float | None]:
    """ISO 639-1 code and probability, or (None, None) when the text is too short to tell."""
    sample = text[:max_chars]
    if len(sample.strip()) < MIN_CHARS_FOR_LANGUAGE:
        return None, None
    lang, prob = _identifier().classify(sample)
    return lang, float(prob)
