"""Incremental clusters: recompute only the clusters a clustering run touched, in bounded memory.

A cluster is a connected component of the duplicate pairs: the verified near
duplicates in `dedup_pairs` and the exact ones (equal compared-text hash, or
equal normalized-text hash). After `warehouse.dedup` has matched the re-signed
articles (`dedup_changed`, `dedup_new_pairs`), the step

1. collects the *touched* articles: changed ones (new, re-signed, re-dated,
   new text hash), deleted ones, both ends of every new pair, the exact
   duplicates of changed ones, and then every member of the clusters these
   were in before the run. This set is closed: a pair with one end in it has
   its other end in it (an old pair lies inside an old cluster; a new pair
   has both ends in it), so its clusters can be recomputed on their own;
2. labels the connected components of the touched articles in SQL (min-label
   propagation with pointer jumping, `dedup_labels`), each article getting
   the smallest article_id of its component;
3. assigns roles (`transforms.dedup.cluster.assign_roles`) a chunk of whole
   components at a time (`CLUSTER_CHUNK` articles with their signatures);
4. replaces the rows of the touched (and deleted) articles in `clusters`, and
   records what each article was clustered with in `dedup_matched`, in one
   transaction with `dedup_state` and the step's `step_state` fingerprint.

Clusters no touched article belongs to keep their rows. A first run, or a
change of the matching settings, touches every article: the same code path,
still one chunk at a time.
"""

import ctypes
import ctypes.util
import sys

import duckdb
import numpy as np
import polars as pl

from transforms.dedup.cluster import CLUSTER_SCHEMA, assign_roles
from transforms.dedup.signatures import decode_signatures
from warehouse import step_state
from warehouse.transaction import transaction

STATE_NAME = "clusters"  # the dedup_state and step_state rows of this step
CLUSTER_CHUNK = 5_000  # articles of whole components whose roles are assigned at once
MAX_LABEL_ROUNDS = 10_000  # propagation converges in about log2(diameter) rounds; this only stops a bug
_LIBC = ctypes.CDLL(ctypes.util.find_library("c")) if sys.platform.startswith("linux") else None
if _LIBC is not None and not hasattr(_LIBC, "malloc_trim"):  # musl and others: nothing to trim
    _LIBC = None


def release_freed_memory() -> None:
    """Return the memory a finished chunk freed to the OS (glibc's malloc_trim; a no-op elsewhere).

    numpy and DuckDB allocate through glibc malloc, which keeps freed pages in
    its heaps (a large free raises its mmap threshold, so later arrays come
    from the heap too): without a trim, the resident size after many chunks
    holds the high-water mark of every allocator. Dask's workers do the same
    ("Memory not released back to the OS", distributed docs).
    """
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def signatures_of(con: duckdb.DuckDBPyConnection, ids: pl.DataFrame, num_perm: int) -> np.ndarray:
    """Signatures of `ids` (article_id, sorted), in that order."""
    con.register("wanted_ids", ids.to_arrow())
    try:
        blobs = con.execute(
            "select s.signature from wanted_ids w join dedup_signatures s using (article_id) order by w.article_id"
        ).to_arrow_table()["signature"]
    finally:
        con.unregister("wanted_ids")
    if len(blobs) != ids.height:
        raise RuntimeError("an article lost its signature during clustering")
    return decode_signatures(blobs, num_perm)


def recluster_touched(
    con: duckdb.DuckDBPyConnection, num_perm: int, fingerprint: str, match_settings: str, run_id: str | None
) -> dict:
    """Recompute the touched clusters and write them with the step's state; return counts."""
    touched = _collect_touched(con)
    _link_touched(con)
    _label_components(con)
    _assign_roles_in_chunks(con, num_perm)
    return {"reclustered": touched, **_write_clusters(con, fingerprint, match_settings, run_id)}


def _collect_touched(con: duckdb.DuckDBPyConnection) -> int:
    """`dedup_touched`: the touched articles still in the warehouse; return how many."""
    con.execute(
        """
        create or replace temp table dedup_touched as
        with gone as (
            select article_id from dedup_matched anti join articles using (article_id)
            union select article_id from clusters anti join articles using (article_id)
        ),
        changed_keys as (
            select s.body_hash, a.text_hash, s.n_words
            from dedup_changed c join dedup_signatures s using (article_id) join articles a using (article_id)
        ),
        exact_partners as (
            select s.article_id from dedup_signatures s
            semi join (select body_hash from changed_keys where n_words > 0) k using (body_hash)
            where s.n_words > 0
            union select a.article_id from articles a semi join changed_keys k using (text_hash)
        ),
        seeds as (
            select article_id from dedup_changed
            union select article_id from gone
            union select left_id from dedup_new_pairs
            union select right_id from dedup_new_pairs
            union select article_id from exact_partners
        ),
        before as (  -- every member of the clusters the seeds were in
            select c.article_id from clusters c
            semi join (select cluster_id from clusters semi join seeds using (article_id)) using (cluster_id)
        ),
        final as (
            select article_id from (select article_id from seeds union select article_id from before)
            semi join articles using (article_id)
        )
        select * from final
        """
    )
    return con.execute("select count(*) from dedup_touched").fetchone()[0]


def _link_touched(con: duckdb.DuckDBPyConnection) -> None:
    """`dedup_edges` (a, b), both directions: the near and exact pairs between touched articles."""
    con.execute(
        """
        create or replace temp table dedup_edges as
        with near as (
            select left_id, right_id from dedup_pairs
            where left_id in (select article_id from dedup_touched) and right_id in (select article_id from dedup_touched)
        ),
        keyed as (
            select s.article_id, s.body_hash::varchar as key
            from dedup_signatures s semi join dedup_touched using (article_id) where s.n_words > 0
            union all
            select a.article_id, 'text:' || a.text_hash from articles a semi join dedup_touched using (article_id)
        ),
        exact as (
            select first_id as left_id, article_id as right_id
            from (select article_id, min(article_id) over (partition by key) as first_id from keyed)
            where article_id <> first_id
        ),
        pairs as (select * from near union select * from exact),
        final as (
            select left_id as a, right_id as b from pairs
            union all
            select right_id as a, left_id as b from pairs
        )
        select * from final
        """
    )


def _label_components(con: duckdb.DuckDBPyConnection) -> None:
    """`dedup_labels` (article_id, label): the smallest article_id of each touched article's component.

    Each round every article takes the smallest label of itself and its
    neighbours, then the label of its label (pointer jumping), until no label
    changes. Labels only decrease and stay inside the component, so the fixed
    point is the component's minimum.
    """
    con.execute("create or replace temp table dedup_labels as select article_id, article_id as label from dedup_touched")
    for _ in range(MAX_LABEL_ROUNDS):
        con.execute(
            """
            create or replace temp table dedup_labels_next as
            with hooked as (
                select e.a as article_id, min(l.label) as label
                from dedup_edges e join dedup_labels l on l.article_id = e.b
                group by e.a
            ),
            merged as (
                select l.article_id, least(l.label, coalesce(h.label, l.label)) as label
                from dedup_labels l left join hooked h using (article_id)
            ),
            final as (
                select m.article_id, p.label from merged m join merged p on p.article_id = m.label
            )
            select * from final
            """
        )
        changed = con.execute(
            "select count(*) from dedup_labels_next n join dedup_labels l using (article_id) where n.label <> l.label"
        ).fetchone()[0]
        con.execute("drop table dedup_labels")
        con.execute("alter table dedup_labels_next rename to dedup_labels")
        if not changed:
            return
    raise RuntimeError("duplicate components did not converge")


def _assign_roles_in_chunks(con: duckdb.DuckDBPyConnection, num_perm: int) -> None:
    """`dedup_new_clusters`: CLUSTER_SCHEMA rows of the touched components of two or more articles."""
    con.execute(
        """
        create or replace temp table dedup_components as
        with sizes as (select label, count(*) as size from dedup_labels group by label having count(*) > 1),
        final as (
            select label, size,
                   (sum(size) over (order by label rows between unbounded preceding and 1 preceding)) // $chunk as chunk
            from sizes
        )
        select label, size, coalesce(chunk, 0) as chunk from final
        """,
        {"chunk": CLUSTER_CHUNK},
    )
    con.execute(
        "create or replace temp table dedup_new_clusters as select * from (select * from clusters limit 0)"
    )
    chunks = con.execute("select coalesce(max(chunk) + 1, 0) from dedup_components").fetchone()[0]
    for chunk in range(chunks):
        _assign_roles_of_chunk(con, chunk, num_perm)
        release_freed_memory()


def _assign_roles_of_chunk(con: duckdb.DuckDBPyConnection, chunk: int, num_perm: int) -> None:
    """Add the CLUSTER_SCHEMA rows of one chunk of `dedup_components` to `dedup_new_clusters`."""
    members = con.execute(
        """
        select l.article_id, a.published_at, s.body_hash, s.n_words, s.signature
        from dedup_labels l
        join dedup_components c using (label)
        join articles a using (article_id)
        join dedup_signatures s using (article_id)
        where c.chunk = $chunk
        order by l.article_id
        """,
        {"chunk": chunk},
    ).pl()
    if members.is_empty():
        return
    pairs = con.execute(
        """
        select e.a as left_id, e.b as right_id
        from dedup_edges e
        join dedup_labels l on l.article_id = e.a
        join dedup_components c using (label)
        where c.chunk = $chunk and e.a < e.b
        """,
        {"chunk": chunk},
    ).pl()
    signatures = decode_signatures(members["signature"].to_arrow(), num_perm)
    members = members.drop("signature").with_row_index("row")
    rows = assign_roles(members, pairs, signatures).select(CLUSTER_SCHEMA.names())
    with transaction(con, chunk_clusters=rows):
        con.execute("insert into dedup_new_clusters by name select * from chunk_clusters")


def _write_clusters(con: duckdb.DuckDBPyConnection, fingerprint: str, match_settings: str, run_id: str | None) -> dict:
    """Replace the rows of touched and deleted articles (the linked ones, the rest as clusters of one)."""
    with transaction(con):
        con.execute(
            """
            delete from clusters
            where article_id in (select article_id from dedup_touched)
               or article_id in (select article_id from clusters anti join articles using (article_id))
            """
        )
        con.execute("insert into clusters by name select * from dedup_new_clusters")
        con.execute(
            """
            insert into clusters by name
            select article_id as cluster_id, article_id, 'original' as role, 1.0 as similarity,
                   0.0 as changed_share, 0 as words_delta, 1 as cluster_size
            from dedup_touched anti join dedup_new_clusters using (article_id)
            """
        )
        con.execute("delete from dedup_matched where article_id not in (select article_id from dedup_signatures)")
        con.execute(
            """
            insert or replace into dedup_matched by name
            select s.article_id, s.scheme, s.body_hash, a.text_hash, a.published_at
            from dedup_changed c join dedup_signatures s using (article_id) join articles a using (article_id)
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
            insert or replace into dedup_state (name, match_settings, articles, clusters, duplicates, updated_at)
            values (?, ?, ?, ?, ?, now())
            """,
            [STATE_NAME, match_settings, *counts],
        )
        step_state.record(con, STATE_NAME, fingerprint, run_id)
    return dict(zip(("articles", "clusters", "duplicates"), counts, strict=True))
