-- What the cleaner removed, per site and reason, with one example line each.
SELECT coalesce(d.site, '(unknown)') AS site,
       r.reason,
       count(*)                      AS lines,
       count(DISTINCT r.doc_id)      AS documents,
       any_value(r.text)             AS example
FROM 'corpus_clean/removed/*.parquet' AS r
JOIN 'corpus_clean/documents/*.parquet' AS d USING (doc_id)
GROUP BY 1, 2
ORDER BY site, lines DESC, reason;
