"""Sentence segmentation with exact character offsets.

Each line (paragraph) is segmented by sentencex, a fast rule-based segmenter with abbreviation
lists for ~300 languages; a small fix-up pass then corrects the error types it makes on news and
web text: sentences inside multi-sentence quotations, bare list markers and ellipses split off
as "sentences", inline lists and bullets, and a few abbreviations missing from its lists.
The result is only ever a set of cut offsets, so the span invariants hold whatever sentencex does.
"""

from __future__ import annotations

import re

import sentencex

__all__ = ["split_sentences"]

_BULLETS = "•‣⁃▪●◦■►"

# Quotations whose content may hold several sentences; sentencex never splits inside quotes.
_QUOTED = re.compile(
    r'“[^“”]+”|„[^„“”]+[“”]|«[^«»]+»|»[^»«]+«|(?:^|(?<=[\s(\[–—-]))"[^"]+"',
)
_QUOTE_INNER_END = re.compile(r"[.!?…][\s\"'”’»)\]]+\S")
# A quotation inside a clause is split only when its first sentence has a few words, so titles
# and slogans stay whole ('the "Meth. We're On It" ad').
_CLAUSE_END = frozenset('.!?:;,…)]"”’»—–-')

# A list item marker at the start of a line: optional bullet, then "1." "1)" "1.)" "a." ...
_LIST_START = re.compile(
    rf"\s*(?:[{_BULLETS}]\s*)?(?P<num>\d{{1,3}}|[a-zA-Z])(?P<punct>\.\)|\.|\))\s+(?=\S)"
)
_LIST_ITEM = {
    p: re.compile(rf"(?<=\s)(?:[{_BULLETS}]\s*)?(?P<num>\d{{1,3}}|[a-zA-Z]){re.escape(p)}\s+(?=\S)")
    for p in (".)", ".", ")")
}
_BULLET_MID = re.compile(rf"(?<=\s)[{_BULLETS}]")

# A piece that is nothing but a list marker ("1." "a)" "iv." "• 9.") belongs to what follows.
_BARE_MARKER = re.compile(
    rf"(?:[{_BULLETS}]\s*)?[(\[]?(?:\d{{1,3}}|[A-Za-z]|[ivxlcIVXLC]{{1,6}})[.)\]]{{1,2}}"
)
# sentencex keeps "?" + lower-case word together ("kim? ne?"); only "!" is commonly mid-sentence
# ("Yahoo! in the", "Ha! he said"), so a question mark before a lower-case word is a boundary.
_QUESTION = re.compile(r"[?？][?!]*\s+(?=\S)")
_ALNUM = re.compile(r"[^\W_]")

# Abbreviations that sentencex lets end a sentence but that (nearly) never do in news text.
# Titles: never sentence-final before a capitalised name.
_TITLE_END = re.compile(
    r"(?:^|[\s(\[\"'“‘])(?:Ms|Mx|Messrs|Mmes|Mme|Mlle|Sra|Srta|Ft|Cpl|Cmdr|Supt|Insp|Det)\.$"
)
# Reference abbreviations: never sentence-final before a number ("Fig. 3", "Op. 46", "Jan. 5").
_NUMREF_END = re.compile(
    r"(?:^|[\s(\[\"'“‘])(?:[Nn]os?|Nr|[Ff]igs?|[Ee]qs?|Op|[Vv]ols?|pp?|[Aa]rt|[Ss]ec|[Cc]h|Chap|"
    r"[Tt]ab|[Rr]efs?|[Pp]ara|[Pp]t|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|ca|approx|"
    r"est|[Tt]el|cf|vs?)\.$"
)
# Longest abbreviation above plus the character before it.
_TAIL = 16
_OPENERS = "\"'“‘(["

_SURROGATE = re.compile(r"[\ud800-\udfff]")


def split_sentences(text: str, language: str | None = None) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of text; no span crosses a newline.

    Spans are stripped of surrounding whitespace, non-empty, ordered and disjoint.
    `language` is an ISO 639 code (region suffixes ignored); None means English rules.
    """
    lang = _normalize_language(language)
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line and not line.isspace():
            _split_line(line, pos, lang, spans)
        pos += len(line) + 1
    return spans


def _normalize_language(language: str | None) -> str:
    if not language:
        return "en"
    return re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0] or "en"


def _sentencex_cuts(line: str, lang: str) -> list[int]:
    """Offsets in line where sentencex ends a sentence (excluding 0 and len(line))."""
    try:
        bounds = sentencex.get_sentence_boundaries(lang, line)
    except UnicodeEncodeError:
        # Lone surrogates cannot cross into Rust; U+FFFD keeps every offset the same.
        bounds = sentencex.get_sentence_boundaries(lang, _SURROGATE.sub("\ufffd", line))
    n = len(line)
    return [b["end_index"] for b in bounds if 0 < b["end_index"] < n]


def _split_line(line: str, offset: int, lang: str, spans: list[tuple[int, int]]) -> None:
    cuts = set(_sentencex_cuts(line, lang))
    if '"' in line or "“" in line or "„" in line or "«" in line or "»" in line:
        cuts.update(_quote_cuts(line, lang))
    if line[:1].isspace() or line[:1].isalnum() or line[:1] in _BULLETS:
        cuts.update(_list_cuts(line))
    if "?" in line or "？" in line:
        cuts.update(m.end() for m in _QUESTION.finditer(line) if line[m.end()].islower())
    if any(b in line for b in _BULLETS):
        cuts.update(m.start() for m in _BULLET_MID.finditer(line))
    pieces = _pieces(line, sorted(cuts))
    for s, e in _merge(line, pieces):
        spans.append((offset + s, offset + e))


def _quote_cuts(line: str, lang: str) -> list[int]:
    """Cuts between the sentences of a multi-sentence quotation."""
    out: list[int] = []
    for m in _QUOTED.finditer(line):
        inner_start = m.start() + 1
        inner = line[inner_start : m.end() - 1]
        if not _QUOTE_INNER_END.search(inner):
            continue
        cuts = [c for c in _sentencex_cuts(inner, lang) if inner[c:].strip()]
        if cuts and (_opens_clause(line, m.start()) or len(inner[: cuts[0]].split()) >= 3):
            out.extend(inner_start + c for c in cuts)
    return out


def _opens_clause(line: str, pos: int) -> bool:
    """True when the quotation at pos starts a sentence or follows punctuation."""
    i = pos - 1
    while i >= 0 and line[i].isspace():
        i -= 1
    return i < 0 or line[i] in _CLAUSE_END


def _list_cuts(line: str) -> list[int]:
    """Cuts before the later items of an inline numbered or lettered list ("1. x 2. y")."""
    m = _LIST_START.match(line)
    if not m:
        return []
    num, punct = m.group("num"), m.group("punct")
    if not num.isdigit() and num not in ("a", "A"):
        return []
    item = _LIST_ITEM[punct]
    out = []
    for nxt in item.finditer(line, m.end()):
        expected = str(int(num) + 1) if num.isdigit() else chr(ord(num) + 1)
        if nxt.group("num") == expected:
            out.append(nxt.start())
            num = expected
    # "a. x b. y" with only two letters is more likely initials ("A. Smith and B. Jones").
    if not m.group("num").isdigit() and punct != ")" and len(out) < 2:
        return []
    return out


def _pieces(line: str, cuts: list[int]) -> list[tuple[int, int]]:
    """Whitespace-stripped, non-empty segments of line between consecutive cuts."""
    out = []
    prev = 0
    for c in [*cuts, len(line)]:
        seg = line[prev:c]
        stripped = seg.strip()
        if stripped:
            s = prev + len(seg) - len(seg.lstrip())
            out.append((s, s + len(stripped)))
        prev = c
    return out


def _merge(line: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join each piece that cannot end a sentence to the piece after it."""
    if len(pieces) < 2:
        return pieces
    out: list[tuple[int, int]] = []
    cur_s, cur_e = pieces[0]
    cur_alnum = _ALNUM.search(line, cur_s, cur_e) is not None
    for s, e in pieces[1:]:
        alnum = _ALNUM.search(line, s, e) is not None
        if _joins_next(line, cur_s, cur_e, cur_alnum, s):
            cur_e = e
            cur_alnum = cur_alnum or alnum
        else:
            out.append((cur_s, cur_e))
            cur_s, cur_e, cur_alnum = s, e, alnum
    # A trailing piece without letters or digits (emoticon, stray dash) joins the sentence before.
    if out and not cur_alnum:
        cur_s = out.pop()[0]
    out.append((cur_s, cur_e))
    return out


def _joins_next(line: str, s: int, e: int, alnum: bool, next_s: int) -> bool:
    """True when the boundary between line[s:e] and the piece at next_s should be removed."""
    if not alnum or (e - s <= 12 and _BARE_MARKER.fullmatch(line, s, e)):
        # "..." or "•" or "1." alone: the start of the following sentence.
        return True
    if line[e - 1] != ".":
        return False
    # Only the end of the piece matters; slicing keeps long merged pieces linear.
    tail = line[max(s, e - _TAIL) : e]
    first = line[next_s + 1 : next_s + 2] if line[next_s] in _OPENERS else line[next_s]
    if first.isupper() and _TITLE_END.search(tail):
        return True
    return first.isdigit() and _NUMREF_END.search(tail) is not None
