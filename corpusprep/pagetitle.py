"""The page's title: its headline, chosen among the titles the page states.

A page states its title several times and in several forms: its <h1> (or several), the first
<h2>, <title>, og:title and twitter:title (often "Headline | Site"), JSON-LD headline and name.
``headline`` is the hand-written rule (one <h1>, else the <h1> the <title> names, else the
<title> without the site's name). ``page_title`` makes every distinct form a candidate (each
source as written, without the site's name, its first part, all but its last part) with the
numbers of TITLE_FEATURES, one of which is whether the rule chose it; a ``ranker.Ranker``
(``models/title_ranker.json``, fit by ``scripts/train_metadata.py`` on WCXB dev) picks one.
WCXB dev figures: docs/decisions.md.
"""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from lxml.html import HtmlElement

from corpusprep.htmlmeta import word_set
from corpusprep.ranker import Ranker, load, value_key

MODEL_PATH = Path(__file__).with_name("models") / "title_ranker.json"

# Between a page's title and its site's name in <title> and og:title: "Title | Site".
_TITLE_SEPARATORS = re.compile(r"\s+[|\u2013\u2014\u00b7\u2022:/-]\s+|\s+[-|]{2}\s+")
_MAX_HEADLINE_CHARS = 300


def headline(tree: HtmlElement, title: str | None, sitename: str | None) -> str | None:
    """The page's headline: its one <h1> (or the first <h1> that shares most of its words with
    the <title>), else the <title> without the site's name ("Title | Site"). WCXB's gold titles
    are headlines (scripts/eval_metadata.py).

    An <h1> that only names the site (a forum's or a blog's masthead) is not a headline; a
    lone <h1> that shares few words with a <title> and og:title that agree is a slogan (a
    product or service page's): the title wins."""
    site = word_set(sitename)
    found = []
    for h1 in tree.iter("h1"):
        # <br> and inline tags part words; a permalink sign ends a documentation heading
        text = " ".join(" ".join(h1.itertext()).split()).rstrip(_PERMALINK)
        words = word_set(text)
        if 1 < len(text) <= _MAX_HEADLINE_CHARS and not (site and words and words <= site):
            found.append(text)
    if len(found) == 1:
        agreed = _agreed_title(tree, sitename)
        words = word_set(found[0])
        if agreed and len(words & word_set(agreed)) < 0.5 * len(words):
            return agreed
        return found[0]
    if title and site and word_set(title) <= site:  # trafilatura's title was the masthead <h1>
        element = tree.find(".//title")
        title = " ".join(element.text.split()) if element is not None and element.text else title
    title_words = word_set(title)
    for text in found:
        words = word_set(text)
        if words and title_words and len(words & title_words) >= 0.5 * len(words):
            return text
    return without_site(title, sitename) if title else None


_PERMALINK = " \u00b6#\U0001f517"


def _agreed_title(tree: HtmlElement, sitename: str | None) -> str | None:
    """The <title> without the site's name when og:title, without it, says the same."""
    head = tree.find("head")
    if head is None:
        return None
    element = head.find("title")
    og = next(
        (m.get("content") for m in head.iter("meta") if m.get("property") == "og:title"), None
    )
    if element is None or not element.text or not og:
        return None
    ours = without_site(" ".join(element.text.split()), sitename)
    if ours.casefold() == without_site(" ".join(og.split()), sitename).casefold():
        return ours
    return None


def without_site(title: str, sitename: str | None) -> str:
    """``title`` without a site-name part at either end: the part that names the site, or
    else the last part when it is shorter than the rest."""
    cuts = list(_TITLE_SEPARATORS.finditer(title))
    if not cuts:
        return title
    first, last = title[: cuts[0].start()], title[cuts[-1].end() :]
    site = word_set(sitename)

    def names_site(part: str) -> bool:
        words = word_set(part)
        return bool(site) and bool(words) and len(words & site) >= 0.5 * len(words)

    if names_site(last):
        return title[: cuts[-1].start()]
    if names_site(first):
        return title[cuts[0].end() :]
    if len(last) < cuts[-1].start():
        return title[: cuts[-1].start()]
    return title


# Where a candidate comes from: the page's elements and tags ...
SOURCES = ("h1", "h1_second", "h1_third", "h2", "title", "og_title", "twitter_title",
           "ld_headline", "ld_name")  # fmt: skip
# ... and in what form: as written, without the site's name, its first part before a
# separator, all but its last part.
FORMS = ("", "_without_site", "_first_part", "_before_last_part")
TITLE_FEATURES = tuple(s + f for s in SOURCES for f in FORMS) + (
    "sources",  # how many of SOURCES state it, in any form
    "h1_count",
    "words",
    "chars",
    "rule_choice",  # `headline` chose it
    "has_separator",  # still holds a " | " or " - "
    "site_word_share",  # share of its words that are the site name's
    "overlap_h1",  # word Jaccard with the first <h1> as written (-1 without one)
    "overlap_title",  # ... with <title>
    "overlap_og_title",  # ... with og:title
    "has_digit",
    # share of its words in the URL's path ("/2024/how-apps-are-made"); -1: fewer than 2 path
    # words, missing (nan): no URL known (the ranker learned both ways: train_metadata.py)
    "url_share",
)


def _stated(tree: HtmlElement, main_objects: list[dict]) -> dict[str, str]:
    """The title each source states, as written (one space between words)."""
    found: dict[str, str] = {}

    def put(source: str, value: object) -> None:
        text = " ".join(value.split()) if isinstance(value, str) else ""
        if text and len(text) <= _MAX_HEADLINE_CHARS and source not in found:
            found[source] = text

    for source, h1 in zip(SOURCES[:3], tree.iter("h1"), strict=False):
        put(source, " ".join(h1.itertext()).rstrip(_PERMALINK))
    for h2 in tree.iter("h2"):
        put("h2", " ".join(h2.itertext()))
        break
    element = tree.find(".//title")
    if element is not None:
        put("title", element.text)
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key in ("og:title", "twitter:title"):
            put(key.replace(":", "_"), meta.get("content"))
    for obj in main_objects[:1]:
        put("ld_headline", obj.get("headline"))
        put("ld_name", obj.get("name"))
    return found


def candidates(
    tree: HtmlElement,
    main_objects: list[dict],
    sitename: str | None,
    rule: str | None,
    url: str | None = None,
) -> tuple[list[str], np.ndarray]:
    """The distinct titles the page states (as first written) and their TITLE_FEATURES rows."""
    stated = _stated(tree, main_objects)
    slug = word_set(urlsplit(url).path.replace("_", " ")) if url else None
    texts: dict[str, str] = {}
    marks: dict[str, set[str]] = {}
    for source, text in stated.items():
        forms = [("", text), ("_without_site", without_site(text, sitename))]
        cuts = list(_TITLE_SEPARATORS.finditer(text))
        if cuts:
            forms += [("_first_part", text[: cuts[0].start()]),
                      ("_before_last_part", text[: cuts[-1].start()])]  # fmt: skip
        for form, value in forms:
            if key := value_key(value):
                texts.setdefault(key, value)
                marks.setdefault(key, set()).add(source + form)
    rule_key = value_key(rule) if rule else ""
    if rule_key and rule_key not in texts:
        texts[rule_key] = rule
        marks[rule_key] = set()
    site = word_set(sitename)
    written = {s: word_set(t) for s, t in stated.items()}
    h1_count = sum(s in stated for s in SOURCES[:3])
    rows = []
    for key, src in marks.items():
        words = word_set(key)

        def overlap(source: str, words: set[str] = words) -> float:
            other = written.get(source)
            return len(words & other) / max(1, len(words | other)) if other is not None else -1

        rows.append(
            [float(name in src) for name in TITLE_FEATURES[: len(SOURCES) * len(FORMS)]]
            + [
                len({s for s in SOURCES if any(m.startswith(s) for m in src)}),
                h1_count,
                len(words),
                len(key),
                key == rule_key,
                bool(_TITLE_SEPARATORS.search(texts[key])),
                len(words & site) / max(1, len(words)),
                overlap("h1"),
                overlap("title"),
                overlap("og_title"),
                any(c.isdigit() for c in key),
                _url_share(words, slug),
            ]
        )
    return [texts[k] for k in marks], np.asarray(rows, dtype=np.float64)


def _url_share(words: set[str], slug: set[str] | None) -> float:
    if slug is None:
        return math.nan
    return len(words & slug) / max(1, len(words)) if len(slug) >= 2 else -1.0


@functools.cache
def default_ranker() -> Ranker:
    """The shipped title ranker, read once per process."""
    return load(MODEL_PATH, TITLE_FEATURES)


def page_title(
    tree: HtmlElement,
    main_objects: list[dict],
    sitename: str | None,
    rule: str | None,
    url: str | None = None,
) -> str | None:
    """The page's title as one of its sources writes it; `rule` (``headline``'s choice) when
    the page states none."""
    titles, rows = candidates(tree, main_objects, sitename, rule, url)
    return default_ranker().choose(titles, rows) or rule
