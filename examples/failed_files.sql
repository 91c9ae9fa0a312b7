-- Input files that could not be read or processed, with the reason.
SELECT source_path, format, error
FROM 'corpus_clean/files/*.parquet'
WHERE status = 'failed'
ORDER BY source_path;
