import json

import pytest
from conftest import FIXTURES

from corpusprep.config import Config
from corpusprep.extract import extract_html
from corpusprep.normalize import normalize


def test_mojibake_is_repaired_and_counted():
    text, fixes = normalize("It\u00e2\u20ac\u2122s fine.\nPlain line.\nCaf\u00c3\u00a9 au lait")
    assert text == "It\u2019s fine.\nPlain line.\nCaf\u00e9 au lait"
    assert fixes == 2


def test_ascii_and_curly_quotes_untouched():
    assert normalize("Just ASCII.\nTwo lines.") == ("Just ASCII.\nTwo lines.", 0)
    text, fixes = normalize("\u201cQuoted\u201d and \u2018single\u2019")
    assert text == "\u201cQuoted\u201d and \u2018single\u2019"
    assert fixes == 0


def test_line_endings_become_newlines():
    assert normalize("a\r\nb\rc")[0] == "a\nb\nc"


def test_extract_html_text_and_metadata():
    html = (FIXTURES / "html" / "article.html").read_text(encoding="utf-8")
    gold = json.loads((FIXTURES / "html" / "article.gold.json").read_text(encoding="utf-8"))
    got = extract_html(html, Config())
    first_gold_paragraph = gold["gold"].split("\n")[0].strip()
    assert first_gold_paragraph[:60] in got.text
    assert got.title and "Europa" in got.title
    assert "<" not in got.text


def test_extract_html_without_content():
    assert extract_html("<html><body></body></html>", Config()).text == ""


def test_guard_sees_every_utf8_as_latin_mojibake():
    from hypothesis import given
    from hypothesis import strategies as st

    from corpusprep.normalize import _SUSPECT

    @given(st.text(st.characters(min_codepoint=0x80, exclude_categories=("Cs",)), min_size=1))
    def check(text):
        for codec in ("latin-1", "cp1252"):
            try:
                garbled = text.encode("utf-8").decode(codec)
            except UnicodeDecodeError:
                continue
            assert _SUSPECT.search(garbled), (text, garbled)

    check()


def test_decomposed_accents_are_composed():
    assert normalize("Te\u0301cnicas")[0] == "T\u00e9cnicas"


def _article_page(paragraphs: list[str], extra: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<html><head><title>Council budget row deepens - Example News</title>"
        '<meta name="author" content="Jane Doe">'
        '<meta property="article:published_time" content="2019-11-19T10:00:00Z">'
        f"</head><body><article><h1>Council budget row deepens</h1>{body}</article>{extra}"
        "</body></html>"
    )


_PARAS = [
    f"Paragraph {i} of the council story says that the budget debate went on until late in "
    "the evening, and that members of the opposition spoke against the plan for schools."
    for i in range(6)
]


def test_metadata_read_from_the_parsed_page_without_changing_it():
    from lxml import etree
    from trafilatura.utils import load_html

    from corpusprep.extract import page_metadata

    tree = load_html(_article_page(_PARAS))
    before = etree.tostring(tree)
    meta = page_metadata(tree)
    assert etree.tostring(tree) == before
    assert meta.author == "Jane Doe"
    assert meta.date == "2019-11-19"
    assert meta.title and "Council budget" in meta.title
    got = extract_html(_article_page(_PARAS), Config())
    assert (got.author, got.date) == ("Jane Doe", "2019-11-19")
    assert _PARAS[0] in got.text and _PARAS[-1] in got.text


def test_author_from_page_elements_only_when_asked():
    # No author meta tag: only the (costly) search of the page's elements finds the byline.
    page = _article_page(_PARAS).replace('<meta name="author" content="Jane Doe">', "")
    page = page.replace("<h1>", '<span class="author">Ann Lee</span><h1>')
    assert extract_html(page, Config(html_author_search=False)).author is None
    assert extract_html(page, Config(html_author_search=True)).author == "Ann Lee"


def test_second_opinion_only_when_trafilatura_looks_incomplete(monkeypatch):
    import corpusprep.extract as ex

    calls = []
    real = ex.clean_text
    monkeypatch.setattr(ex, "clean_text", lambda text: calls.append(1) or real(text))
    extract_html(_article_page(_PARAS), Config())
    assert calls == []  # trafilatura kept the page's paragraphs: no second opinion
    assert ex._suspect(0, 0, 1.5)  # nothing extracted
    assert ex._suspect(100, 150, 1.5)  # the page's paragraphs hold 1.5x what it kept
    assert not ex._suspect(100, 149, 1.5)


def test_fragment_without_html_element_falls_back_to_visible_text():
    text = extract_html("<p>" + _PARAS[0] + "</p>", Config()).text
    assert isinstance(text, str)


def _page_with(head: str, body: str) -> str:
    return (
        f"<html><head>{head}</head><body>{body}<p>{_PARAS[0]}</p><p>{_PARAS[1]}</p></body></html>"
    )


def test_title_is_the_pages_one_headline():
    page = _page_with(
        "<title>Budget vote delayed | The Daily Paper</title>",
        "<h1>Budget<br>vote delayed again</h1>",
    )
    assert extract_html(page, Config()).title == "Budget vote delayed again"


def test_of_several_h1_the_one_the_title_names():
    head = "<title>Council delays the budget vote - Metro News</title>"
    body = "<h1>Metro News</h1><h1>Council delays the budget vote</h1>"
    assert extract_html(_page_with(head, body), Config()).title == "Council delays the budget vote"


@pytest.mark.parametrize(
    "title, site, headline",
    [
        ("Council delays the vote | Metro News", "Metro News", "Council delays the vote"),
        ("Metro News - Council delays the vote", "Metro News", "Council delays the vote"),
        ("Council delays the vote – Metro", None, "Council delays the vote"),  # shorter last part
        ("Why: a short history of the vote", None, "Why: a short history of the vote"),
        ("Council delays the vote", "Metro News", "Council delays the vote"),
    ],
)
def test_without_h1_the_title_loses_the_site_name(title, site, headline):
    from lxml.html import fromstring

    from corpusprep.pagetitle import headline as pick

    assert pick(fromstring("<html><body><p>x</p></body></html>"), title, site) == headline


def test_h1_that_only_names_the_site_is_not_the_headline():
    head = "<title>Why the vote was delayed - Metro Forum</title>"
    head += '<meta property="og:site_name" content="Metro Forum">'
    page = _page_with(head, "<h1>Metro Forum</h1>")
    assert extract_html(page, Config()).title == "Why the vote was delayed"


def test_permalink_sign_is_not_part_of_the_headline():
    page = _page_with("<title>Quickstart - Docs</title>", "<h1>Quickstart<a href='#q'>¶</a></h1>")
    assert extract_html(page, Config()).title == "Quickstart"


def test_title_and_og_title_that_agree_beat_a_slogan_h1():
    head = (
        "<title>Email marketing tools | Acme</title>"
        '<meta property="og:title" content="Email marketing tools | Acme">'
    )
    slogan = _page_with(head, "<h1>Win customers with the number one platform</h1>")
    assert extract_html(slogan, Config()).title == "Email marketing tools"
    # a headline that shares the title's words stays
    close = _page_with(head, "<h1>Email marketing tools for small shops</h1>")
    assert extract_html(close, Config()).title == "Email marketing tools for small shops"
