"""Hostile inputs: every one must give InputError with a specific message, never a crash or a
hang. `hostile_files(folder)` writes them all (also reused by the end-to-end test)."""

from __future__ import annotations

import atexit
import bz2
import gzip
import io
import json
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpusprep.config import Config
from corpusprep.read import InputError, decode, discover, read_file

MAX_BYTES = Config().max_file_bytes
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 4
PARAGRAPH = (
    "The council voted on Tuesday to extend the library's opening hours, after a petition "
    "signed by more than two thousand residents. The change takes effect next month.\n"
)


def _warc(pages: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for url, body in pages:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        rec = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=http
        )
        writer.write_record(rec)
    return buf.getvalue()


def hostile_files(
    folder: Path, max_bytes: int = MAX_BYTES, line_bytes: int = 50 * 1024 * 1024
) -> dict[str, str | None]:
    """Write every hostile case into `folder`; return {relative path: expected message part}.

    The value is a substring of the InputError that read_file raises for the file, except:
    - `partly_bad.jsonl` is read (two documents); the value is in `FileRead.problems`;
    - `deep.html` (100,000 nested elements) is read fine; the value is None: bounding its
      extraction is the pipeline's job.
    `unreadable.txt` (chmod 000) is written only when not running as root (root reads it
    anyway); `fifo.txt`, a named pipe, stands for an unreadable file everywhere (reading it
    would block forever). `sub/up` is a symlink to its parent folder (a loop discover must
    not follow); it is not listed by discover, so it is not in the dict. `too_large.txt` is a
    sparse file, so it costs no disk. Sizes: `long_line.txt` is `line_bytes` bytes.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str | None] = {}

    def put(name: str, data: bytes, message: str | None) -> None:
        (folder / name).write_bytes(data)
        expected[name] = message

    put("binary.txt", PNG, "binary file (PNG image), not text")
    put("empty.txt", b"", "empty file")
    put("blank.html", b" \n\t\r\n", "empty file")
    whole = gzip.compress(b'{"text": "hello"}\n' * 2000)
    put("truncated.jsonl.gz", whole[: len(whole) // 2], "truncated or corrupt gzip: ")
    put("corrupt.txt.bz2", b"BZh91AY&SY" + bytes(200), "truncated or corrupt bz2: ")
    zst = zstandard.ZstdCompressor().compress(PARAGRAPH.encode() * 50)
    put("truncated.html.zst", zst[:-10], "truncated or corrupt zstd: ")
    nul = PARAGRAPH.encode() * 40
    put("nul.txt", nul[:3000] + b"\0\0" + nul[3000:], "NUL bytes in text: 2 NUL bytes")
    put("control.txt", bytes(range(1, 9)) * 200, "binary file: ")
    put("not_a_warc.warc", PARAGRAPH.encode(), "not a WARC file")
    pages = [(f"https://example.com/{i}", f"<p>{PARAGRAPH}</p>".encode()) for i in range(3)]
    warc = _warc(pages)
    put("truncated.warc", warc[:-120], "truncated WARC: record 3")
    put("truncated_headers.warc", warc[: warc.rfind(b"WARC-Date")], "truncated WARC: the file")
    lines = [json.dumps({"id": 1, "text": "first"}), "{not json", json.dumps({"text": "third"})]
    put("partly_bad.jsonl", "\n".join(lines).encode(), "line 2: not valid JSON")
    put("all_bad.jsonl", b"<html>\n<body>\n", "no documents: 2 bad lines")
    put("deep.html", b"<div>" * 100_000 + b"deep" + b"</div>" * 100_000, None)

    with open(folder / "too_large.txt", "wb") as fh:  # sparse: no disk used
        fh.truncate(max_bytes + 1)
    expected["too_large.txt"] = f"file too large: {max_bytes + 1} bytes (limit {max_bytes})"

    with open(folder / "long_line.txt", "wb") as fh:
        chunk = b"word " * (1 << 18)  # 1.25 MiB
        left = line_bytes
        while left > 0:
            fh.write(chunk[:left])
            left -= len(chunk)
    expected["long_line.txt"] = (
        f"document too large: {line_bytes} characters (limit {Config.max_doc_chars})"
    )

    os.symlink("loop.txt", folder / "loop.txt")
    expected["loop.txt"] = "cannot read file: Too many levels of symbolic links"
    os.symlink("no-such-target.txt", folder / "dangling.txt")
    expected["dangling.txt"] = "cannot read file: No such file or directory"
    (folder / "sub").mkdir(exist_ok=True)
    os.symlink("..", folder / "sub" / "up")
    (folder / "sub" / "fine.txt").write_text(PARAGRAPH)
    expected["sub/fine.txt"] = None
    os.mkfifo(folder / "fifo.txt")
    expected["fifo.txt"] = "not a regular file (a FIFO)"
    if not IS_ROOT:
        put("unreadable.txt", PARAGRAPH.encode(), "cannot read file: Permission denied")
        os.chmod(folder / "unreadable.txt", 0)
    return expected


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return folder, hostile_files(folder)


def _reads_fine(name: str) -> bool:
    return name in ("partly_bad.jsonl", "deep.html", "sub/fine.txt")


def test_discover_lists_hostile_folder_without_following_the_loop(hostile):
    folder, expected = hostile
    start = time.perf_counter()
    found = discover(folder)
    assert time.perf_counter() - start < 2
    assert found == sorted(expected)
    assert not any(p.startswith("sub/up") for p in found)


def test_each_hostile_file_gives_its_error(hostile):
    folder, expected = hostile
    for name, message in sorted(expected.items()):
        if _reads_fine(name):
            continue
        start = time.perf_counter()
        with pytest.raises(InputError) as info:
            read_file(folder, name, Config())
        assert message in str(info.value), (name, str(info.value))
        assert time.perf_counter() - start < 5, name


def test_partly_bad_jsonl_keeps_the_good_lines(hostile):
    folder, expected = hostile
    result = read_file(folder, "partly_bad.jsonl", Config())
    assert [d.text for d in result.docs] == ["first", "third"]
    assert len(result.problems) == 1
    assert result.problems[0].startswith(expected["partly_bad.jsonl"])


def test_deep_html_is_read_and_left_to_the_pipeline(hostile):
    folder, _ = hostile
    (doc,) = read_file(folder, "deep.html", Config()).docs
    assert doc.format == "html" and "deep" in doc.text


def test_long_line_is_refused_quickly(hostile):
    folder, expected = hostile
    start = time.perf_counter()
    with pytest.raises(InputError, match="document too large"):
        read_file(folder, "long_line.txt", Config())
    assert time.perf_counter() - start < 3


def _unprivileged(fn):
    """Run fn() in a forked child that has dropped root (chmod 000 does not stop root) and
    return its result; as an ordinary user, just call it."""
    if not IS_ROOT:
        return fn()
    import pickle

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: become nobody, run, report, exit without cleanup
        try:
            os.close(read_end)
            os.setgid(65534)
            os.setuid(65534)
            try:
                result = ("ok", fn())
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                result = ("raised", f"{type(exc).__name__}: {exc}")
            os.write(write_end, pickle.dumps(result))
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    kind, value = pickle.loads(data)
    if kind == "raised":
        raise AssertionError(value) if not value.startswith("InputError") else InputError(value)
    return value


@pytest.fixture
def open_tmp():
    """A temporary folder every user can traverse (pytest's tmp_path is root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="corpusprep-perm-"))
    folder.chmod(0o755)
    yield folder
    for p in folder.rglob("*"):
        p.chmod(0o755)
    shutil.rmtree(folder)


def test_unreadable_file(open_tmp):
    (open_tmp / "secret.txt").write_text("text")
    os.chmod(open_tmp / "secret.txt", 0)
    with pytest.raises(InputError, match="cannot read file: Permission denied"):
        _unprivileged(lambda: read_file(open_tmp, "secret.txt", Config()))


def test_a_directory_named_like_a_file(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(InputError, match=r"not a regular file \(a directory\)"):
        read_file(tmp_path, "folder.txt", Config())


def test_discover_passes_over_unreadable_folders(open_tmp):
    (open_tmp / "closed").mkdir()
    (open_tmp / "closed" / "x.txt").write_text("x")
    (open_tmp / "open.txt").write_text("y")
    os.chmod(open_tmp / "closed", 0)
    assert _unprivileged(lambda: discover(open_tmp)) == ["open.txt"]


def test_discover_passes_over_a_folder_that_vanishes(tmp_path, monkeypatch):
    # stands in for an unreadable folder when running as root
    (tmp_path / "gone").mkdir()
    (tmp_path / "gone" / "x.txt").write_text("x")
    (tmp_path / "a.txt").write_text("y")
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("gone"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert discover(tmp_path) == ["a.txt"]


def test_discover_survives_loops_and_deep_trees(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    os.symlink(tmp_path, tmp_path / "a" / "b" / "root")  # loop back to the top
    os.symlink("../a", tmp_path / "a" / "self")
    (tmp_path / "a" / "b" / "x.txt").write_text("x")
    os.symlink("b/x.txt", tmp_path / "a" / "link.txt")  # symlinked files are followed
    deep = str(tmp_path / "d")
    os.mkdir(deep)
    for _ in range(1200):  # deeper than Python's recursion limit
        deep += "/d"
        os.mkdir(deep)
    Path(deep, "bottom.txt").write_text("bottom")
    try:
        found = discover(tmp_path)
        assert found[:2] == ["a/b/x.txt", "a/link.txt"]
        assert len(found) == 3 and found[2].endswith("/d/bottom.txt")
        assert read_file(tmp_path, "a/link.txt", Config()).docs[0].text == "x"
    finally:  # shutil.rmtree (pytest's clean-up) recurses, and this tree is too deep for it
        os.remove(Path(deep, "bottom.txt"))
        while deep != str(tmp_path):
            os.rmdir(deep)
            deep = os.path.dirname(deep)


def test_decompression_bomb_is_stopped(tmp_path):
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b" a" * 5_000_000, compresslevel=1))
    with pytest.raises(InputError, match="decompressed size over the limit: more than 400000"):
        read_file(tmp_path, "bomb.txt.gz", Config(max_file_bytes=100_000))


def test_warc_record_larger_than_the_document_limit_is_a_problem(tmp_path):
    big = b"<p>" + b"x" * 500 + b"</p>"
    (tmp_path / "w.warc").write_bytes(_warc([("https://a/1", big), ("https://a/2", b"<p>ok</p>")]))
    result = read_file(tmp_path, "w.warc", Config(max_doc_chars=100))
    assert [d.text for d in result.docs] == ["<p>ok</p>"]
    (problem,) = result.problems
    assert problem.startswith("record 1 (<urn:uuid:") and "document too large" in problem


def test_every_cut_of_a_warc_is_read_or_refused(tmp_path):
    warc = _warc([(f"https://a/{i}", f"<p>page {i}</p>".encode()) for i in range(3)])
    ends = {i for i in range(len(warc) + 1) if warc[:i].endswith(b"</p>")}  # payload ends
    for cut in range(1, len(warc) + 1):
        (tmp_path / "c.warc").write_bytes(warc[:cut])
        try:
            result = read_file(tmp_path, "c.warc", Config())
        except InputError as exc:
            assert "WARC" in str(exc)
            continue
        # read without error only when the cut falls in the blank lines after a whole record
        assert any(e <= cut <= e + 4 for e in ends), cut
        assert all(d.text.startswith("<p>page ") for d in result.docs)


# --- fuzzing: nothing but InputError, ever --------------------------------------------------

_FUZZ_DIR = Path(tempfile.mkdtemp(prefix="corpusprep-fuzz-"))
atexit.register(shutil.rmtree, _FUZZ_DIR, True)
_EXTENSIONS = [".txt", ".html", ".jsonl", ".warc"]
_COMPRESSORS = {
    "": lambda b: b,
    ".gz": gzip.compress,
    ".bz2": bz2.compress,
    ".zst": lambda b: zstandard.ZstdCompressor().compress(b),
}
_SEED_WARC = _warc([("https://a/1", b"<p>one</p>"), ("https://a/2", "<p>twö</p>".encode())])
_SEED_JSONL = b'{"id": 1, "text": "one"}\n{"html": "<p>two</p>", "url": "u"}\n'


def _read_only_input_errors(data: bytes, name: str) -> None:
    (_FUZZ_DIR / name).write_bytes(data)
    try:
        result = read_file(_FUZZ_DIR, name, Config(max_file_bytes=1_000_000, max_doc_chars=100_000))
    except InputError:
        return
    for doc in result.docs:
        doc.text.encode("utf-8")  # always writable to Parquet
        json.dumps(doc.meta)


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.binary(max_size=3000), fmt=st.sampled_from(["txt", "html"]))
def test_decode_raises_only_input_error(data, fmt):
    try:
        text, encoding = decode(data, fmt)
    except InputError:
        return
    assert isinstance(text, str) and encoding


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    data=st.binary(max_size=2000),
    ext=st.sampled_from(_EXTENSIONS),
    compression=st.sampled_from(list(_COMPRESSORS)),
    compress_validly=st.booleans(),
)
def test_read_file_raises_only_input_error_on_arbitrary_bytes(
    data, ext, compression, compress_validly
):
    if compress_validly:
        data = _COMPRESSORS[compression](data)
    _read_only_input_errors(data, f"fuzz{ext}{compression}")


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    seed=st.sampled_from(["warc", "jsonl"]),
    compression=st.sampled_from(list(_COMPRESSORS)),
    edits=st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 40), st.binary(max_size=8)),
        min_size=1,
        max_size=6,
    ),
)
def test_read_file_raises_only_input_error_on_damaged_files(seed, compression, edits):
    data = bytearray(_SEED_WARC if seed == "warc" else _SEED_JSONL)
    for pos, n_delete, insert in edits:
        pos %= len(data) + 1
        data[pos : pos + n_delete] = insert
    packed = _COMPRESSORS[compression](bytes(data))
    if random.Random(len(edits)).random() < 0.3 and len(packed) > 4:
        packed = packed[: len(packed) * 3 // 4]  # and sometimes cut the compressed stream
    _read_only_input_errors(packed, f"damaged.{seed}{compression}")
