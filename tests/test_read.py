import codecs

import pytest

from corpusprep.read import InputError, decode, discover, make_doc_id, read_file


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
        read_file(tmp_path, "empty.txt", max_bytes=1000)
    with pytest.raises(InputError, match="too large"):
        read_file(tmp_path, "big.txt", max_bytes=10)
    with pytest.raises(InputError, match="unsupported file type"):
        read_file(tmp_path, "data.csv", max_bytes=1000)
    with pytest.raises(InputError, match="cannot read"):
        read_file(tmp_path, "missing.txt", max_bytes=1000)
