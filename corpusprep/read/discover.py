"""Discovery: list the input files below a folder or an object-storage prefix, as sorted
relative '/' paths."""

from __future__ import annotations

import os
from pathlib import Path

from corpusprep import fs


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
