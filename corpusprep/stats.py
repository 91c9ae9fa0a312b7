"""What a run's datasets hold, summed up with DuckDB: documents, sentences and words by
language, site and month; the removal reasons, and per site the lines they removed most
often; mojibake fixes; duplicate clusters; failed files by error. ``corpusprep stats``
prints it."""

from __future__ import annotations

import duckdb

from corpusprep import store

TOP = 10  # rows of each ranking


def connect(out_dir) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with each dataset under ``out_dir`` (a path or URI) registered as a
    view of its name (an absent one as an empty table of its schema); raises
    FileNotFoundError when it holds no `documents` dataset."""
    con = duckdb.connect()
    for name in store.DATASETS:
        dataset = store.open_dataset(out_dir, name)
        if dataset is None and name == "documents":
            raise FileNotFoundError(f"no datasets in {out_dir!r} (run `corpusprep run`)")
        if dataset is None or not dataset.schema.names:  # absent, or a folder with no part yet
            dataset = store.SCHEMAS[name].empty_table()
        # DuckDB reads the Arrow dataset where it lies (a folder or a bucket)
        con.register(name, dataset)
    return con


def query(con: duckdb.DuckDBPyConnection, sql: str, *params) -> list[dict]:
    """The result of one query as a list of {column: value}."""
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def corpus_stats(out_dir, top: int = TOP) -> dict:
    """The summary of the datasets under ``out_dir`` (a path or URI) as plain data; raises
    FileNotFoundError when it holds no `documents` dataset."""
    return summarise(connect(out_dir), top)


def summarise(con: duckdb.DuckDBPyConnection, top: int = TOP, only=None) -> dict:
    """`corpus_stats` on a connection made by `connect`; with `only` (names of its sections),
    just those sections, and only their queries run."""

    def rows(sql: str, *params) -> list[dict]:
        return query(con, sql, *params)

    by = "count(*) as documents, sum(n_sentences) as sentences, sum(n_words) as words"
    sections = {
        "totals": lambda: rows(
            f"select {by}, sum(n_raw_chars) as raw_chars, sum(n_chars) as chars from documents"
        )[0],
        "files": lambda: {
            r["status"]: r["files"]
            for r in rows("select status, count(*) as files from files group by 1 order by 2 desc")
        },
        "by_language": lambda: rows(
            f"select coalesce(language, '(unknown)') as language, {by} from documents"
            " group by 1 order by documents desc, language limit ?",
            top,
        ),
        "by_site": lambda: rows(
            f"select coalesce(site, '(unknown)') as site, {by} from documents"
            " group by 1 order by documents desc, site limit ?",
            top,
        ),
        "by_month": lambda: rows(
            f"select coalesce(substr(date, 1, 7), '(no date)') as month, {by} from documents"
            " group by 1 order by month",
        ),
        "removal_reasons": lambda: rows(
            "select reason, count(*) as lines, count(distinct doc_id) as documents,"
            " sum(length(text)) as chars from removed group by 1 order by lines desc, reason"
        ),
        "removed_most_often": lambda: rows(
            "select site, reason, text, count(*) as times from removed"
            " join (select doc_id, coalesce(site, '(unknown)') as site from documents)"
            " using (doc_id)"
            " group by 1, 2, 3 qualify row_number() over"
            " (partition by site order by count(*) desc, text) <= 3"
            " order by site, times desc, text limit ?",
            top * 3,
        ),
        "mojibake": lambda: rows(
            "select count(*) filter (where ftfy_fixes > 0) as documents_fixed,"
            " coalesce(sum(ftfy_fixes), 0) as lines_fixed from documents"
        )[0],
        "duplicates": lambda: rows(
            "select count(distinct cluster_id) as clusters, count(*) as documents,"
            " count(*) filter (where kind = 'exact') as exact,"
            " (select count(*) filter (where dup_count > 1) from sentences) as repeated_sentences"
            " from duplicates"
        )[0],
        "failures": lambda: rows(
            "select coalesce(error, '') as error, count(*) as files from files"
            " where status = 'failed' group by 1 order by files desc, error limit ?",
            top,
        ),
    }
    return {name: make() for name, make in sections.items() if only is None or name in only}
