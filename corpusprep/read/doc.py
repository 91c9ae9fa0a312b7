"""What every room of the read stage shares: the document record, its id, and the error that
refuses a file (or one line or record of it)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


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


def too_large(n_chars: int, max_chars: int, at_least: bool = False) -> str:
    """The message for a document over `max_chars`; `at_least` when n_chars is a lower bound
    (estimated from a byte count, before decoding)."""
    bound = "at least " if at_least else ""
    return f"document too large: {bound}{n_chars} characters (limit {max_chars})"
