"""Run-level clustering of the warehouse from its MinHash/LSH index, incremental and memory-bounded.

Matching happens in DuckDB. Articles whose signature is new or changed since
the last run (not in `dedup_matched` with the same scheme and body hash) have
their band keys joined against every article's (`dedup_bands`) on (band,
band_key), `MATCH_CHUNK` of them at a time; each chunk's candidate pairs stay
in a DuckDB temporary table and are verified on their signatures
`VERIFY_CHUNK` pairs at a time (in numpy), the kept ones go to `dedup_pairs`.
No old text is read.

Clustering is incremental too (`warehouse/dedup_clusters.py`): only the
clusters an article of this run joins, leaves or changes (new, re-signed,
re-dated or deleted articles, and every cluster they were or become linked
to) are recomputed, and only their rows of `clusters` are replaced. Nothing
proportional to the corpus is held in Python: ids, pairs and component labels
live in DuckDB temporary tables (DuckDB spills them to disk), and Python sees
one chunk of pairs or of clusters at a time.

A run whose articles, signature schemes and settings match the last
clustering (its `step_state` fingerprint) changes nothing. Articles without a
current signature (loaded before migration 003, or after a change of the
dedup settings or agency list) are signed here first, from their stored text,
in chunks. A new threshold or bucket cap re-matches every article.
"""

import duckdb
import polars as pl

from newsflow.settings import DedupSettings
from transforms.dedup import scheme_key, syndication_children
from transforms.dedup.minhash import estimated_jaccard
from warehouse import step_state
from warehouse.dedup_clusters import STATE_NAME, recluster_touched, release_freed_memory, signatures_of
from warehouse.transaction import transaction

BACKFILL_CHUNK = 2_000  # articles signed per transaction
MATCH_CHUNK = 5_000  # re-signed articles whose band buckets are joined at once
VERIFY_CHUNK = 10_000  # candidate pairs verified at once (at most 2 signatures of 4 x num_perm bytes each)
PAIR_SCHEMA = pl.Schema({"left_id": pl.String, "right_id": pl.String, "similarity": pl.Float64})
# Temporary tables of one clustering step (session-local, dropped at its end).
TEMP_TABLES = (
    "dedup_backfill", "dedup_changed", "dedup_dirty", "dedup_candidates", "dedup_verified", "dedup_new_pairs",
    "dedup_touched", "dedup_edges", "dedup_labels", "dedup_labels_next", "dedup_components", "dedup_new_clusters",
)  # fmt: skip


def cluster_warehouse(con: duckdb.DuckDBPyConnection, settings: DedupSettings, run_id: str | None = None) -> dict:
    """Bring signatures up to date, match what is new, recluster what it touched; return counts.

    `run_id` is recorded with the step's fingerprint (None: run by hand).
    """
    key = scheme_key(settings)
    release_freed_memory()  # what the process freed before (loading) is not this step's
    _drop_orphans(con)
    signed = _backfill(con, settings, key)
    fingerprint = _fingerprint(con, settings, key)
    match_settings = f"{key}|{settings.threshold}|{settings.max_bucket}"
    if step_state.is_unchanged(con, STATE_NAME, fingerprint):
        return {"signed": signed, "changed": False}
    state = con.execute("select match_settings from dedup_state where name = ?", [STATE_NAME]).fetchone()
    if not state or state[0] != match_settings:
        with transaction(con):  # every article is matched and clustered again
            con.execute("delete from dedup_pairs")
            con.execute("delete from dedup_matched")
    try:
        matched, near = _match_changed(con, settings)
        release_freed_memory()
        counts = recluster_touched(con, settings.num_perm, fingerprint, match_settings, run_id)
    finally:
        for table in TEMP_TABLES:  # fixed names
            con.execute(f"drop table if exists temp.{table}")
    return {"signed": signed, "changed": True, "matched": matched, "near_pairs": near, **counts}


def _drop_orphans(con: duckdb.DuckDBPyConnection) -> None:
    """Index rows of articles that are gone (the loader replaces rows only of articles it touches)."""
    with transaction(con):
        for table in ("dedup_signatures", "dedup_bands", "article_agencies"):  # fixed names
            gone = f"select article_id from {table} anti join articles using (article_id)"
            con.execute(f"delete from {table} where article_id in ({gone})")


def _backfill(con: duckdb.DuckDBPyConnection, settings: DedupSettings, key: str) -> int:
    """Sign, from their stored text, the articles without a signature of the current scheme; return how many."""
    con.execute(
        """
        create or replace temp table dedup_backfill as
        select a.article_id, row_number() over (order by a.article_id) - 1 as seq
        from articles a left join dedup_signatures s using (article_id)
        where s.article_id is null or s.scheme <> ?
        """,
        [key],
    )
    stale = con.execute("select count(*) from dedup_backfill").fetchone()[0]
    for offset in range(0, stale, BACKFILL_CHUNK):
        articles = con.execute(
            """
            select article_id, text, author from articles
            where article_id in (select article_id from dedup_backfill where seq >= $start and seq < $stop)
            """,
            {"start": offset, "stop": offset + BACKFILL_CHUNK},
        ).pl()
        children = syndication_children(articles, settings)
        with transaction(con, backfill_ids=articles.select("article_id"), **{f"new_{t}": f for t, f in children.items()}):
            for table in children:  # fixed names from syndication_children
                con.execute(f"delete from {table} where article_id in (select article_id from backfill_ids)")
                con.execute(f"insert into {table} by name select * from new_{table}")
    return stale


def _fingerprint(con: duckdb.DuckDBPyConnection, settings: DedupSettings, key: str) -> str:
    row = con.execute(
        """
        select count(*), coalesce(sum(hash(a.article_id, a.text_hash, a.published_at, s.scheme, s.body_hash)), 0)
        from articles a left join dedup_signatures s using (article_id)
        """
    ).fetchone()
    return step_state.digest((row, key, settings.threshold, settings.max_bucket, duckdb.__version__))


def _match_changed(con: duckdb.DuckDBPyConnection, settings: DedupSettings) -> tuple[int, int]:
    """Find what changed since the last clustering; match new signatures; return (articles matched, pairs kept).

    `dedup_changed` lists every article whose signature, text hash or date
    differs from what it was clustered with (`resigned`: its signature, so its
    pairs are matched again). The pairs of re-signed and deleted articles are
    replaced in one transaction; `dedup_matched` itself is updated with the
    clusters, so a run that dies in between redoes both.
    """
    con.execute(
        """
        create or replace temp table dedup_changed as
        select s.article_id,
               m.article_id is null or m.scheme <> s.scheme or m.body_hash <> s.body_hash as resigned
        from dedup_signatures s join articles a using (article_id) left join dedup_matched m using (article_id)
        where m.article_id is null or m.scheme <> s.scheme or m.body_hash <> s.body_hash
           or m.text_hash is distinct from a.text_hash or m.published_at is distinct from a.published_at
        """
    )
    con.execute(
        """
        create or replace temp table dedup_dirty as
        select article_id, (row_number() over (order by article_id) - 1) // $chunk as chunk
        from dedup_changed where resigned
        """,
        {"chunk": MATCH_CHUNK},
    )
    con.execute("create or replace temp table dedup_verified (left_id varchar, right_id varchar, similarity double)")
    for chunk in range(con.execute("select coalesce(max(chunk) + 1, 0) from dedup_dirty").fetchone()[0]):
        _verify_candidates(con, _candidate_pairs(con, chunk, settings.max_bucket), settings)
    con.execute(  # a pair found from two chunks (a large bucket on one side) is kept once
        "create or replace temp table dedup_new_pairs as select distinct left_id, right_id, similarity from dedup_verified"
    )
    kept = con.execute("select count(*) from dedup_new_pairs").fetchone()[0]
    with transaction(con):
        stale = """
            select article_id from dedup_changed where resigned
            union all (select article_id from dedup_matched anti join dedup_signatures using (article_id))
        """
        con.execute(f"delete from dedup_pairs where left_id in ({stale}) or right_id in ({stale})")
        con.execute("insert or replace into dedup_pairs by name select * from dedup_new_pairs")
    matched = con.execute("select count(*) from dedup_changed where resigned").fetchone()[0]
    return matched, kept


def _candidate_pairs(con: duckdb.DuckDBPyConnection, chunk: int, max_bucket: int) -> int:
    """Fill `dedup_candidates` (seq, left_id, right_id; left < right) for one chunk of `dedup_dirty`; return how many.

    A candidate is a re-signed article and any article sharing one of its band
    buckets. A bucket of up to `max_bucket` articles yields all its pairs with
    the re-signed article (a pair of two re-signed articles once, from the
    smaller id, whatever their chunks); a larger one (shared boilerplate) links
    it to the bucket's first member only. `MATCH_CHUNK` re-signed articles at
    a time bound the joins and the candidates held on a first run.
    """
    con.execute(
        """
        create or replace temp table dedup_candidates as
        with dirty_bands as (
            select b.article_id, b.band, b.band_key
            from dedup_bands b semi join (select article_id from dedup_dirty where chunk = $chunk) using (article_id)
        ),
        members as (
            select b.article_id, b.band, b.band_key, d.article_id is not null as dirty
            from dedup_bands b
            semi join (select distinct band, band_key from dirty_bands) using (band, band_key)
            left join dedup_dirty d using (article_id)
        ),
        buckets as (
            select band, band_key, count(*) as size, min(article_id) as first_id
            from members group by band, band_key having count(*) > 1
        ),
        small as (
            select n.article_id as a, o.article_id as b
            from dirty_bands n
            join buckets k using (band, band_key)
            join members o using (band, band_key)
            where k.size <= $max_bucket and (o.article_id > n.article_id or (not o.dirty and o.article_id <> n.article_id))
        ),
        large as (
            select n.article_id as a, k.first_id as b
            from dirty_bands n join buckets k using (band, band_key)
            where k.size > $max_bucket and n.article_id <> k.first_id
        ),
        pairs as (
            select distinct least(a, b) as left_id, greatest(a, b) as right_id
            from (select * from small union all select * from large)
        )
        select row_number() over (order by left_id, right_id) - 1 as seq, left_id, right_id from pairs
        """,
        {"chunk": chunk, "max_bucket": max_bucket},
    )
    return con.execute("select count(*) from dedup_candidates").fetchone()[0]


def _verify_candidates(con: duckdb.DuckDBPyConnection, candidates: int, settings: DedupSettings) -> None:
    """Add to `dedup_verified` the candidates whose estimated Jaccard similarity reaches the threshold."""
    for offset in range(0, candidates, VERIFY_CHUNK):
        _verify_chunk(con, offset, settings)
        release_freed_memory()


def _verify_chunk(con: duckdb.DuckDBPyConnection, offset: int, settings: DedupSettings) -> None:
    chunk = con.execute(
        "select left_id, right_id from dedup_candidates where seq >= $start and seq < $stop order by seq",
        {"start": offset, "stop": offset + VERIFY_CHUNK},
    ).pl()
    ids = pl.concat([chunk["left_id"], chunk["right_id"]]).unique().sort().to_frame("article_id")
    signatures = signatures_of(con, ids, settings.num_perm)
    index = ids.with_row_index("row")
    rows = chunk.join(index.rename({"article_id": "left_id", "row": "left"}), on="left_id", maintain_order="left")
    rows = rows.join(index.rename({"article_id": "right_id", "row": "right"}), on="right_id", maintain_order="left")
    similarity = estimated_jaccard(signatures[rows["left"].to_numpy()], signatures[rows["right"].to_numpy()])
    verified = chunk.with_columns(similarity=pl.Series(similarity, dtype=pl.Float64))
    verified = verified.filter(pl.col("similarity") >= settings.threshold).cast(PAIR_SCHEMA)  # type: ignore[arg-type]
    with transaction(con, verified_pairs=verified):
        con.execute("insert into dedup_verified by name select * from verified_pairs")
