-- Sentences joined to their documents: English sentences of 5 to 40 words, with the
-- document's title and URL, in reading order.
SELECT d.title, d.url, s.paragraph_index, s.sentence_index, s.text
FROM 'corpus_clean/sentences/*.parquet' AS s
JOIN 'corpus_clean/documents/*.parquet' AS d USING (doc_id)
WHERE s.language = 'en' AND s.n_words BETWEEN 5 AND 40
ORDER BY d.doc_id, s.sentence_index;
