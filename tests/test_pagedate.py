"""The page's candidate dates and their features (corpusprep.pagedate); the ranker's choice on
whole pages is in test_htmlmeta. Both shipped metadata rankers load."""

from __future__ import annotations

import json

import numpy as np
import pytest
from trafilatura.utils import load_html

from corpusprep import pagedate, pagetitle
from corpusprep.pagedate import DATE_FEATURES, candidates, page_text, text_dates
from corpusprep.ranker import Ranker

MAX = "2026-12-31"


@pytest.mark.parametrize(
    "text, day",
    [
        ("Posted on March 4, 2025 by Ann", "2025-03-04"),
        ("Sept. 21st, 2024", "2024-09-21"),
        ("4 March 2025", "2025-03-04"),
        ("am 4. März 2025 veröffentlicht", "2025-03-04"),
        ("le 12 décembre 2023", "2023-12-12"),
        ("12 de marzo de 2025", "2025-03-12"),
        ("2025-03-04T10:00:00Z", "2025-03-04"),
        ("2025/03/04", "2025-03-04"),
        ("04.03.2025", "2025-03-04"),
        ("Updated:Dec 12, 2025We", "2025-12-12"),  # elements run together
    ],
)
def test_written_dates_in_several_forms_and_languages(text, day):
    assert [d for _, d in text_dates(text, MAX)] == [day]


@pytest.mark.parametrize(
    "text",
    ["February 30, 2025", "2025-13-01", "March 4, 2027", "ISBN 12.03.20251", "in 2025, 12 of"],
)
def test_impossible_future_or_partial_dates_are_not_dates(text):
    assert text_dates(text, MAX) == []


@pytest.mark.parametrize(
    "text, days",
    [
        ("Updated: 10/31/2024", ["2024-10-31"]),  # month first: 31 is no month
        ("Posted on the 15/12/2025 at 19:00", ["2025-12-15"]),  # day first
        ("3/4/2025", ["2025-03-04", "2025-04-03"]),  # either: both are candidates
        ("07/07/2024", ["2024-07-07"]),
        ("page 1/2/2025/3 of 12/40/2025", []),  # a path or no date at all
    ],
)
def test_dates_written_with_slashes(text, days):
    assert [d for _, d in text_dates(text, MAX)] == days


def test_offsets_point_at_each_date_in_order():
    text = "From 2024-01-02 to March 5, 2024, then 2024-06-07."
    found = text_dates(text, MAX)
    assert [d for _, d in found] == ["2024-01-02", "2024-03-05", "2024-06-07"]
    assert [text[o : o + 4] for o, _ in found] == ["2024", "Marc", "2024"]


def test_page_text_skips_scripts_and_marks_the_headline():
    tree = load_html(
        "<html><body><nav>Home</nav><script>var d='2020-01-01';</script>"
        "<h1>Title</h1><p>Body <b>bold</b> tail</p></body></html>"
    )
    text, headline = page_text(tree)
    assert "2020" not in text
    assert text[headline:].startswith("Title")
    assert text.split() == ["Home", "Title", "Body", "bold", "tail"]


def test_page_text_stops_after_the_headline():
    para = "<p>" + "word " * 100 + "</p>"
    tree = load_html(f"<html><body><h1>T</h1>{para * 200}</body></html>")
    text, headline = page_text(tree)
    assert pagedate.AFTER_HEADLINE <= len(text) - headline < pagedate.AFTER_HEADLINE + 1000


def test_page_text_reads_a_long_menu_through_to_the_headline():
    menu = "<ul>" + "<li>Menu entry</li>" * 2000 + "</ul>"  # ~22,000 characters
    tree = load_html(f"<html><body>{menu}<h1>Story</h1><p>May 6, 2021</p></body></html>")
    text, headline = page_text(tree)
    assert headline > pagedate.NO_HEADLINE and text[headline:].startswith("Story")
    assert "2021-05-06" in _rows(
        f"<html><body>{menu}<h1>Story</h1><p>May 6, 2021</p></body></html>"
    )
    # without an <h1>, the page is read only so far
    text, headline = page_text(load_html(f"<html><body>{menu}<p>May 6, 2021</p></body></html>"))
    assert headline == -1 and len(text) < pagedate.NO_HEADLINE + 100


def _rows(html: str, url: str | None = None) -> dict[str, dict[str, float]]:
    from corpusprep.htmlmeta import json_ld, main_objects

    tree = load_html(html)
    days, rows = candidates(tree, main_objects(json_ld(tree)), url, MAX)
    return {d: dict(zip(DATE_FEATURES, r, strict=True)) for d, r in zip(days, rows, strict=True)}


def test_every_source_marks_its_dates():
    ld = {"@type": "NewsArticle", "datePublished": "2021-05-06T08:00:00+02:00",
          "dateModified": "2025-03-04"}  # fmt: skip
    html = (
        '<html><head><meta property="article:published_time" content="2021-05-06">'
        '<meta property="article:modified_time" content="2025-03-04T09:00:00Z">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head>'
        f"<body><p>Site news 1 January 2020</p><ul>{'<li>Menu item</li>' * 40}</ul>"
        "<p>Posted May 6, 2021</p><h1>Story</h1>"
        '<p>Updated March 4, 2025</p><time datetime="2021-05-06">May 6</time>'
        "<p>Published May 6, 2021</p></body></html>"
    )
    rows = _rows(html, "https://example.org/2021/05/06/story/")
    # a date written far above the headline (site chrome) is no candidate; one just above is
    assert set(rows) == {"2021-05-06", "2025-03-04"}
    first, updated = rows["2021-05-06"], rows["2025-03-04"]
    for name in ("from_url", "from_meta_published", "from_ld_published", "said_published"):
        assert first[name] == 1 and updated[name] == 0, name
    for name in ("from_meta_modified", "from_ld_modified", "said_updated", "newest"):
        assert updated[name] == 1 and first[name] == 0, name
    assert first["time_rank"] == 0 and updated["time_rank"] == -1
    assert first["text_rank"] == 0 and updated["text_rank"] == 1
    assert -pagedate.ABOVE_HEADLINE < first["chars_after_headline"] < 0
    assert updated["chars_after_headline"] > 0
    assert first["sources"] == 5 and updated["sources"] == 3  # url, 2 x meta/ld, time/text
    assert first["before_headline"] == 1 and updated["before_headline"] == 0
    assert first["text_count"] == 2 and first["oldest"] == 1
    assert first["days_to_newest"] > updated["days_to_newest"] == 0
    assert all(r["candidates"] == 2 and r["page_has_modified"] == 1 for r in rows.values())


def test_no_date_no_candidate_and_no_choice():
    assert _rows("<html><body><h1>T</h1><p>No date here.</p></body></html>") == {}
    assert pagedate.default_ranker().choose([], np.zeros((0, len(DATE_FEATURES)))) is None


@pytest.mark.parametrize("module", [pagedate, pagetitle])
def test_shipped_rankers_load_and_refuse_other_features(module):
    ranker = module.default_ranker()
    assert len(ranker.digest) == 16
    spec = json.loads(ranker.to_json())
    names = module.DATE_FEATURES if module is pagedate else module.TITLE_FEATURES
    assert spec["features"] == list(names)
    spec["features"] = spec["features"][:-1]
    with pytest.raises(RuntimeError, match="make train"):
        Ranker.from_json(json.dumps(spec), names)
