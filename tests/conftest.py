"""Shared test set-up: Prefect offline and isolated, fixture paths, a small raw corpus."""

import os
import shutil
import tempfile
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
