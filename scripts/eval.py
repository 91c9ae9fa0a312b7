#!/usr/bin/env python3
"""Dev-set quality table, measured through the real CLI (`make eval`).

One `corpusprep run` over a scratch corpus holding the boilerplate dev pages as text
(raw/txt/ID.txt), the same pages as HTML (raw/html/ID.html), the HTML pages rendered to text
by our own visible-text renderer (raw/rendered/ID.txt: line breaks and chrome differ from the
given dumps, a check that the text cleaner is not fitted to one dump style) and the three
seed articles (raw/seeds/); then each page's `documents.text` is scored with the shared
scorers, and the sentence golden rules are scored on `split_sentences`. Prints one table.

    python scripts/eval.py [--shared ../shared] [--keep DIR] [--worst N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow.dataset as ds

REPO = Path(__file__).resolve().parent.parent


def run_cli(raw: Path, out: Path) -> None:
    env = dict(os.environ)
    env.setdefault("PREFECT_HOME", str(REPO / ".prefect"))
    cli = Path(sys.executable).parent / "corpusprep"
    res = subprocess.run(
        [str(cli), "run", str(raw), "--out", str(out)], env=env, capture_output=True, text=True
    )
    if res.returncode != 0:
        raise SystemExit(f"corpusprep run failed:\n{res.stdout}\n{res.stderr}")


def write_predictions(out: Path, folder: str, pred_dir: Path) -> None:
    table = ds.dataset(out / "documents").to_table(columns=["source_path", "text"])
    pred_dir.mkdir(parents=True, exist_ok=True)
    for path, text in zip(
        table.column("source_path").to_pylist(), table.column("text").to_pylist(), strict=True
    ):
        if path.startswith(folder + "/"):
            (pred_dir / (Path(path).stem + ".txt")).write_text(text or "", encoding="utf-8")


def score_boilerplate(shared: Path, pred_dir: Path, worst: int) -> dict:
    gold = shared / "data" / "boilerplate-dev" / "gold.jsonl"
    res = subprocess.run(
        [
            sys.executable,
            str(shared / "tools" / "score_boilerplate.py"),
            str(gold),
            str(pred_dir),
            "--json",
            "--worst",
            str(worst),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(res.stdout)["results"][0]


def score_seeds(shared: Path, out: Path) -> dict:
    res = subprocess.run(
        [
            sys.executable,
            str(shared / "tools" / "score_seeds.py"),
            str(shared / "data" / "seeds" / "gold_lines.jsonl"),
            str(out),
            "--json",
        ],
        capture_output=True,
        text=True,
    )
    return json.loads(res.stdout)


def score_sentences(shared: Path, tmp: Path, name: str) -> tuple[int, int]:
    from corpusprep import split_sentences

    gold = shared / "data" / "sentences-dev" / name
    pred = tmp / f"pred-{name}"
    with gold.open(encoding="utf-8") as fh, pred.open("w", encoding="utf-8") as out:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            spans = split_sentences(rec["text"], rec.get("lang"))
            out.write(json.dumps({"id": rec["id"], "spans": spans}) + "\n")
    report = tmp / f"score-{name}.json"
    subprocess.run(
        [
            sys.executable,
            str(shared / "tools" / "score_sentences.py"),
            str(gold),
            str(pred),
            "--json",
            str(report),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(report.read_text())
    return result["correct"], result["cases"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    ap.add_argument("--worst", type=int, default=5, help="list the N worst pages per form")
    ap.add_argument(
        "--wcxb",
        type=Path,
        default=REPO.parent / "wcxb",
        help="WCXB checkout for the line classifier's cross-validation (skipped when absent)",
    )
    args = ap.parse_args()
    dev = args.shared / "data" / "boilerplate-dev"
    if not dev.is_dir():
        print(f"eval: no dev set at {dev} (use --shared)", file=sys.stderr)
        return 2
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="corpusprep-eval-"))
    try:
        raw = tmp / "raw"
        for form in ("txt", "html"):
            (raw / form).mkdir(parents=True, exist_ok=True)
            for page in dev.glob(f"*.{form}"):
                shutil.copy(page, raw / form / page.name)
        from corpusprep.extract import visible_lines

        (raw / "rendered").mkdir(exist_ok=True)
        for page in dev.glob("*.html"):
            text = visible_lines(page.read_text(encoding="utf-8", errors="replace"))
            (raw / "rendered" / f"{page.stem}.txt").write_text(text, encoding="utf-8")
        (raw / "seeds").mkdir(exist_ok=True)
        for seed in (args.shared / "data" / "seeds").glob("*.txt"):
            shutil.copy(seed, raw / "seeds" / seed.name)
        out = tmp / "out"
        run_cli(raw, out)

        rows = []
        for form in ("txt", "html", "rendered"):
            write_predictions(out, form, tmp / f"pred-{form}")
            rows.append((form, score_boilerplate(args.shared, tmp / f"pred-{form}", args.worst)))
        seeds = score_seeds(args.shared, out)
        sentences = {
            name: score_sentences(args.shared, tmp, name)
            for name in (
                "golden_rules_en.jsonl",
                "golden_rules_multilingual.jsonl",
                "news_probes_en.jsonl",
            )
        }
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    print(
        f"{'boilerplate-dev':<16} {'pages':>5} {'microP':>7} {'microR':>7} {'microF1':>8} "
        f"{'macroF1':>8} {'R<0.8':>6} {'P<0.8':>6}"
    )
    for form, r in rows:
        m = r["micro"]
        print(
            f"{'  ' + form:<16} {r['pages']:>5} {m['precision']:>7.3f} {m['recall']:>7.3f} "
            f"{m['f1']:>8.3f} {r['macro']['f1']:>8.3f} {r['pages_recall_lt_0.8']:>6} "
            f"{r['pages_precision_lt_0.8']:>6}"
        )
    print(
        f"seeds: kept {seeds['keep_kept']}/{seeds['keep_total']} content lines, dropped "
        f"{seeds['drop_dropped']}/{seeds['drop_total']} boilerplate lines"
    )
    for name, (ok, n) in sentences.items():
        print(f"sentences {name.removesuffix('.jsonl')}: {ok}/{n}")
    for form, r in rows:
        worst = ", ".join(f"{p['id'][:12]} F1 {p['f1']:.2f}" for p in r.get("worst", []))
        print(f"worst {form}: {worst}")
    print()
    script = REPO / "scripts" / "eval_insertion.py"
    subprocess.run([sys.executable, str(script), "--shared", str(args.shared)], check=True)
    print()
    cross_validate(args.wcxb, args.shared)
    return 0


def cross_validate(wcxb: Path, shared: Path) -> None:
    """The line classifier's 5-fold cross-validation on WCXB dev, grouped by domain (what
    predicts its score on pages it never saw); ~10 minutes on 2 cores."""
    if not (wcxb / "dev" / "ground-truth").is_dir():
        print(
            f"WCXB cross-validation skipped: no checkout at {wcxb} (git clone "
            "https://github.com/Murrough-Foley/web-content-extraction-benchmark there, or "
            "make eval WCXB=PATH)"
        )
        return
    print("line classifier, 5-fold cross-validation on WCXB dev grouped by domain:", flush=True)
    subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "train.py"),
            "--wcxb",
            str(wcxb),
            "--shared",
            str(shared),
            "--cv",
            "5",
        ],
        check=True,
    )
    print("\npage metadata on WCXB dev (title, author, date against the gold):", flush=True)
    script = REPO / "scripts" / "eval_metadata.py"
    subprocess.run([sys.executable, str(script), "--wcxb", str(wcxb)], check=True)
    print("(the date, title and author rankers were fit on these pages; their CV:)",
          flush=True)  # fmt: skip
    script = REPO / "scripts" / "train_metadata.py"
    subprocess.run([sys.executable, str(script), "--wcxb", str(wcxb), "--cv", "5"], check=True)


if __name__ == "__main__":
    sys.exit(main())
