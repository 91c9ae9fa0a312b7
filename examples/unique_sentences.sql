-- Sentences without repeats: one document per duplicate cluster (its canonical one) and only
-- the sentences no other kept document holds (syndicated copy, boilerplate the cleaner kept).
-- dup_count counts every document holding the sentence, the cluster's dropped copies too, so
-- a canonical document's sentence may count up to its cluster's size.
WITH duplicates AS (
    SELECT doc_id, canonical_doc_id FROM 'corpus_clean/duplicates/*.parquet'
),
cluster_size AS (
    SELECT canonical_doc_id AS doc_id, count(*) AS documents FROM duplicates GROUP BY 1
)
SELECT s.doc_id, s.sentence_index, s.dup_count, s.text
FROM 'corpus_clean/sentences/*.parquet' AS s
LEFT JOIN cluster_size AS c USING (doc_id)
WHERE s.doc_id NOT IN (SELECT doc_id FROM duplicates WHERE doc_id <> canonical_doc_id)
  AND s.dup_count <= coalesce(c.documents, 1)
ORDER BY s.doc_id, s.sentence_index;
