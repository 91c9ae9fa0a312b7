import bz2
import codecs
import gzip
import io
import json

import pytest
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpusprep.config import Config
from corpusprep.read import (
    FileRead,
    InputError,
    RawDoc,
    decode,
    discover,
    format_of,
    make_doc_id,
    read_file,
)


def test_utf8_and_bom():
    assert decode("héllo".encode(), "txt") == ("héllo", "utf-8")
    text, enc = decode(codecs.BOM_UTF8 + "héllo".encode(), "txt")
    assert (text, enc) == ("héllo", "utf-8-sig")
    text, enc = decode("héllo wörld".encode("utf-16"), "txt")
    assert text == "héllo wörld" and enc == "utf-16"


def test_html_meta_charset_wins_over_guessing():
    page = '<html><head><meta charset="windows-1251"></head><body>Привет мир</body></html>'
    text, enc = decode(page.encode("cp1251"), "html")
    assert "Привет мир" in text
    assert enc == "cp1251"


def test_legacy_single_byte_text_is_detected():
    sentence = "Le café où l'élève a été reçu était très animé, déjà à midi. " * 5
    text, enc = decode(sentence.encode("cp1252"), "txt")
    assert text == sentence
    assert enc != "utf-8"


def test_binary_is_refused_with_a_reason():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    with pytest.raises(InputError, match="binary"):
        decode(png, "txt")


def test_doc_id_depends_on_path_and_bytes_only():
    a = make_doc_id("x/a.txt", b"hello")
    assert a == make_doc_id("x/a.txt", b"hello")
    assert a != make_doc_id("x/b.txt", b"hello")
    assert a != make_doc_id("x/a.txt", b"hello!")
    assert len(a) == 32


def test_discover_sorted_relative_and_skips_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "z.txt").write_text("z")
    (tmp_path / "a.html").write_text("a")
    (tmp_path / ".hidden.txt").write_text("h")
    (tmp_path / ".git" / "config").write_text("c")
    assert discover(tmp_path) == ["a.html", "b/z.txt"]


def test_read_file_errors(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "big.txt").write_bytes(b"x" * 100)
    (tmp_path / "data.csv").write_text("a,b")
    with pytest.raises(InputError, match="empty file"):
        read_file(tmp_path, "empty.txt", Config(max_file_bytes=1000))
    with pytest.raises(InputError, match="too large"):
        read_file(tmp_path, "big.txt", Config(max_file_bytes=10))
    with pytest.raises(InputError, match="unsupported file type"):
        read_file(tmp_path, "data.csv", Config(max_file_bytes=1000))
    with pytest.raises(InputError, match="cannot read"):
        read_file(tmp_path, "missing.txt", Config(max_file_bytes=1000))


# --- formats and the FileRead interface -------------------------------------------------------

COMPRESS = {
    "": lambda b: b,
    ".gz": gzip.compress,
    ".bz2": bz2.compress,
    ".zst": lambda b: zstandard.ZstdCompressor().compress(b),
}


def make_warc(records, gzip_records=False) -> bytes:
    """records: (warc type, url, content type, body bytes, HTTP status line)."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip_records)
    for rec_type, url, ctype, body, status in records:
        if rec_type == "response":
            http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=http
            )
        else:
            rec = writer.create_warc_record(url, rec_type, payload=io.BytesIO(body))
        writer.write_record(rec)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.txt", "txt"),
        ("a/b/c.HTML", "html"),
        ("x.htm.gz", "html"),
        ("x.jsonl.gz", "jsonl"),
        ("x.ndjson", "jsonl"),
        ("crawl.warc.gz", "warc"),
        ("page.html.zst", "html"),
        ("dump.txt.bz2", "txt"),
        ("x.gz", None),
        ("x.csv", None),
        ("x.tar.gz", None),
        ("README", None),
    ],
)
def test_format_of(name, expected):
    assert format_of(name) == expected


@pytest.mark.parametrize("suffix", list(COMPRESS))
def test_single_document_files_compressed_or_not(tmp_path, suffix):
    text = "Première ligne.\nSecond line with ünïcödé.\n"
    (tmp_path / f"a.txt{suffix}").write_bytes(COMPRESS[suffix](text.encode()))
    result = read_file(tmp_path, f"a.txt{suffix}", Config(max_file_bytes=10_000))
    assert isinstance(result, FileRead)
    assert result.format == "txt" and result.problems == []
    assert result.n_bytes == (tmp_path / f"a.txt{suffix}").stat().st_size
    (doc,) = result.docs
    assert doc.text == text and doc.format == "txt" and doc.encoding == "utf-8"
    assert doc.doc_id == make_doc_id(f"a.txt{suffix}", text.encode())
    assert (doc.url, doc.date, doc.title, doc.record_id, doc.meta) == (None,) * 5


def test_jsonl_fields_meta_and_problems(tmp_path):
    lines = [
        {"id": 17, "url": "https://e.com/a", "title": "A", "date": "2024-05-01", "text": "Hello."},
        {"id": "b", "html": "<p>Bonjour</p>", "lang": "fr", "tags": ["x", "y"]},
        "not json {",
        {"url": "https://e.com/c", "body": "no text field"},
        {"text": ""},
        [1, 2],
        {"text": "Emoji \ud83d\ude00 and a lone \udc00 surrogate", "score": 0.5},
    ]
    raw = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n\n"
    (tmp_path / "d.jsonl").write_text(raw, encoding="utf-8")
    result = read_file(tmp_path, "d.jsonl", Config(max_file_bytes=10_000))
    assert result.format == "jsonl"
    a, b, c = result.docs
    assert (a.format, a.text, a.url, a.title, a.date, a.record_id, a.meta) == (
        "txt",
        "Hello.",
        "https://e.com/a",
        "A",
        "2024-05-01",
        "17",
        None,
    )
    assert (b.format, b.text, b.record_id, b.meta) == (
        "html",
        "<p>Bonjour</p>",
        "b",
        {"lang": "fr", "tags": ["x", "y"]},
    )
    assert c.text == "Emoji \U0001f600 and a lone \ufffd surrogate"
    c.text.encode("utf-8")  # writable as UTF-8
    json.dumps(b.meta)
    assert result.problems == [
        "line 3: not valid JSON (Expecting value)",
        "line 4: no 'text' or 'html' field",
        "line 5: 'text' field is empty or not a string",
        "line 6: not a JSON object (a list)",
    ]
    # ids: path + line number + line bytes; stable across reads, distinct per line
    again = read_file(tmp_path, "d.jsonl", Config(max_file_bytes=10_000))
    assert [d.doc_id for d in again.docs] == [d.doc_id for d in result.docs]
    assert len({d.doc_id for d in result.docs}) == 3
    first_line = raw.split("\n")[0].encode()
    assert a.doc_id == make_doc_id("d.jsonl", first_line, position=1)


def test_jsonl_html_wins_and_document_limit(tmp_path):
    rows = [{"text": "t", "html": "<p>h</p>"}, {"text": "x" * 50}, {"text": "short"}]
    (tmp_path / "d.jsonl.gz").write_bytes(
        gzip.compress("\n".join(json.dumps(r) for r in rows).encode())
    )
    result = read_file(tmp_path, "d.jsonl.gz", Config(max_file_bytes=10_000, max_doc_chars=20))
    assert [(d.format, d.text) for d in result.docs] == [("html", "<p>h</p>"), ("txt", "short")]
    assert result.problems == ["line 2: document too large: 50 characters (limit 20)"]


def test_document_limit_from_the_byte_count_says_at_least(tmp_path):
    # over 4 bytes a character (12 in a JSON line) the bytes alone refuse a document, before
    # decoding, and the message gives the bound they prove
    (tmp_path / "big.txt").write_bytes(b"\xff" * 100)
    with pytest.raises(
        InputError, match=r"^document too large: at least 25 characters \(limit 10\)$"
    ):
        read_file(tmp_path, "big.txt", Config(max_file_bytes=10_000, max_doc_chars=10))
    (tmp_path / "d.jsonl").write_text(json.dumps({"text": "x" * 200}) + "\n" + '{"text": "ok"}\n')
    result = read_file(tmp_path, "d.jsonl", Config(max_file_bytes=10_000, max_doc_chars=10))
    assert [d.text for d in result.docs] == ["ok"]
    assert result.problems == ["line 1: document too large: at least 17 characters (limit 10)"]
    html = b"<p>" + b"x" * 97
    data = make_warc([("response", "https://e.com/", "text/html", html, "200 OK")])
    (tmp_path / "w.warc").write_bytes(data)
    result = read_file(tmp_path, "w.warc", Config(max_file_bytes=100_000, max_doc_chars=10))
    assert result.docs == []
    (problem,) = result.problems
    assert problem.startswith("record 1 (<urn:uuid:")
    assert problem.endswith("): document too large: at least 25 characters (limit 10)")


def test_jsonl_with_only_bad_lines_fails_whole(tmp_path):
    (tmp_path / "d.jsonl").write_text("nope\n{]\n")
    with pytest.raises(InputError, match=r"no documents: 2 bad lines, the first line 1: not valid"):
        read_file(tmp_path, "d.jsonl", Config(max_file_bytes=10_000))


@pytest.mark.parametrize("suffix", list(COMPRESS))
def test_warc_keeps_html_responses_only(tmp_path, suffix):
    records = [
        ("warcinfo", "", "", b"software: test", ""),
        ("request", "https://e.com/1", "", b"GET / HTTP/1.1\r\n\r\n", ""),
        (
            "response",
            "https://e.com/1",
            "text/html; charset=utf-8",
            "<p>Één</p>".encode(),
            "200 OK",
        ),
        ("response", "https://e.com/logo.png", "image/png", b"\x89PNG\r\n\x1a\n", "200 OK"),
        ("response", "https://e.com/old", "text/html", b"<p>moved</p>", "301 Moved"),
        (
            "response",
            "https://e.com/2",
            "text/html; charset=windows-1252",
            b"<p>caf\xe9</p>",
            "200 OK",
        ),
    ]
    data = make_warc(records, gzip_records=suffix == ".gz")
    if suffix != ".gz":
        data = COMPRESS[suffix](data)
    (tmp_path / f"c.warc{suffix}").write_bytes(data)
    result = read_file(tmp_path, f"c.warc{suffix}", Config(max_file_bytes=100_000))
    assert result.format == "warc" and result.problems == []
    one, two = result.docs
    assert (one.format, one.text, one.url, one.encoding) == (
        "html",
        "<p>Één</p>",
        "https://e.com/1",
        "utf-8",
    )
    assert (two.text, two.url, two.encoding) == ("<p>café</p>", "https://e.com/2", "cp1252")
    assert one.record_id.startswith("<urn:uuid:") and one.date and one.date[:2] == "20"
    assert one.doc_id == make_doc_id(f"c.warc{suffix}", "<p>Één</p>".encode(), position=3)


# --- encodings ----------------------------------------------------------------------------------

PARAGRAPHS = {
    "fr": "Le gouvernement a annoncé mercredi une série de mesures destinées à soutenir les "
    "ménages les plus modestes. « Nous ne laisserons personne de côté », a déclaré la "
    "Première ministre, qui s'exprimait devant l'Assemblée nationale après une réunion.",
    "de": "Die Bundesregierung hat am Mittwoch ein Maßnahmenpaket vorgestellt, das vor allem "
    "Familien mit geringem Einkommen entlasten soll. „Wir lassen niemanden zurück“, sagte "
    "der Minister – die Opposition äußerte dennoch scharfe Kritik an der Größe des Pakets.",
    "es": "El Gobierno anunció el miércoles un paquete de medidas para apoyar a las familias "
    "más vulnerables. No dejaremos a nadie atrás, afirmó la ministra, que también señaló que "
    "la inflación seguirá bajando durante el próximo año según las previsiones oficiales.",
    "zh": "国家统计局周三公布的数据显示，今年前三季度国内生产总值同比增长百分之五点二，"
    "消费对经济增长的贡献率进一步提高。专家表示，随着一系列稳增长政策持续发力，"
    "经济回升向好的态势将更加明显，但外部环境依然复杂严峻。",
    "ja": "政府は水曜日、物価高騰に対応するための新たな経済対策を発表した。"
    "低所得世帯への給付金や電気料金の補助が柱となり、総額は約十七兆円に上る見通しだ。"
    "首相は記者会見で「国民の暮らしを守ることが最優先だ」と述べた。",
}


@pytest.mark.parametrize(
    ("lang", "codec", "recorded"),
    [
        ("fr", "cp1252", "cp1252"),
        ("de", "cp1252", "cp1252"),
        # latin-1 bytes are read as windows-1252 (its superset for printable text, and what
        # browsers do): the text is identical, the recorded name is cp1252
        ("es", "latin-1", "cp1252"),
        ("zh", "gb18030", "gb18030"),
        # Shift-JIS is read with its Windows superset cp932, as browsers do
        ("ja", "shift_jis", "cp932"),
        ("de", "utf-16", "utf-16"),
        ("zh", "utf-16", "utf-16"),
        ("fr", "utf-16-le", "utf-16-le"),
        ("fr", "utf-16-be", "utf-16-be"),
        ("ja", "utf-8-sig", "utf-8-sig"),
    ],
)
def test_encodings_round_trip(tmp_path, lang, codec, recorded):
    text = PARAGRAPHS[lang] + "\n" + PARAGRAPHS[lang] + "\n"
    (tmp_path / "p.txt").write_bytes(text.encode(codec))
    (doc,) = read_file(tmp_path, "p.txt", Config(max_file_bytes=100_000)).docs
    assert doc.text == text
    assert doc.encoding == recorded


def test_invalid_bytes_in_utf8_text_are_replaced_not_redetected():
    # decision: mostly-valid UTF-8 stays UTF-8 with U+FFFD for each bad sequence, because
    # detection would pick a legacy code page and garble every correct accented letter
    good = (PARAGRAPHS["fr"] + "\n").encode()
    damaged = good[:40] + b"\x92" + good[40:] + "é".encode()[:1]
    text, enc = decode(damaged, "txt")
    assert enc == "utf-8"
    assert text.count("\ufffd") == 2
    assert text.replace("\ufffd", "") == PARAGRAPHS["fr"] + "\n"


def test_declared_charset_and_label_aliases():
    page = "<meta charset=iso-8859-1><p>It’s déjà vu</p>"  # ’ exists only in cp1252
    text, enc = decode(page.encode("cp1252"), "html")
    assert (text, enc) == (page, "cp1252")
    body = PARAGRAPHS["zh"].encode("gb18030")
    assert decode(body, "html", declared="gb2312") == (PARAGRAPHS["zh"], "gb18030")
    # unknown labels and labels that are not web text encodings are ignored
    assert decode(body, "html", declared="x-no-such-charset")[1] == "gb18030"
    assert decode(body, "html", declared="utf-7")[1] == "gb18030"


def test_rawdoc_defaults_keep_old_constructor_working():
    doc = RawDoc("id", "a.txt", "txt", "t", "utf-8", 1)
    assert doc.meta is None and doc.url is None
