"""corpusprep: raw scraped web text in, clean sentence-segmented Parquet out."""

from corpusprep._compiled import compiled_modules, use_sources_if_stale

use_sources_if_stale()  # before any compiled module is imported

from corpusprep.segment import split_sentences  # noqa: E402

__version__ = "0.1.0"
__all__ = ["compiled_modules", "split_sentences", "__version__"]
