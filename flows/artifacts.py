"""The Prefect artifacts of a `prepare_corpus` run, shown on the flow run's page in the UI.

- `corpusprep-progress`: the share of the input's files done, created as the run starts and
  updated as shards complete (at most every `UPDATE_EVERY_S` seconds, and at the end).
- `corpusprep-run-summary` (markdown): files ok / failed / skipped, documents, sentences, lines
  removed, wall time, the output and its HTML report (or the command that makes it).
- `corpusprep-folders` (table): files by status and documents per top-level input folder.
- `corpusprep-removal-reasons` (table): lines removed per reason.

Everything comes from the shard summaries the flow merges anyway; nothing reads the datasets.
Publishing never fails a run: each call to the API is caught and logged as a warning.
"""

from __future__ import annotations

import logging
import re
import time

KEY_PROGRESS = "corpusprep-progress"
KEY_SUMMARY = "corpusprep-run-summary"
KEY_FOLDERS = "corpusprep-folders"
KEY_REASONS = "corpusprep-removal-reasons"
UPDATE_EVERY_S = 2.0  # the progress artifact is one API call an update
MAX_ROWS = 100  # of the folders table; the other folders are summed in its last row
MAX_FAILURES = 10  # failed files listed in the summary
TOP_LEVEL = "(top level)"  # the folder column for files directly in RAW_DIR
UNCOUNTED = "(not counted: shards kept from a run before per-folder counts)"


def _logger():
    """The flow run's logger (its lines reach the run's page in the UI), unless it is silenced
    (the CLI quiets Prefect's run loggers): then one of ours, which reaches the terminal."""
    try:
        from prefect import get_run_logger

        logger = get_run_logger()
        if logger.isEnabledFor(logging.WARNING):
            return logger
    except Exception:  # outside a run
        pass
    return logging.getLogger("corpusprep.artifacts")


def _safely(what: str, call, *args, **kwargs):
    """`call(*args, **kwargs)`, or None with a warning when it raises."""
    try:
        return call(*args, **kwargs)
    except Exception as exc:
        _logger().warning(
            "could not publish the %s artifact: %s: %s", what, type(exc).__name__, exc
        )
        return None


def _publish(what: str, function: str, *args, **kwargs):
    """`prefect.artifacts.<function>(*args, **kwargs)`, or None with a warning."""

    def call():
        import prefect.artifacts

        return getattr(prefect.artifacts, function)(*args, **kwargs)

    return _safely(what, call)


class RunProgress:
    """The run's progress artifact: files done out of the run's files."""

    def __init__(self, total: int):
        self.total, self.done = total, 0
        self._last = time.monotonic()
        self.id = _publish(
            "progress",
            "create_progress_artifact",
            progress=0.0 if total else 100.0,
            key=KEY_PROGRESS,
            description=self._description(),
        )

    def _description(self) -> str:
        return f"{self.done:,} of {self.total:,} input files done"

    def advance(self, n_files: int, force: bool = False) -> None:
        self.done += n_files
        now = time.monotonic()
        if self.id is None or (not force and now - self._last < UPDATE_EVERY_S):
            return
        self._last = now
        share = 100.0 * self.done / self.total if self.total else 100.0
        _publish(
            "progress",
            "update_progress_artifact",
            self.id,
            progress=min(share, 100.0),
            description=self._description(),
        )

    def finish(self) -> None:
        self.advance(0, force=True)


def _escape(text) -> str:
    """Text that markdown shows as it is, on one line (paths and messages can hold anything)."""
    out = " ".join(str(text).split())
    for ch in "\\`*_[]<>#|~!":
        out = out.replace(ch, "\\" + ch)
    return out


def _code(text, in_table: bool = False) -> str:
    """A path or command as inline code, whatever backticks it holds (in a table cell, its `|`
    escaped as GFM wants)."""
    text = " ".join(str(text).split())
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    code = f"{fence}{pad}{text}{pad}{fence}"
    return code.replace("|", "\\|") if in_table else code


def report_status(out_dir: str) -> str:
    """A line on the HTML report: where it is, or how to make it."""
    from corpusprep import fs
    from corpusprep.report import REPORT_NAME, default_path

    path = default_path(out_dir)
    try:
        exists = fs.resolve(out_dir).kind(REPORT_NAME) == "file"
    except Exception:  # an unreachable store: say how to make it
        exists = False
    make = f"corpusprep report {out_dir}"
    if exists:
        return f"HTML report: {_code(path)} (made before this run; {_code(make)} updates it)"
    return f"HTML report: none yet; {_code(make)} writes it to {_code(path)}"


def summary_markdown(result: dict, raw_dir: str, out_dir: str) -> str:
    files = result["files"]
    rows = [
        ("files ok", files.get("ok", 0)),
        ("files failed", files.get("failed", 0)),
        ("files skipped (not a known format)", files.get("skipped", 0)),
        ("files unchanged since the last run (kept)", result.get("files_unchanged", 0)),
        ("documents", result["documents"]),
        ("sentences", result["sentences"]),
        ("lines removed", sum(result["removed"].values())),
        ("wall time", f"{result['wall_seconds']:.1f} s"),
        ("output", _code(out_dir, in_table=True)),
    ]
    lines = [
        "# corpusprep run",
        "",
        f"{_code(raw_dir)} \u2192 {_code(out_dir)}",
        "",
        "| | |",
        "|---|---:|",
        *(f"| {name} | {f'{v:,}' if isinstance(v, int) else v} |" for name, v in rows),
        "",
        report_status(out_dir),
    ]
    failures = result.get("failures") or []
    if failures:
        lines += ["", f"## Failed files ({files.get('failed', 0)})", ""]
        lines += [f"- {_code(path)}: {_escape(error)}" for path, error in failures[:MAX_FAILURES]]
        if len(failures) > MAX_FAILURES:
            lines.append("- ... and more: the `files` dataset lists every one with its error")
    return "\n".join(lines) + "\n"


def folder_rows(result: dict) -> list[dict]:
    """One row per top-level input folder, the most files first; at most MAX_ROWS."""
    columns = ("files", "ok", "failed", "skipped", "documents")

    def row(name: str, counts: dict) -> dict:
        return {"folder": name, **{c: counts.get(c, 0) for c in columns}}

    folders = result.get("folders") or {}
    ranked = sorted(folders.items(), key=lambda kv: (-kv[1].get("files", 0), kv[0]))
    rows = [row(TOP_LEVEL if name == "." else name, counts) for name, counts in ranked]
    if len(rows) > MAX_ROWS:
        rest = rows[MAX_ROWS - 1 :]
        summed = {c: sum(r[c] for r in rest) for c in columns}
        rows[MAX_ROWS - 1 :] = [row(f"({len(rest):,} other folders)", summed)]
    if result.get("folders_uncounted_files"):
        rows.append(row(UNCOUNTED, {"files": result["folders_uncounted_files"]}))
    return rows


def reason_rows(result: dict) -> list[dict]:
    removed = result["removed"]
    return [
        {"reason": reason, "lines": n}
        for reason, n in sorted(removed.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def publish_results(result: dict, raw_dir: str, out_dir: str) -> None:
    """The run's summary artifacts (never raises)."""
    artifacts = [
        (
            "summary",
            "create_markdown_artifact",
            "markdown",
            KEY_SUMMARY,
            lambda: summary_markdown(result, raw_dir, out_dir),
            "What the run did: files, documents, sentences, lines removed",
        ),
        (
            "folders",
            "create_table_artifact",
            "table",
            KEY_FOLDERS,
            lambda: folder_rows(result),
            "Files by status and documents per top-level input folder",
        ),
        (
            "removal reasons",
            "create_table_artifact",
            "table",
            KEY_REASONS,
            lambda: reason_rows(result),
            "Lines removed per reason (rule ids and model labels)",
        ),
    ]
    for what, function, argument, key, build, description in artifacts:
        content = _safely(what, build)
        if content is not None:
            _publish(what, function, **{argument: content}, key=key, description=description)
