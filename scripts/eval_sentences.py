"""Score corpusprep's sentence segmenter on the shared dev sets and measure its speed.

    python scripts/eval_sentences.py [--shared ../shared] [--keep DIR] [--errors]

Writes one prediction file per gold set (spans and sentences), runs the shared scorer on each,
then times split_sentences on the article texts of the boilerplate dev set (field "gold").
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from corpusprep.segment import split_sentences  # noqa: E402

SETS = ("golden_rules_en.jsonl", "golden_rules_multilingual.jsonl", "news_probes_en.jsonl")


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def predict(gold_path: Path, out_path: Path) -> None:
    """Write {"id", "spans", "sentences"} for every gold record."""
    with out_path.open("w", encoding="utf-8") as out:
        for rec in read_jsonl(gold_path):
            text = rec["text"]
            spans = split_sentences(text, rec.get("lang"))
            row = {"id": rec["id"], "spans": spans, "sentences": [text[s:e] for s, e in spans]}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def score(scorer: Path, gold_path: Path, pred_path: Path, show_errors: bool) -> str:
    """Run the shared scorer; return its report (only the summary unless show_errors)."""
    res = subprocess.run(
        [sys.executable, str(scorer), str(gold_path), str(pred_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    if show_errors:
        return res.stdout
    return "\n".join(
        line for line in res.stdout.splitlines() if not line.startswith(("  FAIL", "      "))
    )


def speed(texts: list[str], min_seconds: float = 1.0) -> tuple[float, int]:
    """Characters per second of split_sentences over texts (best of repeated passes)."""
    n_chars = sum(len(t) for t in texts)
    best = float("inf")
    total = 0.0
    while total < min_seconds:
        t0 = time.perf_counter()
        for t in texts:
            split_sentences(t, "en")
        dt = time.perf_counter() - t0
        best = min(best, dt)
        total += dt
    return n_chars / best, n_chars


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--keep", type=Path, help="write predictions here instead of a temp folder")
    ap.add_argument("--errors", action="store_true", help="show the failing cases")
    args = ap.parse_args(argv)

    data = args.shared / "data" / "sentences-dev"
    scorer = args.shared / "tools" / "score_sentences.py"
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = args.keep or Path(tmp)
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in SETS:
            gold = data / name
            if not gold.exists():
                print(f"{name}: missing, skipped")
                continue
            pred = out_dir / f"pred_{name}"
            predict(gold, pred)
            print(f"== {name}")
            print(score(scorer, gold, pred, args.errors))

    articles = args.shared / "data" / "boilerplate-dev" / "gold.jsonl"
    texts = [r["gold"] for r in read_jsonl(articles) if r.get("gold")]
    cps, n_chars = speed(texts)
    print(f"== speed: {cps:,.0f} chars/s on {len(texts)} articles ({n_chars:,} chars, one process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
