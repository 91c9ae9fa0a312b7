"""Document metadata read from the text itself: author from a byline, date from a dateline.

Used when the input carries no metadata (plain-text dumps) or HTML metadata lacks a field.
Only lines the cleaner removed as bylines, timestamps or metadata labels, near the top of the
article, are read: a clear byline or dateline, or nothing.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from corpusprep.clean import BYLINE, METADATA, TIMESTAMP, Removed

_SOURCES = frozenset({BYLINE, METADATA, TIMESTAMP})

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DATES = [
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mon>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_DAY}\.?\s+{_MONTH},?\s+{_YEAR}\b", re.I),
]

_BYLINE = re.compile(
    r"^(?i:(?:written\s+|reported\s+|posted\s+)?by|von|par|por|di|oleh|door)\s*:?\s+"
    r"(?P<name>[A-Z][\w'’.\-]*(?:\s+(?:[A-Z][\w'’.\-]*|van|von|de|da|der|del|la|and|&)){0,5})"
)
_AUTHOR_LABEL = re.compile(r"^(?:author|autor|auteur|autore|penulis)\s*:\s*(?P<name>.+)$", re.I)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")  # "JamesStaff": a name glued to the next word
_NAME_STOP = frozenset({"and", "&", "van", "von", "de", "da", "der", "del", "la"})
# A capitalised word that ends a name: a date or a weekday follows the byline.
_NOT_NAME = frozenset(_MONTHS) | {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "wed", "thu", "fri", "sat", "sun", "updated", "published", "on", "at",
    "in", "for", "staff", "senior", "reporter", "correspondent", "editor", "writer",
}  # fmt: skip


def _iso(m: re.Match) -> str | None:
    mon = m.group("mon")
    month = int(mon) if mon.isdigit() else _MONTHS[mon.lower().rstrip(".")]
    day, year = int(m.group("day")), int(m.group("year"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def find_date(line: str) -> str | None:
    """The first calendar date in a line, as YYYY-MM-DD."""
    for pattern in _DATES:
        m = pattern.search(line)
        if m and (iso := _iso(m)):
            return iso
    return None


def find_author(line: str) -> str | None:
    """The name in a byline ("By Jane Doe | Nov 18, 2019") or an "Author:" label."""
    m = _BYLINE.match(line.strip()) or _AUTHOR_LABEL.match(line.strip())
    if not m:
        return None
    words = []
    for word in m.group("name").split():
        if word.lower().rstrip(",.|") in _NOT_NAME:
            break
        head, *glued = _CAMEL.split(word)
        words.append(head.rstrip(",.|"))
        if glued or word.endswith((",", "|")):
            break
    while words and words[-1].lower() in _NAME_STOP:
        words.pop()
    name = " ".join(words)
    return name if 1 <= len(words) <= 5 and any(c.isalpha() for c in name) else None


def from_removed(removed: tuple[Removed, ...], first_kept_line: int | None) -> dict:
    """Author and date from byline / timestamp / metadata lines above or just inside the
    article's start (a footer's dates belong to other stories)."""
    found: dict[str, str] = {}
    limit = (first_kept_line or 0) + 5
    for r in sorted(removed, key=lambda r: r.line_no):
        if r.reason not in _SOURCES or r.line_no > limit:
            continue
        if "author" not in found and (author := find_author(r.text)):
            found["author"] = author
        if "date" not in found and (date := find_date(r.text)):
            found["date"] = date
    return found


def site_of(url: str | None) -> str | None:
    """The host of a URL without a leading "www.", as a site name of last resort."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None
