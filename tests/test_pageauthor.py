"""The page's candidate authors and their features (corpusprep.pageauthor)."""

from __future__ import annotations

import json

import pytest
from trafilatura.utils import load_html

from corpusprep.pageauthor import AUTHOR_FEATURES, bylines, candidates
from corpusprep.pagedate import page_text


@pytest.mark.parametrize(
    "text, name",
    [
        ("Budget vote delayed By Jane Doe Updated March 4", "Jane Doe"),
        ("Written by: Ann Lee and Bo Park on Monday", "Ann Lee and Bo Park"),
        ("Ein Artikel von Hans Müller", "Hans Müller"),
        ("posted by Mary-Jane O'Neil 3 hours ago", "Mary-Jane O'Neil"),
    ],
)
def test_bylines_name_the_writer(text, name):
    assert [n for _, n in bylines(text, -1)] == [name]


def test_bylines_far_above_the_headline_are_chrome_and_only_three_count():
    text = "By Site Staff " + "x " * 400 + "Headline " + " ".join(f"By Writer {c}" for c in "ABCD")
    headline = text.index("Headline")
    found = bylines(text, headline)
    assert [n for _, n in found] == ["Writer A", "Writer B", "Writer C"]
    assert found[0][0] == text.index("By Writer A") - headline
    assert bylines("by the way, nothing here", -1) == []  # no capitalised name


def _rows(html: str, site: str | None, rule: str | None):
    tree = load_html(html)
    from corpusprep.htmlmeta import json_ld

    names, rows = candidates(tree, json_ld(tree), site, rule, page_text(tree))
    return {n: dict(zip(AUTHOR_FEATURES, r, strict=True)) for n, r in zip(names, rows, strict=True)}


def test_every_source_marks_its_names():
    ld = {"@type": "NewsArticle", "author": [{"@type": "Organization", "name": "Metro News"}]}
    html = (
        '<html><head><meta name="author" content="Ann Lee">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head><body>'
        "<h1>Budget vote delayed</h1><p>By Bo Park</p>"
        "<p>Text.</p></body></html>"
    )
    rows = _rows(html, "Metro News", "Ann Lee")
    assert set(rows) == {"Ann Lee", "Metro News", "Bo Park"}
    ann, site, bo = rows["Ann Lee"], rows["Metro News"], rows["Bo Park"]
    assert ann["from_rule"] == ann["from_meta"] == 1
    assert ann["sources"] == 2 and ann["chars_after_headline"] == -1
    assert site["from_ld_organization"] == 1 and site["site_word_share"] == 1
    assert bo["from_byline_first"] == 1 and bo["sources"] == 1
    assert 0 < bo["chars_after_headline"] < 40
    assert all(r["candidates"] == 3 and r["rule_found_none"] == 0 for r in rows.values())


def test_a_page_that_names_nobody_has_no_candidate():
    assert _rows("<html><body><h1>T</h1><p>Text.</p></body></html>", None, None) == {}
