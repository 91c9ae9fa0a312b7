"""Author of a parsed page from its structured data (JSON-LD, meta tags, microdata) and a few
plain-HTML conventions (rel=author, links to an author's page, the URL); the page's JSON-LD
objects (``json_ld``, ``main_objects``), which ``pagedate`` reads too.

``extract.page_metadata`` asks these first and falls back on trafilatura's author search.
Names are kept as the page writes them (credentials, initials with their dots, "&"): WCXB's
gold authors are (docs/decisions.md).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

from lxml.html import HtmlElement

# Schema.org types whose author and dates are the page's own (a WebSite's or an
# Organization's are not). Lower rank first.
_MAIN_TYPES = {
    t.lower(): 0
    for t in [
        "Article",
        "NewsArticle",
        "BlogPosting",
        "Report",
        "ScholarlyArticle",
        "TechArticle",
        "LiveBlogPosting",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "ReviewNewsArticle",
        "ReportageNewsArticle",
        "SocialMediaPosting",
        "DiscussionForumPosting",
        "Question",
        "Recipe",
        "HowTo",
        "Review",
        "MedicalWebPage",
        "Answer",
    ]
} | {"webpage": 1, "creativework": 1, "collectionpage": 1, "itempage": 1, "qapage": 1}
_NOT_PERSON = {"organization", "corporation", "newsmediaorganization", "localbusiness", "brand"}


def json_ld(tree: HtmlElement) -> list[dict]:
    """Every JSON-LD object of the page: top-level ones, the items of an ``@graph`` and the
    ``mainEntity`` of a page (QAPage -> Question: a forum thread's author is there)."""
    found: list[dict] = []

    def walk(node: object, depth: int) -> None:
        if depth > 4:
            return
        if isinstance(node, list):
            for item in node:
                walk(item, depth)
        elif isinstance(node, dict):
            found.append(node)
            for key in ("@graph", "mainEntity"):
                if key in node:
                    walk(node[key], depth + 1)

    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        if not script.text:
            continue
        try:
            walk(json.loads(script.text, strict=False), 0)
        except ValueError:  # broken JSON-LD is common; the other sources remain
            continue
    return found


def _types(obj: dict) -> list[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return [k.lower() for k in kinds if isinstance(k, str)]


def main_objects(objs: list[dict]) -> list[dict]:
    """The page's own objects, articles before generic pages, in page order within a rank."""
    ranked = []
    for i, obj in enumerate(objs):
        ranks = [_MAIN_TYPES[t] for t in _types(obj) if t in _MAIN_TYPES]
        if ranks:
            ranked.append((min(ranks), i, obj))
    return [obj for _, _, obj in sorted(ranked, key=lambda r: r[:2])]


def _text(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(html.unescape(value).split())


# "By Jane Doe", "Written by Jane Doe", "Author: Jane Doe"
_PREFIX = re.compile(
    r"^(?:(?:written|posted|published|article|story|words|recipe|text)\s+)?by\s*[:\-]?\s+"
    r"|^(?:author|authors|written by|posted by)\s*[:\-]\s*",
    re.IGNORECASE,
)
_MAX_NAME_CHARS = 120


def clean_name(value: object) -> str | None:
    """One author name as the page writes it, without a "By" prefix; None for what is not a
    name (a URL, a template placeholder, a sentence)."""
    text = _PREFIX.sub("", _text(value)).strip(" ,;|-\u2013\u2014")
    if not text or len(text) > _MAX_NAME_CHARS or len(text.split()) > 12:
        return None
    if "://" in text or text.startswith(("www.", "/")) or "{" in text or "}" in text:
        return None
    if not any(c.isalpha() for c in text):
        return None
    return text


# Words that end a byline's name: a date, a role or a label follows it ("Jane Doe Dec 3",
# "Jane Doe | Updated", "Jane Doe Sponsored"). Not checked on a name's first word ("May").
_AFTER_NAME = frozenset(
    [
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "updated",
        "published",
        "posted",
        "last",
        "reviewed",
        "sponsored",
    ]
)
_NAME_SEPARATORS = re.compile(r"\s*[|\u2022\u00b7]\s*|\s+[-\u2013\u2014]\s+")
# What a byline element holds when it holds no name
_NOT_A_NAME = frozenset({"about the author", "written by", "author", "authors", "by", "posted by"})


def trim_byline(value: object) -> str | None:
    """The name at the start of a byline's text: "By Jane Doe | Dec 3, 2024" -> "Jane Doe".
    For text read from page elements, which runs on into dates and roles."""
    text = clean_name(value)
    if not text:
        return None
    text = _NAME_SEPARATORS.split(text, maxsplit=1)[0]
    words = text.split()
    for i, word in enumerate(words[1:], 1):
        if word.lower().strip(".,:;") in _AFTER_NAME:
            words = words[:i]
            break
    name = clean_name(" ".join(words))
    if not name or name.lower() in _NOT_A_NAME or name.lower().strip(".,:;") in _AFTER_NAME:
        return None
    return name


def join_names(names: list[str]) -> str | None:
    """Several authors as a byline writes them: "A and B", "A, B, and C"."""
    unique = list(dict.fromkeys(names))
    if len(unique) <= 2:
        return " and ".join(unique) or None
    return ", ".join(unique[:-1]) + ", and " + unique[-1]


def _ld_people(value: object, ids: dict[str, dict]) -> Iterator[tuple[str, bool]]:
    """(name, is a person) of an author value: a string, an object, a reference, a list."""
    if isinstance(value, list):
        for item in value:
            yield from _ld_people(item, ids)
    elif isinstance(value, str):
        yield value, True
    elif isinstance(value, dict):
        if "name" not in value and isinstance(value.get("@id"), str):
            value = ids.get(value["@id"], value)
        name = value.get("name")
        names = name if isinstance(name, list) else [name]
        person = not (set(_types(value)) & _NOT_PERSON)
        for n in names:
            if isinstance(n, str):
                yield n, person


WORD = re.compile(r"\w+")


def word_set(text: str | None) -> set[str]:
    """The lowercase words of a text: how names, titles and site names are compared."""
    return set(WORD.findall(text.lower())) if text else set()


def _names_site(name: str, site_words: set[str]) -> bool:
    words = word_set(name)
    return bool(words) and bool(site_words) and words <= site_words | {"team", "staff", "the"}


def _without_site_tail(name: str | None, site_words: set[str]) -> str | None:
    """ "Jane Doe, The Daily Paper" -> "Jane Doe": a last comma or bar part naming the site."""
    if not name:
        return name
    head, sep, tail = name.rpartition("|") if "|" in name else name.rpartition(",")
    if sep and head.strip() and _names_site(tail, site_words):
        return head.strip()
    return name


# meta names that hold the page's author (not a profile URL: checked by clean_name)
_META_AUTHOR = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator")


def page_author(
    tree: HtmlElement, objs: list[dict], sitename: str | None, search: bool
) -> tuple[str | None, str | None]:
    """The page's author(s): JSON-LD, then meta tags, then microdata, then (``search``)
    rel=author and links to an author's page; and apart, a name that is the site's own (or a
    JSON-LD Organization), for when no person is found: WCXB's gold names the writer."""
    site_words = word_set(sitename)
    fallback: str | None = None
    ids = {o["@id"]: o for o in objs if isinstance(o.get("@id"), str) and "name" in o}
    for obj in main_objects(objs):
        people = [
            (_without_site_tail(clean_name(n), site_words), p)
            for n, p in _ld_people(obj.get("author"), ids)
        ]
        names = [n for n, p in people if n and p and not _names_site(n, site_words)]
        if names:
            return join_names(names), None
        fallback = fallback or join_names([n for n, _ in people if n])
    metas = _first_meta(tree, _META_AUTHOR, ("name", "property"))
    for key in _META_AUTHOR:
        name = _without_site_tail(clean_name(metas.get(key)), site_words)
        if name and not _names_site(name, site_words):
            return name, None
        fallback = fallback or name
    for el in tree.xpath('//*[@itemprop="author"]'):
        name = _microdata_name(el)
        if name and not _names_site(name, site_words):
            return name, None
    if search:
        name = _linked_author(tree)
        if name and not _names_site(name, site_words):
            return name, None
    return None, fallback


def author_sources(
    tree: HtmlElement, objs: list[dict], sitename: str | None
) -> list[tuple[str, str]]:
    """(source, name) of every author the page's JSON-LD and meta tags state, as
    ``page_author`` cleans them: "ld_person" (the people of the first two main JSON-LD
    objects, joined, and the first alone), "ld_organization", "meta". The candidates of
    ``pageauthor``. (Microdata and author links are not among them: 0.3 and 0.4 ms a page for
    no CV gain; the rule, a candidate too, still reads them.)"""
    site_words = word_set(sitename)
    found: list[tuple[str, str]] = []
    ids = {o["@id"]: o for o in objs if isinstance(o.get("@id"), str) and "name" in o}
    for obj in main_objects(objs)[:2]:
        people = [
            (_without_site_tail(clean_name(n), site_words), p)
            for n, p in _ld_people(obj.get("author"), ids)
        ]
        persons = [n for n, p in people if n and p]
        organizations = [n for n, p in people if n and not p]
        if persons:
            found += [("ld_person", join_names(persons) or ""), ("ld_person", persons[0])]
        if organizations:
            found.append(("ld_organization", join_names(organizations) or ""))
    metas = _first_meta(tree, _META_AUTHOR, ("name", "property"))
    for key in _META_AUTHOR:
        found.append(("meta", _without_site_tail(clean_name(metas.get(key)), site_words) or ""))
    return [(source, name) for source, name in found if name]


def _first_meta(tree: HtmlElement, keys: tuple[str, ...], attrs: tuple[str, ...]) -> dict:
    """The content of the first <meta> of each of `keys`, a meta's key being its first
    non-empty attribute of `attrs`, lowercased."""
    found: dict[str, str | None] = {}
    for meta in tree.iter("meta"):
        key = next((v for a in attrs if (v := meta.get(a))), "").lower()
        if key in keys and key not in found:
            found[key] = meta.get("content")
    return found


def _microdata_name(el: HtmlElement) -> str | None:
    """The name of an itemprop=author element: its itemprop=name (a forum's user box also
    holds reputation and badges), else its content, else its own short text."""
    if el.get("content"):
        return clean_name(el.get("content"))
    for sub in el.xpath('.//*[@itemprop="name"]'):
        return clean_name(sub.get("content") or sub.text_content())
    return clean_name(el.text_content())


# Links to a writer's or a member's page; the link text is the name when the URL's last part
# spells it ("/author/jane-doe" for "Jane Doe", "/members/jdoe.123/" for "jdoe").
_PROFILE_PATH = re.compile(
    r"/(?:authors?|writers?|people|staff|profiles?|members?|users?|u|contributors?|team|by)"
    r"/(?:\d+/)?([^/?#]+)",
    re.IGNORECASE,
)


def _linked_author(tree: HtmlElement) -> str | None:
    for a in tree.xpath('//a[@rel="author" or @href]'):
        href = a.get("href") or ""
        match = _PROFILE_PATH.search(href)
        if not match and a.get("rel") != "author":
            continue
        name = clean_name(a.text_content())
        if not name:
            continue
        if a.get("rel") == "author" or _spells(match[1], name):
            return name
    return None


# Account links share those paths ("/users/signin" for "Sign in")
_ACCOUNT_WORDS = frozenset(
    [
        "sign",
        "log",
        "login",
        "logout",
        "signin",
        "signup",
        "register",
        "join",
        "account",
        "my",
        "view",
        "all",
        "more",
        "see",
        "edit",
        "settings",
        "profile",
        "members",
        "users",
        "authors",
        "staff",
        "people",
        "team",
    ]
)


def _spells(slug: str, name: str) -> bool:
    """The URL part holds the name's letters: each of its words, or the name joined."""
    slug = re.sub(r"[^a-z0-9]", "", slug.lower())
    words = [re.sub(r"[^a-z0-9]", "", w) for w in name.lower().split()]
    words = [w for w in words if w]
    if not words or len(words) > 4 or _ACCOUNT_WORDS & set(words):
        return False
    return "".join(words) in slug or all(w in slug for w in words)
