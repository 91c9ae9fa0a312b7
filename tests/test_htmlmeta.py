"""Author and date from a page's structured data and byline conventions (corpusprep.htmlmeta
and corpusprep.pagedate, through extract.page_metadata)."""

from __future__ import annotations

import json

import pytest
from trafilatura.utils import load_html

from corpusprep.extract import page_metadata
from corpusprep.htmlmeta import clean_name, join_names, trim_byline

_BODY = "<p>" + "The council met on Tuesday to discuss the budget for the schools. " * 5 + "</p>"


def _page(head: str = "", body: str = "") -> str:
    return f"<html><head><title>Budget story</title>{head}</head><body>{body}{_BODY}</body></html>"


def _ld(obj: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def _meta(page: str, url: str | None = None, search: bool = True):
    return page_metadata(load_html(page), url, search)


def test_json_ld_author_list_joined_as_a_byline_writes_it():
    two = {"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Ann Lee"},
                                              {"@type": "Person", "name": "Bo Park"}]}  # fmt: skip
    assert _meta(_page(_ld(two))).author == "Ann Lee and Bo Park"
    three = {"@type": "Article", "author": [{"name": "A. Smith"}, {"name": "B. Jones"},
                                            {"name": "C. Wu"}]}  # fmt: skip
    assert _meta(_page(_ld(three))).author == "A. Smith, B. Jones, and C. Wu"


def test_json_ld_graph_author_by_reference_with_credentials_kept():
    graph = {"@graph": [
        {"@type": "WebSite", "name": "Budget Daily"},
        {"@type": "BlogPosting", "author": {"@id": "#jane"}},
        {"@type": "Person", "@id": "#jane", "name": "Jane Doe, Ph.D. &amp; Co"},
    ]}  # fmt: skip
    assert _meta(_page(_ld(graph))).author == "Jane Doe, Ph.D. & Co"


def test_organization_author_only_when_no_person_is_named():
    org = {"@type": "Article", "author": {"@type": "Organization", "name": "Budget Daily"}}
    byline = '<a rel="author" href="/x">Jane Doe</a>'
    assert _meta(_page(_ld(org), byline)).author == "Jane Doe"
    assert _meta(_page(_ld(org))).author == "Budget Daily"


def test_single_word_meta_author_is_kept():
    # forum user names are one word; trafilatura's normalisation also loses "_" and digits
    assert _meta(_page('<meta name="author" content="noah_b42">')).author == "noah_b42"


def test_microdata_author_is_its_name_not_its_badges():
    box = (
        '<div itemprop="author" itemscope><a href="/users/1/pup">Pup</a>'
        '<meta itemprop="name" content="Pup"><span>1,992 reputation, 2 badges</span></div>'
    )
    assert _meta(_page(body=box)).author == "Pup"


def test_link_to_the_authors_page_names_the_author_when_its_url_spells_the_name():
    link = '<nav><a href="/users/signin">Sign in</a></nav><a href="/author/jane-doe/">Jane Doe</a>'
    assert _meta(_page(body=link)).author == "Jane Doe"
    assert _meta(_page(body=link), search=False).author is None
    assert _meta(_page(body='<a href="/members/login">Log in</a>')).author is None


def test_byline_text_loses_prefix_date_and_labels():
    assert trim_byline("By Jane Doe | Dec 3, 2024") == "Jane Doe"
    assert trim_byline("Jane Doe Updated January 4") == "Jane Doe"
    assert trim_byline("Posted by: Soliant") == "Soliant"
    assert trim_byline("Haley Hoekstra \u2022 March 3") == "Haley Hoekstra"
    assert trim_byline("May Smith") == "May Smith"  # a month as the first word is a name
    assert trim_byline("About the author") is None
    assert trim_byline("Written by") is None
    assert clean_name("https://example.org/author/jane") is None
    assert clean_name("{{ author.name }}") is None
    assert join_names(["Ann", "Ann"]) == "Ann"


@pytest.mark.parametrize(
    "head, body, url, date",
    [
        # published beats a later modified date, whatever their order in the page
        ('<meta property="article:modified_time" content="2024-06-01T10:00:00+02:00">'
         '<meta property="article:published_time" content="2023-02-03T23:30:00-05:00">',
         "", None, "2023-02-03"),  # the day as written, not converted to UTC
        (_ld({"@type": "BlogPosting", "dateModified": "2025-01-09",
              "datePublished": "2021-07-22"}), "", None, "2021-07-22"),
        # a date the page only writes in its text, under the headline
        ("", "<h1>Budget story</h1><p>By Ann Lee, 6 May 2020</p>", None, "2020-05-06"),
        ("", "", "https://example.org/2019/03/21/story/", "2019-03-21"),
        # the URL's day beats a timestamp written in another time zone
        ('<meta property="article:published_time" content="2019-03-22T01:00:00+09:00">', "",
         "https://example.org/2019/03/21/story/", "2019-03-21"),
    ],
)  # fmt: skip
def test_publication_date_from_structured_data(head, body, url, date):
    assert _meta(_page(head, body), url).date == date


def test_site_name_after_the_authors_is_dropped():
    head = '<meta property="og:site_name" content="The Daily Paper">'
    head += _ld({"@type": "NewsArticle", "author": "Ann Lee and Bo Park, The Daily Paper"})
    assert _meta(_page(head)).author == "Ann Lee and Bo Park"
