"""Keep DuckDB's fts index current by editing its tables for the changed articles only.

`pragma create_fts_index` builds a static index: the tables docs (docid, name,
len), dict (termid, term, df), terms (docid, fieldid, termid: one row per
token), stats (num_docs, avgdl) of schema fts_main_articles, read by the
`match_bm25` macro at query time. A run that adds 10 articles to 100,000 need
not rebuild them: the changed articles' postings are deleted, the new ones are
tokenized exactly as the build does (the index's own `tokenize` macro, its
stopword list, `stem`), document frequencies and the statistics are updated.
Scores are then those of a full rebuild (docids and termids differ; they are
internal). `indexed_docs` records the (article, content digest) each docid
holds, so the changed articles are found by one join.

The build sorts the postings by term, so a query reads only its terms' row
groups; appended postings are not sorted. Once the articles indexed
incrementally since the last full build exceed REBUILD_SHARE of all, the
caller rebuilds instead (and when no `indexed_docs` exists yet).
"""

import duckdb

SCHEMA = "fts_main_articles"
INDEXED_DOCS = f"{SCHEMA}.indexed_docs"
REBUILD_SHARE = 0.10  # appended articles (since the last build) above this share of all: rebuild
FIELDS = ("title", "text")  # fieldid = position, as given to create_fts_index

_DOC_HASH = "hash(article_id, text_hash, coalesce(title, ''))"


def record_indexed_docs(con: duckdb.DuckDBPyConnection) -> None:
    """After a full build: which article and content each docid holds (none appended)."""
    con.execute(
        f"""
        create or replace table {INDEXED_DOCS} as
        select d.docid, a.article_id, {_DOC_HASH} as doc_hash, false as appended
        from {SCHEMA}.docs d join articles a on a.article_id = d.name
        """
    )


def changed_articles(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int] | None:
    """(stale docs, new articles, docs appended since the build); None when no `indexed_docs` exists."""
    if not con.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = 'indexed_docs'", [SCHEMA]
    ).fetchone()[0]:
        return None
    _stage_changes(con)
    stale, new = con.execute("select (select count(*) from _fts_stale), (select count(*) from _fts_new)").fetchone()
    appended = con.execute(f"select count(*) from {INDEXED_DOCS} where appended").fetchone()[0]
    return stale, new, appended


def needs_rebuild(change: tuple[int, int, int] | None, indexed: int) -> bool:
    if change is None:
        return True
    stale, new, appended = change
    return appended + new > REBUILD_SHARE * max(indexed - stale + new, 1)


def _stage_changes(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"""
        create or replace temp table _fts_current as select article_id, {_DOC_HASH} as doc_hash from articles;
        create or replace temp table _fts_stale as
            select i.docid from {INDEXED_DOCS} i anti join _fts_current c using (article_id, doc_hash);
        create or replace temp table _fts_new as
            select c.article_id, c.doc_hash from _fts_current c anti join {INDEXED_DOCS} i using (article_id, doc_hash);
        """
    )


def apply_changes(con: duckdb.DuckDBPyConnection, stemmer: str) -> None:
    """Remove the stale articles' postings and index the new ones (inside the caller's transaction)."""
    # stemmer comes from warehouse.fts.STEMMERS, never from free input
    stem = "w" if stemmer == "none" else f"stem(w, '{stemmer}')"
    con.execute(
        f"""
        -- document frequencies of the stale postings leave with them
        create or replace temp table _fts_stale_df as
            select termid, count(distinct docid) as df from {SCHEMA}.terms semi join _fts_stale using (docid)
            group by termid;
        delete from {SCHEMA}.terms where docid in (select docid from _fts_stale);
        delete from {SCHEMA}.docs where docid in (select docid from _fts_stale);
        delete from {INDEXED_DOCS} where docid in (select docid from _fts_stale);
        update {SCHEMA}.dict d set df = d.df - s.df from _fts_stale_df s where d.termid = s.termid;

        -- the new articles, tokenized as create_fts_index does
        create or replace temp table _fts_new_docs as
            select n.article_id, n.doc_hash,
                   (select coalesce(max(docid), -1) from {SCHEMA}.docs) + row_number() over (order by n.article_id) as docid
            from _fts_new n;
        create or replace temp table _fts_tokens as
            with words as (
                select d.docid, f.fieldid, unnest({SCHEMA}.tokenize(f.value)) as w
                from _fts_new_docs d join articles a using (article_id),
                     unnest([{{'fieldid': 0, 'value': a.title}}, {{'fieldid': 1, 'value': a.text}}]) as u(f)
            )
            select docid, fieldid, {stem} as term
            from words
            where w is not null and len(w) > 0 and w not in (select sw from {SCHEMA}.stopwords);
        insert into {SCHEMA}.dict (termid, term, df)
            select (select coalesce(max(termid), -1) from {SCHEMA}.dict) + row_number() over (order by term), term, 0
            from (select distinct term from _fts_tokens) anti join {SCHEMA}.dict using (term);
        insert into {SCHEMA}.terms (docid, fieldid, termid)
            select t.docid, t.fieldid, d.termid from _fts_tokens t join {SCHEMA}.dict d using (term);
        update {SCHEMA}.dict d set df = d.df + n.df
            from (select term, count(distinct docid) as df from _fts_tokens group by term) n where d.term = n.term;
        delete from {SCHEMA}.dict where df = 0;
        insert into {SCHEMA}.docs (docid, name, len)
            select d.docid, d.article_id, (select count(*) from _fts_tokens t where t.docid = d.docid)
            from _fts_new_docs d;
        insert into {INDEXED_DOCS} select docid, article_id, doc_hash, true from _fts_new_docs;

        delete from {SCHEMA}.stats;
        insert into {SCHEMA}.stats select count(*), avg(len) from {SCHEMA}.docs;
        """
    )
    for table in ("_fts_current", "_fts_stale", "_fts_new", "_fts_stale_df", "_fts_new_docs", "_fts_tokens"):
        con.execute(f"drop table if exists {table}")
