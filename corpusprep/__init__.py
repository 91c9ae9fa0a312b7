"""corpusprep: raw scraped web text in, clean sentence-segmented Parquet out."""

from corpusprep.segment import split_sentences

__version__ = "0.1.0"
__all__ = ["split_sentences", "__version__"]
