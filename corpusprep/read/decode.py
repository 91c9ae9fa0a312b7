"""Decoding: turn a document's bytes into text: BOMs, declared and detected charsets, and the
refusal of binary data that is not text at all."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from corpusprep.read.doc import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)

# File signatures of binary formats people misname as text; the name goes into the error.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or docx/xlsx/epub)"),
    (b"\x1f\x8b", "gzip data: name the file with a .gz suffix"),
    (b"BZh", "bzip2 data: name the file with a .bz2 suffix"),
    (b"\x28\xb5\x2f\xfd", "zstd data: name the file with a .zst suffix"),
    (b"\x7fELF", "ELF executable"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
)
# Bytes that do not occur in text: C0 controls except \t \n \v \f \r and ESC.
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\x0b\x0c\r\x1b")


def decode(data: bytes, fmt: str, declared: str | None = None) -> tuple[str, str]:
    """Bytes to text. Returns (text, encoding name); raises InputError for data that is not text.

    Order: BOM; refuse binary data and NUL bytes (BOM-less UTF-16 excepted); strict UTF-8;
    mostly-UTF-8 (see below); the declared charset (`declared`, e.g. from an HTTP header, then
    an HTML meta charset); charset-normalizer detection with a cp1252 bias.

    Mostly-UTF-8: when valid multi-byte UTF-8 sequences (at least 4) outnumber the invalid
    ones two to one, the file is UTF-8 with a few damaged bytes (a truncated character, a stray
    cp1252 quote); each invalid sequence becomes U+FFFD and the encoding is "utf-8". Detection
    would instead pick a legacy code page and turn every correct letter into mojibake (cp932
    for a French paragraph with two bad bytes, measured). Legacy text forms valid UTF-8
    sequences only by chance: none in cp1252/cp1251/koi8-r paragraphs, 0.14-0.38 per invalid
    one in GB18030, Shift-JIS, EUC-JP and EUC-KR paragraphs (measured), far below two.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    utf16 = _bomless_utf16(data)
    if utf16 is not None:
        return utf16
    _refuse_binary(data)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly, "utf-8"
    names = [declared] if declared else []
    if fmt == "html":
        m = _META_CHARSET.search(data[:4096])
        if m:
            names.append(m.group(1).decode("ascii", "ignore"))
    for name in names:
        got = _decode_declared(data, name)
        if got is not None:
            return got
    return _detect(data)


def refuse_magic(data: bytes) -> None:
    """Raise InputError when the data starts with the signature of a binary format."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"binary file ({kind}), not text")


def _refuse_binary(data: bytes) -> None:
    refuse_magic(data)
    head = data[:8192]
    n_control = len(head) - len(head.translate(None, _CONTROL))
    if head and n_control / len(head) > 0.1:
        raise InputError(
            f"binary file: {n_control} control bytes in the first {len(head)} bytes, not text"
        )
    first = data.find(b"\0")
    if first >= 0:
        n_nul = data.count(b"\0")
        raise InputError(f"NUL bytes in text: {n_nul} NUL bytes, the first at byte {first}")


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM, recognised by the zero high bytes of Latin-script text."""
    head = data[:4096]
    if len(head) < 16 or len(data) % 2 or b"\0" not in head:
        return None
    even, odd = head[0::2].count(0) / (len(head) / 2), head[1::2].count(0) / (len(head) / 2)
    for enc, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros > 0.3 and other < 0.05:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                return None
            if "\0" in text:
                return None
            return text, enc
    return None


def _mostly_utf8(data: bytes) -> str | None:
    text = data.decode("utf-8", errors="replace")
    n_invalid = text.count("\ufffd")
    n_valid = len(text) - len(text.encode("ascii", "ignore")) - n_invalid
    if n_valid >= max(4, 2 * n_invalid):
        return text
    return None


# WHATWG's encoding labels: pages labelled latin-1 or ASCII are decoded as windows-1252, GBK as
# GB18030 and Shift_JIS as windows-31J by every browser, so the text was written for those.
_LABEL_ALIASES = {
    "latin1": "cp1252",
    "latin_1": "cp1252",
    "iso8859_1": "cp1252",
    "ascii": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
}
# Codecs a page may name but that are not plain text encodings for a web page.
_REFUSED_LABELS = re.compile(r"^(utf_7|utf_16|utf_32|.*unicode_escape|punycode|idna|mbcs|oem)")


def _decode_declared(data: bytes, label: str) -> tuple[str, str] | None:
    try:
        name = codecs.lookup(label.strip().lower()).name.replace("-", "_")
    except (LookupError, ValueError):
        return None
    if _REFUSED_LABELS.match(name):
        return None
    name = _LABEL_ALIASES.get(name, name)
    try:
        return data.decode(name), name
    except (UnicodeDecodeError, LookupError):
        if name == "cp1252":  # five byte values are unassigned in cp1252 but not in latin-1
            return data.decode("latin-1"), "latin_1"
        return None


def _detect(data: bytes) -> tuple[str, str]:
    try:
        best = charset_normalizer.from_bytes(data).best()
    except (LookupError, UnicodeError, ValueError) as exc:
        raise InputError(f"not text: encoding detection failed ({exc})") from exc
    if best is None:
        raise InputError("not text: no character encoding fits the bytes")
    if _prefer_cp1252(best):
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    try:
        return str(best), best.encoding
    except (LookupError, UnicodeError) as exc:
        raise InputError(f"not text: cannot decode as {best.encoding} ({exc})") from exc


# Single-byte Latin code pages agree on most letters, so detection often names the wrong one
# (cp1257 for French, say). Undeclared Western text on the web is overwhelmingly windows-1252
# (WHATWG maps even "latin1" to it), so it wins unless the text reads as a language that
# needs another Latin code page.
_LATIN_CODEPAGES = re.compile(r"^(cp125[0247]|iso8859_(1|2|3|4|9|10|13|14|15|16)|latin_1|mac_)")
_OTHER_LATIN_LANGUAGES = {
    "Polish",
    "Czech",
    "Slovak",
    "Hungarian",
    "Croatian",
    "Slovene",
    "Romanian",
    "Lithuanian",
    "Latvian",
    "Estonian",
    "Turkish",
    "Bosnian",
    "Serbian",
}


def _prefer_cp1252(match) -> bool:
    return bool(_LATIN_CODEPAGES.match(match.encoding)) and match.language not in (
        _OTHER_LATIN_LANGUAGES
    )
