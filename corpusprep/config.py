"""The run's configuration: one frozen object, hashed and recorded with every output."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import asdict, dataclass, field

from corpusprep.clean import CleanConfig
from corpusprep.linemodel import model_digest

# Bumped when a change to the code alters output for the same input and config, so that
# incremental runs reprocess everything written by an older version.
# 2: trafilatura in fast mode; 3: language id reads 500 bytes; 4: and now 400;
# 5: the learned line classifier, repetition counted once per distinct document text
PIPELINE_VERSION = "5"


@dataclass(frozen=True)
class Config:
    """Everything that changes what the pipeline writes.

    A file's shard is a hash of its relative path modulo the shard count (see
    `plan.shard_count`), so adding a file reprocesses one shard, not the corpus.
    """

    max_file_bytes: int = 64 * 1024 * 1024
    max_doc_chars: int = 10_000_000
    doc_timeout_s: float = 60.0  # per document, extraction to segmentation
    min_shards: int = 8  # enough to keep 2-4 workers busy to the end
    # A task run costs the flow 10-20 ms and a kept server 30-45 ms of CPU: shards must be big
    shard_target_files: int = 1024
    html_favor_precision: bool = False
    html_author_search: bool = False  # search the page's elements for an author (extract.py)
    clean: CleanConfig = field(default_factory=CleanConfig)

    def to_dict(self) -> dict:
        return asdict(self)

    def digest(self) -> str:
        """Stable hash of the effective config and pipeline version."""
        return _digest(self)


@functools.lru_cache(maxsize=16)
def _digest(config: Config) -> str:
    # Cached: every document row carries it (0.26 ms a document when recomputed).
    # the line classifier's file is part of what produced the rows
    blob = json.dumps(
        [PIPELINE_VERSION, model_digest(), config.to_dict()], sort_keys=True, default=str
    )
    return hashlib.blake2b(blob.encode(), digest_size=8).hexdigest()
