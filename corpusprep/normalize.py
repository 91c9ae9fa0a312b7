"""Normalize stage: line endings, mojibake repair (ftfy), Unicode NFC."""

from __future__ import annotations

import unicodedata

import ftfy

# Keep real curly quotes and the page's own characters; repair encodings and controls only.
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False, explain=False)


def normalize(text: str) -> tuple[str, int]:
    """Return the repaired text and the number of lines ftfy changed.

    ftfy is the costliest text step, so pure-ASCII lines (most of an English page) skip it:
    they cannot hold mojibake.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():
        return text, 0
    lines = text.split("\n")
    fixes = 0
    for i, line in enumerate(lines):
        if line.isascii():
            continue
        fixed = ftfy.fix_text(line, _FTFY)
        if fixed != line:
            lines[i] = fixed
            fixes += 1
    return unicodedata.normalize("NFC", "\n".join(lines)), fixes
