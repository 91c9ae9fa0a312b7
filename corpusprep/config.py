"""The run's configuration: one frozen object, built once (by the CLI or the flow) from the
defaults, an optional TOML file and ``key=value`` settings, hashed and recorded with every
output. Stages take it (or its ``clean`` section); none builds a default of its own."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from corpusprep.clean import CleanConfig
from corpusprep.linemodel import model_digest

# Bumped when a change to the code alters output for the same input and config, so that
# incremental runs reprocess everything written by an older version.
# 2: trafilatura in fast mode; 3: language id reads 500 bytes; 4: and now 400;
# 5: the learned line classifier, repetition counted once per distinct document text;
# 6: the title is the page's headline; 7: HTML through the block classifier, sentence hashes
# and MinHash signatures (dedup); 8: author and date from the page's structured data first
PIPELINE_VERSION = "8"


class ConfigError(ValueError):
    """A setting that does not exist, or a value it cannot take."""


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
    # "blocks": the HTML classifier over the page's block lines (linemodel.html_model);
    # "trafilatura": trafilatura's text alone (WCXB dev CV: docs/decisions.md)
    html_extractor: str = "blocks"
    # P(content) at which the HTML classifier keeps a line (WCXB dev CV: 0.861 at 0.4, 0.856
    # at 0.5; the text cleaner's own is clean.keep_threshold) ...
    html_keep_threshold: float = 0.4
    # ... times the page's highest P(content) when that is lower, but not below this: a page
    # the classifier is unsure of everywhere keeps its likeliest lines (CV 0.872 -> 0.876;
    # 1.0 turns the scaling off; docs/decisions.md)
    html_keep_relative_floor: float = 0.3
    html_favor_precision: bool = False
    # search the page's elements for an author when its structured data names none: links
    # to an author's page, then trafilatura's byline search (htmlmeta.page_author,
    # extract.page_metadata; WCXB dev author match 0.562 -> 0.756, docs/decisions.md)
    html_author_search: bool = True
    # Near-duplicate documents (corpusprep.dedup): MinHash over word shingles, LSH in bands.
    # FineWeb's setting (Penedo et al. 2024, "The FineWeb Datasets", arXiv:2406.17557, and the
    # FineWeb blog post): 5-gram word shingles, 112 hashes as 14 bands of 8 rows, "targeting
    # documents that are at least 75% similar" (a pair at Jaccard 0.75 becomes a candidate
    # with probability 0.77, at 0.8 with 0.92).
    dedup_shingle_words: int = 5
    dedup_bands: int = 14
    dedup_rows: int = 8
    # A candidate pair joins a cluster when its estimated Jaccard reaches this (FineWeb links
    # every candidate; see docs/decisions.md). Read by the run's last step only.
    dedup_threshold: float = 0.7
    clean: CleanConfig = field(default_factory=CleanConfig)

    @property
    def dedup_permutations(self) -> int:
        """The length of a MinHash signature: bands x rows."""
        return self.dedup_bands * self.dedup_rows

    def to_dict(self) -> dict:
        return asdict(self)

    def digest(self) -> str:
        """Stable hash of the effective config and pipeline version."""
        return _digest(self)

    @classmethod
    def from_dict(cls, data: dict) -> Config:
        """A Config from ``to_dict``'s shape (or part of it: missing keys keep their default);
        an unknown key or a value of the wrong type raises ConfigError."""
        return Config().updated(_flatten(data))

    def updated(self, settings: dict[str, Any], parse: bool = False) -> Config:
        """This config with ``settings`` applied: keys are field names, ``clean.<field>`` for
        the cleaner's; values are typed, or with ``parse`` strings as the command line gives
        them."""
        defaults = settings_of(Config())
        top: dict[str, Any] = {}
        clean: dict[str, Any] = {}
        for key, value in settings.items():
            if key not in defaults:
                raise ConfigError(_unknown(key))
            section, _, name = key.rpartition(".")
            (clean if section else top)[name] = _coerce(key, value, defaults[key], parse)
        config = dataclasses.replace(self, **top, clean=dataclasses.replace(self.clean, **clean))
        _validate(config)
        return config


def load(path: str | Path | None = None, settings: list[str] | tuple[str, ...] = ()) -> Config:
    """The run's config: the defaults, then the TOML file at ``path`` (top-level keys and a
    ``[clean]`` table, the names of ``Config.to_dict()``), then ``key=value`` settings."""
    config = Config()
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as e:
            raise ConfigError(f"cannot read config file {str(path)!r}: {e.strerror}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise ConfigError(f"config file {str(path)!r} is not valid TOML: {e}") from None
        config = config.updated(_flatten(data))
    pairs: dict[str, str] = {}
    for item in settings:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"a setting is KEY=VALUE, not {item!r}")
        pairs[key.strip()] = value.strip()
    return config.updated(pairs, parse=True)


def settings_of(config: Config) -> dict[str, Any]:
    """The config's values by setting name, as ``--set`` and the TOML file name them
    (``clean.<field>`` for the cleaner's)."""
    return _flatten(config.to_dict())


def setting_names() -> list[str]:
    """Every settable key."""
    return list(settings_of(Config()))


def _flatten(data: dict, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and not prefix and key == "clean":
            out.update(_flatten(value, "clean."))
        else:
            out[prefix + key] = value
    return out


def _unknown(key: str) -> str:
    names = setting_names()
    # a cleaner setting named without its section first: it beats a look-alike elsewhere
    close = [n for n in names if n == f"clean.{key}"] or difflib.get_close_matches(key, names, n=1)
    if close:
        return f"unknown setting {key!r}; did you mean {close[0]!r}?"
    return f"unknown setting {key!r} (settings: {', '.join(names)})"


_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


def _coerce(key: str, value: Any, default: Any, parse: bool) -> Any:
    """``value`` as the type of the field's default (with ``parse``, a string is parsed)."""
    kind = type(default)
    if parse and isinstance(value, str) and kind is not str:
        text = value.strip().lower()
        try:
            if kind is bool:
                if text not in _TRUE + _FALSE:
                    raise ValueError
                return text in _TRUE
            return kind(text.replace("_", ""))
        except ValueError:
            raise ConfigError(f"{key} takes {_kind_name(kind)}, not {value!r}") from None
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if type(value) is not kind:
        raise ConfigError(f"{key} takes {_kind_name(kind)}, not {value!r}")
    return value


def _kind_name(kind: type) -> str:
    return {bool: "true or false", int: "a whole number", float: "a number"}.get(kind, "text")


# Settings that must be positive; every other number must not be negative, and these lie in
# [0, 1].
_POSITIVE = (
    "max_file_bytes",
    "max_doc_chars",
    "doc_timeout_s",
    "min_shards",
    "shard_target_files",
    "dedup_shingle_words",
    "dedup_bands",
    "dedup_rows",
)
_FRACTIONS = (
    "html_keep_threshold",
    "html_keep_relative_floor",
    "dedup_threshold",
    "clean.repeat_doc_fraction",
    "clean.stopword_ratio",
    "clean.first_block_share",
    "clean.title_min_overlap",
    "clean.title_echo_overlap",
    "clean.html_tail_fraction",
    "clean.keep_threshold",
    "clean.keep_relative_floor",
    "clean.after_section_factor",
)
# Weights are costs: negative on purpose.
_SIGNED = ("clean.short_line_weight", "clean.marked_line_weight", "clean.boundary_weight")


# Settings that take one of a few names.
_CHOICES = {"html_extractor": ("blocks", "trafilatura")}


def _validate(config: Config) -> None:
    for key, value in settings_of(config).items():
        if key in _CHOICES and value not in _CHOICES[key]:
            raise ConfigError(f"{key} is one of {', '.join(_CHOICES[key])}, not {value!r}")
        if isinstance(value, bool) or not isinstance(value, int | float) or key in _SIGNED:
            continue
        if key in _POSITIVE and not value > 0:
            raise ConfigError(f"{key} must be positive, not {value!r}")
        if key in _FRACTIONS and not 0 <= value <= 1:
            raise ConfigError(f"{key} must lie between 0 and 1, not {value!r}")
        if not value >= 0:
            raise ConfigError(f"{key} must not be negative, not {value!r}")


# Settings only the run's last step reads (dedup.finish, run every time): changing them must
# not reprocess the shards, so they stay out of the digest that names a shard's parts.
_LAST_STEP_ONLY = ("dedup_threshold",)


@functools.lru_cache(maxsize=16)
def _digest(config: Config) -> str:
    # Cached: every document row carries it (0.26 ms a document when recomputed).
    # the line classifier's file is part of what produced the rows
    settings = {k: v for k, v in config.to_dict().items() if k not in _LAST_STEP_ONLY}
    blob = json.dumps([PIPELINE_VERSION, model_digest(), settings], sort_keys=True, default=str)
    return hashlib.blake2b(blob.encode(), digest_size=8).hexdigest()
