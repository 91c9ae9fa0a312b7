"""HTML blocks: lines with DOM facts, and the HTML classifier over them."""

import lxml.html
import pytest
from conftest import FIXTURES

from corpusprep.blocks import (
    ANCESTORS,
    DOM_NAMES,
    attr_words,
    dom_rows,
    drop_invisible,
    page_blocks,
    page_flags,
)
from corpusprep.config import Config, ConfigError
from corpusprep.extract import extract_html, visible_lines

_PAGE = """<html><head><title>T</title>
<script type="application/ld+json">{"@type": "Product"}</script>
<meta property="og:type" content="product"></head><body>
<nav class="mainMenu"><ul><li><a href="/">Home</a></li><li><a href="/n">News</a></li></ul></nav>
<div id="post-body"><p>First <a href="/x">linked</a> words here.</p>
text between<p>Second paragraph.</p><br>after a break</div>
<script>var hidden = 1;</script>
<footer>Footer <b>bold</b> text</footer></body></html>"""


def _blocks(html: str):
    root = lxml.html.fromstring(html)
    flags = page_flags(root)
    drop_invisible(root, noscript=False)
    return page_blocks(root), flags


def test_one_line_per_block_as_the_visible_text_has_them():
    blocks, _ = _blocks(_PAGE)
    texts = [b.text for b in blocks]
    assert texts == visible_lines(_PAGE).split("\n")
    assert "Home" in texts and "text between" in texts and "after a break" in texts
    assert not any("hidden" in t for t in texts)


def test_blocks_know_their_tag_ancestors_links_and_attribute_words():
    blocks, flags = _blocks(_PAGE)
    by_text = {b.text: b for b in blocks}
    home = by_text["Home"]
    assert home.tag == "li" and {"nav", "ul"} <= home.ancestors
    assert home.link_chars == len("Home")
    assert "main" in home.attr_words and "menu" in home.attr_words  # camelCase split
    first = by_text["First linked words here."]
    assert first.tag == "p" and first.link_chars == len("linked")
    assert {"post", "body"} <= set(first.attr_words)
    assert by_text["Footer bold text"].tag == "footer"
    assert flags == (1.0, 1.0)
    rows = dom_rows(blocks, flags=flags)
    assert all(len(r) == len(DOM_NAMES) for r in rows)
    col = {n: k for k, n in enumerate(DOM_NAMES)}
    k_first = [b.text for b in blocks].index("First linked words here.")
    k_home = [b.text for b in blocks].index("Home")
    assert rows[k_first][col["link_share"]] == len("linked") / len("First linked words here.")
    assert rows[k_home][col["link_share"]] == 1.0
    assert rows[k_home][col["in_nav"]] == 1.0 and rows[k_first][col["in_nav"]] == 0.0
    assert "in_nav" in col and len(ANCESTORS) + 13 == len(DOM_NAMES)
    # no <h1>: where a block sits against it is missing, not zero
    assert all(r[col["headline_common_depth"]] != r[col["headline_common_depth"]] for r in rows)


_PRODUCT = """<html><body><nav><ul><li>Shop</li></ul></nav>
<main><div class="box"><div class="info"><h1>Silver buckle</h1><p>$ 335.00</p>
<p>SKU: TX06</p></div></div>
<section><ul><li><div class="card"><h3>Matching ring</h3></div></li></ul></section></main>
<footer>Footer</footer></body></html>"""


def test_blocks_know_where_they_sit_against_the_headline():
    blocks, flags = _blocks(_PRODUCT)
    col = {n: k for k, n in enumerate(DOM_NAMES)}
    rows = {b.text: dict(zip(DOM_NAMES, r, strict=True)) for b, r in
            zip(blocks, dom_rows(blocks, flags), strict=True)}  # fmt: skip
    h1, price, card = rows["Silver buckle"], rows["$ 335.00"], rows["Matching ring"]
    # html > body > main > div.box > div.info > h1: six elements, the <h1> itself the last
    assert h1["headline_common_depth"] == 6 and h1["below_headline_common"] == 0
    assert h1["headline_below_common"] == 0
    # the price shares the info box (five elements) and sits one below it
    assert price["headline_common_depth"] == 5 and price["below_headline_common"] == 1
    assert price["headline_below_common"] == 1
    # the card meets the headline only at <main>: its path and the <h1>'s part there
    assert card["headline_common_depth"] == 3 and card["headline_below_common"] == 3
    assert card["below_headline_common"] == 5  # section > ul > li > div.card > h3
    assert rows["Shop"]["before_headline"] == 1 and price["before_headline"] == 0
    assert rows["Footer"]["headline_common_depth"] == 2  # html > body
    assert "headline_common_depth" in col


def test_attribute_words():
    el = lxml.html.fromstring('<div class="comment-list jsReplyBox" id="c_2"></div>')
    assert attr_words(el) == ["comment", "list", "js", "reply", "box"]


_PARAGRAPHS = [
    "The river rose by two metres overnight, and the town council met at dawn to decide "
    "which streets to close before the water reached the old market square.",
    "Engineers said the flood barrier, built after the storms of 2015, held for most of "
    "the night but gave way near the railway bridge shortly after four o'clock.",
    "Residents of the lower streets were taken to the school gym, where volunteers served "
    "soup and the mayor spoke to families who had lost their cars and furniture.",
]


def _news_page(comments: bool = False) -> str:
    items = ["Home", "World", "Sport", "Culture"]
    menu = "".join(f'<li><a href="/{w}">{w}</a></li>' for w in items)
    body = "".join(f"<p>{p}</p>" for p in _PARAGRAPHS)
    extra = ""
    if comments:
        extra = (
            '<section id="comments" class="comments"><h3>3 Comments</h3>'
            '<div class="comment"><span class="comment-author">bob</span>'
            "<p>Great reporting, thank you for keeping us informed all night long.</p>"
            '<a class="reply" href="#">Reply</a></div></section>'
        )
    return (
        # og:type as news pages have it: the page-type model reads it (a bare page of three
        # paragraphs it takes for 25% a service page, where comments are not told apart)
        '<html><head><meta property="og:type" content="article">'
        "<title>Flood closes town centre | Daily Post</title></head><body>"
        f'<header><nav class="menu"><ul>{menu}</ul></nav></header>'
        f"<article><h1>Flood closes town centre</h1>{body}</article>{extra}"
        '<footer><p>© 2026 Daily Post. All rights reserved.</p><a href="/privacy">Privacy</a>'
        "</footer></body></html>"
    )


def test_html_classifier_keeps_the_article_and_drops_the_chrome():
    got = extract_html(_news_page(), Config())
    for p in _PARAGRAPHS:
        assert p in got.text.split("\n")
    assert "Privacy" not in got.text and "World" not in got.text.split("\n")
    reasons = {text: reason for text, reason, _ in got.dropped}
    assert reasons.get("Privacy", "").startswith("model.")
    assert all(0.0 <= score <= 1.0 for _, _, score in got.dropped)


def test_trafilatura_alone_when_asked():
    got = extract_html(_news_page(), Config(html_extractor="trafilatura"))
    assert _PARAGRAPHS[0] in got.text and got.dropped == ()


def test_html_extractor_setting_is_validated():
    with pytest.raises(ConfigError, match="html_extractor"):
        Config().updated({"html_extractor": "magic"})


def test_fixture_article_through_blocks():
    html = (FIXTURES / "html" / "article.html").read_text(encoding="utf-8")
    blocks = extract_html(html, Config())
    alone = extract_html(html, Config(html_extractor="trafilatura"))
    # the classifier keeps (nearly) all of what trafilatura found in this plain article
    theirs = set(alone.text.split())
    assert len(theirs & set(blocks.text.split())) >= 0.9 * len(theirs)


def test_dropped_page_lines_are_in_the_ledger_without_a_line_number(tmp_path):
    import pyarrow.dataset as ds

    from corpusprep import pipeline

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "flood.html").write_text(_news_page(), encoding="utf-8")
    config = Config()
    pipeline.process_shard(str(raw), str(tmp_path / "out"), "k", ["flood.html"], {}, config)
    removed = ds.dataset(tmp_path / "out" / "removed").to_table().to_pylist()
    by_text = {r["text"]: r for r in removed}
    assert by_text["Privacy"]["line_no"] is None
    assert by_text["Privacy"]["reason"].startswith("model.")
    doc = ds.dataset(tmp_path / "out" / "documents").to_table().to_pylist()[0]
    assert doc["n_lines_removed"] == len(removed)
    assert _PARAGRAPHS[1] in doc["text"]


def test_show_lists_the_page_lines_the_classifier_dropped(tmp_path, capsys):
    from flows.cli import main

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "flood.html").write_text(_news_page(), encoding="utf-8")
    page = str(raw / "flood.html")
    assert main(["show", page, "--raw", str(raw), "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert "dropped by the HTML classifier" in out
    gone = next(ln for ln in out.splitlines() if ln.rstrip().endswith("Privacy"))
    assert gone.startswith("- [model.")


def test_comment_section_goes_unless_comments_are_kept():
    comment = "Great reporting, thank you for keeping us informed all night long."
    dropped = extract_html(_news_page(comments=True), Config())
    assert comment not in dropped.text and _PARAGRAPHS[-1] in dropped.text
    assert dict((t, r) for t, r, _ in dropped.dropped)[comment] == "model.comments"
    kept = extract_html(_news_page(comments=True), Config().updated({"clean.keep_comments": True}))
    assert comment in kept.text.split("\n") and _PARAGRAPHS[-1] in kept.text


def test_a_page_the_classifier_doubts_everywhere_keeps_its_likeliest_lines():
    import copy

    from corpusprep.blocks import classify
    from corpusprep.linemodel import html_model

    model = copy.copy(html_model())
    html = "<html><body><p>Menu</p><p>The one paragraph.</p><p>Footer</p></body></html>"
    doubts = [0.05, 0.3, 0.05]  # P(content) of the three lines, the highest only 0.3
    model.keep_probabilities = lambda rows, keep_comments: (doubts, [0.0] * len(rows))
    kept, _ = classify(lxml.html.fromstring(html), 0.4, False, model=model)
    assert kept == ""  # the threshold as given
    kept, dropped = classify(lxml.html.fromstring(html), 0.4, False, model, None, 0.25)
    assert kept == "The one paragraph." and len(dropped) == 2  # 0.3 >= 0.4 x 0.3
    doubts[1] = 0.2  # below the floor: the threshold goes no lower than 0.4 x 0.25
    kept, _ = classify(lxml.html.fromstring(html), 0.4, False, model, None, 0.25)
    assert kept == "The one paragraph."
    doubts[1] = 0.09
    kept, _ = classify(lxml.html.fromstring(html), 0.4, False, model, None, 0.25)
    assert kept == ""
