"""Run-level clustering of the whole warehouse from its MinHash/LSH index.

Matching is incremental and happens in DuckDB. Articles whose signature is
new or changed since the last run (not in `dedup_matched` with the same
scheme and body hash) have their band keys joined against every article's
(`dedup_bands`) on (band, band_key); the candidate pairs are verified on
their signatures (brought to numpy a chunk at a time) and kept in
`dedup_pairs`. No old text is read and the corpus is never held in Python
memory: DuckDB spills its joins to disk. Exact duplicates come from one
aggregation over the compared-text hashes. The clusters are then the
connected components of all pairs, and `clusters` is rewritten in one
transaction.

A run whose articles, signature schemes and settings match the last
clustering (`dedup_state.fingerprint`) changes nothing. Articles without a
current signature (loaded before migration 003, or after a change of the
dedup settings or agency list) are signed here first, from their stored text,
in chunks. A new threshold or bucket cap re-matches every article.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import numpy as np
import polars as pl

from newsflow.settings import DedupSettings
from transforms.agencies import load_agencies
from transforms.dedup import scheme_key, syndication_children
from transforms.dedup.cluster import CLUSTER_SCHEMA, assign_roles
from transforms.dedup.minhash import estimated_jaccard
from transforms.dedup.signatures import decode_signatures

BACKFILL_CHUNK = 2_000  # articles signed per transaction
VERIFY_CHUNK = 200_000  # candidate pairs verified at once
STATE_NAME = "clusters"
PAIR_SCHEMA = pl.Schema({"left_id": pl.String, "right_id": pl.String, "similarity": pl.Float64})


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection, **frames: pl.DataFrame) -> Iterator[None]:
    """One transaction with `frames` registered as views under their names for its span."""
    for name, frame in frames.items():
        con.register(name, frame.to_arrow())
    con.execute("begin transaction")
    try:
        yield
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        for name in frames:
            con.unregister(name)


def cluster_warehouse(con: duckdb.DuckDBPyConnection, settings: DedupSettings) -> dict:
    """Bring signatures up to date, match what is new, rewrite clusters if anything changed; return counts."""
    agencies = load_agencies(settings.agencies_path)
    key = scheme_key(settings, agencies)
    _drop_orphans(con)
    signed = _backfill(con, settings, key)
    fingerprint = _fingerprint(con, settings, key)
    match_settings = f"{key}|{settings.threshold}|{settings.max_bucket}"
    state = con.execute("select fingerprint, match_settings from dedup_state where name = ?", [STATE_NAME]).fetchone()
    if state and state[0] == fingerprint:
        return {"signed": signed, "changed": False}
    if not state or state[1] != match_settings:
        with _transaction(con):
            con.execute("delete from dedup_pairs")
            con.execute("delete from dedup_matched")
    matched, near = _match_new(con, settings)
    pairs = pl.concat([con.execute("select left_id, right_id from dedup_pairs").pl(), _exact_pairs(con)]).unique()
    members, signatures = _members(con, pairs, settings.num_perm)
    clusters = assign_roles(members, pairs, signatures)
    counts = _write_clusters(con, clusters, fingerprint, match_settings)
    return {"signed": signed, "changed": True, "matched": matched, "near_pairs": near, **counts}


def _drop_orphans(con: duckdb.DuckDBPyConnection) -> None:
    """Index rows of articles that are gone (the loader replaces rows only of articles it touches)."""
    orphans = con.execute(
        """
        select article_id from dedup_signatures anti join articles using (article_id)
        union select article_id from article_agencies anti join articles using (article_id)
        """
    ).pl()
    if orphans.is_empty():
        return
    with _transaction(con, orphan_ids=orphans):
        for table in ("dedup_signatures", "dedup_bands", "article_agencies"):  # fixed names
            con.execute(f"delete from {table} where article_id in (select article_id from orphan_ids)")


def _backfill(con: duckdb.DuckDBPyConnection, settings: DedupSettings, key: str) -> int:
    stale = con.execute(
        """
        select a.article_id from articles a left join dedup_signatures s using (article_id)
        where s.article_id is null or s.scheme <> ? order by a.article_id
        """,
        [key],
    ).pl()
    for offset in range(0, stale.height, BACKFILL_CHUNK):
        ids = stale.slice(offset, BACKFILL_CHUNK)
        con.register("backfill_ids", ids.to_arrow())
        try:
            articles = con.execute(
                "select article_id, text, author from articles where article_id in (select article_id from backfill_ids)"
            ).pl()
        finally:
            con.unregister("backfill_ids")
        children = syndication_children(articles, settings)
        with _transaction(con, backfill_ids=ids, **{f"new_{table}": frame for table, frame in children.items()}):
            for table in children:  # fixed names from syndication_children
                con.execute(f"delete from {table} where article_id in (select article_id from backfill_ids)")
                con.execute(f"insert into {table} by name select * from new_{table}")
    return stale.height


def _fingerprint(con: duckdb.DuckDBPyConnection, settings: DedupSettings, key: str) -> str:
    row = con.execute(
        """
        select count(*), coalesce(sum(hash(a.article_id, a.text_hash, a.published_at, s.scheme, s.body_hash)), 0)
        from articles a left join dedup_signatures s using (article_id)
        """
    ).fetchone()
    material = repr((row, key, settings.threshold, settings.max_bucket, duckdb.__version__))
    return hashlib.blake2b(material.encode(), digest_size=16).hexdigest()


def _match_new(con: duckdb.DuckDBPyConnection, settings: DedupSettings) -> tuple[int, int]:
    """Match new or changed signatures against every article; return (articles matched, pairs kept)."""
    con.execute(
        """
        create or replace temp table dedup_dirty as
        select s.article_id, s.scheme, s.body_hash
        from dedup_signatures s left join dedup_matched m using (article_id)
        where m.article_id is null or m.scheme <> s.scheme or m.body_hash <> s.body_hash
        """
    )
    try:
        with _transaction(con):
            gone = "select article_id from dedup_dirty union all (select article_id from dedup_matched except select article_id from dedup_signatures)"
            con.execute(f"delete from dedup_pairs where left_id in ({gone}) or right_id in ({gone})")
            con.execute("delete from dedup_matched where article_id not in (select article_id from dedup_signatures)")
        candidates = _candidate_pairs(con, settings.max_bucket)
        kept = _verified_pairs(con, candidates, settings)
        with _transaction(con, new_pairs=kept):
            con.execute("insert or replace into dedup_pairs by name select * from new_pairs")
            con.execute("insert or replace into dedup_matched by name select * from dedup_dirty")
        matched = con.execute("select count(*) from dedup_dirty").fetchone()[0]
    finally:
        con.execute("drop table if exists dedup_dirty")
    return matched, kept.height


def _candidate_pairs(con: duckdb.DuckDBPyConnection, max_bucket: int) -> pl.DataFrame:
    """(left_id, right_id), left < right: a new article and any article sharing one of its band buckets.

    A bucket of up to `max_bucket` articles yields all its pairs with the new
    article; a larger one (shared boilerplate) links the new article to the
    bucket's first member only.
    """
    return con.execute(
        """
        with dirty_bands as (
            select b.article_id, b.band, b.band_key from dedup_bands b semi join dedup_dirty using (article_id)
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
        small as (  -- a pair of two new articles once, from the smaller id
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
        final as (
            select distinct least(a, b) as left_id, greatest(a, b) as right_id
            from (select * from small union all select * from large)
        )
        select * from final order by left_id, right_id
        """,
        {"max_bucket": max_bucket},
    ).pl()


def _verified_pairs(con: duckdb.DuckDBPyConnection, candidates: pl.DataFrame, settings: DedupSettings) -> pl.DataFrame:
    """Candidates whose estimated Jaccard similarity reaches the threshold, with it."""
    kept = [pl.DataFrame(schema=PAIR_SCHEMA)]
    for offset in range(0, candidates.height, VERIFY_CHUNK):
        chunk = candidates.slice(offset, VERIFY_CHUNK)
        ids = pl.concat([chunk["left_id"], chunk["right_id"]]).unique().sort().to_frame("article_id")
        signatures = _signatures_of(con, ids, settings.num_perm)
        index = ids.with_row_index("row")
        rows = chunk.join(index.rename({"article_id": "left_id", "row": "left"}), on="left_id", maintain_order="left")
        rows = rows.join(index.rename({"article_id": "right_id", "row": "right"}), on="right_id", maintain_order="left")
        similarity = estimated_jaccard(signatures[rows["left"].to_numpy()], signatures[rows["right"].to_numpy()])
        verified = chunk.with_columns(similarity=pl.Series(similarity, dtype=pl.Float64))
        kept.append(verified.filter(pl.col("similarity") >= settings.threshold))
    return pl.concat(kept)


def _signatures_of(con: duckdb.DuckDBPyConnection, ids: pl.DataFrame, num_perm: int) -> np.ndarray:
    """Signatures of `ids` (article_id, sorted), in that order."""
    con.register("wanted_ids", ids.to_arrow())
    try:
        blobs = con.execute(
            """
            select s.signature from wanted_ids w join dedup_signatures s using (article_id)
            order by w.article_id
            """
        ).to_arrow_table()["signature"]
    finally:
        con.unregister("wanted_ids")
    if len(blobs) != ids.height:
        raise RuntimeError("a candidate article lost its signature during clustering")
    return decode_signatures(blobs, num_perm)


def _exact_pairs(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every article with the same compared text (or the same normalized text) as another, linked to the first."""
    return con.execute(
        """
        with keyed as (
            select s.article_id, s.body_hash::varchar as key from dedup_signatures s where s.n_words > 0
            union all
            select article_id, 'text:' || text_hash from articles
        ),
        firsts as (select article_id, min(article_id) over (partition by key) as first_id from keyed),
        final as (select distinct first_id as left_id, article_id as right_id from firsts where article_id <> first_id)
        select * from final order by left_id, right_id
        """
    ).pl()


def _members(con: duckdb.DuckDBPyConnection, pairs: pl.DataFrame, num_perm: int) -> tuple[pl.DataFrame, np.ndarray]:
    """Date, compared-text hash and signature of every article in a pair (ordered by article_id)."""
    ids = pl.concat([pairs["left_id"], pairs["right_id"]]).unique().sort().to_frame("article_id")
    if ids.is_empty():
        return pl.DataFrame(), np.zeros((0, num_perm), dtype=np.uint32)
    con.register("member_ids", ids.to_arrow())
    try:
        members = con.execute(
            """
            select m.article_id, a.published_at, s.body_hash, s.n_words
            from member_ids m join articles a using (article_id) join dedup_signatures s using (article_id)
            order by m.article_id
            """
        ).pl()
    finally:
        con.unregister("member_ids")
    return members.with_row_index("row"), _signatures_of(con, ids, num_perm)


def _write_clusters(con: duckdb.DuckDBPyConnection, clusters: pl.DataFrame, fingerprint: str, match_settings: str) -> dict:
    """Replace the clusters: the linked articles, and every other article as a cluster of one."""
    with _transaction(con, new_clusters=clusters.select(CLUSTER_SCHEMA.names())):
        con.execute("delete from clusters")
        con.execute("insert into clusters by name select * from new_clusters")
        con.execute(
            """
            insert into clusters by name
            select article_id as cluster_id, article_id, 'original' as role, 1.0 as similarity,
                   0.0 as changed_share, 0 as words_delta, 1 as cluster_size
            from articles anti join new_clusters using (article_id)
            """
        )
        counts = con.execute(
            """
            select count(*) as articles, count(distinct cluster_id) as clusters,
                   count(*) filter (where role <> 'original') as duplicates
            from clusters
            """
        ).fetchone()
        con.execute(
            """
            insert or replace into dedup_state (name, fingerprint, match_settings, articles, clusters, duplicates, updated_at)
            values (?, ?, ?, ?, ?, ?, now())
            """,
            [STATE_NAME, fingerprint, match_settings, *counts],
        )
    return dict(zip(("articles", "clusters", "duplicates"), counts, strict=True))
