"""The page's candidate titles and their features (corpusprep.pagetitle); the choice on whole
pages is in test_normalize_extract."""

from __future__ import annotations

import json

import numpy as np
from trafilatura.utils import load_html

from corpusprep.htmlmeta import json_ld, main_objects
from corpusprep.pagetitle import TITLE_FEATURES, candidates, headline, value_key


def _rows(html: str, site: str | None = None) -> dict[str, dict[str, float]]:
    tree = load_html(html)
    rule = headline(tree, None, site)
    titles, rows = candidates(tree, main_objects(json_ld(tree)), site, rule)
    return {t: dict(zip(TITLE_FEATURES, r, strict=True)) for t, r in zip(titles, rows, strict=True)}


_PAGE = (
    "<html><head><title>Budget vote delayed again | Metro News</title>"
    '<meta property="og:title" content="Budget vote delayed again">'
    '<meta name="twitter:title" content="Budget vote delayed - what next | Metro News">'
    '<script type="application/ld+json">{ld}</script></head>'
    "<body><h1>Budget vote\n delayed  again</h1><h2>Related</h2><p>Text.</p></body></html>"
)


def test_every_source_and_form_marks_its_titles():
    ld = json.dumps({"@type": "NewsArticle", "headline": "Budget vote delayed again"})
    rows = _rows(_PAGE.format(ld=ld), "Metro News")
    assert set(rows) == {
        "Budget vote delayed again",  # h1 (spaces collapsed), og, JSON-LD, title's forms
        "Budget vote delayed again | Metro News",
        "Budget vote delayed - what next | Metro News",
        "Budget vote delayed - what next",  # without the site, also all but its last part
        "Budget vote delayed",  # the twitter title's first part
        "Related",
    }
    main = rows["Budget vote delayed again"]
    for name in ("h1", "og_title", "ld_headline", "title_without_site", "title_first_part",
                 "title_before_last_part"):  # fmt: skip
        assert main[name] == 1, name
    assert main["title"] == 0 and main["sources"] == 4 and main["rule_choice"] == 1
    assert main["overlap_h1"] == 1 and main["site_word_share"] == 0
    full = rows["Budget vote delayed again | Metro News"]
    assert full["title"] == 1 and full["has_separator"] == 1 and full["rule_choice"] == 0
    assert 0 < full["overlap_h1"] < 1 and full["site_word_share"] == 2 / 6
    assert rows["Related"]["h2"] == 1 and rows["Related"]["overlap_h1"] == 0
    assert all(r["h1_count"] == 1 for r in rows.values())


def test_spellings_of_one_title_are_one_candidate():
    assert value_key(" “Budget”  Vote — delayed! ") == value_key('"budget" vote - delayed')
    rows = _rows("<html><head><title>THE VOTE</title></head><body><h1>The vote.</h1></body></html>")
    assert list(rows) == ["The vote."]  # as the first source writes it
    assert rows["The vote."]["h1"] == rows["The vote."]["title"] == 1


def test_no_title_no_candidate():
    assert _rows("<html><body><p>Only text.</p></body></html>") == {}


def test_url_share_is_how_much_of_a_title_the_url_path_spells():
    tree = load_html(_PAGE.format(ld="{}"))
    url = "https://metro.example/2024/05/budget_vote-delayed-again?ref=home"
    titles, rows = candidates(tree, [], "Metro News", None, url)
    share = dict(zip(titles, rows[:, TITLE_FEATURES.index("url_share")], strict=True))
    assert share["Budget vote delayed again"] == 1.0  # "_" and "-" both separate words
    assert share["Budget vote delayed again | Metro News"] == 4 / 6
    assert share["Related"] == 0.0
    for bare in ("https://metro.example/", "https://metro.example/news"):
        _, rows = candidates(tree, [], "Metro News", None, bare)
        assert set(rows[:, TITLE_FEATURES.index("url_share")]) == {-1.0}  # under 2 path words
    _, rows = candidates(tree, [], "Metro News", None, None)  # a file without a URL
    assert np.isnan(rows[:, TITLE_FEATURES.index("url_share")]).all()
