"""Extract stage: main text and metadata of an HTML page through trafilatura."""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass

import lxml.html
import trafilatura
from trafilatura.metadata import set_date_params

from corpusprep.clean import clean_text


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    sitename: str | None = None


# trafilatura logs an ERROR line for every page it cannot parse; the pipeline records those
# outcomes itself (empty text, failed file), so its log would only be noise on the console.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

# htmldate's extensive search doubles trafilatura's cost; the quick search still reads the
# page's own date metadata.
_DATE_PARAMS = set_date_params(False)


def extract_html(html: str, url: str | None = None, favor_precision: bool = False) -> Extracted:
    """Article text (paragraphs separated by newlines) and metadata of one page.

    `deduplicate=False` keeps extraction independent of the order pages are seen in.
    """
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        deduplicate=False,
        include_comments=False,
        include_tables=True,
        favor_precision=favor_precision,
        date_extraction_params=_DATE_PARAMS,
    )
    text = (doc.text or "") if doc is not None else ""
    text = _reconcile(text, html)
    if doc is None:
        return Extracted(text=text)
    return Extracted(
        text=text,
        title=doc.title or None,
        author=doc.author or None,
        date=doc.date or None,
        url=doc.url or url,
        sitename=doc.sitename or None,
    )


# Block-level tags: each starts a new line of the page's visible text.
_BLOCK = frozenset(
    ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "dd", "dt")
    + ("section", "article", "header", "footer", "nav", "aside", "ul", "ol", "dl", "table")
    + ("blockquote", "pre", "figure", "figcaption", "form", "main", "title")
)
_INVISIBLE = "//script|//style|//noscript|//template|//svg|//comment()"
_TOKEN = re.compile(r"\w+")


def visible_lines(html: str) -> str:
    """The page's visible text, one line per block element (what a text dump of it holds)."""
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    for el in root.xpath(_INVISIBLE):
        el.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    lines = (" ".join(x.split()) for x in root.text_content().split("\n"))
    return "\n".join(x for x in lines if x)


def _reconcile(text: str, html: str, min_ratio: float = 1.5, min_contained: float = 0.9) -> str:
    """Second opinion from the line cleaner on the page's visible text.

    trafilatura sometimes keeps only part of an article (a body split over several
    containers). When the line cleaner's article holds nearly all of trafilatura's words
    (``min_contained``) and clearly more (``min_ratio``), it found the same article and more
    of it: its text wins. Otherwise trafilatura's text is kept. Measured on the 60 dev pages:
    one page switches (recall 0.45 -> 1.0), micro-F1 0.979 -> 0.987; cost ~9 ms per page.
    """
    cleaned = clean_text(visible_lines(html)).text
    ours = Counter(_TOKEN.findall(cleaned.lower()))
    theirs = Counter(_TOKEN.findall(text.lower()))
    n_ours, n_theirs = sum(ours.values()), sum(theirs.values())
    if not n_theirs:
        return cleaned if n_ours else text
    contained = sum((ours & theirs).values()) / n_theirs
    if n_ours >= min_ratio * n_theirs and contained >= min_contained:
        return cleaned
    return text
