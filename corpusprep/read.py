"""Read stage: discover input files, decode their bytes, give each document a stable id."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

FORMATS = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html"}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)


class InputError(Exception):
    """A file that cannot be turned into documents; the message is shown to the user."""


@dataclass(frozen=True)
class RawDoc:
    doc_id: str
    source_path: str  # relative to the input folder, '/' separators
    format: str
    text: str
    encoding: str
    n_bytes: int


def discover(raw_dir: Path) -> list[str]:
    """All regular files below raw_dir as sorted relative '/' paths; hidden entries skipped."""
    found = []
    for root, dirs, files in os.walk(raw_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith("."):
                continue
            rel = Path(root, name).relative_to(raw_dir).as_posix()
            found.append(rel)
    return sorted(found)


def format_of(rel_path: str) -> str | None:
    """The input format named by the file's extension, or None if it is not one we read."""
    return FORMATS.get(Path(rel_path).suffix.lower())


def make_doc_id(rel_path: str, data: bytes) -> str:
    """Deterministic id: the same bytes at the same relative path give the same id anywhere."""
    h = hashlib.blake2b(digest_size=16)
    h.update(rel_path.encode("utf-8"))
    h.update(b"\0")
    h.update(data)
    return h.hexdigest()


def decode(data: bytes, fmt: str) -> tuple[str, str]:
    """Bytes to text: BOM, then strict UTF-8, then an HTML meta charset, then detection.

    Returns (text, encoding name). Raises InputError for data that is not text.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    if b"\0" in data[:8192]:
        raise InputError("binary file: NUL bytes in the first 8 KB")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if fmt == "html":
        m = _META_CHARSET.search(data[:4096])
        if m:
            name = m.group(1).decode("ascii", "ignore")
            try:
                return data.decode(name), codecs.lookup(name).name
            except (LookupError, UnicodeDecodeError):
                pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError("not text: no character encoding fits the bytes")
    if _prefer_cp1252(best):
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    return str(best), best.encoding


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


def read_file(raw_dir: Path, rel_path: str, max_bytes: int) -> list[RawDoc]:
    """Read one input file into its documents (one for txt and html)."""
    fmt = format_of(rel_path)
    if fmt is None:
        raise InputError(f"unsupported file type {Path(rel_path).suffix or '(none)'!r}")
    path = raw_dir / rel_path
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"file too large: {size} bytes (limit {max_bytes})")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from exc
    if not data.strip():
        raise InputError("empty file")
    text, encoding = decode(data, fmt)
    doc_id = make_doc_id(rel_path, data)
    return [RawDoc(doc_id, rel_path, fmt, text, encoding, len(data))]
