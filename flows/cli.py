"""The `corpusprep` command line: triggers the Prefect flows and reports what they did."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import time
from pathlib import Path

from corpusprep import fs

DEFAULT_PREFECT_HOME = Path.home() / ".cache" / "corpusprep" / "prefect"
SERVER_TIP = (
    "tip: without --no-keep-server, the run starts a Prefect server that stays up while idle "
    "for --server-idle-minutes; runs then start in ~3 s instead of ~7 s"
)
SERVER_KEPT = (
    "started a Prefect server that stays up after this run ({minutes:g} min idle) so that the "
    "next run starts faster; `corpusprep server stop` stops it"
)


class CliError(Exception):
    """A fatal problem reported to the user as one line, exit status 2."""


def _prefect_env(verbose: bool) -> None:
    """Quiet, offline, self-contained Prefect settings; must run before Prefect is imported."""
    env = os.environ
    env.setdefault("PREFECT_HOME", str(DEFAULT_PREFECT_HOME))
    env.setdefault("DO_NOT_TRACK", "1")
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The run's temporary API server takes 4-40 s to boot on a busy 2-core machine.
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    if not verbose:
        env["PREFECT_LOGGING_LEVEL"] = "WARNING"
        env["PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW"] = "ignore"


def _choose_api() -> str | None:
    """Point Prefect at the server `corpusprep server start` keeps, when it answers.

    An explicit PREFECT_API_URL (environment, active profile, or the settings of a Prefect
    already imported in this process, as under a test harness) always wins. Without any, the
    run starts a server (`_run`). Must run after `_prefect_env`. Returns the API URL, or None
    when there is none to use.
    """
    from flows import server

    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    home = Path(os.environ["PREFECT_HOME"])
    configured = server.api_url_from_profile(home)
    if configured:
        return configured
    if "prefect.settings" in sys.modules:
        from prefect.settings import get_current_settings

        in_process = get_current_settings().api.url
        if in_process:
            return in_process
    state = server.running(home)
    if state is None:
        return None
    os.environ["PREFECT_API_URL"] = f"{state['url']}/api"
    return os.environ["PREFECT_API_URL"]


@contextlib.contextmanager
def _storage_errors(doing: str):
    """A bad URI, missing credentials or an unreachable bucket as a one-line error."""
    try:
        yield
    except fs.LocationError as exc:
        raise CliError(str(exc)) from None
    except fs.ERRORS as exc:
        raise CliError(f"{doing}: {fs.reason(exc)}") from None


def _location_arg(text: str) -> str:
    """A URI as given; a local path tidied as before URIs were accepted ('a/' -> 'a')."""
    return text if fs.is_uri(text) else str(Path(text))


def _check_dirs(raw_dir: str, out_dir: str) -> None:
    """Local paths and URIs alike: the input is a readable folder, the output writable."""
    with _storage_errors(f"cannot read input folder {raw_dir!r}"):
        raw = fs.resolve(raw_dir)
        kind = raw.kind()
    if kind is None:
        raise CliError(f"input folder {raw_dir!r} does not exist")
    if kind != "folder":
        raise CliError(f"input {raw_dir!r} is not a folder")
    if raw.is_local and not os.access(raw.root, os.R_OK | os.X_OK):
        raise CliError(f"input folder {raw_dir!r} is not readable")
    with _storage_errors(f"cannot write to output folder {out_dir!r}"):
        fs.resolve(out_dir).check_writable()


def _run(args: argparse.Namespace) -> int:
    raw_dir, out_dir = _location_arg(args.raw_dir), _location_arg(args.out)
    _check_dirs(raw_dir, out_dir)
    if args.workers is not None and args.workers < 1:
        raise CliError("--workers must be at least 1")
    if args.server_idle_minutes <= 0:
        raise CliError("--server-idle-minutes must be positive (--no-keep-server: no kept server)")
    config = _run_config(args)
    if args.dask_address is not None and "://" not in args.dask_address:
        raise CliError(f"--dask-address must look like tcp://HOST:8786, not {args.dask_address!r}")
    started = time.perf_counter()
    _prefect_env(args.verbose)
    api_url = _choose_api()
    home = Path(os.environ["PREFECT_HOME"])
    idle_minutes = args.server_idle_minutes
    with contextlib.ExitStack() as stack:
        from flows import server

        run_server = None
        kept = api_url is not None and api_url == _kept_api(home)
        if api_url is None:
            # Booted first, so that it starts while the workers and Prefect's import do.
            try:
                if args.no_keep_server:
                    print(SERVER_TIP, file=sys.stderr)
                    run_server = stack.enter_context(server.temporary(home))
                else:
                    run_server = server.launch(home, None, idle_minutes * 60)
                    kept = True
            except (OSError, server.ServerError) as exc:
                raise CliError(
                    f"cannot start a Prefect server in PREFECT_HOME={home}: {exc}"
                ) from None
        if kept:
            stack.enter_context(server.in_use(home))
        # The workers (or the Dask connection) start before Prefect is imported, so the two
        # overlap.
        if args.dask_address:
            from flows import dask_runner

            try:
                pool, workers = stack.enter_context(dask_runner.cluster(args.dask_address))
            except dask_runner.DaskError as exc:
                raise CliError(str(exc)) from exc
        else:
            from flows.pool import warm_pool

            workers = args.workers or os.cpu_count() or 1
            pool = stack.enter_context(warm_pool(workers))

        from flows import prepare
        from flows.report import Progress, print_summary

        if not args.verbose:
            # A failed flow raises here, and the CLI reports it (one line for a known cause);
            # Prefect's own ERROR line and traceback for it would say the same thing first.
            logging.getLogger("prefect.flow_runs").setLevel(logging.CRITICAL)

        stack.enter_context(prepare.use_executor(pool))
        show_bar = sys.stderr.isatty() and not args.verbose
        bar = stack.enter_context(Progress(enabled=show_bar))  # the flow reports the file count
        if run_server is not None:
            from prefect.settings import PREFECT_API_URL, temporary_settings

            bar.phase("waiting for the Prefect server")
            timeout = float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"])
            try:
                api_url = run_server.wait(timeout)
            except server.ServerError as exc:
                raise CliError(str(exc)) from None
            stack.enter_context(temporary_settings(updates={PREFECT_API_URL: api_url}))
        stack.enter_context(prepare.reporting(bar.set_total, bar.advance, bar.phase))
        try:
            result = prepare.prepare_corpus(
                raw_dir,
                out_dir,
                config=config.to_dict(),
                workers=workers,
                dask_address=args.dask_address,
            )
        except fs.LocationError as exc:  # e.g. the input listing failed half-way
            raise CliError(str(exc)) from None
    result["total_seconds"] = round(time.perf_counter() - started, 2)
    if run_server is None:
        result["prefect_api"] = api_url
    elif run_server.kept and not run_server.already:
        result["prefect_api"] = f"{api_url} (kept while idle for {idle_minutes:g} min)"
        print(SERVER_KEPT.format(minutes=idle_minutes), file=sys.stderr)
    else:
        result["prefect_api"] = api_url + ("" if run_server.kept else " (for this run)")
    print_summary(result, out_dir)
    return 0


def _kept_api(home: Path) -> str | None:
    from flows import server

    state = server.read_state(home)
    return f"{state['url']}/api" if state else None


def _run_config(args: argparse.Namespace):
    """The run's Config: defaults, then --config FILE, then the named options, then --set."""
    from corpusprep.config import ConfigError, load

    settings = []
    if args.max_file_mb is not None:
        if args.max_file_mb <= 0:
            raise CliError("--max-file-mb must be positive")
        settings.append(f"max_file_bytes={int(args.max_file_mb * 2**20)}")
    if args.doc_timeout is not None:
        if args.doc_timeout <= 0:
            raise CliError("--doc-timeout must be positive")
        settings.append(f"doc_timeout_s={args.doc_timeout}")
    if args.keep_comments:
        settings.append("clean.keep_comments=true")
    try:
        return load(args.config, settings + list(args.set))
    except ConfigError as exc:
        raise CliError(str(exc)) from None


def _prefect_home() -> Path:
    _prefect_env(verbose=False)
    return Path(os.environ["PREFECT_HOME"])


def _server(args: argparse.Namespace) -> int:
    from flows import server

    home = _prefect_home()
    try:
        if args.action == "start":
            if not 0 < args.port < 65536:
                raise CliError(f"--port must be between 1 and 65535, not {args.port}")
            print(f"starting a Prefect server (PREFECT_HOME={home}) ...", file=sys.stderr)
            state = server.start(home, args.port)
            verb = "already running" if state["already"] else "running"
            print(f"Prefect server {verb} at {state['url']} (pid {state['pid']})")
            print(f"UI: {state['url']}   API: {state['url']}/api   log: {state['log']}")
            if os.environ.get("PREFECT_API_URL"):
                print("note: PREFECT_API_URL is set, and `corpusprep run` uses that one instead")
            else:
                print("`corpusprep run` now uses it; `corpusprep server stop` stops it.")
        elif args.action == "stop":
            state = server.stop(home)
            print("no corpusprep Prefect server running" if state is None else "stopped")
        else:
            state = server.running(home)
            if state is None:
                print(f"not running (PREFECT_HOME={home})")
                return 1
            print(f"running at {state['url']} (pid {state['pid']}, PREFECT_HOME={home})")
            idle_s = state.get("idle_timeout_s") or 0
            if idle_s:
                idle = server.idle_seconds(home) / 60
                print(f"stops itself after {idle_s / 60:g} min without a run (idle {idle:.1f} min)")
    except server.ServerError as exc:
        raise CliError(str(exc)) from exc
    return 0


def _stats(args: argparse.Namespace) -> int:
    from corpusprep.stats import corpus_stats

    out_dir = _location_arg(args.out)
    with _storage_errors(f"cannot read the datasets in {out_dir!r}"):
        try:
            stats = corpus_stats(out_dir)
        except FileNotFoundError as exc:
            raise CliError(str(exc)) from None
    if args.json:
        print(json.dumps(stats, indent=1, default=str, ensure_ascii=False))
    else:
        from flows.report import print_stats

        print_stats(stats, out_dir)
    return 0


def _report(args: argparse.Namespace) -> int:
    from corpusprep.report import build_report, default_path, save_report

    out_dir = _location_arg(args.out)
    path = default_path(out_dir) if args.output is None else _location_arg(args.output)
    with _storage_errors(f"cannot read the datasets in {out_dir!r}"):
        try:
            page, _ = build_report(out_dir)
        except FileNotFoundError as exc:
            raise CliError(str(exc)) from None
    with _storage_errors(f"cannot write the report to {path!r}"):
        save_report(page, path)
    print(path)
    return 0


def _settings(args: argparse.Namespace) -> int:
    from corpusprep.config import Config, settings_of

    for name, value in settings_of(Config()).items():
        print(f"{name} = {json.dumps(value)}")
    return 0


def _find_document(target: str, raw_dir: str, out_dir: str) -> tuple[str, str, str | None]:
    """Resolve a file path, a source_path or a doc_id to (raw_dir, relative path, doc_id).

    raw_dir and out_dir may be URIs; a file path is a local file.
    """
    path = Path(target)
    if path.is_file():
        raw = fs.resolve(raw_dir)
        if raw.is_local:
            with contextlib.suppress(ValueError):
                rel = path.resolve().relative_to(Path(raw.root).resolve())
                return raw_dir, rel.as_posix(), None
        return str(path.parent), path.name, None
    for doc_id, source, _ in _documents(out_dir):
        if target in (doc_id, source):
            return raw_dir, source, doc_id if target == doc_id else None
    docs_dir = f"{out_dir.rstrip('/')}/documents"
    raise CliError(f"{target!r} is neither a file nor a doc_id or source_path in {docs_dir!r}")


def _documents(out_dir: str) -> list[tuple[str, str, str]]:
    """(doc_id, source_path, config_hash) of every document in out_dir (none: empty)."""
    from corpusprep import store

    documents = store.open_dataset(out_dir, "documents")
    if documents is None:
        return []
    columns = ["doc_id", "source_path", "config_hash"]
    table = documents.to_table(columns=columns)
    return list(zip(*(table.column(c).to_pylist() for c in columns), strict=True))


def _recorded_config(out_dir: str, rel: str, doc_id: str | None):
    """The config of the run that wrote this document: found by the config hash on its row
    among the run records in out_dir/_runs; the defaults when out_dir holds neither."""
    from corpusprep import store
    from corpusprep.config import Config

    hashes = {h for d, src, h in _documents(out_dir) if d == doc_id or (not doc_id and src == rel)}
    for record in reversed(store.load_run_records(out_dir)):  # the newest first
        if record.get("config_hash") in hashes:
            return Config.from_dict(record["config"])
    return Config()


def _show(args: argparse.Namespace) -> int:
    from corpusprep.explain import explain, folder_repeats
    from corpusprep.read import InputError, read_file
    from flows.report import print_explanation

    raw_arg, out_arg = _location_arg(args.raw), _location_arg(args.out)
    with _storage_errors(f"cannot read the documents in {out_arg!r}"):
        raw_dir, rel, doc_id = _find_document(args.target, raw_arg, out_arg)
        config = _recorded_config(out_arg, rel, doc_id)
    with _storage_errors(f"cannot read input folder {raw_dir!r}"):
        try:
            docs = read_file(raw_dir, rel, config).docs
        except InputError as exc:
            raise CliError(f"{rel}: {exc}") from exc
        repeated = folder_repeats(raw_dir, rel, config)
    for raw in docs:
        if doc_id is None or raw.doc_id == doc_id:
            fates, cleaned, dropped = explain(raw, config, repeated)
            print_explanation(raw, fates, cleaned, dropped, color=args.color)
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
        help="folder of raw files: a path, or a URI such as s3://BUCKET/raw (default: corpus_raw)",
    )
    run.add_argument(
        "--out",
        default="corpus_clean",
        metavar="OUT_DIR",
        help="output folder: a path or a URI such as s3://BUCKET/clean (default: corpus_clean)",
    )
    run.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="worker processes (default: one per CPU core)",
    )
    run.add_argument(
        "--max-file-mb",
        type=float,
        default=None,
        metavar="MB",
        help="larger input files fail with a reason (default: 64)",
    )
    run.add_argument(
        "--doc-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="per-document processing limit (default: 60)",
    )
    run.add_argument(
        "--dask-address",
        default=None,
        metavar="ADDRESS",
        help="run the shards on this Dask scheduler, e.g. tcp://HOST:8786 (workers need "
        "corpusprep installed, and local RAW_DIR and OUT_DIR at the same paths)",
    )
    run.add_argument(
        "--keep-comments",
        action="store_true",
        help="keep reader comments under articles (a forum's posts are kept either way)",
    )
    run.add_argument(
        "--config",
        default=None,
        metavar="FILE",
        help="a TOML file of settings: top-level keys and a [clean] table, named as --set names "
        "them",
    )
    run.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="one setting, e.g. --set doc_timeout_s=30 --set clean.keep_threshold=0.5 (applied "
        "after --config and the options above; `corpusprep settings` lists them)",
    )
    run.add_argument(
        "--server-idle-minutes",
        type=float,
        default=30.0,
        metavar="MIN",
        help="without a Prefect server, the run starts one that stays up until no run has used "
        "it for this long, so that the next run starts faster (default: 30)",
    )
    run.add_argument(
        "--no-keep-server",
        action="store_true",
        help="without a Prefect server, start one for this run only and stop it at the end",
    )
    run.add_argument("--verbose", "-v", action="store_true", help="show Prefect's log lines")
    run.set_defaults(func=_run)

    stats = sub.add_parser("stats", help="summarise the datasets: languages, sites, removals, ...")
    stats.add_argument(
        "out",
        nargs="?",
        default="corpus_clean",
        metavar="OUT_DIR",
        help="the datasets' folder or URI (default: corpus_clean)",
    )
    stats.add_argument("--json", action="store_true", help="print the summary as JSON")
    stats.set_defaults(func=_stats)

    report = sub.add_parser(
        "report", help="write one self-contained HTML page of charts about the datasets"
    )
    report.add_argument(
        "out",
        nargs="?",
        default="corpus_clean",
        metavar="OUT_DIR",
        help="the datasets' folder or URI (default: corpus_clean)",
    )
    report.add_argument(
        "-o",
        "--output",
        default=None,
        metavar="FILE",
        help="where to write the page (default: OUT_DIR/report.html)",
    )
    report.set_defaults(func=_report)

    settings = sub.add_parser("settings", help="list every setting with its default value")
    settings.set_defaults(func=_settings)

    srv = sub.add_parser(
        "server",
        help="start, stop or check a local Prefect server that makes runs start faster",
    )
    srv.add_argument("action", choices=("start", "stop", "status"))
    srv.add_argument(
        "--port",
        type=int,
        default=4200,
        help="port on 127.0.0.1 (default: 4200; start only)",
    )
    srv.set_defaults(func=_server)

    show = sub.add_parser("show", help="print a document's lines, marking the removed ones and why")
    show.add_argument(
        "target",
        metavar="PATH_OR_DOC_ID",
        help="a raw file, or a doc_id or source_path from the documents dataset",
    )
    show.add_argument(
        "--raw",
        default="corpus_raw",
        metavar="RAW_DIR",
        help="folder (or URI) the source paths are relative to (default: corpus_raw)",
    )
    show.add_argument(
        "--out",
        default="corpus_clean",
        metavar="OUT_DIR",
        help="where to look up doc_ids, a folder or URI (default: corpus_clean)",
    )
    show.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    show.set_defaults(func=_show)
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
