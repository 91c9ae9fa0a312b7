"""Normalize stage: line endings, mojibake repair (ftfy), Unicode NFC."""

from __future__ import annotations

import re
import unicodedata

import ftfy

# Keep real curly quotes and the page's own characters; repair encodings and controls only.
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False, explain=False)

# What ftfy could repair leaves a trace this cheap regex finds: UTF-8 read as Latin-1 or
# windows-1252 turns each lead byte C2-F4 into one of "Â".."ô" followed by a continuation
# byte shown as a C1 control, a Latin-1 symbol or a cp1252 punctuation mark; C1 controls,
# lone surrogates and terminal escapes are the other things ftfy fixes. A line without any
# of these is left alone: ftfy costs about 2 ms per page, the check about 0.05 ms.
_SUSPECT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
    "|[\u0080-\u009f\ud800-\udfff]|\x1b\\["
)
# The first character of every _SUSPECT match. One character class is searched by a fast C
# loop, an alternation is tried at every position: 0.02 against 0.13 ms a dev page, and text
# without any of these characters (most English text) skips _SUSPECT altogether.
_SUSPECT_START = re.compile("[\u00c2-\u00f4\u0080-\u009f\ud800-\udfff\x1b]")


def normalize(text: str) -> tuple[str, int]:
    """Return the repaired, NFC-normalized text and the number of lines ftfy changed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():
        return text, 0
    fixes = 0
    start = _SUSPECT_START.search(text)
    if start and _SUSPECT.search(text, start.start()):
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if _SUSPECT.search(line):
                fixed = ftfy.fix_text(line, _FTFY)
                if fixed != line:
                    lines[i] = fixed
                    fixes += 1
        text = "\n".join(lines)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text, fixes
