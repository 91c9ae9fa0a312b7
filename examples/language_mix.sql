-- Documents, sentences and words per language (run from the folder holding corpus_clean/):
--   duckdb < examples/language_mix.sql
SELECT coalesce(language, '(unknown)') AS language,
       count(*)                        AS documents,
       sum(n_sentences)                AS sentences,
       sum(n_words)                    AS words,
       round(avg(language_score), 3)   AS mean_language_score
FROM 'corpus_clean/documents/*.parquet'
GROUP BY 1
ORDER BY documents DESC, language;
