"""Terminal output of the CLI: a progress bar while shards run and a summary table after."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.table import Table


class Progress:
    """Files-done progress bar on stderr; a no-op when stderr is not a terminal."""

    def __init__(self, enabled: bool, total: int | None = None):
        self.total = total
        self._bar = None
        if enabled:
            self._bar = RichProgress(
                TextColumn("{task.description:<27}"),  # the longest phase: the bar stays put
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._task = self._bar.add_task("starting Prefect", total=total)

    def __enter__(self):
        if self._bar:
            self._bar.start()
        return self

    def __exit__(self, *exc):
        if self._bar:
            self._bar.stop()

    def set_total(self, total: int) -> None:
        self.total = total
        if self._bar:
            self._bar.update(self._task, total=total)

    def advance(self, n: int) -> None:
        if self._bar:
            self._bar.advance(self._task, n)

    def phase(self, description: str) -> None:
        """What the run is doing now, shown left of the bar."""
        if self._bar:
            self._bar.update(self._task, description=description)


def print_summary(result: dict, out_dir: Path) -> None:
    console = Console()
    files = result["files"]
    table = Table(title=f"corpusprep run -> {out_dir}", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("files ok", str(files.get("ok", 0)))
    table.add_row("files failed", str(files.get("failed", 0)))
    if files.get("skipped"):
        table.add_row("files skipped (not a known format)", str(files["skipped"]))
    table.add_row("documents", str(result["documents"]))
    table.add_row("sentences", str(result["sentences"]))
    removed = result["removed"]
    table.add_row("lines removed", str(sum(removed.values())))
    for reason, n in sorted(removed.items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row(f"  {reason}", str(n))
    dups = result.get("duplicates")
    if dups:
        # a short label: a wider table wraps the Prefect API line on an 80-column terminal
        table.add_row("duplicate clusters", f"{dups['clusters']} ({dups['documents']} docs)")
    if result.get("files_unchanged"):
        table.add_row("files unchanged since the last run (kept)", str(result["files_unchanged"]))
    table.add_row(
        "shards processed / reused",
        f"{result['shards'] - result['shards_reused']} / {result['shards_reused']}",
    )
    table.add_row("workers", str(result["workers"]))
    table.add_row("flow time", f"{result['wall_seconds']:.1f} s")
    table.add_row("wall time (with Prefect start-up)", f"{result['total_seconds']:.1f} s")
    if result.get("prefect_api"):
        table.add_row("Prefect API", result["prefect_api"])
    console.print(table)
    for path, error in result["failures"][:20]:
        console.print(f"[red]failed[/red] {path}: {error}", highlight=False)
    if len(result["failures"]) > 20:
        console.print(f"... and {len(result['failures']) - 20} more (see the files dataset)")


def print_explanation(raw, fates, cleaned, dropped=(), color: str = "auto") -> None:
    """A document's lines: kept ones plain, removed ones marked with their rule id and score."""
    from rich.text import Text

    force = {"always": True, "never": False}.get(color)
    console = Console(
        force_terminal=force, no_color=color == "never", highlight=False, soft_wrap=True
    )
    n_removed = sum(1 for f in fates if f.removed)
    console.print(
        Text(
            f"{raw.source_path}  doc_id {raw.doc_id}  format {raw.format}  "
            f"{n_removed} of {sum(1 for f in fates if f.text.strip())} lines removed",
            style="bold",
        )
    )
    if dropped:
        console.print(
            Text(f"{len(dropped)} lines of the page dropped by the HTML classifier:", style="bold")
        )
        for text, reason, score in dropped:
            line = Text(f"- [{reason} {score:g}] ", style="bold red")
            line.append(text, style="red")
            console.print(line)
        console.print(Text("the text the cleaner saw:", style="bold"))
    if cleaned.title:
        console.print(Text(f"title: {cleaned.title}", style="cyan"))
    width = len(str(len(fates)))
    for fate in fates:
        if not fate.text.strip():
            continue
        line = Text(f"{fate.line_no + 1:>{width}} ", style="dim")
        if fate.removed:
            r = fate.removed
            score = "" if r.score is None else f" {r.score:g}"
            line.append(f"- [{r.reason}{score}] ", style="bold red")
            line.append(fate.text, style="red")
        else:
            line.append("  " + fate.text)
        console.print(line)
        for frag in fate.fragments:
            pad = " " * (width + 3)
            console.print(Text(f"{pad}^ cut [{frag.reason}]: {frag.text}", style="yellow"))


_TEXT_COLUMNS = frozenset(("language", "site", "month", "reason", "text", "error"))


def print_stats(stats: dict, out_dir: str) -> None:
    """`corpusprep stats`: the datasets' summary as a few terminal tables."""
    console = Console()
    t = stats["totals"]
    files = ", ".join(f"{n} {status}" for status, n in stats["files"].items()) or "none"
    kept = t["chars"] / t["raw_chars"] if t["raw_chars"] else 0.0
    console.print(
        f"[bold]{out_dir}[/bold]: {t['documents']} documents, {t['sentences'] or 0} sentences, "
        f"{t['words'] or 0} words; files: {files}; {kept:.1%} of the raw characters kept"
    )
    m = stats["mojibake"]
    console.print(f"mojibake fixed on {m['lines_fixed']} lines of {m['documents_fixed']} documents")
    d = stats["duplicates"]
    console.print(
        f"duplicate clusters: {d['clusters']} ({d['documents']} documents, {d['exact']} exact"
        f" copies of their canonical one); sentences found in more than one document:"
        f" {d['repeated_sentences']}"
    )
    sections = [
        ("by language", "by_language", ["language", "documents", "sentences", "words"]),
        ("by site", "by_site", ["site", "documents", "sentences", "words"]),
        ("by month", "by_month", ["month", "documents", "sentences", "words"]),
        ("removal reasons", "removal_reasons", ["reason", "lines", "documents", "chars"]),
        ("lines removed most often, per site", "removed_most_often",
         ["site", "reason", "text", "times"]),
        ("failed files by error", "failures", ["error", "files"]),
    ]  # fmt: skip
    for title, key, columns in sections:
        if not stats[key]:
            continue
        table = Table(title=title, title_justify="left", box=None)
        for c in columns:
            justify = "left" if c in _TEXT_COLUMNS else "right"
            table.add_column(c, justify=justify, overflow="fold", max_width=70)
        for row in stats[key]:
            table.add_row(*(str(row[c]) if row[c] is not None else "" for c in columns))
        console.print(table)
