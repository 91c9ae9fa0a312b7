"""The page-type model the HTML classifier reads: its inputs, and the shipped model's use."""

from __future__ import annotations

import numpy as np
from lxml.html import fromstring

from corpusprep import linemodel
from corpusprep.blocks import DOM_NAMES, page_features
from corpusprep.pagetype import PAGE_TYPES, TYPE_NAMES, page_numbers, page_tokens

PRODUCT = """<html><head>
<meta property="og:type" content="og:product.item">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product",
 "name": "Kettle", "offers": {"@type": ["Offer"], "price": "19.99"}}</script>
</head><body><div itemscope itemtype="http://schema.org/AggregateRating">4.5</div>
<h1>Steel kettle</h1><p>Boils 1.7 litres in three minutes.</p>
<ul><li>Add to cart</li><li>Price: $19.99</li></ul></body></html>"""


def test_tokens_name_structured_types_and_url_words():
    tokens = page_tokens(fromstring(PRODUCT), "https://shop.example/en/products/kettle-12?x=1")
    assert {"t:product", "t:offer", "t:aggregaterating"} <= tokens  # JSON-LD, microdata
    assert "t:item" in tokens  # og:type, prefixes dropped
    assert {"u:en", "u:products", "u:kettle"} <= tokens
    assert not any(t in tokens for t in ("u:12", "u:x", "u:shop"))  # no digits, query, host
    assert page_tokens(fromstring("<p>plain</p>"), None) == set()


def test_numbers_hold_the_page_features_dom_shares_and_url_shape():
    blocks, text_rows, dom = page_features(fromstring(PRODUCT))
    numbers = page_numbers("https://shop.example/a/2024/item?id=3", text_rows, dom)
    url_part = numbers[-4:]
    assert url_part == [3.0, 1.0, 1.0, 4.0]  # depth, query, digit segments, last segment
    in_li = DOM_NAMES.index("in_li")
    shares = numbers[-4 - len(DOM_NAMES) : -4]
    # word-weighted: the two list items hold 2 + 3 of the page's words (+1 each line)
    words = [len(b.text.split()) + 1 for b in blocks]
    li = [w for w, b in zip(words, dom, strict=True) if b[in_li]]
    assert shares[in_li] == sum(li) / sum(words)
    assert len(numbers) == len(page_numbers(None, text_rows, dom))


def test_shipped_html_model_reads_page_type_probabilities():
    model = linemodel.html_model()
    assert model.page_types is not None
    assert linemodel.feature_names(html=True)[-len(PAGE_TYPES) :] == TYPE_NAMES
    root = fromstring(PRODUCT)
    tokens = page_tokens(root, "https://shop.example/products/kettle")
    _, text_rows, dom = page_features(root)
    p = model.page_types.probabilities([(page_numbers(None, text_rows, dom), tokens)])
    assert p.shape == (1, len(PAGE_TYPES)) and np.isclose(p.sum(), 1.0)
    assert PAGE_TYPES[int(p.argmax())] == "product"
