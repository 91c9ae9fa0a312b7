"""HTML blocks: a page's visible text, one block element per line, with what the DOM knows of
each line and plain text does not (its tag and ancestors, how much of it is link text, the
words of its class and id attributes). The HTML classifier
(``linemodel.html_model``) reads these beside the text features of the same lines.

The lines are those of ``extract.visible_lines`` (a block element starts a line, ``<br>``
too); ``scripts/training_data.py`` renders its training pages with this module, so a page
is seen the same way in training and at run time.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import lxml.etree
from lxml.html import HtmlElement

from corpusprep.clean import line_features, line_words, model_reason, page_threshold, vocab_rows
from corpusprep.linemodel import html_model
from corpusprep.pagetype import page_numbers, page_tokens

# Block-level tags: each starts a new line of the page's visible text.
BLOCK_TAGS = frozenset(
    ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "dd", "dt")
    + ("section", "article", "header", "footer", "nav", "aside", "ul", "ol", "dl", "table")
    + ("blockquote", "pre", "figure", "figcaption", "form", "main", "title")
)
# A block's own tag, as a category of the model (0: any other)
_TAGS = (
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt", "pre",
    "blockquote", "figcaption", "title", "section", "article", "header", "footer", "nav",
    "aside", "form", "main", "tr", "ul", "ol", "table", "figure", "dl",
)  # fmt: skip
_TAG_ID = {t: float(k + 1) for k, t in enumerate(_TAGS)}
# Ancestors whose presence the model sees (semantic sections, lists, tables, links, forms)
ANCESTORS = (
    "nav", "header", "footer", "aside", "form", "li", "table", "article", "main", "a",
    "figure", "blockquote", "button", "label", "select", "h1", "h2", "h3", "ul", "ol", "dl",
)  # fmt: skip
DOM_NAMES: tuple[str, ...] = (
    "tag", "depth", "link_share", "n_attr_words", "same_tag_siblings", "same_class_siblings",
    "page_json_ld", "page_og_product", "page_blocks",
    *(f"in_{a}" for a in ANCESTORS),
    # Where the block sits against the page's first <h1> (missing without one): the depth of
    # their deepest common ancestor, the block's and the <h1>'s depth below it, and whether
    # the block comes first. A product's price and options share a small box with its name;
    # the cards of related products meet it only near <body>.
    "headline_common_depth", "below_headline_common", "headline_below_common", "before_headline",
)  # fmt: skip
# What the class and id words say: log-odds of content and of comments, learned like the
# line vocabulary ("comment", "sidebar", "related", "entry", ... in any naming scheme).
ATTR_NAMES: tuple[str, ...] = (
    "attr_mean", "attr_min", "attr_max", "attr_comments", "attr_known",
)  # fmt: skip
CATEGORICAL_DOM = ("tag",)
_INVISIBLE = "//script|//style|//noscript|//template|//svg|//comment()"
_INVISIBLE_BUT_NOSCRIPT = "//script|//style|//template|//svg|//comment()"
_ATTR_LEVELS = 4  # the block's own attributes and those of 3 ancestors
_NOT_LETTER = re.compile(r"[^a-z]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


@dataclass(frozen=True, slots=True)
class Block:
    """One line of the page and the DOM facts about it."""

    text: str
    tag: str
    depth: int
    link_chars: int
    ancestors: frozenset[str]
    attr_words: tuple[str, ...]  # distinct, sorted
    same_tag_siblings: int
    same_class_siblings: int
    headline_common: int = -1  # elements shared with the first <h1>'s path (-1: no <h1>)
    headline_depth: int = 0  # that <h1>'s depth
    before_headline: bool = False


def drop_invisible(root: HtmlElement, noscript: bool = True) -> None:
    """Remove scripts, styles, templates and comments (and, unless told not to, <noscript>)
    from a parsed page; a comment before the root element has no parent and is not part of
    the page's text anyway."""
    for el in root.xpath(_INVISIBLE if noscript else _INVISIBLE_BUT_NOSCRIPT):
        if el.getparent() is not None:
            el.drop_tree()


def attr_words(el: HtmlElement) -> list[str]:
    """Words of an element's class and id: camelCase and any separator split, letters only."""
    out: list[str] = []
    for name in ("class", "id"):
        value = el.get(name)
        if value:
            value = _CAMEL.sub(" ", value).lower()
            out.extend(w for w in _NOT_LETTER.split(value) if len(w) >= 2)
    return out


def page_flags(root: HtmlElement) -> tuple[float, float]:
    """Whether the page carries JSON-LD, and whether its og:type says product (read before
    scripts are dropped: products keep their description in such metadata)."""
    json_ld = bool(root.xpath("//script[@type='application/ld+json']"))
    og = root.xpath("//meta[@property='og:type']/@content")
    product = any("product" in str(v).lower() for v in og)
    return float(json_ld), float(product)


def page_blocks(root: HtmlElement) -> list[Block]:
    """The page's lines, one per block element (text between nested blocks is a line of its
    own), from a tree whose invisible elements are already dropped."""
    blocks: list[Block] = []
    h1 = next(root.iter("h1"), None)
    h1_path = [*reversed(list(h1.iterancestors())), h1] if h1 is not None else []
    # per open element, how many leading elements of its path are the <h1>'s
    common: list[int] = [0]
    seen_h1 = False
    # The open elements from the root down: their tags and class/id words, so that a block's
    # ancestors cost one set, not a walk up the tree per line.
    tags: list[str] = []
    words: list[list[str]] = []
    owners: list[_Owner] = []
    siblings: dict[HtmlElement, tuple[dict, dict]] = {}
    seen: dict[tuple, list[str]] = {}
    buf: list[tuple[str, bool]] = []  # text pieces of the current line, in a link or not
    in_link = 0

    def flush() -> None:
        if not buf:
            return
        text = " ".join("".join(t for t, _ in buf).split())
        if text:
            links = sum(len(t.strip()) for t, linked in buf if linked)
            o = owners[-1] if owners else _ROOT
            blocks.append(
                Block(text, o.tag, o.depth, links, o.ancestors, o.words, o.same_tag, o.same_class,
                      o.headline_common if h1_path else -1, len(h1_path),
                      bool(h1_path) and not seen_h1)
            )  # fmt: skip
        buf.clear()

    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            k, shared = len(tags), common[-1]
            on_path = shared == k and k < len(h1_path) and h1_path[k] is el
            common.append(shared + 1 if on_path else shared)
            cls, ident = el.get("class"), el.get("id")
            own = _NO_WORDS
            if cls or ident:
                own = seen.get((cls, ident))  # pages repeat their class names
                if own is None:
                    own = seen[(cls, ident)] = attr_words(el)
            if tag in BLOCK_TAGS:
                flush()
                if tag != "br":
                    owners.append(_owner(el, tag, cls, own, tags, words, siblings, common[-1]))
            if el is h1:
                seen_h1 = True
            tags.append(tag)
            words.append(own)
            if tag == "a":
                in_link += 1
            if el.text and tag != "br":
                buf.append((el.text, in_link > 0))
        else:
            tags.pop()
            words.pop()
            common.pop()
            if tag == "a":
                in_link -= 1
            if tag in BLOCK_TAGS and tag != "br":
                flush()
                owners.pop()
            if el.tail:
                buf.append((el.tail, in_link > 0))
    flush()
    return blocks


@dataclass(frozen=True, slots=True)
class _Owner:
    """What the lines of one block element share."""

    tag: str
    depth: int
    ancestors: frozenset[str]
    words: tuple[str, ...]
    same_tag: int
    same_class: int
    headline_common: int  # leading elements of its path that are the first <h1>'s


_ROOT = _Owner("", 0, frozenset(), (), 0, 0, 0)
_NO_WORDS: list[str] = []


def _owner(
    el: HtmlElement,
    tag: str,
    cls: str | None,
    own_words: list[str],
    tags: list[str],
    words: list[list[str]],
    siblings: dict[HtmlElement, tuple[dict, dict]],
    headline_common: int,
) -> _Owner:
    own = list(own_words)
    for ancestor in words[-(_ATTR_LEVELS - 1) :]:
        own.extend(ancestor)
    same_tag = same_class = 0
    parent = el.getparent()
    if parent is not None and len(parent) == 1:  # an only child: no counting (most parents)
        same_tag, same_class = 1, 1 if cls else 0
    elif parent is not None:
        # keyed by the element, not id(): lxml's proxies are made on demand, and an id can
        # come back for another element once its proxy is gone
        counts = siblings.get(parent)
        if counts is None:  # once per parent: a list of 500 items is not 500 x 500 steps
            counts = siblings[parent] = _child_counts(parent)
        same_tag = counts[0][el.tag]
        same_class = counts[1].get((el.tag, cls), 0) if cls else 0
    return _Owner(
        tag, len(tags), frozenset(tags), tuple(sorted(set(own))), same_tag, same_class,
        headline_common,
    )  # fmt: skip


def _child_counts(parent: HtmlElement) -> tuple[dict, dict]:
    """How many children of `parent` have each tag, and each (tag, class); one pass (each
    child's proxy costs a lookup)."""
    by_tag: dict = {}
    by_class: dict = {}
    for child in parent:
        tag = child.tag
        by_tag[tag] = by_tag.get(tag, 0) + 1
        cls = child.get("class")
        if cls:
            by_class[tag, cls] = by_class.get((tag, cls), 0) + 1
    return by_tag, by_class


def dom_rows(blocks: list[Block], flags: tuple[float, float]) -> list[list[float]]:
    """One row of DOM_NAMES per block (``flags``: the page's ``page_flags``)."""
    n_blocks = math.log1p(len(blocks))
    rows = []
    for b in blocks:
        rows.append(
            [
                _TAG_ID.get(b.tag, 0.0),
                float(b.depth),
                b.link_chars / len(b.text),
                float(len(b.attr_words)),
                math.log1p(b.same_tag_siblings),
                math.log1p(b.same_class_siblings),
                flags[0],
                flags[1],
                n_blocks,
                *(1.0 if a in b.ancestors else 0.0 for a in ANCESTORS),
                *_headline_columns(b),
            ]
        )
    return rows


def _headline_columns(b: Block) -> tuple[float, float, float, float]:
    if b.headline_common < 0:
        return (math.nan,) * 4
    own_depth = b.depth + 1 if b.tag else 0  # the owner element counts itself
    return (
        float(b.headline_common),
        float(own_depth - b.headline_common),
        float(b.headline_depth - b.headline_common),
        float(b.before_headline),
    )


def attr_rows(
    words: list[tuple[str, ...]], vocabulary: dict[str, tuple[float, float]]
) -> list[list[float]]:
    """ATTR_NAMES per line from its class/id ``words`` (``Block.attr_words``) and the learned
    class/id vocabulary."""
    nan = math.nan
    rows = []
    for names in words:
        found = [vocabulary[w] for w in names if w in vocabulary]
        if found:
            content = [c for c, _ in found]
            rows.append(
                [
                    sum(content) / len(content),
                    min(content),
                    max(content),
                    max(m for _, m in found),
                    len(found) / len(names),
                ]
            )
        else:
            rows.append([nan, nan, nan, nan, 0.0])
    return rows


def page_features(
    root: HtmlElement,
) -> tuple[list[Block], list[list[float]], list[list[float]]]:
    """A parsed page's block lines, their text feature rows (``clean.line_features``) and DOM
    rows: what the HTML classifier sees, at run time and in training. ``root`` is modified
    (invisible elements dropped). A block the text analysis takes for blank (format characters
    only) is left out."""
    flags = page_flags(root)
    drop_invisible(root, noscript=False)
    blocks = page_blocks(root)
    # every block is the classifier's to judge, noise included (it sees the DOM around it)
    idx, text_rows = line_features("\n".join(b.text for b in blocks), set_noise_aside=False)
    if len(idx) != len(blocks):
        blocks = [blocks[k] for k in idx]
    return blocks, text_rows, dom_rows(blocks, flags)


def classify(
    root: HtmlElement,
    keep_threshold: float,
    keep_comments: bool,
    model=None,
    url: str | None = None,
    relative_floor: float = 1.0,
) -> tuple[str, list[tuple[str, str, float]]]:
    """The page's content lines (joined by newlines) and the dropped ones as (text, reason,
    1 - P(keep)). ``root`` is the parsed page (modified: invisible elements are dropped).

    A line stays when P(keep) is at least `keep_threshold` times the page's highest P(keep),
    where that is below 1 but not below `relative_floor` (1.0: the threshold as given): on a
    page whose every line the classifier doubts, the likeliest still make its text."""
    model = model or html_model()
    tokens = page_tokens(root, url)
    blocks, text_rows, dom = page_features(root)
    if not blocks:
        return "", []
    vocab = vocab_rows([line_words(b.text) for b in blocks], model.vocabulary)
    attrs = attr_rows([b.attr_words for b in blocks], model.attributes or {})
    types = model.page_types.probabilities([(page_numbers(url, text_rows, dom), tokens)])
    page = types[0].tolist()
    rows = [a + b + c + d + page for a, b, c, d in zip(text_rows, vocab, dom, attrs, strict=True)]
    keep, comments = model.keep_probabilities(rows, keep_comments)
    threshold = page_threshold(keep_threshold, keep, relative_floor)
    kept, dropped = [], []
    for b, p, pc in zip(blocks, keep, comments, strict=True):
        if p >= threshold:
            kept.append(b.text)
        else:
            dropped.append((b.text, model_reason(p, pc), round(1.0 - p, 3)))
    return "\n".join(kept), dropped
