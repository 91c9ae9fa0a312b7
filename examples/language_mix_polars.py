"""The language mix with polars, and the share of each document's characters the cleaner kept.

python examples/language_mix_polars.py [corpus_clean]
"""

import sys

import polars as pl

out = sys.argv[1] if len(sys.argv) > 1 else "corpus_clean"
documents = pl.scan_parquet(f"{out}/documents/*.parquet")
mix = (
    documents.group_by(pl.col("language").fill_null("(unknown)"))
    .agg(
        pl.len().alias("documents"),
        pl.col("n_words").sum().alias("words"),
        (pl.col("n_chars").sum() / pl.col("n_raw_chars").sum()).round(3).alias("kept_share"),
    )
    .sort(["documents", "language"], descending=[True, False])
    .collect()
)
print(mix)
