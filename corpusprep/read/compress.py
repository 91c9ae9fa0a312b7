"""Decompression: a file's bytes as a stream, decompressed (gzip, bz2, zstd) or not, bounded
in size and strict about truncation (the stdlib gzip module and zstandard's stream reader are
not: a cut zstd stream silently reads as shorter data)."""

from __future__ import annotations

import bz2
import io
import zlib
from collections.abc import Iterator

from corpusprep.read.doc import InputError

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


class Decompressed(io.RawIOBase):
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
