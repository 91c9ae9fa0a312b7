#!/usr/bin/env python3
"""A UI string inserted in the middle of an article must go and change nothing else (issue 14).

For each text dump of the boilerplate dev pages and each UI string below (Latin and foreign
script: comment counters, "related" headings, list titles), the string is inserted as a line of
its own before the middle kept line of the page's cleaned text; both versions are cleaned and
compared by token F1 (lowercase ``\\w+`` bags, the string's own tokens counted when it stays).
Prints, per string, the mean and lowest F1 and how often the string itself was removed.

    python scripts/eval_insertion.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "scripts"))
from train import word_prf  # noqa: E402  (the WCXB metric: F1 of lowercase \w+ bags)

from corpusprep.clean import clean_text  # noqa: E402

UI_STRINGS = (
    "Comments (0)",
    "Related posts",
    "Latest developments",
    "Read more",
    "Les dernières heures",
    "Последние события",
    "留言列表",
    "最新进展",
    "コメント",
    "관련 기사",
)


def with_inserted(raw: str, kept: list[str], ui: str) -> str | None:
    """``raw`` with ``ui`` as a line before its middle kept line (None: no kept line)."""
    if not kept:
        return None
    target = kept[len(kept) // 2]
    lines = raw.split("\n")
    at = next((k for k, line in enumerate(lines) if line.strip() == target), None)
    if at is None:
        return None
    return "\n".join(lines[:at] + [ui] + lines[at:])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    dumps = sorted((args.shared / "data" / "boilerplate-dev").glob("*.txt"))
    if not dumps:
        print(f"eval_insertion: no text dumps under {args.shared}/data/boilerplate-dev")
        return 1
    base = {}
    for path in dumps:
        raw = path.read_text(encoding="utf-8")
        base[path] = (raw, clean_text(raw).text)
    print(f"UI string inserted mid-article, {len(dumps)} dev text dumps: token F1 vs without it")
    print(f"{'string':<24} {'pages':>5} {'mean F1':>8} {'min F1':>7} {'removed':>8}")
    means = []
    for ui in UI_STRINGS:
        scores, removed = [], 0
        for raw, clean in base.values():
            changed = with_inserted(raw, clean.split("\n") if clean else [], ui)
            if changed is None:
                continue
            got = clean_text(changed).text
            scores.append(word_prf(got, clean)[2])
            removed += ui not in got.split("\n")
        mean = sum(scores) / len(scores)
        means.append(mean)
        print(f"{ui:<24} {len(scores):>5} {mean:>8.4f} {min(scores):>7.3f} {removed:>8}")
    print(f"{'all strings':<24} {'':>5} {sum(means) / len(means):>8.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
