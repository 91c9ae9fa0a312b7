"""The `corpusprep` command line: triggers the Prefect flows and reports what they did."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_PREFECT_HOME = Path.home() / ".cache" / "corpusprep" / "prefect"


class CliError(Exception):
    """A fatal problem reported to the user as one line, exit status 2."""


def _prefect_env(verbose: bool) -> None:
    """Quiet, offline, self-contained Prefect settings; must run before Prefect is imported."""
    env = os.environ
    env.setdefault("PREFECT_HOME", str(DEFAULT_PREFECT_HOME))
    env.setdefault("DO_NOT_TRACK", "1")
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The temporary API server takes 10-40 s to boot on a busy 2-core machine.
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    if not verbose:
        env["PREFECT_LOGGING_LEVEL"] = "WARNING"
        env["PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW"] = "ignore"


def _check_dirs(raw_dir: Path, out_dir: Path) -> None:
    if not raw_dir.exists():
        raise CliError(f"input folder {str(raw_dir)!r} does not exist")
    if not raw_dir.is_dir():
        raise CliError(f"input {str(raw_dir)!r} is not a folder")
    if not os.access(raw_dir, os.R_OK | os.X_OK):
        raise CliError(f"input folder {str(raw_dir)!r} is not readable")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as exc:
        raise CliError(f"cannot write to output folder {str(out_dir)!r}: {exc.strerror}") from exc


def _run(args: argparse.Namespace) -> int:
    raw_dir, out_dir = Path(args.raw_dir), Path(args.out)
    _check_dirs(raw_dir, out_dir)
    if args.workers is not None and args.workers < 1:
        raise CliError("--workers must be at least 1")
    _prefect_env(args.verbose)

    from corpusprep.read import discover
    from flows import prepare
    from flows.report import Progress, print_summary

    n_files = len(discover(raw_dir))
    started = time.perf_counter()
    with Progress(total=n_files, enabled=sys.stderr.isatty() and not args.verbose) as bar:
        prepare.progress_callback = bar.advance
        result = prepare.prepare_corpus(str(raw_dir), str(out_dir), workers=args.workers or 0)
    result["total_seconds"] = round(time.perf_counter() - started, 2)
    print_summary(result, out_dir)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="corpusprep",
        description="Turn raw scraped files into clean, sentence-segmented Parquet datasets.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="clean and segment RAW_DIR into Parquet datasets")
    run.add_argument(
        "raw_dir",
        nargs="?",
        default="corpus_raw",
        metavar="RAW_DIR",
        help="folder of raw files (default: corpus_raw)",
    )
    run.add_argument(
        "--out",
        default="corpus_clean",
        metavar="OUT_DIR",
        help="output folder (default: corpus_clean)",
    )
    run.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="worker processes (default: one per CPU core)",
    )
    run.add_argument("--verbose", "-v", action="store_true", help="show Prefect's log lines")
    run.set_defaults(func=_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        print(f"corpusprep: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("corpusprep: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
