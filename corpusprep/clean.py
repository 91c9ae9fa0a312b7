"""Line-level boilerplate and noise removal for plain text (no HTML needed).

How it works (detect, then delete in one place):

1. ``_features`` describes every non-blank raw line: effective word count, stopword ratio,
   terminal punctuation, script, list/URL shape.
2. Line rules (``_line_verdict``) mark lines with a stable rule id and a score: web chrome
   vocabulary (share, subscribe, cookie, advertisement... in several languages), timestamps,
   bylines, caption credits, corpus-level repeats, foreign-script UI strings. Section headings
   such as "Latest Stories" or "Related articles" are marked as *boundaries*.
3. ``_find_block`` weights each line by content-likeness and picks the best-scoring contiguous
   block of lines (a maximum-subarray search, in the spirit of the "largest text block" idea of
   jusText and boilerpipe); the headline is a title-shaped line above the block whose topic
   words recur in the block's first lines.
4. None of that deletes anything by itself: ``_feature_rows`` turns it into one row of
   ``FEATURE_NAMES`` per line (the line, its neighbours, its place relative to the block, the
   page), and the learned line classifier (``linemodel``) gives each line P(content),
   P(comments) and P(boilerplate). A line is kept when P(content) (plus P(comments) with
   ``keep_comments``) reaches ``keep_threshold``, or on a page whose likeliest line is below 1,
   ``keep_threshold`` times that line's P (``page_threshold``).
5. ``clean_text`` is the one place that deletes: every dropped non-blank line or fragment is
   recorded in ``Cleaned.removed`` with the id of the rule that marked it, else
   ``model.boilerplate`` / ``model.comments``, and the classifier's probability that the line
   is not content. Foreign-script fragments glued to the end of a kept paragraph are cut.

For ``fmt="html"`` (text already extracted by trafilatura) there is no classifier and no block
search: only high-precision rules (``_HTML_RULES``) drop lines, plus what follows a closing
section heading in the second half of the text.

Why one module of ~1,600 lines: the rules, the block search and the features share `_Line`
and ~100 compiled patterns, and the learned-cleaner issue (14), which is still rebuilding them,
owns the move to a `clean/` package (patterns, line rules, block, features, entry).
"""

from __future__ import annotations

import hashlib
import importlib
import math
import re
from dataclasses import dataclass, fields
from typing import Any, NamedTuple

from corpusprep.signals import HAN_KANA
from corpusprep.stopwords import ALL_SPACED, STOPWORDS, SUBSTRING_LANGS


@dataclass(frozen=True)
class CleanConfig:
    """Thresholds of the line cleaner (recorded in the run's config hash).

    Published reference points:
    - C4 (Raffel et al. 2020, sec. 2.2) keeps only lines that end in terminal punctuation and
      have at least 3 words (``min_line_words``); we use it as a weak content signal, not a hard
      filter, because subheadings and list items are content too.
    - jusText (Pomikalek 2011) classifies paragraphs with ``length_low=70`` characters and a
      stopword density ``stopwords_low=0.30`` over a ~300-word list and ``max_link_density=0.2``.
      Our lists are shorter (~150 words), so ``stopword_ratio`` is lower than jusText's 0.30.
    - FineWeb (Penedo et al. 2024) treats lines under 30 characters as short
      (``short_line_chars``).
    The other values are this project's own, tuned on the development pages.
    """

    min_repeat_docs: int = 3
    # A repeated line this short is site chrome; a longer one (a syndicated paragraph) is left
    # to the line classifier.
    repeat_max_words: int = 25
    # A line key counts as repeated in a folder when it occurs in at least
    # max(min_repeat_docs, repeat_doc_fraction * n_docs) documents of that folder.
    repeat_doc_fraction: float = 0.01
    min_line_words: int = 3  # C4
    short_line_chars: int = 30  # FineWeb
    good_line_words: int = 5  # a terminated line this long with stopwords is prose
    long_line_words: int = 15  # an unterminated line this long with stopwords is still prose
    stopword_ratio: float = 0.15  # jusText uses 0.30 with a longer list
    max_chrome_words: int = 8  # web-chrome vocabulary only condemns lines this short
    short_line_weight: float = -2.0  # cost of a short non-prose line inside the block
    marked_line_weight: float = -5.0  # cost of a line a rule marked as boilerplate
    boundary_weight: float = -1000.0
    closing_min_prose: float = 100.0  # prose weight (~words) above a "closing" heading
    after_section_factor: float = 0.3  # discount of prose after a closing heading
    box_max_lines: int = 6  # headlines under an in-article "Related" heading
    first_block_share: float = 0.5  # earliest section block this close to the best wins
    min_block_weight: float = 8.0  # below this, no block is trusted and all lines are candidates
    teaser_run: int = 4  # consecutive headline-like lines inside the block = teaser list
    teaser_min_avg_words: float = 4.0
    title_window: int = 20  # lines above the block searched for the headline
    title_lead_lines: int = 8  # first lines of the block whose words a headline must share
    title_min_overlap: float = 0.5  # share of the headline's topic words found in the lead
    title_echo_overlap: float = 0.25  # the same, for a headline repeated near the top
    max_title_words: int = 30
    foreign_max_chars: int = 16  # longest foreign-script UI string dropped as noise
    html_tail_fraction: float = 0.5  # html mode: boundaries only cut after this share of text
    in_page_repeats: int = 3  # a short line seen this often in one page is a widget or teaser
    # The line classifier keeps a line when P(content) (plus P(comments) with keep_comments)
    # is at least keep_threshold; chosen by domain-grouped cross-validation (docs/decisions.md).
    keep_threshold: float = 0.5
    # ... times the page's highest P(content) when that is lower, but not below this (as the
    # HTML classifier's html_keep_relative_floor; WCXB dev CV 0.822 -> 0.828; 1.0: off)
    keep_relative_floor: float = 0.3
    keep_comments: bool = False

    def __reduce__(self):
        return _reduce_frozen(self)


class Removed(NamedTuple):
    """One span of raw text the cleaner dropped (a tuple: ~100 a page are made, and a frozen
    dataclass costs ~5x more to build)."""

    line_no: int  # 0-based index of the raw line the span came from
    text: str
    reason: str  # stable rule id, e.g. "boilerplate.latest_stories"
    score: float | None = None


@dataclass(frozen=True)
class Cleaned:
    text: str  # kept lines, stripped, joined by "\n"
    removed: tuple[Removed, ...] = ()
    title: str | None = None
    first_kept_line: int | None = None  # raw line number of the first kept line

    def __reduce__(self):
        return _reduce_frozen(self)


def _reduce_frozen(obj):
    """Pickle a frozen dataclass by its constructor: compiled (mypyc) classes would set the
    fields back one by one through __setattr__, which a frozen class refuses."""
    return type(obj), tuple(getattr(obj, f.name) for f in fields(obj))


# --------------------------------------------------------------------------------------------
# Rule ids (stable: they are stored in the `removed` dataset)

TITLE = "meta.title"
OUTSIDE = "boilerplate.outside_article"
REPEATED = "boilerplate.repeated"
TIMESTAMP = "boilerplate.timestamp"
BYLINE = "boilerplate.byline"
CAPTION = "boilerplate.caption_credit"
TEASER = "boilerplate.related_teaser"
LATEST = "boilerplate.latest_stories"
COMMENTS = "boilerplate.comments"
SHARE = "boilerplate.share"
SUBSCRIBE = "boilerplate.subscribe"
COOKIE = "boilerplate.cookie"
ADVERT = "boilerplate.advertisement"
COPYRIGHT = "boilerplate.copyright"
DISCLAIMER = "boilerplate.disclaimer"
NAVIGATION = "boilerplate.navigation"
METADATA = "boilerplate.metadata"
SOURCES = "boilerplate.sources"
REPEATED_IN_PAGE = "boilerplate.repeated_in_page"
FOREIGN = "noise.foreign_script"
NO_LETTERS = "noise.no_letters"
MODEL_BOILERPLATE = "model.boilerplate"  # the line classifier, no rule to name
MODEL_COMMENTS = "model.comments"


def model_reason(p_keep: float, p_comments: float) -> str:
    """The reason a classifier gives a line it drops: comments when P(comments) is more than
    half of what is not kept."""
    return MODEL_COMMENTS if p_comments > 0.5 * (1.0 - p_keep) else MODEL_BOILERPLATE


# Rules trusted on trafilatura's output (fmt="html"), where the article is already chosen.
_HTML_RULES = frozenset(
    {
        "boilerplate.repeated",
        "boilerplate.caption_credit",
        "boilerplate.share",
        "boilerplate.subscribe",
        "boilerplate.cookie",
        "boilerplate.advertisement",
        "boilerplate.copyright",
        "boilerplate.disclaimer",
        "boilerplate.latest_stories",
        "boilerplate.comments",
        "boilerplate.metadata",
        "boilerplate.sources",
        "noise.foreign_script",
        "noise.no_letters",
    }
)

# Rules that decide alone, for lines the training pages cannot teach: a short line in
# another script than the page's with no same-script neighbour and a line without letters or
# digits (set aside before the others are read: _analyse), and (up to repeat_max_words, in
# clean_text) a line repeated across the documents of a folder (training pages come one per
# site, so the classifier never sees repetition).
_DECISIVE = frozenset({FOREIGN, NO_LETTERS})

RULE_IDS: tuple[str, ...] = (
    TITLE,
    OUTSIDE,
    REPEATED,
    TIMESTAMP,
    BYLINE,
    CAPTION,
    TEASER,
    LATEST,
    COMMENTS,
    SHARE,
    SUBSCRIBE,
    COOKIE,
    ADVERT,
    COPYRIGHT,
    DISCLAIMER,
    NAVIGATION,
    METADATA,
    SOURCES,
    REPEATED_IN_PAGE,
    FOREIGN,
    NO_LETTERS,
    MODEL_BOILERPLATE,
    MODEL_COMMENTS,
)

# --------------------------------------------------------------------------------------------
# Character classes and precompiled patterns

_HANGUL = "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("latin", re.compile(r"[A-Za-z\u00c0-\u024f]")),
    ("cjk", re.compile(f"[{HAN_KANA}]")),
    ("hangul", re.compile(f"[{_HANGUL}]")),
    ("cyrillic", re.compile(r"[\u0400-\u04ff]")),
    ("arabic", re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")),
    ("indic", re.compile(r"[\u0900-\u0dff]")),
    ("greek", re.compile(r"[\u0370-\u03ff]")),
    ("hebrew", re.compile(r"[\u0590-\u05ff]")),
    ("thai", re.compile(r"[\u0e00-\u0e7f]")),
)
_NON_LATIN = re.compile(
    f"[{HAN_KANA}{_HANGUL}\u0400-\u04ff\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"
    "\u0900-\u0dff\u0370-\u03ff\u0590-\u05ff\u0e00-\u0e7f]"
)
_LATIN = _SCRIPTS[0][1]
_CJK = _SCRIPTS[1][1]
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAS_LETTER = re.compile(r"[^\W\d_]")
# A run of non-Latin script glued to the end of a Latin paragraph ("...Bamako, Mali留言列表").
_TRAILING_FOREIGN = re.compile(
    f"(?<=[A-Za-z0-9\u00c0-\u024f.!?\"'\u201d\u2019)\\]])\\s*([{HAN_KANA}{_HANGUL}"
    "\u0400-\u04ff\u0600-\u06ff\u0900-\u0dff]"
    f"[{HAN_KANA}{_HANGUL}\u0400-\u04ff\u0600-\u06ff\u0900-\u0dff\\s]{{0,40}})$"
)

# Sentence ends in many scripts: Latin, CJK, Devanagari danda, Arabic and Urdu, Ethiopic, Armenian.
_TERMINAL = frozenset(
    ".!?\u3002\uff01\uff1f\u2026\"'\u201d\u2019\u00bb)]:;\u300d\u300f"
    "\u0964\u0965\u061f\u06d4\u1362\u0589"
)
_SENTENCE_END = frozenset(".!?\u3002\uff01\uff1f\u2026\"'\u201d\u2019\u0964\u061f\u06d4\u1362")
_STRIP = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb()[]{}.,;:!?\u2026-\u2013\u2014*\u2022|/"
_STRIP_SPACE = _STRIP + " "
# First characters a list item can start with (a cheap gate in front of _LIST_ITEM).
_LIST_START = frozenset("-\u2013\u2014*\u2022\u25cf\u25aa\u00b7>(")
_LIST_ITEM = re.compile(r"^\s*(?:[-\u2013\u2014*\u2022\u25cf\u25aa\u00b7>]\s|\(?\d{1,3}[.)]\s)")
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+\.(?:com|org|net|html?|php)\S*", re.I)
_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")

_W = r"(?:^|\W)"  # word start that also works next to non-Latin text

# Web-chrome vocabulary per rule id, matched on short lines only (see max_chrome_words).
_CHROME: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        SHARE,
        re.compile(
            r"\b(?:share|shares|shared|sharing|tweet|pin it|e-?mail|print|copy link|whatsapp"
            r"|facebook|twitter|linkedin|pinterest|reddit|instagram|youtube|telegram|flipboard"
            r"|teilen|partager|partagez|compartir|comparte|condividi|compartilh\w*|поделит\w*"
            r"|bagikan|delen)\b|공유|分享|シェア|ツイート",
            re.I,
        ),
    ),
    (
        SUBSCRIBE,
        re.compile(
            r"\b(?:subscribe\w*|subscription\w*|sign ?up|sign ?in|log ?in|log ?out|register"
            r"|newsletters?|join now|my account|abonn\w+|anmelden|registrieren|inscri\w+"
            r"|suscr\w+|iscriviti|accedi|assine|assinatura|подпис\w+|войти|berlangganan"
            r"|inloggen|aanmelden)\b|구독|로그인|订阅|登录|購読|ログイン",
            re.I,
        ),
    ),
    (
        ADVERT,
        re.compile(
            r"^\W*(?:advertisements?|adverts?|advertising|sponsored( content)?|ad choices"
            r"|anzeige|werbung|publicit[ée]|publicidad|pubblicit[àa]|publicidade|реклама|iklan|advertentie"
            r"|광고|广告|広告)\W*$",
            re.I,
        ),
    ),
    (
        NAVIGATION,
        re.compile(
            r"\b(?:skip to|main menu|continue reading|click(?:ing)? here|menu"
            r"|search|home ?page|back to top|you are (?:here|at)"
            r"|sitemap|site map|terms of (?:use|service|sale)|privacy|contact us|about us"
            r"|next (?:article|post|story)|previous (?:article|post|story)|go to|close"
            r"|show more|load more|view all|see all|tags?|categor(?:y|ies)|filed under"
            r"|startseite|suche|accueil|recherche|inicio|buscar|cerca|pesquisar|поиск"
            r"|главная|beranda|cari|zoeken)\b|검색|搜索|首页|検索",
            re.I,
        ),
    ),
)
# All of _CHROME in one pattern: most candidate lines match none, and one search rules them out
# (the rules are then tried in order, so the first matching rule still names the removal).
_ANY_CHROME = re.compile("|".join(f"(?:{rx.pattern})" for _, rx in _CHROME), re.I)
_COOKIE = re.compile(r"\bcookies?\b|쿠키|クッキー", re.I)
_COOKIE_CONTEXT = re.compile(
    r"\b(?:site|website|browser|consent|accept|privacy|policy|experience|use[sd]?|using"
    r"|utiliz\w*|usamos|utilis\w*|verwend\w*|nutz\w*|esperienza|experiência|experiencia"
    r"|сайт\w*|situs|gebruik\w*)\b",
    re.I,
)
_COPYRIGHT = re.compile(
    r"\u00a9|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved|tous droits r[ée]serv[ée]s"
    r"|todos los derechos|alle rechte|tutti i diritti|todos os direitos|все права"
    r"|hak cipta|alle rechten|版权所有|無断転載|무단\s*전재|저작권",
    re.I,
)
_DISCLAIMER = re.compile(
    r"^\W*disclaimer\b|\bdo(?:es)? not necessarily (?:reflect|represent)"
    r"|\bviews expressed (?:here|in this)",
    re.I,
)
_TEASER_PREFIX = re.compile(
    r"^\W{0,3}(?:related|read more|read also|also read|see also|more|also|recommended"
    r"|lire aussi|à lire aussi|lesen sie auch|mehr zum thema|leia também|leia mais"
    r"|lee también|lea también|leggi anche|baca juga|читайте также|lees ook)\s*:",
    re.I,
)
_COMMENTS = re.compile(
    r"\b(?:comments?|responses?|replies|leave a (?:reply|comment)|post (?:a )?comment"
    r"|add (?:a )?comment|join the discussion|kommentare?\w*|commentaires?|comentarios?|commenti"
    r"|comentários?|комментари\w*|komentar\w*|reacties)\b|댓글|评论|留言|コメント",
    re.I,
)
_FEED = re.compile(r"\b(?:rss|feeds?|atom)\b", re.I)
_COMMENT_SAID = re.compile(r"\b(?:said|says|wrote|a écrit|schrieb|escribió|scrive):\s*$", re.I)
# Closing section headings: the article does not continue across them.
_HEADING_LATEST = re.compile(
    r"\b(?:latest|most (?:read|popular|viewed|shared|recent|commented)|top (?:stories|news)"
    r"|trending|popular (?:posts|stories|articles|news)|recent (?:posts|stories|articles)"
    r"|breaking news|just in|meistgelesen\w*|neueste\w*|les plus lus|derni[èe]res"
    r"|lo más (?:leído|visto)|últimas|più lett[ie]|ultime notizie|mais lidas"
    r"|популярн\w*|последние|terpopuler|terbaru|meest gelezen|laatste nieuws)\b"
    r"|인기|많이 본|최신|最新|热门|人気",
    re.I,
)
_HEADING_RELATED = re.compile(
    r"\b(?:related|more (?:\w+ ){0,2}(?:stories|news|articles|posts|videos|reads|guides)"
    r"|more (?:from|in|on)|recommended|you (?:may|might) (?:also )?(?:like|enjoy)|don'?t miss"
    r"|read next|up next|further reading|see also|more like this|around the web|from the web"
    r"|sponsored (?:stories|links)|promoted stories|ähnliche\w*|weitere artikel|mehr zum thema"
    r"|articles? (?:similaires|connexes)|à lire aussi|noticias relacionadas|te puede interesar"
    r"|articoli correlati|potrebbe interessarti|posts? relacionados|veja também|похожие"
    r"|читайте также|berita terkait|baca juga|gerelateerd)\b|관련\s*기사|相关|関連",
    re.I,
)

_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june"
    "|july|august|september|october|november|december|januar|februar|märz|mai|juni|juli"
    "|oktober|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre"
    "|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre"
    "|octubre|noviembre|diciembre|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre"
    "|ottobre|dicembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro"
    "|dezembro|januari|februari|maret|mei|juni|agustus|oktober|desember|augustus"
    "|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
)
_DATE_WORDS = frozenset(
    (
        _MONTHS + "|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday"
        "|sunday|am|pm|a.m|p.m|gmt|utc|est|edt|pst|pdt|cet|cest|bst|ist|ago|now|just|today"
        "|yesterday|updated|update|published|posted|last|modified|on|at|le|el|il|am|um|de"
        "|del|di|du|o|em|pada|op|в|от|second|seconds|sec|secs|minute|minutes|min|mins|hour"
        "|hours|hr|hrs|h|day|days|week|weeks|month|months|year|years|time|read|reading"
        "|min.|minuten|stunden|tage|minutes|heures|jours|minutos|horas|días|minuti|ore|giorni"
        "|dias|menit|jam|hari|minuten|uur|dagen|минут|часа|часов|дня|дней|назад|vor|il y a"
        "|hace|fa|há|lalu|geleden|first|date|time|datum|fecha|data|tanggal|дата"
    ).split("|")
)
_DATE_STRONG = re.compile(
    r"\d{1,2}:\d{2}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
    r"|\b(?:19|20)\d{2}\b|\bago\b|назад|\blalu\b|geleden|il y a|\bhace\b"
    r"|\d+\s*(?:분|시간|일)\s*전|\d+\s*(?:分|小时|時間|天|日)前|\d+年\d+月",
    re.I,
)
_MONTH_SET = frozenset(_MONTHS.split("|"))
# "Nov. 19" / "19 November": the word is checked against _MONTH_SET (cheaper than a regex
# alternation of every month name in every language)
_WORD_DAY = re.compile(r"([^\W\d_]{3,})\.?\s+\d{1,2}\b|\b\d{1,2}\.?\s+([^\W\d_]{3,})")
_RELATIVE_TIME = re.compile(
    r"\b\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|h|m|d"
    r"|minuten|stunden|tage|heures|jours|minutos|horas|días|minuti|ore|giorni|dias|menit|jam"
    r"|hari|uur|dagen|минут\w*|час\w*|дн\w*)\b",
    re.I,
)
_BYLINE = re.compile(
    r"^\W*(?:by|written by|posted by|words by|von|par|por|di|door|oleh|от|autor|author|auteur"
    r"|autore|redaksi|reporter|editor)\b\s*:?\s*\S|^[^\W\d_]+ed by\s*:",
    re.I,
)
_CREDIT_INLINE = re.compile(
    r"\b(?:credit|photo|photograph|picture|image|foto|bild|immagine|imagen|crédit|fonte|source"
    r"|quelle|fotó|фото)\s*(?::|by\b|credit\b)",
    re.I,
)
_AGENCIES = (
    r"reuters|afp|ap|ap photo|associated press|getty(?: images)?|epa|efe|shutterstock|istock"
    r"|istockphoto|alamy|dpa|ansa|xinhua|aap|pa|pa images|pa wire|bloomberg|upi|tass|anadolu"
    r"|unsplash|pexels|pixabay|wikimedia commons|flickr"
)
_CREDIT_TAIL = re.compile(
    r"(?:\s[-\u2013\u2014|/]\s*|\s*\(\s*|/\s*)(?:[\w.'\s]{0,40}/\s*)?(?:" + _AGENCIES + r")"
    r"(?:\s+(?:photo|images?|via getty images))?\s*\)?\s*$",
    re.I,
)
_CREDIT_ONLY = re.compile(r"^\(\s*[^()]{2,60}\)$|^\[\s*(?:photo|image)[^\]]{0,60}\]$")
# "Author:", "Publish date:", "Tags: a, b, c": a metadata label, alone or with a short value.
_METADATA = re.compile(
    r"^\W*(?:authors?|autor(?:es|in)?|auteurs?|autore|penulis|date|datum|fecha|data|tanggal"
    r"|publish(?:ed)?(?: on| date)?|updated|posted(?: on| in)?|last (?:updated|modified)"
    r"|publicado|publié|veröffentlicht|pubblicato|tags?|keywords?|topics?|subjects?|themen"
    r"|thèmes|temas|etiquetas|schlagwörter|categor(?:y|ies)|catégories?|categorías?|kategori"
    r"|kategorie|filed (?:under|in)|citation|credits?|photos?|images?|sumber|fuente|quelle"
    r"|fonte|reading time|read time|word count)\s*:",
    re.I,
)
# Closing headings of a sources / references / author-bio section.
_HEADING_SOURCES = re.compile(
    r"^\W*(?:(?:our |the )?sources?|references|bibliography|footnotes|works cited|citations"
    r"|quellen|fuentes|fontes|referências|referencias|références|sumber|источники"
    r"|about the (?:author|writer|reporter|contributor)s?"
    r"|à propos de l'auteur|sobre (?:el|o|a) autor[ae]?|über (?:den|die) autor(?:in)?"
    r"|tentang penulis|об авторе)\W*$",
    re.I,
)
# Newsletter and subscription pitches, which can be whole sentences.
_PROMO = re.compile(
    r"\b(?:sign(?:ing)? up|subscribe|unsubscribe|newsletters?|subscription|inbox"
    r"|mailbox|free trial|abonnieren|abonnez|suscríbete|iscriviti|assine|berlangganan)\b",
    re.I,
)
_PROMO_YOU = re.compile(
    r"\b(?:you|your|our|free|today|now|sie|vous|votre|usted|tu|ti|você|anda)\b", re.I
)
_TRIG_PROMO = frozenset(
    {"sign", "subs", "unsu", "news", "inbo", "mail", "free", "abon", "susc", "iscr"}
    | {"assi", "berl"}
)
# "More World", "More Sports": a two-word section heading of teasers
_MORE_X = re.compile(r"^(?:more|mehr|plus|más|più|mais|lebih|meer)\s+[^\W\d_]+$", re.I)
_MORE_WORDS = frozenset(("more", "mehr", "plus", "más", "più", "mais", "lebih", "meer"))
# 4-letter prefixes of the first word of a _HEADING_SOURCES match (a cheap gate in front of it)
_FIRST_SOURCES = frozenset(
    ("our", "the", "sour", "refe", "bibl", "foot", "work", "cita", "quel", "fuen", "font")
    + ("réfé", "sumb", "исто", "abou", "à", "sobr", "über", "tent", "об")
)
# Punctuation turned into spaces before splitting a line into words (apostrophes and hyphens
# inside words are kept: "don't", "e-mail").
_PUNCT = re.compile(r"[^\w\s'\u2019-]+")


# Literal keywords of the Latin-script alternatives of a rule regex: the regex cannot match a
# line without non-Latin letters whose lowercased text holds none of them (cheap `in` tests).
_KEYS_DISCLAIMER = ("disclaimer", "necessarily", "expressed")
_KEYS_COPYRIGHT: tuple[str, ...] = ("copyright", "rights", "droits", "derechos", "rechte")
_KEYS_COPYRIGHT += ("diritti", "direitos", "cipta")
_KEYS_CREDIT: tuple[str, ...] = ("credit", "crédit", "photo", "picture", "image", "immagine")
_KEYS_CREDIT += ("foto", "fotó", "bild", "fonte", "source", "quelle")


def _has_any(text: str, keys: tuple[str, ...]) -> bool:
    for k in keys:  # noqa: SIM110 - a plain loop is faster than any() over a generator
        if k in text:
            return True
    return False


def _first_prefix(words: list[str]) -> str:
    """4-letter prefix of a line's first word as a rule's ``^\\W*`` sees it: the word tokens
    keep apostrophes and hyphens, which are non-word characters the rule skips."""
    for w in words:
        w = w.lstrip("'\u2019-")
        if w:
            return w[:4]
    return ""


def _prefixes(words: str) -> frozenset[str]:
    return frozenset(w[:4] for w in words.split())


# Cheap gates: a rule family's regexes only run on lines holding one of these 4-letter word
# prefixes (or non-Latin text, or "©"). Most lines hold none, which keeps the cleaner fast.
_TRIG_HEAD = _prefixes(
    """latest most top trending popular recent breaking just meistgelesen neueste plus
    dernières derniers lo últimas più ultime mais популярное последние terpopuler terbaru
    meest laatste related more recommended you don't dont read up further see around from
    sponsored promoted ähnliche weitere mehr articles article à noticias te articoli potrebbe
    posts veja похожие читайте berita baca gerelateerd comments comment responses replies
    reply leave post add join kommentar kommentare commentaires comentarios commenti
    comentários комментарии komentar reacties"""
)
_TRIG_CHROME = _prefixes(
    """share shares sharing tweet pin email e-mail print copy whatsapp facebook twitter
    linkedin pinterest reddit instagram youtube telegram flipboard teilen partager partagez
    compartir comparte condividi compartilhe поделиться bagikan delen subscribe subscription
    signup sign log login logout register newsletter join my abonnieren abonner abonnez
    anmelden registrieren inscrire inscrivez suscríbete suscribirse iscriviti accedi assine
    assinatura подписаться войти berlangganan inloggen aanmelden advertisement advertising
    sponsored ad anzeige werbung publicité publicidad pubblicità publicidade реклама iklan
    advertentie skip main menu search home homepage back sitemap site terms privacy contact
    about you next previous go close continue click clicking show load view see tag
    tags category categories filed
    startseite suche accueil recherche inicio buscar cerca pesquisar поиск главная beranda
    cari zoeken cookie cookies"""
)
_TRIG_LONG = _prefixes(
    """disclaimer necessarily expressed cookie cookies copyright rights droits
    derechos rechte diritti direitos права hak rechten credit photo photograph picture image
    foto bild immagine imagen crédit fonte source quelle фото reuters afp ap associated getty
    epa efe shutterstock istock alamy dpa ansa xinhua aap pa bloomberg upi tass anadolu
    unsplash pexels pixabay wikimedia flickr via"""
)
_TRIG_BYLINE = _prefixes(
    """by written posted words von par por di door oleh от autor author auteur autore redaksi
    reporter editor"""
)
# Each word's gates as bits, cached across documents (a word's 4-letter prefix decides them),
# so a line's gates cost a dict lookup a word instead of a set of prefixes.
_G_HEAD, _G_CHROME, _G_LONG, _G_BYLINE, _G_PROMO = 1, 2, 4, 8, 16
_GATE_SETS = (
    (_G_HEAD, _TRIG_HEAD),
    (_G_CHROME, _TRIG_CHROME),
    (_G_LONG, _TRIG_LONG),
    (_G_BYLINE, _TRIG_BYLINE),
    (_G_PROMO, _TRIG_PROMO),
)
_GATE_CACHE_MAX = 200_000


class _WordGates(dict):
    def __missing__(self, word: str) -> int:
        p = word[:4]
        bits = 0
        for bit, prefixes in _GATE_SETS:
            if p in prefixes:
                bits |= bit
        if len(self) >= _GATE_CACHE_MAX:
            self.clear()
        self[word] = bits
        return bits


_WORD_GATES = _WordGates()


_STOP_LANGS: dict[str, tuple[str, ...]] = {}
for _lang, _words in STOPWORDS.items():
    if _lang not in SUBSTRING_LANGS:
        for _w in _words:
            _STOP_LANGS[_w] = (*_STOP_LANGS.get(_w, ()), _lang)


class _Line:
    """One non-blank line with its features. A plain class with its own __init__: compiled, a
    dataclass would build every line through the interpreted __init__ dataclasses generates."""

    __slots__ = (
        "idx", "text", "n_words", "stopword_share", "terminated", "script", "list_item",
        "url_only", "gates", "other_script", "digit", "words", "plain", "verdict", "boundary",
        "weak_rule", "weight",
    )  # fmt: skip

    def __init__(
        self,
        idx: int,  # raw line number
        text: str,  # stripped
        n_words: float,  # effective word count (CJK characters count as half a word)
        stopword_share: float,  # share of stopwords, -1.0 when not applicable (CJK, Korean)
        terminated: bool,  # ends in terminal punctuation
        script: str,  # dominant script of the line ("none" when it has no letters)
        list_item: bool,
        url_only: bool,
        gates: int,  # _G_* bits: the words' 4-letter prefixes met a rule family's triggers
        other_script: bool,  # holds letters outside Latin (rule gates use whole-line regexes)
        digit: bool,
        words: list[str],  # lowercased word tokens
        plain: str,  # the line lowercased, punctuation but ' and - turned into spaces
    ):
        self.idx = idx
        self.text = text
        self.n_words = n_words
        self.stopword_share = stopword_share
        self.terminated = terminated
        self.script = script
        self.list_item = list_item
        self.url_only = url_only
        self.gates = gates
        self.other_script = other_script
        self.digit = digit
        self.words = words
        self.plain = plain
        self.verdict: tuple[str, float] | None = None  # (rule id, score) of a marking rule
        self.boundary: str | None = None  # rule id of a closing section heading
        self.weak_rule: str | None = None  # rule id of weak evidence, the reason outside the block
        self.weight = 0.0


def line_key(line: str) -> int:
    """Fingerprint of a line for corpus-level repetition counts: a 64-bit integer.

    Case, whitespace, edge punctuation and digits are normalised, so "17 minutes ago" and
    "3 minutes ago", or "© 2019 Example" and "© 2020 Example", share a key.
    """
    return _line_key(line, True)


def line_keys(text: str) -> set[int]:
    """The distinct ``line_key`` of a text's non-blank lines, computed for the whole text at
    once (one lowercasing and one digit substitution, which neither whitespace nor the edge
    punctuation stripped touches): the scan pass keys every line of the corpus, and this is
    ~10% cheaper than ``line_key`` line by line (0.37 against 0.42 ms a dev page)."""
    keys: set[int] = set()
    add = keys.add
    blake2b = hashlib.blake2b
    for ln in _DIGITS.sub("0", text.lower()).split("\n"):
        if ln.isspace() or not ln:
            continue
        norm = " ".join(ln.split()).strip(_STRIP_SPACE)
        add(int.from_bytes(blake2b(norm.encode("utf-8"), digest_size=8).digest(), "little"))
    return keys


def _line_key(line: str, digit: bool) -> int:
    """``line_key``; ``digit`` False says the line holds no digit (the substitution is skipped)."""
    norm = " ".join(line.lower().split()).strip(_STRIP_SPACE)
    if digit:
        norm = _DIGITS.sub("0", norm)
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest(), "little")


def repeat_threshold(n_docs: int, config: CleanConfig = CleanConfig()) -> int:
    """In how many of a folder's ``n_docs`` documents a line must occur to count as site
    boilerplate.

    The threshold grows with the folder (``repeat_doc_fraction`` of its documents) so that a
    sentence syndicated to a handful of pages of a big crawl is not taken for site chrome.
    """
    return max(config.min_repeat_docs, math.ceil(config.repeat_doc_fraction * n_docs))


# --------------------------------------------------------------------------------------------
# Features


def _script_counts(text: str) -> dict[str, int]:
    return {name: len(rx.findall(text)) for name, rx in _SCRIPTS}


def _dominant(counts: dict[str, int]) -> str:
    name, n = max(counts.items(), key=lambda kv: kv[1])
    return name if n else "none"


def _doc_script(body: list[str], text: str) -> tuple[str, bool]:
    """Dominant script of the page, and whether it holds any non-Latin letter; only lines with
    non-Latin letters are counted in detail."""
    if not _NON_LATIN.search(text):
        return ("latin" if _LATIN.search(text) else "none"), False
    counts = dict.fromkeys((name for name, _ in _SCRIPTS), 0)
    for s in body:
        if _NON_LATIN.search(s):
            for name, n in _script_counts(s).items():
                counts[name] += n
        else:
            counts["latin"] += len(s)  # a slight overcount (spaces, digits) is harmless
    return _dominant(counts), True


def _guess_language(lines: list[str], doc_script: str) -> str | None:
    if doc_script == "cjk":
        sample = "".join(lines[:200])
        return "ja" if len(_KANA.findall(sample)) > 0.05 * len(sample) else "zh"
    if doc_script == "hangul":
        return "ko"
    if doc_script == "cyrillic":
        return "ru"
    if doc_script != "latin":
        return None
    hits: dict[str, int] = {}
    words = " ".join(lines[:200]).split(None, 500)[:500]  # maxsplit: no need to split it all
    for w in words:
        for lang in _STOP_LANGS.get(w, ()):
            hits[lang] = hits.get(lang, 0) + 1
    if not hits:
        return None
    return max(hits.items(), key=lambda kv: kv[1])[0]


def _features(
    idx: int,
    s: str,
    plain: str,
    stop: frozenset[str] | None,
    doc_other: bool,
    repeated: frozenset[int],
    cfg: CleanConfig,
) -> _Line:
    """Features and rule verdict of one stripped line; ``plain`` is the line lowercased with
    punctuation turned into spaces (done once for the whole document, which is much cheaper).
    Hot path: one call per line, so values are passed as locals rather than read back."""
    words = plain.split()
    toks = s.split()
    ntok = len(toks)
    if doc_other and _NON_LATIN.search(s):
        other = True
        script = _dominant(_script_counts(s))
    else:
        other = False
        script = "latin" if _LATIN.search(s) else "none"
    if script == "cjk":
        nw = len(_CJK.findall(s)) / 2 + sum(1 for t in toks if not _CJK.search(t))
    else:
        nw = float(ntok)
    if stop is None or script == "cjk" or script == "hangul" or not ntok:
        sw = -1.0
    else:
        n_stop = 0
        for w in words:
            if w in stop:
                n_stop += 1
        sw = n_stop / ntok
    last = s[-1]
    term = last in _TERMINAL
    if term and last in "\"'\u201d\u2019\u00bb)]" and len(s) > 1:
        # a closing quote or bracket counts when sentence punctuation precedes it
        term = s[-2] in _SENTENCE_END or nw >= 12
    # every _URL alternative holds a "." or a "/"
    url_only = ntok <= 2 and ("." in s or "/" in s) and bool(_URL.fullmatch(s.strip(_STRIP_SPACE)))
    first = s[0]
    list_item = (first in _LIST_START or first.isdigit()) and bool(_LIST_ITEM.match(s))
    gates = 0
    for w in words:
        gates |= _WORD_GATES[w]
    digit = bool(_DIGIT.search(s))
    ln = _Line(idx, s, nw, sw, term, script, list_item, url_only, gates, other, digit, words, plain)
    found = _line_verdict(ln, repeated, cfg)
    if found is not None:
        ln.verdict, ln.boundary = found
    return ln


def _is_timestamp(s: str, nw: float, script: str, digit: bool) -> bool:
    """Dates, times and "17 minutes -" lines with little else on them."""
    if nw > 14 or not digit:
        return False
    if script == "cjk" or script == "hangul":
        return len(s) <= 40 and _strong_date(s)
    # the word counts first: they rule most lines out without a regex over the line
    words = [w for w in (w.strip(_STRIP).lower() for w in s.split()) if w]
    datey = sum(1 for w in words if w in _DATE_WORDS or (not w.isalpha() and _DIGIT.search(w)))
    other = len(words) - datey
    if other > 3 or (datey < other and other > 1):
        return False
    if _strong_date(s):
        return datey >= other
    return other <= 1 and bool(_RELATIVE_TIME.search(s))


def _strong_date(s: str) -> bool:
    """A full date, a clock time, a year or "ago" (a relative time alone is weaker)."""
    return bool(_DATE_STRONG.search(s)) or any(
        (m.group(1) or m.group(2)).lower() in _MONTH_SET for m in _WORD_DAY.finditer(s)
    )


_Verdict = tuple[tuple[str, float], str | None]


def _line_verdict(ln: _Line, repeated: frozenset[int], cfg: CleanConfig) -> _Verdict | None:
    """The first matching rule: ((rule id, score), boundary rule id or None), or None.

    Regexes sit behind cheap gates (word counts, 4-letter word prefixes, keywords in the
    lowercased line); a line with non-Latin letters (``other``) skips the keyword gates,
    whose lists only cover the Latin-script alternatives."""
    s, nw, term, script, digit = ln.text, ln.n_words, ln.terminated, ln.script, ln.digit
    other, words, gates, plain = ln.other_script, ln.words, ln.gates, ln.plain
    if script == "none" and not _HAS_LETTER.search(s):
        if not digit:  # numbers alone are table cells, kept inside the article
            return (NO_LETTERS, 1.0), None
        return None
    short = nw <= cfg.max_chrome_words
    heading = nw <= 6 and (s[-1] != "." or s.endswith("..."))
    if heading and words:
        w0 = words[0]
        if (
            w0[:4] in _FIRST_SOURCES
            or (w0[0] in "'\u2019-" and _first_prefix(words) in _FIRST_SOURCES)
        ) and _HEADING_SOURCES.match(s):
            return (SOURCES, 1.0), SOURCES
    if nw == 2 and words and words[0] in _MORE_WORDS and _MORE_X.match(s):
        return (TEASER, 1.0), TEASER
    head = other or gates & _G_HEAD
    if heading and head:
        if _HEADING_LATEST.search(s):
            return (LATEST, 1.0), LATEST
        if _HEADING_RELATED.search(s):
            return (TEASER, 1.0), TEASER
        if nw <= 4 and _COMMENTS.search(s) and not _FEED.search(s):
            return (COMMENTS, 1.0), COMMENTS
    if repeated and _line_key(s, digit) in repeated:
        return (REPEATED, 1.0), None
    if nw <= 30 and head and _TEASER_PREFIX.match(s):
        return (TEASER, 0.8), None
    if other or "\u00a9" in s or gates & _G_LONG:
        if (other or _has_any(plain, _KEYS_DISCLAIMER)) and _DISCLAIMER.search(s):
            return (DISCLAIMER, 0.9), None
        if (
            (other or "cookie" in plain)
            and _COOKIE.search(s)
            and (short or _COOKIE_CONTEXT.search(s))
        ):
            return (COOKIE, 0.9), None
        if (
            nw <= 30
            and (other or "\u00a9" in s or _has_any(plain, _KEYS_COPYRIGHT) or "(c)" in s.lower())
            and _COPYRIGHT.search(s)
        ):
            return (COPYRIGHT, 0.8), None
        if _CREDIT_TAIL.search(s[-80:]) or (
            nw <= 40 and (other or _has_any(plain, _KEYS_CREDIT)) and _CREDIT_INLINE.search(s)
        ):
            return (CAPTION, 0.8), None
    first = s[0]
    if nw <= 8 and first in "([" and _CREDIT_ONLY.match(s):
        return (CAPTION, 0.6), None
    if digit and nw <= 14 and _is_timestamp(s, nw, script, digit):
        return (TIMESTAMP, 0.9), None
    if (nw <= 10 and not term or nw <= 16 and digit) and gates & _G_BYLINE and _BYLINE.match(s):
        return (BYLINE, 0.7), None
    if nw <= 12 and ":" in s:
        if s[-1] == ":" and _COMMENT_SAID.search(s):
            return (COMMENTS, 0.7), None
        if _METADATA.match(s):
            return (METADATA, 0.7), None
    if nw <= 40 and gates & _G_PROMO and _PROMO.search(s) and _PROMO_YOU.search(s):
        return (SUBSCRIBE, 0.6), None
    if (short and not term or nw <= 3) and (other or gates & _G_CHROME) and _ANY_CHROME.search(s):
        for rid, rx in _CHROME:
            if rid == NAVIGATION and nw > 4:
                continue
            if rx.search(s):
                return (rid, 0.7), None
    return None


def _page_key(ln: _Line) -> str:
    key = " ".join(ln.words)
    return _DIGITS.sub("0", key) if ln.digit else key


def _in_page_repeats(lines: list[_Line], cfg: CleanConfig) -> None:
    """Short lines that occur ``in_page_repeats`` times or more in the page (teaser lists
    repeating a section name, widgets repeated down the page) get weak evidence against them:
    it only weighs against the line, so a repeated table row or recipe step inside the
    article stays; outside the article it names the removal."""
    keys: dict[int, str] = {}
    counts: dict[str, int] = {}
    for ln in lines:
        if 2 <= ln.n_words <= cfg.max_title_words:
            key = keys[ln.idx] = _page_key(ln)
            counts[key] = counts.get(key, 0) + 1
    for ln in lines:
        page_key = keys.get(ln.idx)
        if page_key and counts[page_key] >= cfg.in_page_repeats and ln.verdict is None:
            ln.weak_rule = REPEATED_IN_PAGE


def _mostly_lowercase(ln: _Line) -> bool:
    """Mostly lowercase words: prose or a list item, not a Title Case menu entry."""
    if ln.n_words < 3 or ln.script not in ("latin", "cyrillic", "greek"):
        return False
    words = ln.text.split()
    return len(words) >= 3 and 2 * sum(1 for w in words if w[0].islower()) >= len(words)


def _weight(ln: _Line, cfg: CleanConfig) -> float:
    """Content-likeness of a line: positive for prose, negative for chrome."""
    if ln.boundary:
        return cfg.boundary_weight
    if ln.verdict:
        return cfg.marked_line_weight - 0.2 * min(ln.n_words, 40)
    if ln.weak_rule:
        return cfg.short_line_weight
    prose = ln.stopword_share < 0 or ln.stopword_share >= cfg.stopword_ratio
    if ln.terminated and ln.n_words >= cfg.good_line_words and prose:
        return ln.n_words
    if ln.n_words >= cfg.long_line_words and prose:
        return 0.5 * ln.n_words
    if ln.terminated and ln.n_words >= cfg.min_line_words:
        return 0.3 * ln.n_words
    if ln.url_only:
        return cfg.short_line_weight
    if ln.script == "none":  # numbers only: a table cell
        return cfg.short_line_weight * 0.25
    lower = _mostly_lowercase(ln)
    if ln.n_words >= cfg.long_line_words:
        # long without stopwords: a list of ingredients, or a concatenated menu / tag cloud
        return 0.2 * ln.n_words if lower else cfg.short_line_weight - 0.2 * ln.n_words
    return cfg.short_line_weight * 0.25 if lower else cfg.short_line_weight


def _inline_boxes(lines: list[_Line], cfg: CleanConfig) -> None:
    """A "Related" / "Trending" heading followed by a few headlines and then more prose is a
    teaser box inside the article, not its end: mark heading and headlines as teasers and
    let the article run across them."""
    n = len(lines)
    for k, ln in enumerate(lines):
        if ln.boundary not in (TEASER, LATEST):
            continue
        m = k + 1
        while m < n and m - k <= cfg.box_max_lines + 1:
            if lines[m].boundary or (_is_good(lines[m], cfg) and lines[m].n_words > 12):
                break
            m += 1
        if m - k - 1 > cfg.box_max_lines or m + 1 >= n or lines[m].boundary:
            continue
        if _is_good(lines[m], cfg) and _is_good(lines[m + 1], cfg):
            ln.boundary = None
            for t in lines[k + 1 : m]:
                if t.verdict is None:
                    t.verdict = (TEASER, 0.5)
                t.weight = _weight(t, cfg)
            ln.weight = _weight(ln, cfg)


def _is_good(ln: _Line, cfg: CleanConfig) -> bool:
    """A line of running prose (see _weight)."""
    return (
        ln.verdict is None
        and ln.terminated
        and ln.n_words >= cfg.good_line_words
        and (ln.stopword_share < 0 or ln.stopword_share >= cfg.stopword_ratio)
    )


def _discount_after_sections(lines: list[_Line], cfg: CleanConfig) -> None:
    """Prose after a closing heading ("Comments", "Related") is more often reader comments or
    teasers than article: its positive weight is discounted. A heading is closing when enough
    prose precedes it (a share of the page's prose, in several good lines): a "Comments" link
    in a toolbar above the article is not."""
    prose, good = 0.0, 0
    closed = False
    for ln in lines:
        if ln.boundary and prose >= cfg.closing_min_prose and good >= 3:
            closed = True
        if ln.weight > 0:
            if closed:
                ln.weight *= cfg.after_section_factor
            else:
                prose += ln.weight
                good += ln.weight >= cfg.good_line_words


def _kadane(lines: list[_Line], lo: int, hi: int) -> tuple[int, int, float]:
    """Maximum-sum contiguous run of line weights in lines[lo:hi]: (first, last, sum)."""
    best, best_i, best_j = -math.inf, lo, lo - 1
    cur, cur_i = 0.0, lo
    for j in range(lo, hi):
        if cur <= 0:
            cur, cur_i = 0.0, j
        cur += lines[j].weight
        if cur > best:
            best, best_i, best_j = cur, cur_i, j
    return best_i, best_j, best


def _find_block(lines: list[_Line], cfg: CleanConfig) -> tuple[int, int, float]:
    """The article block: the best run of lines between closing headings.

    Headings split the page into sections; each gets its best run (Kadane). Articles come
    before their comments and teasers, so the earliest run scoring at least
    ``first_block_share`` of the best one wins.
    """
    cuts = [k for k, ln in enumerate(lines) if ln.boundary]
    bounds = [-1, *cuts, len(lines)]
    blocks = []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        if hi - lo > 1:
            blocks.append(_kadane(lines, lo + 1, hi))
    if not blocks:
        return 0, -1, 0.0
    top = max(b[2] for b in blocks)
    for b in blocks:
        if b[2] >= cfg.first_block_share * top:
            return b
    return max(blocks, key=lambda b: b[2])


def _extend_colon_list(lines: list[_Line], j: int) -> int:
    """A block ending in 'Here is the list:' keeps the unmarked list that follows."""
    if not lines[j].text.endswith(":"):
        return j
    k = j
    while k + 1 < len(lines):
        nxt = lines[k + 1]
        if nxt.verdict or nxt.boundary or nxt.n_words > 40:
            break
        k += 1
    return k


def _headline_like(ln: _Line) -> bool:
    return (
        ln.verdict is None
        and not ln.list_item
        and not ln.url_only
        and 2 <= ln.n_words <= 20
        and not ln.terminated
        and not ln.text[0].islower()
    )


def _mark_teaser_runs(lines: list[_Line], i: int, j: int, cfg: CleanConfig) -> None:
    """Runs of >= teaser_run headline-like lines inside the article: related-story lists."""
    k = i
    while k <= j:
        if not _headline_like(lines[k]):
            k += 1
            continue
        m = k
        while m + 1 <= j and _headline_like(lines[m + 1]):
            m += 1
        run = lines[k : m + 1]
        after_colon = k > 0 and lines[k - 1].text.endswith(":")
        firsts = {ln.text.split()[0].lower() for ln in run}
        if (
            len(run) >= cfg.teaser_run
            and not after_colon
            and len(firsts) >= 0.6 * len(run)
            and sum(ln.n_words for ln in run) / len(run) >= cfg.teaser_min_avg_words
        ):
            for ln in run:
                ln.verdict = (TEASER, 0.6)
        k = m + 1


def _title_shape(ln: _Line, cfg: CleanConfig) -> bool:
    """Looks like a headline: 3-20 words, no terminal period or colon, not marked, not a
    list item or link, starting with a capital (Title Case or sentence case)."""
    s = ln.text
    return (
        ln.verdict is None
        and not ln.boundary
        and not ln.weak_rule
        and cfg.min_line_words <= ln.n_words <= cfg.max_title_words
        and not s.endswith((".", "\u3002", ":", ";", ","))
        and not ln.list_item
        and not ln.url_only
        and not s[0].islower()
    )


def _content_units(ln: _Line, stop: frozenset[str] | None) -> set[str]:
    """Words that carry topic (no stopwords, no numbers); single characters for CJK."""
    if ln.script in ("cjk", "hangul"):
        return {c for c in ln.text if c.isalpha()}
    stop = stop or frozenset()
    return {w for w in ln.words if len(w) > 2 and w not in stop and not w.isdigit()}


def _pick_title(
    lines: list[_Line], i: int, stop: frozenset[str] | None, cfg: CleanConfig
) -> int | None:
    """The headline: a title-shaped line just above the article block whose topic words recur
    in the article's first paragraphs (chrome such as "Audio by X" or a section name does
    not). A line repeated above the block or echoed in the page's first lines (the HTML
    <title> of a text dump) needs less overlap. When unsure, no title."""
    if i <= 0:
        return None
    lo = max(0, i - cfg.title_window)
    lead: set[str] = set()
    for ln in lines[i : i + cfg.title_lead_lines]:
        if ln.verdict is None:
            lead |= _content_units(ln, stop)
    if not lead:
        return None
    texts: dict[str, int] = {}
    for ln in lines[:i]:
        texts[ln.text] = texts.get(ln.text, 0) + 1
    top: set[str] = set()
    for ln in lines[: min(3, i)]:
        top |= _content_units(ln, stop)
    for k in range(i - 1, lo - 1, -1):
        ln = lines[k]
        if not _title_shape(ln, cfg):
            continue
        units = _content_units(ln, stop)
        if len(units) < 2:
            continue
        overlap = len(units & lead) / len(units)
        echoed = texts.get(ln.text, 0) > 1 or (k >= 3 and len(units & top) >= 0.6 * len(units))
        if overlap >= cfg.title_min_overlap or (echoed and overlap >= cfg.title_echo_overlap):
            return k
    return None


def _foreign_lines(lines: list[_Line], doc_script: str, cfg: CleanConfig) -> None:
    """Short lines in another script than the page's, with no same-script neighbour. Such a
    line is noise whatever it says: a foreign "Comments" or "Latest" is not a closing
    heading of this page, so it loses its boundary."""
    if doc_script in ("none",):
        return
    for k, ln in enumerate(lines):
        if ln.script in (doc_script, "none") or (ln.verdict and not ln.boundary):
            continue
        if doc_script == "latin" and ln.script == "latin":
            continue
        if len(ln.text) > cfg.foreign_max_chars:
            continue
        prev_s = lines[k - 1].script if k > 0 else None
        next_s = lines[k + 1].script if k + 1 < len(lines) else None
        if ln.script not in (prev_s, next_s):
            ln.verdict = (FOREIGN, 0.8)
            ln.boundary = None


# --------------------------------------------------------------------------------------------
# Features of the learned line classifier (corpusprep/linemodel.py). The rules above are
# features here, not verdicts: the model learned from labelled pages when to trust them.

FEATURE_NAMES: tuple[str, ...] = (
    # the line
    "words", "log_chars", "stopword_ratio", "terminal", "ends_colon", "ends_question",
    "list_item", "url_only", "digit", "same_script", "no_letters", "rule", "rule_score",
    "boundary", "repeated_in_page", "weight", "capitalised_share", "letter_share",
    "separators", "headline_like", "title_shape", "mostly_lowercase", "is_title",
    # where it is
    "in_block", "lines_before_block", "lines_after_block", "position", "words_before_share",
    "after_closing_heading", "lines_since_boundary",
    # its neighbours
    "weight_m2", "weight_m1", "weight_p1", "weight_p2", "words_m1", "words_p1",
    "rule_m1", "rule_p1", "terminal_m1", "terminal_p1", "window_weight", "window_good",
    "window_rules", "window_short", "window_timestamps", "weight_w2", "weight_w15",
    "shape_run", "headline_run",
    # the page
    "page_lines", "page_words", "page_short_share", "page_list_share", "page_good_share",
    "page_terminal_share", "page_rule_share", "block_line_share", "block_word_share",
    "page_has_stopwords",
)  # fmt: skip
# What the line's words say: log-odds of content (and of comments) from the vocabulary the
# classifier learned (``linemodel``), words such as "reply", "cart" or "abonnieren".
VOCAB_NAMES: tuple[str, ...] = (
    "vocab_mean", "vocab_min", "vocab_max", "vocab_known", "vocab_comments", "vocab_window",
    "vocab_page_known",
)  # fmt: skip
CATEGORICAL_FEATURES: tuple[str, ...] = ("rule", "boundary", "rule_m1", "rule_p1")
_VOCAB_WINDOW = 3  # lines on each side for vocab_window
_RULE_INDEX: dict[str, int] = {rid: k + 1 for k, rid in enumerate(RULE_IDS)}
_SEPARATORS = "|\u00b7\u2022/>\u00bb"
_WINDOW = 5  # lines on each side for the window features


def _clip(w: float) -> float:
    """A boundary weighs -1000 in the block search; as a feature, -10 says as much."""
    return -10.0 if w < -10.0 else (60.0 if w > 60.0 else w)


def _rule_of(ln: _Line) -> float:
    return float(_RULE_INDEX[ln.verdict[0]]) if ln.verdict is not None else 0.0


def vocab_words(words: list[str]) -> list[str]:
    """A line's word tokens (``_Line.words``: lowercased, punctuation split off) as the
    vocabulary counts them: every number is "0"."""
    return [_DIGITS.sub("0", w) for w in words]


def line_words(text: str) -> list[str]:
    """``vocab_words`` of one line of text."""
    return vocab_words(_PUNCT.sub(" ", text.lower()).split())


def vocab_rows(
    line_tokens: list[list[str]], vocabulary: dict[str, tuple[float, float]]
) -> list[list[float]]:
    """VOCAB_NAMES for each line: mean, min and max content log-odds of its known words, the
    share of its words that are known, their mean comments log-odds, the mean content
    log-odds of the lines around it (a line without known words counts 0 there), and the share
    of the page's words that are known: low on a page in a language the vocabulary has not
    learned, where the trees must judge by the rest."""
    nan = math.nan
    rows: list[list[float]] = []
    means: list[float] = []
    page_known = page_words = 0
    for toks in line_tokens:
        page_words += len(toks)
        n_known = 0
        total = total_m = 0.0
        lo, hi = math.inf, -math.inf
        for t in toks:
            found = vocabulary.get(t)
            if found is not None:
                c = found[0]
                n_known += 1
                total += c
                total_m += found[1]
                if c < lo:
                    lo = c
                if c > hi:
                    hi = c
        page_known += n_known
        share = n_known / len(toks) if toks else 0.0
        if n_known:
            mean = total / n_known
            rows.append([mean, lo, hi, share, total_m / n_known, nan, nan])
            means.append(mean)
        else:
            rows.append([nan, nan, nan, share, nan, nan, nan])
            means.append(0.0)
    cum = [0.0]
    for m in means:
        cum.append(cum[-1] + m)
    known_share = page_known / page_words if page_words else 0.0
    for k, row in enumerate(rows):
        row[5] = _window_mean(cum, means, k, _VOCAB_WINDOW)
        row[6] = known_share
    return rows


def _window_mean(cum: list[float], values: list[float], k: int, radius: int) -> float:
    """Mean of values[k-radius .. k+radius] without values[k] (cum: running sums)."""
    lo, hi = max(0, k - radius), min(len(values), k + radius + 1)
    if hi - lo <= 1:
        return math.nan
    return (cum[hi] - cum[lo] - values[k]) / (hi - lo - 1)


def _same_shape(a: _Line, b: _Line) -> bool:
    """Two lines of one list: about as long, both or neither terminated or list items."""
    return (
        a.terminated == b.terminated
        and a.list_item == b.list_item
        and 0.5 * a.n_words <= b.n_words <= 2.0 * a.n_words + 1.0
    )


def _shape_runs(lines: list[_Line]) -> list[int]:
    """Per line, the length of the run of consecutive same-shape lines holding it (a list of
    items, a menu, a grid of cards)."""
    n = len(lines)
    runs = [1] * n
    start = 0
    for k in range(1, n + 1):
        if k == n or not _same_shape(lines[k - 1], lines[k]):
            for m in range(start, k):
                runs[m] = k - start
            start = k
    return runs


def _headline_shaped(ln: _Line) -> bool:
    """A headline or a question: 2-20 words, capitalised, not a sentence or a list item."""
    s = ln.text
    return (
        2 <= ln.n_words <= 20
        and not ln.list_item
        and not s[0].islower()
        and not s.endswith((".", ":", ";", ",", "\u3002"))
    )


def _runs(flags: list[bool]) -> list[int]:
    """Per line, the length of the run of consecutive flagged lines holding it (0 if not)."""
    n = len(flags)
    out = [0] * n
    k = 0
    while k < n:
        if not flags[k]:
            k += 1
            continue
        m = k
        while m + 1 < n and flags[m + 1]:
            m += 1
        for t in range(k, m + 1):
            out[t] = m - k + 1
        k = m + 1
    return out


def _feature_rows(
    lines: list[_Line],
    i: int,
    j: int,
    title_k: int,
    doc_script: str,
    has_stop: bool,
    cfg: CleanConfig,
) -> list[list[float]]:
    """One row of FEATURE_NAMES per line (the block i..j and the title as the rules chose)."""
    n = len(lines)
    nan = math.nan
    weights = [_clip(ln.weight) for ln in lines]
    cum = [0.0]
    for w in weights:
        cum.append(cum[-1] + w)
    runs = _shape_runs(lines)
    headline_runs = _runs([_headline_shaped(ln) for ln in lines])
    good = [_is_good(ln, cfg) for ln in lines]
    stamps = [ln.verdict is not None and ln.verdict[0] == TIMESTAMP for ln in lines]
    sum_good, sum_rules, sum_short, sum_stamps = [0], [0], [0], [0]
    for k, ln in enumerate(lines):
        sum_good.append(sum_good[-1] + good[k])
        sum_rules.append(sum_rules[-1] + (ln.verdict is not None))
        sum_short.append(sum_short[-1] + (ln.n_words <= 3))
        sum_stamps.append(sum_stamps[-1] + stamps[k])
    total_words = 0.0
    n_short = n_list = n_good = n_term = n_rule = 0
    block_words = 0.0
    for k, ln in enumerate(lines):
        total_words += ln.n_words
        n_short += ln.n_words <= 3
        n_list += ln.list_item
        n_good += good[k]
        n_term += ln.terminated
        n_rule += ln.verdict is not None
        if i <= k <= j:
            block_words += ln.n_words
    page = [
        math.log1p(n),
        math.log1p(total_words),
        n_short / n,
        n_list / n,
        n_good / n,
        n_term / n,
        n_rule / n,
        (j - i + 1) / n if j >= i else 0.0,
        block_words / total_words if total_words else 0.0,
        1.0 if has_stop else 0.0,
    ]
    rows: list[list[float]] = []
    words_before = 0.0
    prose, n_prose = 0.0, 0
    closed = False
    since = -1.0
    for k, ln in enumerate(lines):
        s = ln.text
        if ln.boundary:
            if prose >= cfg.closing_min_prose and n_prose >= 3:
                closed = True
            since = 0.0
        elif since >= 0:
            since += 1.0
        toks = s.split()
        caps = 0
        for t in toks:
            if t[0].isupper():
                caps += 1
        letters = 0
        seps = 0
        for c in s:
            if c.isalpha():
                letters += 1
            elif c in _SEPARATORS:
                seps += 1
        lo, hi = max(0, k - _WINDOW), min(n, k + _WINDOW + 1)
        # the window's counts from running sums, without line k
        w_good = sum_good[hi] - sum_good[lo] - good[k]
        w_rules = sum_rules[hi] - sum_rules[lo] - (ln.verdict is not None)
        w_short = sum_short[hi] - sum_short[lo] - (ln.n_words <= 3)
        w_stamps = sum_stamps[hi] - sum_stamps[lo] - stamps[k]
        w_sum = 0.0
        for m in range(lo, hi):
            if m != k:
                w_sum += weights[m]
        width = float(hi - lo - 1) or 1.0
        prev = lines[k - 1] if k > 0 else None
        nxt = lines[k + 1] if k + 1 < n else None
        row = [
            ln.n_words,
            math.log1p(len(s)),
            ln.stopword_share,
            1.0 if ln.terminated else 0.0,
            1.0 if s.endswith(":") else 0.0,
            1.0 if s.endswith("?") else 0.0,
            1.0 if ln.list_item else 0.0,
            1.0 if ln.url_only else 0.0,
            1.0 if ln.digit else 0.0,
            1.0 if ln.script == doc_script else 0.0,
            1.0 if ln.script == "none" else 0.0,
            _rule_of(ln),
            ln.verdict[1] if ln.verdict is not None else 0.0,
            float(_RULE_INDEX[ln.boundary]) if ln.boundary else 0.0,
            1.0 if ln.weak_rule else 0.0,
            weights[k],
            caps / len(toks) if toks else 0.0,
            letters / len(s),
            float(seps),
            1.0 if _headline_like(ln) else 0.0,
            1.0 if _title_shape(ln, cfg) else 0.0,
            1.0 if _mostly_lowercase(ln) else 0.0,
            1.0 if k == title_k else 0.0,
            1.0 if i <= k <= j else 0.0,
            float(i - k) if k < i else 0.0,
            float(k - j) if k > j else 0.0,
            k / n,
            words_before / total_words if total_words else 0.0,
            1.0 if closed else 0.0,
            since,
            weights[k - 2] if k >= 2 else nan,
            weights[k - 1] if k >= 1 else nan,
            weights[k + 1] if k + 1 < n else nan,
            weights[k + 2] if k + 2 < n else nan,
            prev.n_words if prev is not None else nan,
            nxt.n_words if nxt is not None else nan,
            _rule_of(prev) if prev is not None else 0.0,
            _rule_of(nxt) if nxt is not None else 0.0,
            (1.0 if prev.terminated else 0.0) if prev is not None else nan,
            (1.0 if nxt.terminated else 0.0) if nxt is not None else nan,
            w_sum / width,
            w_good / width,
            w_rules / width,
            w_short / width,
            w_stamps / width,
            _window_mean(cum, weights, k, 2),
            _window_mean(cum, weights, k, 15),
            float(runs[k]),
            float(headline_runs[k]),
        ]
        row.extend(page)
        rows.append(row)
        words_before += ln.n_words
        if ln.weight > 0 and not closed:
            prose += ln.weight
            n_prose += ln.weight >= cfg.good_line_words
    return rows


# --------------------------------------------------------------------------------------------
# Entry point


class _Analysis:
    """What the rules found in one document, before anything is deleted."""

    __slots__ = ("lines", "noise", "doc_script", "stop", "block_start", "block_end", "title_k")

    def __init__(
        self,
        lines: list[_Line],
        noise: list[_Line],
        doc_script: str,
        stop: frozenset[str] | None,
        block_start: int,
        block_end: int,
        title_k: int,
    ):
        self.lines = lines
        self.noise = noise  # lines a decisive rule removes, left out of everyone's context
        self.doc_script = doc_script
        self.stop = stop
        self.block_start = block_start
        self.block_end = block_end
        self.title_k = title_k  # -1: no headline found


def _analyse(
    text: str,
    language: str | None,
    repeated: frozenset[int],
    fmt: str,
    cfg: CleanConfig,
    set_noise_aside: bool = True,
) -> _Analysis | None:
    """Features, rule marks, the article block and the headline of one document (None when
    it has no non-blank line).

    With `set_noise_aside`, lines that a decisive rule removes whatever their context (a short
    foreign-script UI string, a line without letters) are set aside before the block search and
    the features: they go anyway, and as context they would only move their neighbours'
    verdicts (a "留言列表" inserted mid-article split the article's block)."""
    raw = text.split("\n")
    stripped = [(k, s.strip()) for k, s in enumerate(raw)]
    stripped = [(k, s) for k, s in stripped if s]
    if not stripped:
        return None
    body = [s for _, s in stripped]
    doc_script, has_other = _doc_script(body, text)
    plain = _PUNCT.sub(" ", text.lower()).split("\n")
    if len(plain) != len(raw):  # lower() never adds newlines; be safe anyway
        plain = [_PUNCT.sub(" ", x.lower()) for x in raw]
    plain_body = [plain[k] for k, _ in stripped]
    lang = language if language in STOPWORDS else _guess_language(plain_body, doc_script)
    if lang in SUBSTRING_LANGS:
        stop = None
    elif lang is not None:
        stop = STOPWORDS[lang]
    else:
        stop = ALL_SPACED if doc_script == "latin" else None

    doc_other = doc_script != "latin" or has_other
    lines = [_features(k, s, plain[k], stop, doc_other, repeated, cfg) for k, s in stripped]
    _in_page_repeats(lines, cfg)
    _foreign_lines(lines, doc_script, cfg)
    noise: list[_Line] = []
    if set_noise_aside:
        context: list[_Line] = []
        for ln in lines:
            is_noise = ln.verdict is not None and ln.verdict[0] in _DECISIVE
            (noise if is_noise else context).append(ln)
        lines = context
    for ln in lines:
        ln.weight = _weight(ln, cfg)
    _inline_boxes(lines, cfg)
    _discount_after_sections(lines, cfg)

    n = len(lines)
    title_k = -1
    if not lines:
        return _Analysis(lines, noise, doc_script, stop, 0, -1, title_k)
    if fmt == "html":
        i, j = 0, n - 1
        total = sum(max(ln.weight, 0.0) for ln in lines) or 1.0
        acc = 0.0
        for k, ln in enumerate(lines):
            if ln.boundary and acc >= cfg.html_tail_fraction * total:
                j = k - 1
                break
            acc += max(ln.weight, 0.0)
        # trafilatura already chose the article: only high-precision line rules apply
        for ln in lines:
            if ln.verdict and ln.verdict[0] not in _HTML_RULES:
                ln.verdict = None
    else:
        i, j, block_sum = _find_block(lines, cfg)
        if block_sum < cfg.min_block_weight:
            i, j = 0, n - 1
        else:
            j = _extend_colon_list(lines, j)
            found = _pick_title(lines, i, stop, cfg)
            title_k = found if found is not None else -1
        _mark_teaser_runs(lines, i, j, cfg)
    return _Analysis(lines, noise, doc_script, stop, i, j, title_k)


def line_features(
    text: str,
    language: str | None = None,
    repeated: frozenset[int] = frozenset(),
    config: CleanConfig = CleanConfig(),
    set_noise_aside: bool = True,
) -> tuple[list[int], list[list[float]]]:
    """The raw line numbers of a text's non-blank lines and their FEATURE_NAMES rows: what
    the line classifier sees (scripts/train.py labels these rows). With `set_noise_aside`
    (the text cleaner), lines a decisive rule removes are not among them (see _analyse)."""
    found = _analyse(text, language, repeated, "txt", config, set_noise_aside)
    if found is None or not found.lines:
        return [], []
    rows = _feature_rows(
        found.lines,
        found.block_start,
        found.block_end,
        found.title_k,
        found.doc_script,
        found.stop is not None,
        config,
    )
    return [ln.idx for ln in found.lines], rows


def _default_model() -> Any:
    """The shipped line classifier (``linemodel.default_model``). Imported by name: this module
    is compiled, and mypy would otherwise type-check numpy and LightGBM with it."""
    return importlib.import_module("corpusprep.linemodel").default_model()


def page_threshold(keep_threshold: float, keep: Any, relative_floor: float) -> float:
    """`keep_threshold` times the page's highest P(keep) (`keep`, one per line) where that is
    below 1, but not below `relative_floor` (1.0: the threshold as given): on a page whose
    every line the classifier doubts, the likeliest lines still make its text."""
    return keep_threshold * min(1.0, max(float(max(keep)), relative_floor))


def clean_text(
    text: str,
    language: str | None = None,
    repeated: frozenset[int] = frozenset(),
    fmt: str = "txt",
    config: CleanConfig = CleanConfig(),
    model: Any = None,
) -> Cleaned:
    """Drop boilerplate lines from one document; see the module docstring.

    ``model`` is a ``linemodel.LineModel`` (default: the shipped one)."""
    cfg = config
    found = _analyse(text, language, repeated, fmt, cfg)
    if found is None:
        return Cleaned(text="")
    lines = found.lines
    i, j = found.block_start, found.block_end
    doc_script = found.doc_script
    title_k = found.title_k
    # P(content), P(comments) per line from the learned classifier; the html path keeps the
    # rules' verdicts (trafilatura chose the article already).
    keep_p: list[float] = []
    comment_p: list[float] = []
    if fmt != "html" and lines:
        rows = _feature_rows(lines, i, j, title_k, doc_script, found.stop is not None, cfg)
        lm = model if model is not None else _default_model()
        # a line without digits has nothing for vocab_words to change
        tokens = [vocab_words(ln.words) if ln.digit else ln.words for ln in lines]
        vocab = vocab_rows(tokens, lm.vocabulary)
        for k in range(len(rows)):
            rows[k].extend(vocab[k])
        keep_p, comment_p = lm.keep_probabilities(rows, cfg.keep_comments)
    threshold = (
        page_threshold(cfg.keep_threshold, keep_p, cfg.keep_relative_floor) if keep_p else 1.0
    )

    # The one place that deletes.
    kept: list[str] = []
    first_kept: int | None = None
    removed: list[Removed] = []
    section: str | None = None  # rule id of the last closing heading after the block
    title: str | None = lines[title_k].text if title_k >= 0 else None
    for k, ln in enumerate(lines):
        if k > j and ln.boundary:
            section = ln.boundary
        if title is not None and ln.text == title and k < i:
            removed.append(Removed(ln.idx, ln.text, TITLE, 1.0))
            continue
        if keep_p:
            p = keep_p[k]
            # (the noise rules' lines were set aside by _analyse and are added below)
            if (
                ln.verdict is not None
                and ln.verdict[0] == REPEATED
                and ln.n_words <= cfg.repeat_max_words
            ):
                removed.append(Removed(ln.idx, ln.text, ln.verdict[0], ln.verdict[1]))
                continue
            if p < threshold:
                if ln.verdict is not None:
                    reason = ln.verdict[0]
                elif ln.boundary is not None:
                    reason = ln.boundary
                elif ln.weak_rule is not None:
                    reason = ln.weak_rule
                elif section is not None and k > j:
                    reason = section
                else:
                    reason = model_reason(p, comment_p[k])
                removed.append(Removed(ln.idx, ln.text, reason, round(1.0 - p, 3)))
                continue
        elif ln.verdict is not None:
            removed.append(Removed(ln.idx, ln.text, ln.verdict[0], ln.verdict[1]))
            continue
        elif k < i or k > j:
            reason = section if (section and k > j) else (ln.weak_rule or OUTSIDE)
            removed.append(Removed(ln.idx, ln.text, reason, round(ln.weight, 2)))
            continue
        s = ln.text
        if doc_script == "latin" and ln.other_script and ln.script == "latin":
            m = _TRAILING_FOREIGN.search(s)
            if m and len(m.group(1).strip()) <= cfg.foreign_max_chars:
                removed.append(Removed(ln.idx, m.group(1).strip(), FOREIGN, 0.8))
                s = s[: m.start()].rstrip()
        if first_kept is None:
            first_kept = ln.idx
        kept.append(s)
    if found.noise:
        removed.extend(
            Removed(ln.idx, ln.text, ln.verdict[0], ln.verdict[1])
            for ln in found.noise
            if ln.verdict
        )
        removed.sort(key=lambda r: r.line_no)
    return Cleaned("\n".join(kept), tuple(removed), title, first_kept)
