"""Extract stage: main text and metadata of an HTML page through trafilatura."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import trafilatura
from trafilatura.metadata import set_date_params


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
    if doc is None:
        return Extracted(text="")
    return Extracted(
        text=doc.text or "",
        title=doc.title or None,
        author=doc.author or None,
        date=doc.date or None,
        url=doc.url or url,
        sitename=doc.sitename or None,
    )
