"""Read stage: discover input files, decode their bytes, turn each file into documents.

`read_file` is the entry: it names the file's format and compression, checks its size, and hands
the (decompressed) bytes to the room for the format. The rooms:

- `discover`: listing the input files below a folder or a URI.
- `compress`: the streaming, bounded, strict decompression (`.gz`, `.bz2`, `.zst`).
- `decode`: bytes to text (BOMs, charsets, refusing binary data).
- `jsonl`: `.jsonl`/`.ndjson`, one document per line.
- `warc`: `.warc`, one document per HTML response record.
- `doc`: what they share: RawDoc, InputError, make_doc_id.

Containers read (after removing one compression suffix, `.gz`, `.bz2` or `.zst`):

- `.txt`/`.text` and `.html`/`.htm`: one document per file.
- `.jsonl`/`.ndjson`: one document per line, from a `text` or `html` string field (`html` wins
  when both are present: the raw page gives the extractor more to work with); `url`, `id`,
  `title` and `date` become RawDoc fields and every other field goes into `meta`.
- `.warc`: one document per WARC `response` record with a 2xx HTTP status and an HTML content
  type (text/html, application/xhtml+xml); other records are skipped silently (they are not
  errors).

A failure that stops the whole file raises InputError; a failure of one line or record of a
multi-document file is listed in `FileRead.problems` and the other documents are kept.
Truncated or corrupt compression and a truncated WARC record fail the whole file: the file is
damaged (usually a partial download), and a failed file is easy to find and re-fetch.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from corpusprep import fs
from corpusprep.config import Config
from corpusprep.read.compress import Decompressed
from corpusprep.read.decode import decode
from corpusprep.read.discover import discover
from corpusprep.read.doc import InputError, RawDoc, make_doc_id, too_large
from corpusprep.read.jsonl import read_jsonl
from corpusprep.read.warc import read_warc

__all__ = [
    "FileRead",
    "InputError",
    "RawDoc",
    "decode",
    "discover",
    "format_of",
    "make_doc_id",
    "read_file",
]

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

MAX_PROBLEMS = 100  # per file; past that, one summary entry counts the rest


@dataclass(frozen=True)
class FileRead:
    docs: list[RawDoc]
    problems: list[str]  # per-line or per-record failures that did not stop the rest
    format: str  # the container: txt, html, jsonl, warc
    n_bytes: int  # size of the file as stored (compressed if it is)


def format_of(rel_path: str) -> str | None:
    """The container format (txt, html, jsonl, warc) named by the file's extension after a
    compression suffix is removed, or None if it is not a file we read."""
    return _split_name(rel_path)[0]


def _split_name(rel_path: str) -> tuple[str | None, str | None]:
    """(container format, compression) named by the file's suffixes."""
    name = Path(rel_path).name.lower()
    compression = None
    for suffix, kind in COMPRESSIONS.items():
        if name.endswith(suffix):
            compression, name = kind, name[: -len(suffix)]
            break
    return FORMATS.get(Path(name).suffix), compression


def read_file(location: str | Path | fs.Location, rel_path: str, config: Config) -> FileRead:
    """Read one input file into its documents.

    `location` is the input folder: a local path, a URI (s3://...) or a `fs.Location`;
    `rel_path` the file below it. `config.max_file_bytes` limits the file as stored, and 4x
    that what a compressed file may expand to; `config.max_doc_chars` each document's decoded
    text: a bigger document is refused before any later stage (a 50 MB single line would
    otherwise reach the cleaner and the sentence splitter whole). Raises InputError when the
    whole file cannot be read.
    """
    fmt, compression = _split_name(rel_path)
    if fmt is None:
        raise InputError(f"unsupported file type {Path(rel_path).suffix or '(none)'!r}")
    max_bytes, max_chars = config.max_file_bytes, config.max_doc_chars
    max_decompressed_bytes = 4 * max_bytes if compression else max_bytes
    where = fs.resolve(location)
    try:
        size = _checked_size(where, rel_path)
        if size > max_bytes:
            raise InputError(f"file too large: {size} bytes (limit {max_bytes})")
        fh = where.open_read(rel_path)
    except fs.ERRORS as exc:
        raise InputError(f"cannot read file: {fs.reason(exc)}") from exc
    with fh:
        stream = Decompressed(fh, compression, max_decompressed_bytes)
        try:
            if fmt == "warc":
                docs, problems = read_warc(stream, rel_path, max_chars)
            else:
                data = stream.read_all()
                if not data or data.isspace():
                    raise InputError(
                        "empty file" + (" (after decompression)" if compression else "")
                    )
                if fmt == "jsonl":
                    docs, problems = read_jsonl(data, rel_path, max_chars)
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


def _single(data: bytes, rel_path: str, fmt: str, max_chars: int) -> RawDoc:
    """The one document of a txt or html file."""
    if len(data) > 4 * max_chars + 4:  # no encoding we decode takes more than 4 bytes a char
        try:  # the usual case, and cheap: count exactly
            n_chars = len(data.decode("utf-8"))
        except UnicodeDecodeError:
            n_chars = None
        if n_chars is None:
            raise InputError(too_large(len(data) // 4, max_chars, at_least=True))
        raise InputError(too_large(n_chars, max_chars))
    text, encoding = decode(data, fmt)
    if len(text) > max_chars:
        raise InputError(too_large(len(text), max_chars))
    return RawDoc(make_doc_id(rel_path, data), rel_path, fmt, text, encoding, len(data))
