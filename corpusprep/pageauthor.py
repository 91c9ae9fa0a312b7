"""The page's author, chosen among the names the page states.

``htmlmeta.page_author`` is the hand-written rule (JSON-LD, then meta tags, microdata and
author links, the site's own name last). The page may state other names too, and the rule's
order is not every page's: a JSON-LD organisation where a byline under the headline names
the writer, a meta author that is the site's editor. ``page_author`` makes a candidate of each
name the structured data states (``htmlmeta.author_sources``), of the first three bylines the
text writes from just above the headline on ("By Jane Doe", "Written by", "von", "par"), and
of the rule's choice, with the numbers of AUTHOR_FEATURES; a ``ranker.Ranker``
(``models/author_ranker.json``, fit by ``scripts/train_metadata.py`` on WCXB dev) picks one.
WCXB dev figures: docs/decisions.md.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
from lxml.html import HtmlElement

from corpusprep.htmlmeta import author_sources, trim_byline, word_set
from corpusprep.ranker import Ranker, load, value_key

MODEL_PATH = Path(__file__).with_name("models") / "author_ranker.json"

SOURCES = ("rule", "ld_person", "ld_organization", "meta", "byline_first", "byline_second",
           "byline_third")  # fmt: skip
AUTHOR_FEATURES = tuple(f"from_{s}" for s in SOURCES) + (
    "sources",  # how many of SOURCES state it
    "words",
    "chars",
    "several_names",  # "A and B", "A, B"
    "site_word_share",  # share of its words that are the site name's
    "chars_after_headline",  # where its byline starts, from the headline's (-1: no byline)
    "candidates",
    "rule_found_none",
)
# A byline: its word (any case), then one to four capitalised words, and up to three more
# names after commas, "and" or "&"; a name does not run into the next element.
_NAME = r"(?:(?!By\b)[A-Z][\w'’.-]*\.?[^\S\n]?){1,4}"  # not across elements (page_text)
_BYLINE = re.compile(
    r"(?:^|(?<=[\s|•·(]))(?i:by|written by|posted by|author|authored by|von|par|por|door|"
    rf"reviewed by|edited by)\s*:?\s+({_NAME}(?:(?:,\s*|\s*\band\s+|\s*&\s*){_NAME}){{0,3}})"
)
_BYLINE_WORD = re.compile(
    r"(?i)(?<![^\s|•·(])(?:by|written|posted|authored|author|von|par|por|door|reviewed|edited)\b"
)
_BYLINE_END = re.compile(r"\s+(?:on|in|at|updated|published|last|\d)\b")
ABOVE_HEADLINE = 300  # a byline may start this many characters above the headline
# Below this score the rule's choice stands. On WCXB dev (CV) it cuts the pages without a gold
# author that get one anyway from 0.427 to 0.259 (the rule alone: 0.177) for 0.801 -> 0.796
# exact match where there is one (docs/decisions.md).
MIN_SCORE = 0.2


def bylines(text: str, headline: int) -> list[tuple[int, str]]:
    """(offset from the headline, name) of the first three bylines the text writes."""
    found = []
    start = max(0, headline - ABOVE_HEADLINE)
    for word in _BYLINE_WORD.finditer(text, start):  # the full pattern only where it can start
        m = _BYLINE.match(text, word.start())
        if not m or (found and m.start() < found[-1][2]):
            continue
        name = _BYLINE_END.split(m.group(1).strip())[0]
        found.append((m.start() - max(headline, 0), trim_byline(name) or name, m.end()))
        if len(found) == 3:
            break
    return [(offset, name) for offset, name, _ in found]


def candidates(
    tree: HtmlElement,
    objs: list[dict],
    sitename: str | None,
    rule: str | None,
    page: tuple[str, int],
) -> tuple[list[str], np.ndarray]:
    """The distinct names the page states (as first written) and their AUTHOR_FEATURES rows.
    `page` is ``pagedate.page_text``'s (text, headline offset)."""
    names: dict[str, str] = {}
    marks: dict[str, set[str]] = {}
    where: dict[str, int] = {}

    def add(name: str | None, source: str, offset: int = -1) -> None:
        if name and (key := value_key(name)):
            names.setdefault(key, name)
            marks.setdefault(key, set()).add(source)
            if offset >= 0:
                where.setdefault(key, offset)

    add(rule, "rule")
    for source, name in author_sources(tree, objs, sitename):
        add(name, source)
    for source, (offset, name) in zip(SOURCES[4:], bylines(*page), strict=False):
        add(name, source, offset)
    site = word_set(sitename)
    rows = []
    for key, src in marks.items():
        words = word_set(key)
        rows.append(
            [float(s in src) for s in SOURCES]
            + [
                len(src),
                len(words),
                len(key),
                "," in key or " and " in key,
                len(words & site) / max(1, len(words)),
                where.get(key, -1),
                len(marks),
                rule is None,
            ]
        )
    return [names[k] for k in marks], np.asarray(rows, dtype=np.float64)


@functools.cache
def default_ranker() -> Ranker:
    """The shipped author ranker, read once per process."""
    return load(MODEL_PATH, AUTHOR_FEATURES)


def page_author(
    tree: HtmlElement,
    objs: list[dict],
    sitename: str | None,
    rule: str | None,
    page: tuple[str, int],
) -> str | None:
    """The page's author as one of its sources writes it; `rule` when the page names nobody."""
    found, rows = candidates(tree, objs, sitename, rule, page)
    return default_ranker().choose(found, rows, MIN_SCORE) or rule
