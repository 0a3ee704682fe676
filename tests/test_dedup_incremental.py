"""Incremental clustering: runs in steps end where clustering everything at once ends, untouched clusters keep their rows."""

import dataclasses
from datetime import UTC, datetime, timedelta

import duckdb
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

import warehouse.dedup as dedup
import warehouse.dedup_clusters as dedup_clusters
from tests.test_dedup_warehouse import DEDUP, batch, clusters_of, hanoi
from warehouse.dedup import cluster_warehouse
from warehouse.load import load_batch
from warehouse.migrations import available_migrations, migrate
from warehouse.models import apply_models

COMPARED = ("clusters", "dedup_pairs", "dedup_matched", "dedup_signatures", "dedup_bands")


WORDLESS = "–– ++ ** // ––– … ––– ** ++ // –– … ––– ** ++ //"  # no words, no bands: exact copies only


def _words(text: str, start: float, stop: float) -> str:
    words = text.split(" ")
    return " ".join(words[int(len(words) * start) : int(len(words) * stop)])


def _pool() -> list[str]:
    """Texts to place in slots: Hanoi stories and their variants, and two halves that each
    match the full dpa story but not each other (removing the story splits its cluster)."""
    texts = {a["id"]: a["text"] for a in hanoi()}
    start = texts["dpa-original"]
    return [
        start, texts["kurier-shortened"], texts["presse-changed-paragraph"], texts["standard-trailer"],
        _words(start, 0.0, 0.7), _words(start, 0.3, 1.0),
        texts["reuters-breakdown"], texts["yonhap-seoul"], texts["kcna-report"], WORDLESS,
    ]  # fmt: skip


POOL = _pool()
DATES = [datetime(2019, 2, 27, 12, tzinfo=UTC) + timedelta(hours=h) for h in (0, 1, 5)] + [None]
SLOTS = [f"slot-{n}" for n in range(6)]


def memory_warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    migrate(con)
    return con


def put(con, slot: str, text: int, date: int, run: str) -> None:
    """The file of `slot` now holds one article (the same article_id, so a replacement when it existed)."""
    published = DATES[date]
    article = {"id": slot, "title": slot, "text": POOL[text], "outlet": "Test", "author": None,
               "published_at": published.isoformat().replace("+00:00", "Z") if published else None}  # fmt: skip
    load_batch(con, batch(f"/in/{slot}.txt", [article]), run)


def remove(con, slot: str, run: str) -> None:
    """The file of `slot` is rewritten without its article."""
    load_batch(con, batch(f"/in/{slot}.txt", []), run)


def table_rows(con) -> dict[str, list]:
    return {table: con.execute(f"select * from {table} order by all").fetchall() for table in COMPARED}


operations = st.one_of(
    st.tuples(st.just("put"), st.sampled_from(SLOTS), st.integers(0, len(POOL) - 1), st.integers(0, len(DATES) - 1)),
    st.tuples(st.just("remove"), st.sampled_from(SLOTS)),
)


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.lists(operations, min_size=1, max_size=4), min_size=1, max_size=4))
def test_clustering_after_every_step_ends_where_clustering_the_final_state_at_once_ends(steps):
    incremental, final = memory_warehouse(), {}
    for number, step in enumerate(steps):
        for operation in step:
            if operation[0] == "put":
                put(incremental, operation[1], operation[2], operation[3], f"run-{number}")
                final[operation[1]] = operation[2:]
            else:
                remove(incremental, operation[1], f"run-{number}")
                final.pop(operation[1], None)
        cluster_warehouse(incremental, DEDUP)
    at_once = memory_warehouse()
    for slot, (text, date) in sorted(final.items()):
        put(at_once, slot, text, date, "run-1")
    cluster_warehouse(at_once, DEDUP)
    assert table_rows(incremental) == table_rows(at_once)
    assert sorted(clusters_of(incremental)) == sorted(final)


def test_removing_the_link_between_two_halves_splits_their_cluster():
    con = memory_warehouse()
    put(con, "full", 0, 0, "run-1")
    put(con, "first-part", 4, 1, "run-1")
    put(con, "last-part", 5, 2, "run-1")
    cluster_warehouse(con, DEDUP)
    assert {cluster for cluster, _ in clusters_of(con).values()} == {"full"}
    remove(con, "full", "run-2")
    cluster_warehouse(con, DEDUP)
    assert clusters_of(con) == {"first-part": ("first-part", "original"), "last-part": ("last-part", "original")}


def test_a_new_date_alone_makes_another_member_the_original():
    con = memory_warehouse()
    put(con, "a", 0, 0, "run-1")
    put(con, "b", 3, 1, "run-1")  # the same story with a trailer: a copy
    cluster_warehouse(con, DEDUP)
    assert clusters_of(con) == {"a": ("a", "original"), "b": ("a", "copy")}
    put(con, "b", 3, 0, "run-2")  # b re-dated to a's time: tie, the smaller id stays original
    cluster_warehouse(con, DEDUP)
    assert clusters_of(con)["a"] == ("a", "original")
    con.execute("update articles set published_at = timestamptz '2019-02-26 00:00:00+00' where article_id = 'b'")
    outcome = cluster_warehouse(con, DEDUP)
    assert outcome["matched"] == 0 and outcome["reclustered"] == 2  # nothing re-signed, one cluster recomputed
    assert clusters_of(con) == {"a": ("b", "copy"), "b": ("b", "original")}


def test_a_later_copy_of_a_text_without_words_joins_it_by_its_text_hash():
    con = memory_warehouse()
    put(con, "first", POOL.index(WORDLESS), 0, "run-1")
    put(con, "story", 0, 0, "run-1")
    cluster_warehouse(con, DEDUP)
    assert con.execute("select count(*) from dedup_bands where article_id = 'first'").fetchone()[0] == 0
    put(con, "second", POOL.index(WORDLESS), 1, "run-2")
    cluster_warehouse(con, DEDUP)
    assert clusters_of(con) == {"first": ("first", "original"), "second": ("first", "copy"), "story": ("story", "original")}


def test_clusters_untouched_by_a_run_keep_their_rows():
    con = memory_warehouse()
    load_batch(con, batch("/in/hanoi.jsonl", hanoi()), "run-1")
    cluster_warehouse(con, DEDUP)
    # Marks no clustering would write: a row rewritten by the next run loses its mark.
    con.execute("update clusters set similarity = -1 where article_id in ('kcna-report', 'sn-copy', 'kurier-shortened')")
    late_copy = {**hanoi("kcna-report")[0], "id": "kcna-late-copy", "published_at": "2019-03-01T08:00:00Z"}
    load_batch(con, batch("/in/late.jsonl", [late_copy]), "run-2")
    outcome = cluster_warehouse(con, DEDUP)
    assert outcome["reclustered"] == 2  # kcna-report and its copy, nothing else
    marks = dict(con.execute("select article_id, similarity from clusters").fetchall())
    assert marks["sn-copy"] == marks["kurier-shortened"] == -1  # the Hanoi start story was not touched
    assert marks["kcna-report"] == 1.0  # recomputed: original of its new cluster
    assert clusters_of(con)["kcna-late-copy"] == ("kcna-report", "copy")
    assert outcome["clusters"] == 5 and outcome["duplicates"] == 6


def test_small_chunks_give_the_same_clusters(monkeypatch):
    """Verification and role assignment a few rows at a time: the same tables as in one piece."""
    articles = hanoi()
    whole = memory_warehouse()
    load_batch(whole, batch("/in/hanoi.jsonl", articles), "run-1")
    cluster_warehouse(whole, DEDUP)
    monkeypatch.setattr(dedup, "MATCH_CHUNK", 2)
    monkeypatch.setattr(dedup, "VERIFY_CHUNK", 3)
    monkeypatch.setattr(dedup, "BACKFILL_CHUNK", 2)
    monkeypatch.setattr(dedup_clusters, "CLUSTER_CHUNK", 2)
    chunked = memory_warehouse()
    load_batch(chunked, batch("/in/hanoi.jsonl", articles, index=False), "run-1")  # signed by the step, 2 at a time
    assert cluster_warehouse(chunked, DEDUP)["signed"] == len(articles)
    assert table_rows(chunked) == table_rows(whole)


def test_a_warehouse_clustered_before_migration_009_is_reclustered_once():
    con = memory_warehouse()
    load_batch(con, batch("/in/hanoi.jsonl", hanoi()), "run-1")
    cluster_warehouse(con, DEDUP)
    before = table_rows(con)
    con.execute("update dedup_matched set text_hash = null, published_at = null")  # as migrated from 003
    con.execute("update step_state set fingerprint = 'from an older newsflow' where step = 'clusters'")
    outcome = cluster_warehouse(con, DEDUP)
    assert (outcome["matched"], outcome["reclustered"]) == (0, len(hanoi()))  # no re-matching, every cluster again
    assert table_rows(con) == before


def test_new_matching_settings_rematch_and_recluster_everything():
    con = memory_warehouse()
    load_batch(con, batch("/in/hanoi.jsonl", hanoi()), "run-1")
    cluster_warehouse(con, DEDUP)
    strict = dataclasses.replace(DEDUP, threshold=0.99)  # updates are no longer near duplicates
    outcome = cluster_warehouse(con, strict)
    assert (outcome["matched"], outcome["reclustered"]) == (len(hanoi()), len(hanoi()))
    roles = clusters_of(con)
    assert roles["kurier-shortened"] == ("kurier-shortened", "original")
    assert roles["standard-trailer"] == ("dpa-original", "copy")  # exact copies stay copies


@pytest.mark.parametrize("size", [1, 40])
def test_label_propagation_finds_components_of_a_long_chain(size):
    """A path of `size` articles linked in a scrambled order is one component labelled by its smallest id."""
    con = memory_warehouse()
    ids = [f"id-{(n * 7919) % 1000:04d}" for n in range(size)]
    con.execute("create temp table dedup_touched as select unnest(?) as article_id", [ids])
    pairs = [(min(a, b), max(a, b)) for a, b in zip(ids, ids[1:])]
    con.execute("create temp table dedup_edges (a varchar, b varchar)")
    for a, b in pairs:
        con.execute("insert into dedup_edges values (?, ?), (?, ?)", [a, b, b, a])
    dedup_clusters._label_components(con)
    labels = dict(con.execute("select article_id, label from dedup_labels").fetchall())
    assert labels == {article: min(ids) for article in ids}


def test_articles_loaded_after_the_last_clustering_count_as_their_exact_text_story():
    con = memory_warehouse()
    load_batch(con, batch("/in/hanoi.jsonl", hanoi()), "run-1")
    cluster_warehouse(con, DEDUP)
    late = [{**hanoi("sn-copy")[0], "id": "aaa-late-copy"}, {**hanoi("kcna-report")[0], "id": "zzz-late-copy"}]
    load_batch(con, batch("/in/late.jsonl", late), "run-2")  # not clustered yet
    apply_models(con)
    stories = dict(con.execute("select article_id, story_id || ' ' || story_method from stg_article_stories").fetchall())
    assert stories["aaa-late-copy"] == "aaa-late-copy exact_text"  # the first article_id with its text: itself
    assert stories["zzz-late-copy"] == "kcna-report exact_text"
    assert stories["sn-copy"] == "dpa-original cluster" and stories["kcna-report"] == "kcna-report cluster"
    assert len(stories) == len(hanoi()) + 2


def test_migration_012_moves_the_skip_fingerprint_to_step_state():
    con = duckdb.connect()
    migrate(con, [m for m in available_migrations() if m.version <= 10])
    con.execute(
        """
        insert into dedup_state (name, fingerprint, match_settings, articles, clusters, duplicates, updated_at)
        values ('clusters', 'f0', 'm0', 3, 2, 1, now())
        """
    )
    migrate(con)
    assert con.execute("select step, fingerprint from step_state").fetchall() == [("clusters", "f0")]
    assert con.execute("select * exclude (updated_at) from dedup_state").fetchall() == [("clusters", "m0", 3, 2, 1)]
