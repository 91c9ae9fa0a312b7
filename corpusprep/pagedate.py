"""The page's publication date, chosen among every date the page states.

A page may state several: its URL (/2024/05/03/), published and modified meta tags, JSON-LD
datePublished / dateModified, <time> elements, and the dates written in its text near the
headline ("Updated March 4, 2025"). Which one a reader (and WCXB's gold) takes for the page's
date depends on the page: the first publication on most, the "Updated" date a page shows above
its text on others. Each distinct date becomes a candidate with the numbers of DATE_FEATURES,
and a ``ranker.Ranker`` (``models/date_ranker.json``, fit by ``scripts/train_metadata.py`` on
WCXB dev) scores them; the best-scored one is the page's date. WCXB dev figures:
docs/decisions.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

import numpy as np
from lxml.html import HtmlElement

from corpusprep.ranker import Ranker, load

MODEL_PATH = Path(__file__).with_name("models") / "date_ranker.json"

DATE_FEATURES = (
    "from_url",  # a /YYYY/MM/DD/ path
    "from_meta_published",  # article:published_time and kin
    "from_meta_modified",  # article:modified_time and kin
    "from_ld_published",  # JSON-LD datePublished / dateCreated of the page's own object
    "from_ld_modified",  # JSON-LD dateModified
    "time_rank",  # its first <time> element among the page's, -1 if none
    "text_rank",  # its rank among the distinct dates written from just above the headline on
    "text_count",  # how often the page's text writes it
    "before_headline",  # written above the headline (site chrome, a date line)
    "said_updated",  # the words before its first mention: "updated", "modified", ...
    "said_published",  # "published", "posted", ...
    "chars_after_headline",  # where the text first writes it, from the headline's start
    # (negative: just above it; missing when the text does not write it there)
    "newest",
    "oldest",
    "days_to_newest",
    "days_from_oldest",
    "sources",  # how many of the sources above state it
    "candidates",  # how many distinct dates the page states
    "page_has_modified",  # the page states a modified date at all
    "has_headline",
)

_ISO = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)/")
_META_PUBLISHED = frozenset(
    (
        "article:published_time",
        "og:article:published_time",
        "og:published_time",
        "datepublished",
        "publishdate",
        "publish-date",
        "publish_date",
        "pubdate",
        "parsely-pub-date",
        "sailthru.date",
        "dc.date.issued",
        "dc.date",
        "citation_publication_date",
        "date",
    )
)
_META_MODIFIED = frozenset(
    (
        "article:modified_time",
        "og:updated_time",
        "og:article:modified_time",
        "datemodified",
        "last-modified",
        "dc.date.modified",
    )
)

# Month names of the languages most of the web is written in (the text's dates).
_MONTHS = {
    1: "january jan januar janvier enero gennaio janeiro januari janv",
    2: "february feb februar février fevrier febrero febbraio fevereiro februari févr",
    3: "march mar märz maerz mars marzo março maart",
    4: "april apr avril abril aprile",
    5: "may mai mayo maggio maio mei",
    6: "june jun juni juin junio giugno junho",
    7: "july jul juli juillet julio luglio julho juil",
    8: "august aug août aout agosto augustus",
    9: "september sep sept septembre septiembre settembre setembro",
    10: "october oct oktober octobre octubre ottobre outubro okt",
    11: "november nov novembre noviembre novembro",
    12: "december dec dezember décembre decembre diciembre dicembre dezembro dez déc",
}
_MONTH = {name: n for n, names in _MONTHS.items() for name in names.split()}
_M = "|".join(sorted(map(re.escape, _MONTH), key=len, reverse=True))
_TEXT_DATE = re.compile(
    rf"\b(?:(?P<m1>{_M})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?(?P<m2>{_M})\.?,?\s+(?:de\s+)?"
    rf"(?P<y2>(?:19|20)\d\d)"
    r"|(?P<y3>(?:19|20)\d\d)[-/.](?P<m3>\d\d)[-/.](?P<d3>\d\d)"
    r"|(?P<d4>\d\d)\.(?P<m4>\d\d)\.(?P<y4>(?:19|20)\d\d)"
    r"|(?<![\d/])(?P<a5>\d{1,2})/(?P<b5>\d{1,2})/(?P<y5>(?:19|20)\d\d)(?!/))(?!\d)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_UPDATED = re.compile(
    r"updat|modif|revis|edited|reviewed|aktualisiert|mis à jour|actualiza|aggiornat"
    r"|bijgewerkt|atualiza",
    re.IGNORECASE,
)
_PUBLISHED = re.compile(
    r"publi|posted|written|created|veröffentlicht|erschienen|gepubliceerd|on\s*:?\s*$",
    re.IGNORECASE,
)
_SKIP = {"script", "style", "noscript", "template", "svg", "head", "select", "option"}
# How much of the page's text is searched for written dates: 90% of WCXB dev gold dates that
# the text writes come within 1,000 characters of the headline's start, 8% just above it
# (the domain-grouped CV of AFTER_HEADLINE / ABOVE_HEADLINE: docs/decisions.md).
AFTER_HEADLINE = 5_000
ABOVE_HEADLINE = 300
NO_HEADLINE = 10_000  # a page without an <h1>
BEFORE_H1_MAX = 100_000  # chrome before the <h1> read to reach it
TEXT_DATES = 8  # distinct dates from ABOVE_HEADLINE on that become candidates


def _day(year: int, month: int, day: int, max_date: str) -> str | None:
    try:
        found = dt.date(year, month, day).isoformat()
    except ValueError:
        return None
    return found if found <= max_date else None


def iso_day(value: object, max_date: str) -> str | None:
    """The YYYY-MM-DD of an ISO timestamp as written (its local day), if not after max_date."""
    match = _ISO.search(value) if isinstance(value, str) else None
    return match and _day(*(int(g) for g in match.groups()), max_date)


def text_dates(text: str, max_date: str) -> list[tuple[int, str]]:
    """(offset, YYYY-MM-DD) of the dates written in `text`, in order. Searched only around the
    years the text writes (the full pattern over the whole text costs 7x as much)."""
    found = []
    last = -1
    for year in _YEAR.finditer(text):
        for m in _TEXT_DATE.finditer(text, max(0, year.start() - 30), year.end() + 6):
            if m.start() <= last:
                continue
            last = m.start()
            g = m.groupdict()
            if g["y1"]:
                y, mo, d = g["y1"], _MONTH[g["m1"].lower()], g["d1"]
            elif g["y2"]:
                y, mo, d = g["y2"], _MONTH[g["m2"].lower()], g["d2"]
            elif g["y3"]:
                y, mo, d = g["y3"], g["m3"], g["d3"]
            elif g["y4"]:
                y, mo, d = g["y4"], g["m4"], g["d4"]
            else:  # 3/4/2025: month first (US) or day first; both when either could be
                y, a, b = int(g["y5"]), int(g["a5"]), int(g["b5"])
                for day in dict.fromkeys((_day(y, a, b, max_date), _day(y, b, a, max_date))):
                    if day:
                        found.append((m.start(), day))
                continue
            if day := _day(int(y), int(mo), int(d), max_date):
                found.append((m.start(), day))
    return found


def page_text(tree: HtmlElement) -> tuple[str, int]:
    """The page's visible text in document order, a newline between text nodes, up to
    AFTER_HEADLINE characters past the start of its first <h1> (NO_HEADLINE characters
    without one), and the offset where that <h1> starts (-1 without one). A menu longer than
    NO_HEADLINE above the <h1> is read through (up to BEFORE_H1_MAX)."""
    body = tree.find("body")
    if body is None:
        return "", -1
    parts: list[str] = []
    size = 0
    headline = -1
    limit = BEFORE_H1_MAX if next(body.iter("h1"), None) is not None else NO_HEADLINE

    def add(text: str) -> None:
        nonlocal size
        parts.append(text)
        size += len(text) + 1

    def walk(el: HtmlElement) -> None:
        nonlocal headline, limit
        if el.tag == "h1" and headline < 0:
            headline = size
            limit = size + AFTER_HEADLINE
        if el.text:
            add(el.text)
        for child in el:
            if size > limit:
                return
            if isinstance(child.tag, str) and child.tag not in _SKIP:
                walk(child)
            if child.tail:
                add(child.tail)

    walk(body)
    return "\n".join(parts), headline


def _date_metas(tree: HtmlElement) -> list[tuple[str, str]]:
    out = []
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _META_PUBLISHED or key in _META_MODIFIED:
            out.append((key, meta.get("content") or ""))
    return out


def candidates(
    tree: HtmlElement,
    main_objects: list[dict],
    url: str | None,
    max_date: str,
    page: tuple[str, int] | None = None,
) -> tuple[list[str], np.ndarray]:
    """The distinct dates the page states and their DATE_FEATURES rows (`page`: the page's
    ``page_text``, when the caller has it)."""
    sources: dict[str, set[str]] = {}

    def add(day: str | None, source: str) -> None:
        if day:
            sources.setdefault(day, set()).add(source)

    match = _URL_DATE.search(url or "")
    if match:
        add(_day(*(int(g) for g in match.groups()), max_date), "from_url")
    for key, value in _date_metas(tree):
        kind = "from_meta_modified" if key in _META_MODIFIED else "from_meta_published"
        add(iso_day(value, max_date), kind)
    for obj in main_objects:
        for key in ("datePublished", "dateCreated"):
            add(iso_day(obj.get(key), max_date), "from_ld_published")
        add(iso_day(obj.get("dateModified"), max_date), "from_ld_modified")
    times: list[str] = []
    for el in tree.iter("time"):
        day = iso_day(el.get("datetime"), max_date) or next(
            (d for _, d in text_dates(el.text_content(), max_date)), None
        )
        if day and day not in times:
            times.append(day)
    for day in times[:3]:
        add(day, "time")
    text, headline = page or page_text(tree)
    written = text_dates(text, max_date)
    after: list[str] = []
    start = headline - ABOVE_HEADLINE if headline >= 0 else 0
    for offset, day in written:
        if offset >= start and day not in after:
            after.append(day)
    for day in after[:TEXT_DATES]:
        add(day, "text")
    if not sources:
        return [], np.zeros((0, len(DATE_FEATURES)))
    ordinal = {d: dt.date.fromisoformat(d).toordinal() for d in sources}
    newest, oldest = max(ordinal.values()), min(ordinal.values())
    has_modified = any(s & {"from_meta_modified", "from_ld_modified"} for s in sources.values())
    rows = []
    for day, src in sources.items():
        first = next((o for o, d in written if d == day and o >= start), None)
        before = text[max(0, first - 30) : first] if first is not None else ""
        rows.append(
            [float(f in src) for f in DATE_FEATURES[:5]]
            + [
                times.index(day) if day in times else -1,
                after.index(day) if day in after else -1,
                sum(d == day for _, d in written),
                any(d == day and o < headline for o, d in written),
                bool(_UPDATED.search(before)),
                bool(_PUBLISHED.search(before)),
                first - headline if first is not None and headline >= 0 else np.nan,
                ordinal[day] == newest,
                ordinal[day] == oldest,
                newest - ordinal[day],
                ordinal[day] - oldest,
                len(src),
                len(sources),
                has_modified,
                headline >= 0,
            ]
        )
    return list(sources), np.asarray(rows, dtype=np.float64)


@functools.cache
def default_ranker() -> Ranker:
    """The shipped date ranker, read once per process."""
    return load(MODEL_PATH, DATE_FEATURES)


def page_date(
    tree: HtmlElement,
    main_objects: list[dict],
    url: str | None,
    max_date: str,
    page: tuple[str, int] | None = None,
) -> str | None:
    """The page's date as YYYY-MM-DD, or None when it states none this module reads."""
    days, rows = candidates(tree, main_objects, url, max_date, page)
    return default_ranker().choose(days, rows)
