import pytest

from corpusprep.clean import BYLINE, OUTSIDE, TIMESTAMP, Removed
from corpusprep.textmeta import find_author, find_date, from_removed, site_of


@pytest.mark.parametrize(
    "line, author",
    [
        ("By Jane Doe", "Jane Doe"),
        ("By Jane DoeStaff Writer", "Jane Doe"),  # name glued to the next word by the scrape
        ("By Jane Doe | November 18, 2019 -- 19:14 GMT", "Jane Doe"),
        ("By Jane Doe, Wednesday, 20 November 2019", "Jane Doe"),
        ("By Jane Doe November 19, 2019, 07:47 PM EST", "Jane Doe"),
        ("By Jane Doe On Nov 19, 2019", "Jane Doe"),
        ("Written by Ana de la Cruz", "Ana de la Cruz"),
        ("Author: Jane Doe", "Jane Doe"),
        ("Par Jean-Pierre Dupont, le 3 mars", "Jean-Pierre Dupont"),
        ("By registering you agree to the terms", None),
        ("Death By Train", None),
    ],
)
def test_find_author(line, author):
    assert find_author(line) == author


@pytest.mark.parametrize(
    "line, date",
    [
        ("Updated: Sat 8:31 PM, Feb 17, 2018", "2018-02-17"),
        ("First Published: Tuesday, November 19, 2019 08:38 AM", "2019-11-19"),
        ("By Jane Doe 2019-11-18T20:51:19Z Science", "2019-11-18"),
        ("20 November 2019 08:05 GMT", "2019-11-20"),
        ("Nov. 3rd, 2020", "2020-11-03"),
        ("Posted 45 minutes ago", None),
        ("2019-13-45", None),
    ],
)
def test_find_date(line, date):
    assert find_date(line) == date


def test_only_lines_near_the_article_start_and_of_the_right_kind_count():
    removed = (
        Removed(0, "Home | News | Sport", OUTSIDE, 1.0),
        Removed(2, "By Jane Doe | March 3, 2021", BYLINE, 1.0),
        Removed(90, "Posted on June 1, 2020", TIMESTAMP, 1.0),  # a footer's teaser date
    )
    assert from_removed(removed, first_kept_line=3) == {"author": "Jane Doe", "date": "2021-03-03"}
    assert from_removed(removed[2:], first_kept_line=3) == {}


def test_site_of():
    assert site_of("https://www.example.co.uk/a/b?c=1") == "example.co.uk"
    assert site_of(None) is None
    assert site_of("not a url") is None
