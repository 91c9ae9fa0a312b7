import json

from conftest import FIXTURES

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
    got = extract_html(html)
    first_gold_paragraph = gold["gold"].split("\n")[0].strip()
    assert first_gold_paragraph[:60] in got.text
    assert got.title and "Europa" in got.title
    assert "<" not in got.text


def test_extract_html_without_content():
    assert extract_html("<html><body></body></html>").text == ""


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
