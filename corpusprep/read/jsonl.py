"""JSONL: one document per line, from a `text` or `html` string field; `url`, `id`, `title`
and `date` become RawDoc fields and every other field goes into `meta`."""

from __future__ import annotations

import codecs
import json
import re

from corpusprep.read.decode import decode, refuse_magic
from corpusprep.read.doc import InputError, RawDoc, make_doc_id, too_large

_FIELDS = ("url", "id", "title", "date")
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def read_jsonl(data: bytes, rel_path: str, max_chars: int) -> tuple[list[RawDoc], list[str]]:
    refuse_magic(data)
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


def _jsonl_doc(line: bytes, line_no: int, rel_path: str, max_chars: int) -> RawDoc:
    if len(line) > 12 * max_chars + 16:  # \uXXXX escapes: at most 12 bytes a character
        raise InputError(too_large(len(line) // 12, max_chars, at_least=True))
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
        raise InputError(too_large(len(body), max_chars))
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
