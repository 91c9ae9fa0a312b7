"""Where input and output live: a local folder, or a folder on object storage.

A location is written as a plain path or as a URI that `pyarrow.fs.FileSystem.from_uri`
understands (s3://, gs://, abfs://, ...). Local folders, `file://` URIs included, keep using
plain os calls: they are what the pipeline was measured with, and they give an atomic rename.
Everything else goes through the pyarrow file system.

Object stores have no rename, so an object is written under its final name in one put of
bytes already complete in memory: the store shows it whole once the upload succeeds, or not
at all. Locations travel between processes as strings; each process resolves them itself
(with its own credentials) and keeps the file system for later calls.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import stat
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.fs as pafs

TMP_SUFFIX = ".tmp"  # local writes only: the hidden file renamed into place
ERRORS = (OSError, pa.ArrowException)  # what a file system operation raises when it fails


class LocationError(ValueError):
    """A location that cannot be opened: unknown scheme, bad URI, no credentials."""


@dataclass(frozen=True)
class FileStat:
    kind: str  # "file", "folder" or "other" (a FIFO, a device, ...)
    size: int
    mtime_ns: int | None  # None where the file system keeps no modification time


def is_uri(location) -> bool:
    return isinstance(location, str) and "://" in location


def reason(exc: BaseException) -> str:
    """One line saying why an operation failed (pyarrow's messages can run to many lines)."""
    text = getattr(exc, "strerror", None) or str(exc)
    return (text.strip().splitlines() or [type(exc).__name__])[0]


def for_workers(location: str) -> str:
    """The location as workers on other machines should see it: a URI as given, a local path
    made absolute (they share the disk at the same path, not the working directory)."""
    if is_uri(location):
        return location
    return os.path.abspath(location)


@dataclass(frozen=True)
class Location:
    """A folder: `fs` None for the local disk (os calls), else a pyarrow file system."""

    text: str  # as the user wrote it, for messages
    fs: pafs.FileSystem | None
    root: str

    def __str__(self) -> str:
        return self.text

    @property
    def is_local(self) -> bool:
        return self.fs is None

    def path(self, rel: str = "") -> str:
        """The full path of `rel` ('/' separators) on this location's file system."""
        if not rel:
            return self.root
        return f"{self.root.rstrip('/')}/{rel}" if self.root else rel

    # -- reading ---------------------------------------------------------------------------

    def info(self, rel: str = "") -> FileStat:
        """Kind, size and modification time, following symlinks; FileNotFoundError if missing."""
        if self.fs is None:
            st = os.stat(self.path(rel))
            kind = "file" if stat.S_ISREG(st.st_mode) else "other"
            kind = "folder" if stat.S_ISDIR(st.st_mode) else kind
            return FileStat(kind, st.st_size, st.st_mtime_ns)
        info = self.fs.get_file_info(self.path(rel))
        if info.type == pafs.FileType.NotFound:
            raise FileNotFoundError(2, "object not found", self.path(rel))
        kind = {pafs.FileType.File: "file", pafs.FileType.Directory: "folder"}.get(info.type)
        return FileStat(kind or "other", info.size or 0, info.mtime_ns)

    def kind(self, rel: str = "") -> str | None:
        """The kind of `rel` as `info` gives it, or None when nothing is there."""
        try:
            return self.info(rel).kind
        except (FileNotFoundError, NotADirectoryError):  # under a file: not there either
            return None

    def open_read(self, rel: str):
        """A binary stream with .read(n); close it (it is a context manager)."""
        if self.fs is None:
            return open(self.path(rel), "rb")  # noqa: SIM115 (the caller closes it)
        return self.fs.open_input_stream(self.path(rel), compression=None)

    def walk_files(self) -> list[str]:
        """Object storage only: every non-hidden object below the root, as sorted relative
        paths. A listing that fails raises (a partial listing would look like deleted inputs)."""
        base = self.root.strip("/")
        selector = pafs.FileSelector(self.root, recursive=True, allow_not_found=True)
        found = []
        for info in self.fs.get_file_info(selector):
            if info.type != pafs.FileType.File:
                continue
            rel = info.path.strip("/")[len(base) + 1 if base else 0 :]
            if not any(part.startswith(".") for part in rel.split("/")):
                found.append(rel)
        return sorted(found)

    def read_bytes(self, rel: str) -> bytes | None:
        """A small file's bytes, or None when it does not exist."""
        try:
            with self.open_read(rel) as fh:
                return fh.read()
        except FileNotFoundError:
            return None

    # -- writing ---------------------------------------------------------------------------

    def list_names(self, folder: str) -> list[str]:
        """Names of the entries directly in `folder`; empty when it does not exist."""
        if self.fs is None:
            try:
                return os.listdir(self.path(folder))
            except (FileNotFoundError, NotADirectoryError):
                return []
        selector = pafs.FileSelector(self.path(folder), allow_not_found=True)
        return [info.base_name for info in self.fs.get_file_info(selector)]

    def delete(self, rel: str) -> None:
        """Delete a file; one already gone is fine."""
        try:
            if self.fs is None:
                os.unlink(self.path(rel))
            else:
                self.fs.delete_file(self.path(rel))
        except FileNotFoundError:
            pass

    def delete_tree(self, rel: str) -> None:
        """Delete a folder and everything under it; one already gone is fine."""
        if self.fs is None:
            shutil.rmtree(self.path(rel), ignore_errors=True)
            return
        self.fs.delete_dir_contents(self.path(rel), missing_dir_ok=True)
        with contextlib.suppress(*ERRORS):  # the folder itself: nothing to delete on S3 or GCS
            self.fs.delete_dir(self.path(rel))

    def put(self, rel: str, data, durable: bool = True) -> None:
        """Write `data` (bytes or a pyarrow Buffer) as `rel`, visible only once whole.

        `durable` False skips the local fsync: for scratch files a run deletes itself."""
        if self.fs is None:
            self._put_local(rel, data, durable)
        else:
            self._put_object(rel, data)

    def put_json(self, rel: str, value, **dumps) -> None:
        self.put(rel, json.dumps(value, **dumps).encode("utf-8"))

    def _put_local(self, rel: str, data, durable: bool = True) -> None:
        # A hidden temp file, fsynced, then renamed: readers see the old file or the new one.
        final = self.path(rel)
        folder, name = os.path.split(final)
        if folder:
            os.makedirs(folder, exist_ok=True)
        tmp = os.path.join(folder, f".{name}.{os.getpid()}{TMP_SUFFIX}")
        with open(tmp, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, final)

    def _put_object(self, rel: str, data) -> None:
        # The stream gets the whole content in one write, so closing it (pyarrow also closes on
        # garbage collection) can only publish all of it. S3, GCS and Azure show an object
        # once its upload is finished; a failed upload is never finished.
        path = self.path(rel)
        out = self.fs.open_output_stream(path, compression=None)
        try:
            out.write(data)
            out.close()
        except BaseException:
            self._forget(path)
            raise

    def _forget(self, path: str) -> None:
        # Best effort, for file systems that show an object from its first byte.
        try:
            self.fs.delete_file(path)
        except ERRORS:
            pass

    def check_writable(self) -> None:
        """Create the folder if needed and write and delete a probe; OSError if that fails."""
        probe = f".corpusprep-write-check-{os.getpid()}"
        if self.fs is None:
            os.makedirs(self.root, exist_ok=True)
        self.put(probe, b"")
        self.delete(probe)


def resolve(location) -> Location:
    """A Location from a path, a URI or a Location. Raises LocationError for a bad URI."""
    if isinstance(location, Location):
        return location
    return _resolve_text(os.fspath(location))


@functools.lru_cache(maxsize=64)
def _resolve_text(text: str) -> Location:
    # Cached: resolving an s3:// URI asks the bucket's region (a request); once a process.
    if not is_uri(text):
        return Location(text, None, text)
    try:
        filesystem, path = pafs.FileSystem.from_uri(text)
    except (*ERRORS, ValueError) as exc:
        raise LocationError(f"cannot open {text!r}: {reason(exc)}") from None
    if isinstance(filesystem, pafs.LocalFileSystem):
        return Location(text, None, path)  # file://: the faster os calls and atomic renames
    return Location(text, filesystem, path.rstrip("/"))
