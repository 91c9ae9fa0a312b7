"""Read stage: discover input files, decode their bytes, turn each file into documents.

Containers read (after removing one compression suffix, `.gz`, `.bz2` or `.zst`):

- `.txt`/`.text` and `.html`/`.htm`: one document per file.
- `.jsonl`/`.ndjson`: one document per line, from a `text` or `html` string field (`html` wins
  when both are present: the raw page gives the extractor more to work with); `url`, `id`,
  `title` and `date` become RawDoc fields and every other field goes into `meta`.
- `.warc`: one document per WARC `response` record with a 2xx HTTP status and an HTML content
  type (text/html, application/xhtml+xml); other records are skipped silently (they are not
  errors). Parsed with warcio rather than fastwarc: on 2,000 HTML responses (38 MB), fastwarc
  2.0 parses in 21 ms (80 ms gzipped) against warcio's 170 ms (280 ms), but that is under
  0.1 ms a page next to tens of ms of extraction; warcio is pure Python, reads any stream (our
  own strict decompressors), and raised only ordinary exceptions on 6,000 mutated WARCs,
  while fastwarc 2.0's Rust core panics (PanicException, a BaseException) on a stream it
  cannot seek.

A failure that stops the whole file raises InputError; a failure of one line or record of a
multi-document file is listed in `FileRead.problems` and the other documents are kept.
Truncated or corrupt compression and a truncated WARC record fail the whole file: the file is
damaged (usually a partial download), and a failed file is easy to find and re-fetch.
"""

from __future__ import annotations

import bz2
import codecs
import hashlib
import io
import json
import os
import re
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from corpusprep import fs

FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
}
COMPRESSIONS = {".gz": "gzip", ".bz2": "bz2", ".zst": "zstd"}

DEFAULT_MAX_CHARS = 10_000_000
"""Per-document character limit: a bigger document is refused before any later stage (a
50 MB single line would otherwise reach the cleaner and the sentence splitter whole)."""

MAX_PROBLEMS = 100  # per file; past that, one summary entry counts the rest

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
_NON_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)


class InputError(Exception):
    """A file that cannot be turned into documents; the message is shown to the user."""


@dataclass(frozen=True)
class RawDoc:
    doc_id: str
    source_path: str  # relative to the input folder, '/' separators
    format: str  # of the content: "txt" or "html"
    text: str
    encoding: str
    n_bytes: int  # bytes of this document's content (decompressed; the line; the payload)
    url: str | None = None
    date: str | None = None
    title: str | None = None
    record_id: str | None = None  # the JSONL `id` or the WARC-Record-ID
    meta: dict | None = None  # other JSONL fields, JSON-serialisable


@dataclass(frozen=True)
class FileRead:
    docs: list[RawDoc]
    problems: list[str]  # per-line or per-record failures that did not stop the rest
    format: str  # the container: txt, html, jsonl, warc
    n_bytes: int  # size of the file as stored (compressed if it is)


# ---------------------------------------------------------------------------------------------
# discovery and names


def discover(raw_dir) -> list[str]:
    """Every non-hidden, non-directory entry below raw_dir, as sorted relative '/' paths.

    `raw_dir` is a local path, a URI (s3://...) or a `fs.Location`. On object storage: every
    object below it whose path has no hidden part; a listing that fails raises.

    Locally: symlinked files are followed (listed, and read through the link); symlinked
    folders are not entered, which rules out loops. A symlink loop or a dangling link is listed
    like a file, so that read_file reports it. Folders that cannot be listed are passed over
    silently. The walk is iterative (no recursion limit on deep trees).
    """
    where = fs.resolve(raw_dir)
    if not where.is_local:
        return where.walk_files()
    return _discover_local(Path(where.root))


def _discover_local(raw_dir: Path) -> list[str]:
    found: list[str] = []
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        try:
            with os.scandir(raw_dir / rel_dir if rel_dir else raw_dir) as it:
                entries = list(it)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                stack.append(rel)
                continue
            try:
                if entry.is_symlink() and entry.is_dir():
                    continue  # a symlinked folder: not entered
            except OSError:
                pass
            found.append(rel)
    return sorted(found)


def _split_name(rel_path: str) -> tuple[str | None, str | None]:
    """(container format, compression) named by the file's suffixes."""
    name = Path(rel_path).name.lower()
    compression = None
    for suffix, kind in COMPRESSIONS.items():
        if name.endswith(suffix):
            compression, name = kind, name[: -len(suffix)]
            break
    return FORMATS.get(Path(name).suffix), compression


def format_of(rel_path: str) -> str | None:
    """The container format (txt, html, jsonl, warc) named by the file's extension after a
    compression suffix is removed, or None if it is not a file we read."""
    return _split_name(rel_path)[0]


def make_doc_id(rel_path: str, data: bytes, position: int | None = None) -> str:
    """Deterministic id: the same bytes at the same relative path give the same id anywhere.

    One-document files hash (path, bytes); a record of a multi-document file also hashes its
    position (line number or record number) in the file.
    """
    h = hashlib.blake2b(digest_size=16)
    h.update(rel_path.encode("utf-8", "surrogatepass"))
    h.update(b"\0")
    if position is not None:
        h.update(str(position).encode("ascii"))
        h.update(b"\0")
    h.update(data)
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------
# decoding


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


def _refuse_binary(data: bytes) -> None:
    head = data[:8192]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise InputError(f"binary file ({kind}), not text")
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


# ---------------------------------------------------------------------------------------------
# decompression: streamed, bounded, and strict about truncation (the stdlib gzip module and
# zstandard's stream reader are not: a cut zstd stream silently reads as shorter data)

_IN_CHUNK = 1 << 16
_OUT_CHUNK = 1 << 20
_ZSTD_IN_CHUNK = 1 << 12  # zstd has no output cap per call: small inputs bound each output


def _stream_plain(fh) -> Iterator[bytes]:
    while chunk := fh.read(_OUT_CHUNK):
        yield chunk


def _stream_gzip(fh) -> Iterator[bytes]:
    return _stream_members(fh, lambda: zlib.decompressobj(16 + zlib.MAX_WBITS), capped=True)


def _stream_bz2(fh) -> Iterator[bytes]:
    return _stream_members(fh, bz2.BZ2Decompressor, capped=True)


def _stream_zstd(fh) -> Iterator[bytes]:
    import zstandard

    dctx = zstandard.ZstdDecompressor()
    return _stream_members(fh, dctx.decompressobj, capped=False)


def _stream_members(fh, new, capped: bool) -> Iterator[bytes]:
    """Decompress concatenated members (gzip members, bz2 streams, zstd frames)."""
    d, buf, in_member = new(), b"", False
    in_chunk = _IN_CHUNK if capped else _ZSTD_IN_CHUNK
    while True:
        if not buf:
            buf = fh.read(in_chunk)
            if not buf:
                break
        if not in_member:
            buf = buf.lstrip(b"\0")  # zero padding after a member is allowed
            if not buf:
                continue
            in_member = True
        if capped:
            out = d.decompress(buf, _OUT_CHUNK)
            buf = getattr(d, "unconsumed_tail", b"")
        else:
            out = d.decompress(buf[:in_chunk])
            buf = buf[in_chunk:]
        if out:
            yield out
        if capped and not buf and not d.eof:
            # bz2 keeps output back when the cap is hit; zlib may hold some in its window
            while not d.eof and (out := d.decompress(b"", _OUT_CHUNK)):
                yield out
        if d.eof:
            buf, d, in_member = d.unused_data + buf, new(), False
    if in_member:
        raise EOFError("compressed data ends before the end of the stream")


_STREAMS = {None: _stream_plain, "gzip": _stream_gzip, "bz2": _stream_bz2, "zstd": _stream_zstd}


class _Decompressed(io.RawIOBase):
    """A read-only stream of a file's decompressed bytes that raises InputError on damage and
    when more than `limit` bytes come out."""

    def __init__(self, fh, compression: str | None, limit: int):
        self._chunks = _STREAMS[compression](fh)
        self._compression = compression
        self._limit = limit
        self._count = 0
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        if not self._pending:
            chunk = self._next()
            if not chunk:
                return 0
            self._pending = memoryview(chunk)
        n = min(len(buf), len(self._pending))
        buf[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def _next(self) -> bytes:
        try:
            chunk = next(self._chunks, b"")
        except (EOFError, OSError, zlib.error, ValueError) as exc:
            raise InputError(f"truncated or corrupt {self._compression}: {exc}") from exc
        except Exception as exc:  # zstandard.ZstdError, imported lazily
            if type(exc).__name__ != "ZstdError":
                raise
            raise InputError(f"truncated or corrupt {self._compression}: {exc}") from exc
        self._count += len(chunk)
        if self._count > self._limit:
            raise InputError(f"decompressed size over the limit: more than {self._limit} bytes")
        return chunk

    def read_all(self) -> bytes:
        parts = []
        while chunk := (bytes(self._pending) if self._pending else self._next()):
            self._pending = memoryview(b"")
            parts.append(chunk)
        return b"".join(parts)


# ---------------------------------------------------------------------------------------------
# reading a file


def read_file(
    raw_dir: Path,
    rel_path: str,
    max_bytes: int,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_decompressed_bytes: int | None = None,
) -> FileRead:
    """Read one input file into its documents.

    `max_bytes` limits the file as stored; `max_decompressed_bytes` (default 4 x max_bytes)
    what a compressed file may expand to; `max_chars` each document's decoded text.
    Raises InputError when the whole file cannot be read.
    """
    fmt, compression = _split_name(rel_path)
    if fmt is None:
        raise InputError(f"unsupported file type {Path(rel_path).suffix or '(none)'!r}")
    if max_decompressed_bytes is None:
        max_decompressed_bytes = 4 * max_bytes if compression else max_bytes
    where = fs.resolve(raw_dir)
    try:
        size = _checked_size(where, rel_path)
        if size > max_bytes:
            raise InputError(f"file too large: {size} bytes (limit {max_bytes})")
        fh = where.open_read(rel_path)
    except fs.ERRORS as exc:
        raise InputError(f"cannot read file: {fs.reason(exc)}") from exc
    with fh:
        stream = _Decompressed(fh, compression, max_decompressed_bytes)
        try:
            if fmt == "warc":
                docs, problems = _read_warc(stream, rel_path, max_chars)
            else:
                data = stream.read_all()
                if not data or data.isspace():
                    raise InputError(
                        "empty file" + (" (after decompression)" if compression else "")
                    )
                if fmt == "jsonl":
                    docs, problems = _read_jsonl(data, rel_path, max_chars)
                else:
                    docs, problems = [_single(data, rel_path, fmt, max_chars)], []
        except fs.ERRORS as exc:
            raise InputError(f"cannot read file: {fs.reason(exc)}") from exc
    if len(problems) > MAX_PROBLEMS:
        problems = problems[:MAX_PROBLEMS] + [
            f"... and {len(problems) - MAX_PROBLEMS} more problems not listed"
        ]
    return FileRead(docs, problems, fmt, size)


def _checked_size(where: fs.Location, rel_path: str) -> int:
    """The file's size as stored, after checking it is a regular file (following links)."""
    if where.is_local:  # os.stat itself: the FIFO, socket and device checks need st_mode
        st = os.stat(where.path(rel_path))
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"not a regular file ({_file_kind(st.st_mode)})")
        return st.st_size
    info = where.info(rel_path)
    if info.kind != "file":
        raise InputError("not a regular file" + (" (a folder)" if info.kind == "folder" else ""))
    return info.size


def _file_kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "special file"


def _too_large(n_chars: int, max_chars: int) -> str:
    return f"document too large: {n_chars} characters (limit {max_chars})"


def _single(data: bytes, rel_path: str, fmt: str, max_chars: int) -> RawDoc:
    if len(data) > 4 * max_chars + 4:  # no encoding we decode takes more than 4 bytes a char
        try:  # the usual case, and cheap: count exactly
            n_chars = len(data.decode("utf-8"))
        except UnicodeDecodeError:
            n_chars = None
        if n_chars is None:
            raise InputError(_too_large(len(data) // 4, max_chars).replace(": ", ": at least ", 1))
        raise InputError(_too_large(n_chars, max_chars))
    text, encoding = decode(data, fmt)
    if len(text) > max_chars:
        raise InputError(_too_large(len(text), max_chars))
    return RawDoc(make_doc_id(rel_path, data), rel_path, fmt, text, encoding, len(data))


# JSONL ---------------------------------------------------------------------------------------

_FIELDS = ("url", "id", "title", "date")
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _read_jsonl(data: bytes, rel_path: str, max_chars: int) -> tuple[list[RawDoc], list[str]]:
    _refuse_magic(data)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    docs: list[RawDoc] = []
    problems: list[str] = []
    for line_no, line in enumerate(data.split(b"\n"), start=1):
        line = line.rstrip(b"\r")
        if not line.strip():
            continue
        try:
            docs.append(_jsonl_doc(line, line_no, rel_path, max_chars))
        except InputError as exc:
            problems.append(f"line {line_no}: {exc}")
    if not docs and problems:
        raise InputError(f"no documents: {len(problems)} bad lines, the first {problems[0]}")
    return docs, problems


def _refuse_magic(data: bytes) -> None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"binary file ({kind}), not text")


def _jsonl_doc(line: bytes, line_no: int, rel_path: str, max_chars: int) -> RawDoc:
    if len(line) > 12 * max_chars + 16:  # \uXXXX escapes: at most 12 bytes a character
        raise InputError(_too_large(len(line) // 12, max_chars).replace(": ", ": at least ", 1))
    try:
        line_text, encoding = line.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        line_text, encoding = decode(line, "txt")
    try:
        record = json.loads(line_text, parse_constant=lambda _: None)
    except RecursionError:
        raise InputError("not valid JSON (nested too deeply)") from None
    except ValueError as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise InputError(f"not valid JSON ({reason})") from None
    if not isinstance(record, dict):
        raise InputError(f"not a JSON object (a {type(record).__name__})")
    if _ESCAPED_SURROGATE.search(line):
        record = _replace_lone_surrogates(record)
    body, fmt = None, None
    for key, key_fmt in (("html", "html"), ("text", "txt")):
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            body, fmt = value, key_fmt
            break
    if body is None:
        present = [k for k in ("html", "text") if k in record]
        if present:
            raise InputError(f"'{present[0]}' field is empty or not a string")
        raise InputError("no 'text' or 'html' field")
    if len(body) > max_chars:
        raise InputError(_too_large(len(body), max_chars))
    fields = {k: _scalar(record.get(k)) for k in _FIELDS}
    meta = {k: v for k, v in record.items() if k not in _FIELDS and k not in ("text", "html")}
    return RawDoc(
        doc_id=make_doc_id(rel_path, line, position=line_no),
        source_path=rel_path,
        format=fmt,
        text=body,
        encoding=encoding,
        n_bytes=len(line),
        url=fields["url"],
        date=fields["date"],
        title=fields["title"],
        record_id=fields["id"],
        meta=meta or None,
    )


def _scalar(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _replace_lone_surrogates(value):
    """JSON may escape half a surrogate pair; such a string cannot be written as UTF-8."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_replace_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_replace_lone_surrogates(k): _replace_lone_surrogates(v) for k, v in value.items()}
    return value


# WARC ----------------------------------------------------------------------------------------

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_PAYLOAD_CHUNK = 1 << 16


def _read_warc(stream, rel_path: str, max_chars: int) -> tuple[list[RawDoc], list[str]]:
    from warcio.archiveiterator import ArchiveIterator

    class _Quiet(ArchiveIterator):
        INC_RECORD = ""  # warcio writes this warning to stderr; we count err_count instead

    docs: list[RawDoc] = []
    problems: list[str] = []
    n_records = 0
    head = stream.read(8)
    if not head:
        raise InputError("empty file")
    if not head.startswith(b"WARC/"):
        _refuse_magic(head)
        raise InputError(f"not a WARC file: starts with {head!r}, not 'WARC/'")
    source = _Prefixed(head, stream)
    records = _Quiet(io.BufferedReader(source, buffer_size=_PAYLOAD_CHUNK))
    end = 0  # where the last whole record ends
    try:
        for record in records:
            n_records += 1
            where = f"record {n_records}"
            doc, problem = _warc_doc(record, where, n_records, rel_path, max_chars)
            if doc is not None:
                docs.append(doc)
            if problem:
                problems.append(problem)
            end = records.get_record_offset() + records.get_record_length()
    except InputError:
        raise
    except Exception as exc:  # warcio signals malformed input with assorted exception types
        if n_records == 0:
            raise InputError(f"not a WARC file: {type(exc).__name__}: {exc}") from None
        raise InputError(
            f"corrupt WARC after record {n_records}: {type(exc).__name__}: {exc}"
        ) from None
    left = source.count - end
    if records.next_line or left > len(source.tail) or source.tail[-left:].strip() if left else 0:
        raise InputError(
            f"truncated WARC: the file ends inside the headers of record {n_records + 1}"
        )
    if n_records == 0:
        raise InputError("not a WARC file: no records")
    if records.err_count:
        problems.append(
            f"{records.err_count} records not followed by a blank line (bad Content-Length?)"
        )
    return docs, problems


class _Prefixed(io.RawIOBase):
    """Bytes already read, then the rest of a stream; counts what it gives and keeps the
    last of it, to check what follows the last whole record."""

    _TAIL = 1 << 16

    def __init__(self, head: bytes, rest):
        self._head, self._rest = head, rest
        self.count = 0
        self.tail = bytearray()

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        if self._head:
            n = min(len(buf), len(self._head))
            buf[:n], self._head = self._head[:n], self._head[n:]
        else:
            n = self._rest.readinto(buf)
        self.count += n
        self.tail += buf[:n]
        if len(self.tail) > 2 * self._TAIL:
            del self.tail[: -self._TAIL]
        return n


def _warc_doc(record, where: str, position: int, rel_path: str, max_chars: int):
    """(RawDoc or None, problem or None) for one WARC record; non-HTML records give neither."""
    headers = record.rec_headers
    record_id = headers.get_header("WARC-Record-ID")
    if record_id:
        where = f"{where} ({record_id})"
    if not re.fullmatch(r"\s*\d+\s*", headers.get_header("Content-Length") or ""):
        # a record cut inside its WARC headers reads as one without a (complete) length
        raise InputError(f"truncated or corrupt WARC: {where} has no valid Content-Length")
    if record.rec_type != "response":
        _drain(record, where)
        return None, None
    http = record.http_headers
    status = http.get_statuscode() if http else None
    content_type = (http.get_header("Content-Type") or "") if http else ""
    mime = content_type.split(";")[0].strip().lower()
    if not (status and status.startswith("2")) or mime not in _HTML_TYPES:
        _drain(record, where)
        return None, None
    limit = 4 * max_chars + 4
    body = io.BytesIO()
    try:
        content = record.content_stream()
        while chunk := content.read(_PAYLOAD_CHUNK):
            body.write(chunk)
            if body.tell() > limit:
                _drain(record, where)
                return None, f"{where}: " + _too_large(body.tell() // 4, max_chars).replace(
                    ": ", ": at least ", 1
                )
    except InputError:
        raise
    except Exception as exc:  # a bad chunked or gzip payload spoils this record only
        _drain(record, where)
        return None, f"{where}: cannot decode the HTTP payload ({type(exc).__name__}: {exc})"
    _check_complete(record, where)
    payload = body.getvalue()
    charset = None
    m = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.I)
    if m:
        charset = m.group(1)
    try:
        text, encoding = decode(payload, "html", declared=charset)
    except InputError as exc:
        return None, f"{where}: {exc}"
    if not text.strip():
        return None, f"{where}: empty HTML payload"
    if len(text) > max_chars:
        return None, f"{where}: {_too_large(len(text), max_chars)}"
    return (
        RawDoc(
            doc_id=make_doc_id(rel_path, payload, position=position),
            source_path=rel_path,
            format="html",
            text=text,
            encoding=encoding,
            n_bytes=len(payload),
            url=headers.get_header("WARC-Target-URI"),
            date=headers.get_header("WARC-Date"),
            record_id=record_id,
        ),
        None,
    )


def _drain(record, where: str) -> None:
    while record.raw_stream.read(_PAYLOAD_CHUNK):
        pass
    _check_complete(record, where)


def _check_complete(record, where: str) -> None:
    """warcio ends a cut record quietly, as if it were shorter: compare with Content-Length."""
    remaining = getattr(record.raw_stream, "limit", 0)
    if remaining > 0 and not record.raw_stream.read(1):
        expected = record.length
        raise InputError(
            f"truncated WARC: {where} ends {remaining} bytes short of its Content-Length "
            f"({expected})"
        )
