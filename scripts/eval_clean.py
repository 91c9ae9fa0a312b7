#!/usr/bin/env python3
"""Evaluate the line cleaner (corpusprep.clean) on the shared development sets.

    python scripts/eval_clean.py [--shared ../shared] [--html] [--worst 8] [--no-seeds]

- seeds: clean_text on data/seeds/*.txt, scored by tools/score_seeds.py (keep/drop labels);
- boilerplate-dev (text): clean_text on every ID.txt, scored by tools/score_boilerplate.py;
  also reported on two fixed halves of the pages as a leave-pages-out view: half A holds the
  pages whose blake2b(id, digest_size=8) first byte is even, half B the others (fixed before
  the 2nd round of rule work, so neither half was chosen to flatter a rule);
- with --html: trafilatura alone and trafilatura + clean_text(fmt="html") on every ID.html;
- the cleaner's own time per page (ms, best of 3 passes over the 60 text pages, one process);
  with --html also extract_html's time per page (one pass).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpusprep.clean import clean_text  # noqa: E402


def score_pages(scorer: Path, gold: Path, pred_dir: Path) -> dict:
    out = subprocess.run(
        [sys.executable, str(scorer), str(gold), str(pred_dir), "--json", "--per-page"],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)["results"][0]


def summarise(pages: list[dict]) -> dict:
    tp = sum(p["tp"] for p in pages)
    n_pred = sum(p["n_pred"] for p in pages)
    n_gold = sum(p["n_gold"] for p in pages)
    mp = tp / n_pred if n_pred else 0.0
    mr = tp / n_gold if n_gold else 0.0
    return {
        "pages": len(pages),
        "micro_f1": 2 * mp * mr / (mp + mr) if mp + mr else 0.0,
        "macro_f1": sum(p["f1"] for p in pages) / len(pages) if pages else 0.0,
        "recall_lt_0.8": sum(1 for p in pages if p["recall"] < 0.8),
        "precision_lt_0.8": sum(1 for p in pages if p["precision"] < 0.8),
    }


def print_row(name: str, s: dict) -> None:
    print(
        f"  {name:<34} pages {s['pages']:>3}  micro-F1 {s['micro_f1']:.3f}  "
        f"macro-F1 {s['macro_f1']:.3f}  R<0.8 {s['recall_lt_0.8']:>2}  "
        f"P<0.8 {s['precision_lt_0.8']:>2}"
    )


def half(page_id: str) -> str:
    """Fixed split of the pages for the leave-pages-out view."""
    return "A" if hashlib.blake2b(page_id.encode(), digest_size=8).digest()[0] % 2 == 0 else "B"


def report(name: str, result: dict, worst: int, halves: bool) -> None:
    pages = result["per_page"]
    print_row(name, summarise(pages))
    if halves:
        print_row("  half A (hash even)", summarise([p for p in pages if half(p["id"]) == "A"]))
        print_row("  half B (hash odd)", summarise([p for p in pages if half(p["id"]) == "B"]))
    if worst:
        print(f"    worst {worst} pages:  id        P      R      F1")
        for p in sorted(pages, key=lambda p: p["f1"])[:worst]:
            print(f"      {p['id'][:12]}  {p['precision']:.3f}  {p['recall']:.3f}  {p['f1']:.3f}")


def run_seeds(shared: Path) -> bool:
    seeds = shared / "data" / "seeds"
    with tempfile.TemporaryDirectory() as tmp:
        for f in sorted(seeds.glob("*.txt")):
            cleaned = clean_text(f.read_text(encoding="utf-8"))
            (Path(tmp) / f.name).write_text(cleaned.text, encoding="utf-8")
        out = subprocess.run(
            [
                sys.executable,
                str(shared / "tools" / "score_seeds.py"),
                str(seeds / "gold_lines.jsonl"),
                tmp,
                "--verbose",
            ],
            capture_output=True,
            text=True,
        )
    print("seeds:")
    for line in out.stdout.strip().splitlines():
        print("  " + line)
    return out.returncode == 0


def run_text(shared: Path, worst: int) -> list[float]:
    dev = shared / "data" / "boilerplate-dev"
    files = sorted(dev.glob("*.txt"))
    texts = {f.stem: f.read_text(encoding="utf-8") for f in files}
    timings: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for pid, text in texts.items():
            (Path(tmp) / f"{pid}.txt").write_text(clean_text(text).text, encoding="utf-8")
        result = score_pages(shared / "tools" / "score_boilerplate.py", dev / "gold.jsonl", tmp)
    for _ in range(3):
        t0 = time.perf_counter()
        for text in texts.values():
            clean_text(text)
        timings.append((time.perf_counter() - t0) / len(texts) * 1000)
    print("boilerplate-dev, text pages (clean_text, fmt='txt'):")
    report("clean_text", result, worst, halves=True)
    return timings


def run_html(shared: Path, worst: int) -> float:
    from corpusprep.config import Config
    from corpusprep.extract import extract_html

    config = Config()

    dev = shared / "data" / "boilerplate-dev"
    gold = dev / "gold.jsonl"
    urls = {}
    for line in gold.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            urls[str(rec["id"])] = rec.get("url")
    scorer = shared / "tools" / "score_boilerplate.py"
    spent = 0.0
    files = sorted(dev.glob("*.html"))
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        for f in files:
            html = f.read_text(encoding="utf-8", errors="replace")
            t0 = time.perf_counter()
            text = extract_html(html, config, url=urls.get(f.stem)).text
            spent += time.perf_counter() - t0
            (Path(a) / f"{f.stem}.txt").write_text(text, encoding="utf-8")
            cleaned = clean_text(text, fmt="html", config=config.clean).text
            (Path(b) / f"{f.stem}.txt").write_text(cleaned, encoding="utf-8")
        alone = score_pages(scorer, gold, Path(a))
        with_cleaner = score_pages(scorer, gold, Path(b))
    print("boilerplate-dev, HTML pages:")
    report("trafilatura alone", alone, 0, halves=False)
    report("trafilatura + clean_text(fmt=html)", with_cleaner, worst, halves=True)
    return spent / len(files) * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--html", action="store_true", help="also score trafilatura (+ cleaner)")
    ap.add_argument("--worst", type=int, default=8, help="list the N worst pages")
    ap.add_argument("--no-seeds", action="store_true")
    a = ap.parse_args()
    ok = True
    if not a.no_seeds:
        ok = run_seeds(a.shared)
    timings = run_text(a.shared, a.worst)
    html_ms = run_html(a.shared, a.worst) if a.html else None
    print(f"clean_text time: {min(timings):.3f} ms/page (best of 3 passes)")
    if html_ms is not None:
        print(f"extract_html time: {html_ms:.2f} ms/page (one pass, with metadata)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
