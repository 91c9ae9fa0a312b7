"""Tests of the line cleaner: seed labels, rule ids on tiny fixtures, and invariants."""

from __future__ import annotations

import re

import pytest
from conftest import SEEDS, seed_label_misses
from hypothesis import given, settings
from hypothesis import strategies as st

from corpusprep.clean import (
    FEATURE_NAMES,
    RULE_IDS,
    CleanConfig,
    Cleaned,
    clean_text,
    line_features,
    line_key,
    line_keys,
    repeat_threshold,
)

PARAGRAPHS = [
    "The council met on Tuesday to discuss the budget for the coming year, and the debate "
    "went on until late in the evening.",
    "Members of the opposition said that the plan would cut spending on schools and roads "
    "while doing little for the people who need help most.",
    "The mayor, who has defended the budget since it was first published in the spring, said "
    "she was confident that it would pass when it is put to a vote next month.",
    "Several residents spoke at the meeting and asked the council to keep the library open on "
    "Sundays, which the plan would end.",
    "A final decision is expected before the end of the year, after a second round of public "
    "hearings in each of the city's districts.",
]
ARTICLE = "\n".join(PARAGRAPHS)


def reasons(cleaned: Cleaned) -> dict[str, str]:
    return {r.text: r.reason for r in cleaned.removed}


def rule_marks(text: str) -> dict[str, str | None]:
    """The rule that marked each line (a closing heading's id, else the marking rule's), as
    the classifier's features carry it."""
    lines = text.split("\n")
    idx, rows = line_features(text)
    rule, boundary = FEATURE_NAMES.index("rule"), FEATURE_NAMES.index("boundary")
    out: dict[str, str | None] = {}
    for k, row in zip(idx, rows, strict=True):
        mark = int(row[boundary] or row[rule])
        out[lines[k].strip()] = RULE_IDS[mark - 1] if mark else None
    return out


def kept_lines(cleaned: Cleaned) -> list[str]:
    return cleaned.text.split("\n") if cleaned.text else []


# --------------------------------------------------------------------------------------------
# Seeds: every 'keep' line kept and every 'drop' line dropped (as tools/score_seeds.py checks)


def test_seed_labels():
    texts = {f.name: clean_text(f.read_text(encoding="utf-8")).text for f in SEEDS.glob("*.txt")}
    misses, kept, dropped = seed_label_misses(texts)
    assert not misses
    assert (kept, dropped) == (60, 44)


# --------------------------------------------------------------------------------------------
# Rule ids on inline fixtures


def test_timestamp_line():
    text = ARTICLE + "\n17 minutes -\n" + PARAGRAPHS[0].replace("council", "board")
    assert rule_marks(text)["17 minutes -"] == "boilerplate.timestamp"


def test_latest_stories_list():
    tail = [
        "Latest Stories",
        "-",
        "Minister opens new bridge over the river in the north",
        "1 minute -",
        "Farmers appeal for help as the dry season drags on",
        "17 minutes -",
        "Festival of lights draws record crowds to the capital",
        "2 hours",
    ]
    c = clean_text(ARTICLE + "\n" + "\n".join(tail))
    r = reasons(c)
    assert r["Latest Stories"] == "boilerplate.latest_stories"
    assert r["Minister opens new bridge over the river in the north"] == (
        "boilerplate.latest_stories"
    )
    assert r["17 minutes -"] == "boilerplate.timestamp"
    assert kept_lines(c)[: len(PARAGRAPHS)] == PARAGRAPHS


def test_caption_credit():
    caption = "Supporters of the council gather outside the city hall on Monday - Reuters"
    c = clean_text("Budget row\n" + caption + "\n" + ARTICLE)
    assert reasons(c)[caption] == "boilerplate.caption_credit"
    assert kept_lines(c) == PARAGRAPHS


def test_trailing_cjk_ui_string_on_english_article():
    last = PARAGRAPHS[-1]
    c = clean_text("\n".join(PARAGRAPHS[:-1]) + "\n" + last + "留言列表")
    assert kept_lines(c)[-1] == last
    assert reasons(c)["留言列表"] == "noise.foreign_script"


def test_foreign_script_ui_line():
    c = clean_text(ARTICLE + "\n中文网\n" + PARAGRAPHS[1])
    assert reasons(c)["中文网"] == "noise.foreign_script"


def test_chinese_article_survives():
    article = [
        "联合国安理会星期四举行紧急会议，讨论马里北部局势的最新发展。",
        "多名外交官表示，安理会成员对武装分子向南推进表示严重关切，并呼吁各方保持克制。",
        "法国驻联合国大使在会后对记者说，局势的恶化直接威胁到地区的和平与安全。",
        "非洲联盟此前已经批准向马里派遣维和部队，但部署预计要到今年秋天才能开始。",
    ]
    c = clean_text("\n".join(article), language="zh")
    assert kept_lines(c) == article
    assert not c.removed


def test_repeated_disclaimer():
    disclaimer = (
        "DISCLAIMER: The views, comments and opinions made by readers on this platform do not "
        "necessarily represent the views or policy of the publisher."
    )
    text = ARTICLE + "\n" + disclaimer + "\nTags:\n" + disclaimer
    assert rule_marks(text)[disclaimer] == "boilerplate.disclaimer"
    c = clean_text(text)
    assert kept_lines(c)[: len(PARAGRAPHS)] == PARAGRAPHS
    assert "boilerplate.disclaimer" in {r.reason for r in c.removed if r.text == disclaimer}


def test_corpus_repeated_key_passed_in():
    slogan = "Independent news for the valley since 1921, every day of the week."
    keys = frozenset({line_key(slogan)})
    c = clean_text(PARAGRAPHS[0] + "\n" + slogan + "\n" + "\n".join(PARAGRAPHS[1:]), repeated=keys)
    assert reasons(c)[slogan] == "boilerplate.repeated"
    assert kept_lines(c) == PARAGRAPHS
    # without the corpus-level knowledge the same line is ordinary prose
    assert slogan in clean_text(PARAGRAPHS[0] + "\n" + slogan + "\n" + ARTICLE).text


def test_line_key_normalises_case_space_digits():
    assert line_key("  17 Minutes  ago ") == line_key("3 minutes ago")
    assert line_key("Share this") != line_key("Subscribe")


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        st.one_of(
            st.characters(codec="utf-8"),
            st.sampled_from(list("0123456789\u0663 \t\n\u00a0\u2028ΣσςİI-.,!©")),
        ),
        max_size=120,
    )
)
def test_whole_text_keys_equal_line_by_line_keys(text):
    # the scan pass keys a text at once; the cleaner looks lines up one by one
    assert line_keys(text) == {line_key(ln) for ln in text.split("\n") if ln.strip()}


def test_repeat_threshold_grows_with_folder():
    assert repeat_threshold(10) == 3  # min_repeat_docs
    assert repeat_threshold(1000, CleanConfig()) == 10  # 1% of the folder
    assert repeat_threshold(1001) == 11


def test_title_goes_to_title():
    title = "Council budget row deepens as vote nears"
    c = clean_text("Home\nNews\n" + title + "\n" + ARTICLE)
    assert c.title == title
    assert reasons(c)[title] == "meta.title"
    assert kept_lines(c) == PARAGRAPHS


def test_navigation_outside_article():
    nav = ["Home", "World", "Business", "Sports", "Subscribe", "Log In"]
    footer = ["About Us", "Contact Us", "Privacy Policy", "© 2024 Example Media"]
    c = clean_text("\n".join(nav) + "\n" + ARTICLE + "\n" + "\n".join(footer))
    assert kept_lines(c) == PARAGRAPHS
    r = reasons(c)
    assert r["Subscribe"] == "boilerplate.subscribe"
    assert r["© 2024 Example Media"] == "boilerplate.copyright"
    assert r["World"] == "model.boilerplate"  # no rule marked it: the classifier did


def test_teaser_run_inside_article():
    teasers = [
        "Mayor defends plan for new stadium",
        "City prepares for the next flood season",
        "Residents rally to save the old library",
        "School board votes to extend the year",
    ]
    text = "\n".join(PARAGRAPHS[:3] + teasers + PARAGRAPHS[3:])
    assert {rule_marks(text)[t] for t in teasers} == {"boilerplate.related_teaser"}
    # a question is a sentence: it breaks the run (no longer a special case for "?")
    asked = teasers[:1] + ["Is the city ready for the next flood?"] + teasers[2:]
    text = "\n".join(PARAGRAPHS[:3] + asked + PARAGRAPHS[3:])
    assert {rule_marks(text)[t] for t in asked} == {None}


def test_html_mode_is_conservative():
    text = ARTICLE + "\nShort subheading\n" + PARAGRAPHS[0].replace("council", "board")
    c = clean_text(text, fmt="html")
    assert "Short subheading" in kept_lines(c)
    assert c.title is None


def test_rule_ids_are_stable_strings():
    assert all(re.fullmatch(r"[a-z]+\.[a-z_]+", r) for r in RULE_IDS)
    c = clean_text(ARTICLE + "\nShare this:\nFacebook\nTwitter\n© 2024 Example")
    assert {r.reason for r in c.removed} <= set(RULE_IDS)


# --------------------------------------------------------------------------------------------
# Invariants


def _check_accounting(text: str, cleaned: Cleaned) -> None:
    kept = set(kept_lines(cleaned))
    removed_at = {r.line_no for r in cleaned.removed}
    for k, raw in enumerate(text.split("\n")):
        s = raw.strip()
        if s:
            assert s in kept or k in removed_at, (k, s)
    assert all(ln == ln.strip() and ln for ln in kept_lines(cleaned))


_line = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        PARAGRAPHS
        + ["Latest Stories", "17 minutes -", "Share", "© 2020", "中文网", "-", "", "   "]
        + ["Related articles", "3 Comments", "By Jane Doe", "(AP Photo/John Smith)"]
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_line, max_size=30), st.sampled_from(["txt", "html"]))
def test_never_raises_and_accounts_for_every_line(lines, fmt):
    text = "\n".join(lines)
    cleaned = clean_text(text, fmt=fmt)
    _check_accounting(text, cleaned)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_strings(text):
    cleaned = clean_text(text)
    _check_accounting(text, cleaned)


# --------------------------------------------------------------------------------------------
# Rules added in the second round


def test_metadata_labels():
    c = clean_text("Author:\nPublish date:\nTopics: Budget, Council\n" + ARTICLE)
    r = reasons(c)
    assert r["Author:"] == "boilerplate.metadata"
    assert r["Publish date:"] == "boilerplate.metadata"
    assert r["Topics: Budget, Council"] == "boilerplate.metadata"
    assert kept_lines(c) == PARAGRAPHS


def test_participle_byline_with_colon():
    c = clean_text(ARTICLE + "\nResearched by: Jane Doe, John Roe\nEdited by: Ann Smith")
    r = reasons(c)
    assert r["Researched by: Jane Doe, John Roe"] == "boilerplate.byline"
    assert r["Edited by: Ann Smith"] == "boilerplate.byline"
    # a headline with "by" and no colon is not a byline
    c = clean_text(ARTICLE + "\nKilled by a falling tree in the storm\n" + ARTICLE)
    assert reasons(c).get("Killed by a falling tree in the storm") != "boilerplate.byline"


def test_sources_section_closes_article():
    refs = [
        "Sources:",
        'City Council, "Budget proposal for the coming year," accessed Nov. 13, 2019',
        "Email interview with the mayor's office, Oct. 30, 2019",
    ]
    text = ARTICLE + "\n" + "\n".join(refs)
    assert rule_marks(text)["Sources:"] == "boilerplate.sources"
    assert kept_lines(clean_text(text))[: len(PARAGRAPHS)] == PARAGRAPHS


def test_more_section_heading_and_ellipsis_heading():
    tail = ["More World", "Farmers paint their cows with stripes", "Bridge opens in the north"]
    c = clean_text(ARTICLE + "\n" + "\n".join(tail))
    assert reasons(c)["More World"] == "boilerplate.related_teaser"
    assert kept_lines(c) == PARAGRAPHS
    c = clean_text(ARTICLE + "\nMore from Example...\nA headline about something else")
    assert reasons(c)["More from Example..."] == "boilerplate.related_teaser"


def test_newsletter_pitch_sentence():
    pitch = "Sign up for our free daily newsletter to get the best stories in your inbox."
    c = clean_text(ARTICLE + "\n" + pitch)
    assert reasons(c)[pitch] == "boilerplate.subscribe"
    assert kept_lines(c) == PARAGRAPHS


def test_advert_label():
    c = clean_text(PARAGRAPHS[0] + "\nAdvert\n" + "\n".join(PARAGRAPHS[1:]))
    assert reasons(c)["Advert"] == "boilerplate.advertisement"


def test_repeated_in_page_outside_article_only():
    teasers = []
    for n in range(4):
        teasers += ["Morning Briefing", f"Morning Briefing {n + 1}.11.19", f"Another story {n}"]
    text = ARTICLE + "\n" + "\n".join(teasers)
    idx, rows = line_features(text)
    soft = FEATURE_NAMES.index("repeated_in_page")
    marked = {text.split("\n")[k] for k, row in zip(idx, rows, strict=True) if row[soft]}
    assert marked == set(teasers)  # digits do not tell lines apart
    c = clean_text(text)
    assert kept_lines(c)[: len(PARAGRAPHS)] == PARAGRAPHS
    assert reasons(c)["Morning Briefing"] == "boilerplate.repeated_in_page"
    # the same repetition inside the article (table rows, recipe steps) stays
    rows = ["Eat two hours before you train"] * 3
    inner = PARAGRAPHS[:2] + [rows[0], PARAGRAPHS[2], rows[1], PARAGRAPHS[3], rows[2]]
    c = clean_text("\n".join(inner + PARAGRAPHS[4:]))
    assert kept_lines(c).count(rows[0]) == 3


def test_title_needs_topic_words_of_the_article():
    c = clean_text("Audio By Example Widget\n" + ARTICLE)
    assert c.title is None
    assert "Audio By Example Widget" not in kept_lines(c)
    c = clean_text("Menu\nCouncil budget row deepens as vote nears\n" + ARTICLE)
    assert c.title == "Council budget row deepens as vote nears"


def test_gated_rules_still_fire_on_their_edge_forms():
    """The cheap gates in front of the rule regexes (first-word prefixes, keywords in the
    lowercased line) must let through the forms the regexes accept."""
    cases = {
        "- Sources": "boilerplate.sources",  # heading after a hyphen token
        "'References'": "boilerplate.sources",
        "(C) 2019 Example Media. All rights reserved.": "boilerplate.copyright",
        "COPYRIGHT EXAMPLE MEDIA": "boilerplate.copyright",
        "This site uses cookies.": "boilerplate.cookie",
        "Views expressed in this column do not necessarily reflect those of the paper.": (
            "boilerplate.disclaimer"
        ),
        "Photo: Jane Doe": "boilerplate.caption_credit",
        "Updated Nov. 19, 2019 10:30 am": "boilerplate.timestamp",
        "3 hours ago": "boilerplate.timestamp",
    }
    for line, rule in cases.items():
        assert rule_marks(ARTICLE + "\n" + line + "\n" + ARTICLE)[line] == rule, line


def test_url_only_and_list_item_lines():
    # a bare link at the end is not article text; a numbered list after a colon stays
    c = clean_text(ARTICLE + "\nwww.example.com/news")
    assert "www.example.com/news" not in kept_lines(c)
    items = ["1. Keep the library open", "2. Fix the roads first"]
    c = clean_text(
        "\n".join(PARAGRAPHS[:3])
        + "\nThe residents asked for two things:\n"
        + "\n".join(items)
        + "\n"
        + "\n".join(PARAGRAPHS[3:])
    )
    for item in items:
        assert item in kept_lines(c)


# --------------------------------------------------------------------------------------------
# The line classifier: one UI string does not end the article, comments go unless kept


@pytest.mark.parametrize("ui", ["Comments (0)", "Related posts", "Latest developments"])
def test_a_heading_in_the_middle_does_not_end_the_article(ui):
    """A closing heading used to cut everything after it; now it is evidence, and the prose
    after it stays (the heading itself may stay as a subheading: two words of a page)."""
    c = clean_text("\n".join(PARAGRAPHS[:2] + [ui] + PARAGRAPHS[2:]))
    assert [line for line in kept_lines(c) if line != ui] == PARAGRAPHS


@pytest.mark.parametrize("ui", ["留言列表", "Комментарии", "コメント"])
def test_a_foreign_script_ui_line_in_the_middle_goes_and_nothing_else(ui):
    c = clean_text("\n".join(PARAGRAPHS[:2] + [ui] + PARAGRAPHS[2:]))
    assert kept_lines(c) == PARAGRAPHS
    assert [(r.text, r.reason) for r in c.removed] == [(ui, "noise.foreign_script")]


@pytest.mark.parametrize("noise", ["留言列表", "* * *", "관련 기사"])
def test_noise_lines_are_no_context_for_the_others(noise):
    """A line that goes whatever its context (foreign-script UI string, no letters) is set aside
    before the block search and the features: every other line's row is what it would be
    without it, so it cannot move their verdicts."""
    lines = ["Home | News | Sport", "Council votes on the budget", *PARAGRAPHS, "© 2024 Example"]
    with_noise = lines[:4] + [noise] + lines[4:]
    idx, rows = line_features("\n".join(with_noise))
    assert idx == [k for k in range(len(with_noise)) if k != 4]
    assert repr(rows) == repr(line_features("\n".join(lines))[1])  # nan == nan here
    # the HTML classifier judges every block itself: there the line keeps its row
    assert len(line_features("\n".join(with_noise), set_noise_aside=False)[0]) == len(with_noise)
    gone = [(r.line_no, r.reason) for r in clean_text("\n".join(with_noise)).removed]
    assert (4, "noise.foreign_script" if noise[0] != "*" else "noise.no_letters") in gone


COMMENT_SECTION = [
    "3 Comments",
    "Jane Miller",
    "March 3, 2024 at 5:12 pm",
    "I went to the hearing last week and I think the library hours matter more than the roads.",
    "Reply",
    "Tom Baker",
    "March 4, 2024 at 9:40 am",
    "Does anyone know whether the second round of hearings will be held online this time?",
    "Reply",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
]


def test_a_comment_section_goes_unless_comments_are_kept():
    text = ARTICLE + "\n" + "\n".join(COMMENT_SECTION)
    c = clean_text(text)
    assert kept_lines(c)[: len(PARAGRAPHS)] == PARAGRAPHS
    r = reasons(c)
    for chrome in ("3 Comments", "Reply", "Leave a Reply"):
        assert r[chrome] in ("boilerplate.comments", "model.comments")
    kept = clean_text(text, config=CleanConfig(keep_comments=True))
    assert kept_lines(kept)[: len(PARAGRAPHS)] == PARAGRAPHS
    section = set(COMMENT_SECTION)
    assert section & set(kept_lines(c)) < section & set(kept_lines(kept))
    assert "Reply" in kept_lines(kept)


def test_danda_and_arabic_question_mark_end_sentences():
    terminal = FEATURE_NAMES.index("terminal")
    for line in ("यह एक वाक्य है।", "هل أنت بخير؟", "This line runs on and on"):
        _, rows = line_features(line)
        assert rows[0][terminal] == (0.0 if line.startswith("This") else 1.0)


def test_feature_rows_have_one_value_per_name():
    _, rows = line_features("Home\n" + ARTICLE + "\n© 2024 Example")
    assert len(rows) == len(PARAGRAPHS) + 2
    assert {len(r) for r in rows} == {len(FEATURE_NAMES)}


def test_a_text_the_classifier_doubts_everywhere_keeps_its_likeliest_lines():
    import copy

    from corpusprep.clean import CleanConfig
    from corpusprep.linemodel import default_model

    model = copy.copy(default_model())
    text = "Home | News | Sport\nThe one paragraph of this page says what happened.\nContact us"
    doubts = [0.05, 0.3, 0.05]  # P(content) of the three lines, the highest only 0.3
    model.keep_probabilities = lambda rows, keep_comments: (doubts, [0.0] * len(rows))
    off = CleanConfig(keep_relative_floor=1.0)  # the threshold as given
    assert clean_text(text, config=off, model=model).text == ""
    floor = CleanConfig(keep_relative_floor=0.25)
    got = clean_text(text, config=floor, model=model)
    assert got.text == "The one paragraph of this page says what happened."  # 0.3 >= 0.5 x 0.3
    assert [r.score for r in got.removed] == [0.95, 0.95]
    doubts[1] = 0.13  # the threshold goes no lower than 0.5 x 0.25
    assert (
        clean_text(text, config=floor, model=model).text
        == "The one paragraph of this page says what happened."
    )
    doubts[1] = 0.12
    assert clean_text(text, config=floor, model=model).text == ""
    assert CleanConfig().keep_relative_floor < 1.0  # on by default
