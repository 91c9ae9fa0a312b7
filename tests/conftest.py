"""Shared test set-up: Prefect offline and isolated, fixture paths, a small raw corpus."""

import json
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

import pytest

# Before anything imports Prefect: a private PREFECT_HOME, no telemetry, quiet logs.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="corpusprep-prefect-")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"


@pytest.fixture(scope="session")
def prefect_server():
    """One temporary Prefect API for the whole session (it takes ~25 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=None):
        yield


@pytest.fixture
def raw_corpus(tmp_path) -> Path:
    """The three seed articles and one HTML page, as a user would lay them out."""
    raw = tmp_path / "raw"
    (raw / "news").mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, raw / "news" / seed.name)
    shutil.copy(FIXTURES / "html" / "article.html", raw / "page.html")
    return raw


# The check ../shared/tools/score_seeds.py makes: a 'keep' line must be in the cleaned text, a
# 'drop' line must not be one of its lines (nor, from 25 characters, inside it).
_PLAIN = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
    | {"\u00a0": " "}
)


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", s).translate(_PLAIN)).strip()


def seed_label_misses(texts: dict[str, str]) -> tuple[list[tuple], int, int]:
    """Seed labels the cleaned `texts` (by seed file name) break, and the keep / drop counts."""
    gold = (SEEDS / "gold_lines.jsonl").read_text(encoding="utf-8")
    labels = [json.loads(x) for x in gold.splitlines() if x]
    misses, kept, dropped = [], 0, 0
    for r in labels:
        text = texts[r["file"]]
        line, body = _norm(r["text"]), _norm(text)
        lines = {_norm(x) for x in text.split("\n")}
        if r["label"] == "keep":
            kept += 1
            if line not in body:
                misses.append(("keep", r["file"], r["line"], r["text"][:60]))
        elif r["label"] == "drop":
            dropped += 1
            if line in lines or (len(line) >= 25 and line in body):
                misses.append(("drop", r["file"], r["line"], r["text"][:60]))
    return misses, kept, dropped
