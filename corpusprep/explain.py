"""Explain one document: every line of the text the cleaner saw, and what became of it.

Runs the same stages as the pipeline (read, extract, normalize, clean), so what it shows is
what a run wrote; `corpusprep show` renders it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corpusprep.clean import Cleaned, Removed, clean_text
from corpusprep.config import Config
from corpusprep.pipeline import prepare_text
from corpusprep.plan import group_of
from corpusprep.read import RawDoc, discover
from corpusprep.scan import keyset, repeated_by_group, scan_shard


@dataclass
class LineFate:
    line_no: int
    text: str
    removed: Removed | None = None  # the whole line went, for this reason
    fragments: list[Removed] = field(default_factory=list)  # parts cut from a kept line

    @property
    def kept(self) -> bool:
        return self.removed is None and bool(self.text.strip())


def folder_repeats(raw_dir, rel_path: str, config: Config) -> frozenset[int]:
    """The corpus-level repeated lines of the file's folder, as a run computes them.

    `raw_dir` is a local path or a URI."""
    group = group_of(rel_path)
    siblings = [p for p in discover(raw_dir) if group_of(p) == group]
    counts = scan_shard(raw_dir, siblings, config)
    repeated = repeated_by_group([counts], config)
    return keyset(repeated[group]) if group in repeated else frozenset()


def explain(
    raw: RawDoc, config: Config, repeated: frozenset[int]
) -> tuple[list[LineFate], Cleaned, tuple[tuple[str, str, float], ...]]:
    """The fate of each line of the text the cleaner saw, its result, and (HTML) the lines of
    the page the HTML classifier dropped before it: (text, reason, score)."""
    meta, text, _ = prepare_text(raw, config)
    cleaned = clean_text(text, repeated=repeated, fmt=raw.format, config=config.clean)
    fates = [LineFate(i, line) for i, line in enumerate(text.split("\n"))]
    for r in cleaned.removed:
        fate = fates[r.line_no]
        if r.text.strip() == fate.text.strip() and fate.removed is None:
            fate.removed = r
        else:
            fate.fragments.append(r)
    return fates, cleaned, meta.dropped
