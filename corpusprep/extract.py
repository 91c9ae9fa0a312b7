"""Extract stage: main text and metadata of an HTML page.

The page is parsed once (trafilatura's own loader); the same tree feeds the metadata lookups,
and then the HTML classifier of the page's block lines (``blocks.classify``), which modifies
the tree. With ``html_extractor = "trafilatura"`` trafilatura's text (fast mode, on its own
copy of the tree) is taken instead, with the line cleaner's second opinion on suspect pages
(``_reconcile``).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

import lxml.html
import trafilatura
from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_author,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
    set_date_params,
)
from trafilatura.settings import Document
from trafilatura.utils import load_html

from corpusprep.blocks import BLOCK_TAGS, classify, drop_invisible
from corpusprep.clean import CleanConfig, clean_text
from corpusprep.config import Config
from corpusprep.htmlmeta import WORD, json_ld, main_objects, page_author, trim_byline
from corpusprep.pageauthor import page_author as ranked_author
from corpusprep.pagedate import page_date, page_text
from corpusprep.pagetitle import headline, page_title


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    sitename: str | None = None
    # lines of the page the HTML classifier dropped: (text, reason, 1 - P(keep))
    dropped: tuple[tuple[str, str, float], ...] = ()


# trafilatura logs an ERROR line for every page it cannot parse; the pipeline records those
# outcomes itself (empty text, failed file), so its log would only be noise on the console.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)

# htmldate's extensive search doubles trafilatura's cost; the quick search still reads the
# page's own date metadata.
DATE_PARAMS = set_date_params(False)


def extract_html(html: str, config: Config, url: str | None = None) -> Extracted:
    """Article text (paragraphs separated by newlines) and metadata of one page.

    With ``config.html_extractor`` "blocks" (the default) the text is the page's block lines
    the HTML classifier keeps (``blocks.classify``); with "trafilatura" it is trafilatura's
    text, checked by ``_reconcile``.
    `deduplicate=False` keeps extraction independent of the order pages are seen in.
    `config.html_author_search`: see `page_metadata`; `config.clean.keep_comments`: the
    page's comment section is kept after the article.
    """
    try:
        tree = load_html(html)
    except (TypeError, ValueError):
        tree = None
    if tree is None:  # not a page trafilatura reads (a bare fragment): visible text only
        return Extracted(text=_reconcile("", html, config.clean))
    try:
        meta = page_metadata(tree, url, config.html_author_search)
    except (TypeError, ValueError):  # what trafilatura's own metadata step gives up on
        meta = Document()
    dropped: list[tuple[str, str, float]] = []
    if config.html_extractor == "blocks":
        text, dropped = classify(
            tree,
            config.html_keep_threshold,
            config.clean.keep_comments,
            url=meta.url or url,
            relative_floor=config.html_keep_relative_floor,
        )
    else:
        doc = trafilatura.bare_extraction(
            tree,  # trafilatura extracts from a copy: `tree` stays intact
            url=meta.url or url,
            with_metadata=False,
            deduplicate=False,
            include_comments=config.clean.keep_comments,
            include_tables=True,
            favor_precision=config.html_favor_precision,
            fast=True,  # no readability / jusText comparison: _reconcile is our second opinion
        )
        text = (doc.text or "") if doc is not None else ""
        text = _reconcile(text, tree, config.clean)
    return Extracted(
        text=text,
        dropped=tuple(dropped),
        title=meta.title or None,
        author=meta.author or None,
        date=meta.date or None,
        url=meta.url or url,
        sitename=meta.sitename or None,
    )


def page_metadata(
    tree: HtmlElement, url: str | None = None, author_search: bool = False, rank: bool = True
) -> Document:
    """Title, author, URL, date and site name of a parsed page, read-only on `tree`.

    The fields and the order of the lookups of `trafilatura.metadata.extract_metadata`
    (meta tags, then JSON-LD, then the page's elements; htmldate's quick search for the
    date), without the categories, tags and licence it also collects: the category and tag
    XPath searches cost about as much as the rest together and nothing here uses them.
    The author rule reads the page's structured data first (``htmlmeta``: names as written),
    then trafilatura's author search (with `author_search`, only on a page that names nobody:
    ~10 ms where it runs). The date is the one ``pagedate``'s ranker picks among those the
    page states, else htmldate's quick search. The title and the author are the ones
    ``pagetitle``'s and ``pageauthor``'s rankers pick among those the page states (with `rank`
    False, the hand-written rules' choices: what the rankers learn from). WCXB dev figures:
    docs/decisions.md.
    """
    metadata = examine_meta(tree)
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception:  # noqa: BLE001 - trafilatura's JSON-LD code has its own bugs
        pass
    if not metadata.title:
        metadata.title = extract_title(tree)
    if not metadata.url:
        metadata.url = extract_url(tree, url)
    objs = json_ld(tree)
    main = main_objects(objs)
    page = page_text(tree)
    metadata.date = page_date(tree, main, metadata.url, DATE_PARAMS["max_date"], page)
    if not metadata.date:
        try:
            metadata.date = find_date(tree, **{**DATE_PARAMS, "url": metadata.url})
        except Exception:  # noqa: BLE001 - a bad date never costs the document
            metadata.date = None
    if not metadata.sitename:
        metadata.sitename = extract_sitename(tree)
    if metadata.sitename:
        metadata.sitename = metadata.sitename.lstrip("@")
        if (
            metadata.sitename
            and "." not in metadata.sitename
            and not metadata.sitename[0].isupper()
        ):
            metadata.sitename = metadata.sitename.title()
    elif metadata.url:
        match = META_URL.match(metadata.url)
        if match:
            metadata.sitename = match[1]
    metadata.clean_and_trim()
    rule = headline(tree, metadata.title, metadata.sitename)
    metadata.title = page_title(tree, main, metadata.sitename, rule, metadata.url) if rank else rule
    # trafilatura's author (split at commas, dots dropped) is replaced by the page's own
    author, site_author = page_author(tree, objs, metadata.sitename, author_search)
    if not author and not site_author and author_search:  # ~10 ms a page where it runs
        author = trim_byline(extract_author(tree))
    rule = author or site_author
    if rank:
        rule = ranked_author(tree, objs, metadata.sitename, rule, page)
    metadata.author = rule
    return metadata


def _as_tree(page: str | HtmlElement) -> HtmlElement | None:
    if isinstance(page, HtmlElement):
        return page
    try:
        return lxml.html.fromstring(page)
    except (ValueError, lxml.etree.ParserError):
        return None


def visible_lines(page: str | HtmlElement, noscript: bool = True) -> str:
    """The page's visible text, one line per block element (what a text dump of it holds).

    ``noscript`` False keeps the text of <noscript> elements, as a scraper that runs no
    JavaScript sees it (some forums put their posts there). Given a parsed tree, the tree is
    modified (invisible elements dropped)."""
    root = _as_tree(page)
    if root is None:
        return ""
    drop_invisible(root, noscript)
    for el in root.iter(*BLOCK_TAGS):  # lxml's HTML parser lowercases tag names
        el.text = "\n" + (el.text or "")
        el.tail = "\n" + (el.tail or "")
    lines = (" ".join(x.split()) for x in root.text_content().split("\n"))
    return "\n".join(x for x in lines if x)


def paragraph_words(tree: HtmlElement) -> int:
    """Words in the page's <p> elements: a cheap measure of its running text (no copy, no
    per-node Python work beyond one call per paragraph)."""
    return sum(len(p.text_content().split()) for p in tree.iter("p"))


def _suspect(n_theirs: int, n_paragraphs: int, min_ratio: float) -> bool:
    """trafilatura's text looks incomplete: empty, or the page's paragraphs alone hold
    ``min_ratio`` times its words (the margin the second opinion needs to win)."""
    return not n_theirs or n_paragraphs >= min_ratio * n_theirs


def _reconcile(
    text: str,
    page: str | HtmlElement,
    clean_config: CleanConfig,
    min_ratio: float = 1.5,
    min_contained: float = 0.9,
) -> str:
    """Second opinion from the line cleaner on the page's visible text.

    trafilatura sometimes keeps only part of an article (a body split over several
    containers). When the line cleaner's article holds nearly all of trafilatura's words
    (``min_contained``) and clearly more (``min_ratio``), it found the same article and more
    of it: its text wins. Otherwise trafilatura's text is kept. Measured on the 60 dev pages:
    one page switches (recall 0.45 -> 1.0), micro-F1 0.979 -> 0.987. It costs ~5 ms (visible
    text and cleaner), so it only runs when trafilatura's text looks incomplete
    (``_suspect``: 11 of the 60 dev pages, the switching page among them).
    """
    tree = _as_tree(page)
    if tree is None:
        return text
    if not _suspect(len(text.split()), paragraph_words(tree), min_ratio):
        return text
    theirs = Counter(WORD.findall(text.lower()))
    n_theirs = sum(theirs.values())
    cleaned = clean_text(visible_lines(tree), config=clean_config).text
    ours = Counter(WORD.findall(cleaned.lower()))
    n_ours = sum(ours.values())
    if not n_theirs:
        return cleaned if n_ours else text
    contained = sum((ours & theirs).values()) / n_theirs
    if n_ours >= min_ratio * n_theirs and contained >= min_contained:
        return cleaned
    return text
