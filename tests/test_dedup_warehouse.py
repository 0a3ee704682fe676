"""Clustering on a real DuckDB warehouse: Hanoi copies and updates, idempotent reruns, incremental matching."""

import dataclasses
import hashlib
import json
from pathlib import Path

import polars as pl
import pytest

from newsflow.settings import load_settings
from transforms.dedup import syndication_children
from transforms.schemas import ARTICLE_SCHEMA, CANONICAL_MENTION_SCHEMA, ENTITY_SCHEMA, REJECT_SCHEMA, conform, empty
from warehouse.connection import open_warehouse
from warehouse.dedup import cluster_warehouse
from warehouse.load import Batch, load_batch
from warehouse.models import apply_models

HANOI = Path(__file__).parent / "fixtures" / "dedup" / "hanoi_articles.json"
DEDUP = load_settings().dedup
SYNDICATION_TABLES = ("dedup_signatures", "dedup_bands", "article_agencies", "clusters", "dedup_pairs", "dedup_matched")


def hanoi(*ids: str) -> list[dict]:
    articles = json.loads(HANOI.read_text(encoding="utf-8"))
    return [a for a in articles if not ids or a["id"] in ids]


def batch(path: str, articles: list[dict], *, index: bool = True) -> Batch:
    frame = conform(
        pl.DataFrame(
            {
                "article_id": [a["id"] for a in articles],
                "source_path": [path] * len(articles),
                "item": [a["id"] for a in articles],
                "title": [a["title"] for a in articles],
                "text": [a["text"] for a in articles],
                "language": ["de"] * len(articles),
                "outlet": [a["outlet"] for a in articles],
                "author": [a["author"] for a in articles],
                "format": ["txt"] * len(articles),
                "text_hash": [hashlib.blake2b(a["text"].encode(), digest_size=16).hexdigest() for a in articles],
                "n_chars": [len(a["text"]) for a in articles],
                "n_words": [len(a["text"].split()) for a in articles],
                "published_at": [a["published_at"] for a in articles],
            },
            schema_overrides={"author": pl.String, "published_at": pl.String},
        ).with_columns(pl.col("published_at").str.to_datetime(time_zone="UTC")),
        ARTICLE_SCHEMA,
    )
    files = pl.DataFrame(
        {"path": [path], "size": [1], "mtime_ns": [1], "content_hash": [path], "status": ["loaded"],
         "articles": [len(articles)], "rejects": [0]}
    )  # fmt: skip
    children = {"mentions": empty(CANONICAL_MENTION_SCHEMA)}
    if index:
        children |= syndication_children(frame, DEDUP)
    return Batch(files, frame, empty(ENTITY_SCHEMA), conform(pl.DataFrame(), REJECT_SCHEMA), children)


def clusters_of(con) -> dict[str, tuple[str, str]]:
    rows = con.execute("select article_id, cluster_id, role from clusters").fetchall()
    return {article: (cluster, role) for article, cluster, role in rows}


def snapshot(con) -> dict[str, list]:
    return {table: con.execute(f"select * from {table} order by all").fetchall() for table in SYNDICATION_TABLES}


@pytest.fixture
def warehouse(db_path):
    with open_warehouse(db_path) as con:
        yield con


def test_hanoi_copies_and_updates_cluster_and_other_stories_do_not(warehouse):
    articles = hanoi()
    load_batch(warehouse, batch("/in/hanoi.jsonl", articles), "run-1")
    outcome = cluster_warehouse(warehouse, DEDUP)
    assert outcome["changed"] is True
    clusters = clusters_of(warehouse)
    for article in articles:
        expected_cluster = "dpa-original" if article["story"] == "start" else article["id"]
        assert clusters[article["id"]] == (expected_cluster, article["role"]), article["id"]
    assert outcome["clusters"] == 5  # the start of the summit, its end, Seoul, Vietnam as host, KCNA
    assert outcome["duplicates"] == 5

    updates = warehouse.execute(
        "select article_id, similarity, changed_share, words_delta from clusters where role = 'update' order by article_id"
    ).fetchall()
    (shortened, s_sim, s_change, s_delta), (changed, c_sim, c_change, c_delta) = updates
    assert (shortened, changed) == ("kurier-shortened", "presse-changed-paragraph")
    assert s_delta < -15 and c_sim < s_sim < 1 and c_change == pytest.approx(1 - c_sim)
    assert abs(c_delta) < 10  # a paragraph swapped for one of similar length


def test_rerun_with_nothing_new_changes_nothing(warehouse):
    load_batch(warehouse, batch("/in/hanoi.jsonl", hanoi()), "run-1")
    cluster_warehouse(warehouse, DEDUP)
    before = snapshot(warehouse)
    assert cluster_warehouse(warehouse, DEDUP) == {"signed": 0, "changed": False}
    assert snapshot(warehouse) == before
    warehouse.execute("delete from dedup_state")  # force a full recomputation: the same rows again
    warehouse.execute("delete from step_state where step = 'clusters'")
    assert cluster_warehouse(warehouse, DEDUP)["changed"] is True
    assert snapshot(warehouse) == before


def test_new_articles_match_the_index_without_old_texts(warehouse):
    load_batch(warehouse, batch("/in/monday.txt", hanoi("dpa-original", "kcna-report")), "run-1")
    cluster_warehouse(warehouse, DEDUP)
    # The old texts become unreadable; only their signatures and bands remain to match against.
    warehouse.execute("update articles set text = '' where source_path = '/in/monday.txt'")
    load_batch(warehouse, batch("/in/tuesday.txt", hanoi("standard-trailer", "presse-changed-paragraph")), "run-2")
    outcome = cluster_warehouse(warehouse, DEDUP)
    assert (outcome["signed"], outcome["matched"]) == (0, 2)  # only the new articles are matched
    clusters = clusters_of(warehouse)
    assert clusters["standard-trailer"] == ("dpa-original", "copy")
    assert clusters["presse-changed-paragraph"] == ("dpa-original", "update")
    assert clusters["kcna-report"] == ("kcna-report", "original")


def test_runs_in_steps_end_where_one_run_ends(db_path, tmp_path):
    articles = hanoi()
    with open_warehouse(db_path) as con:
        for number, start in enumerate(range(0, len(articles), 3)):
            load_batch(con, batch(f"/in/part-{number}.jsonl", articles[start : start + 3]), f"run-{number}")
            cluster_warehouse(con, DEDUP)
        in_steps = snapshot(con)
    with open_warehouse(tmp_path / "at-once.duckdb") as con:
        for number, start in enumerate(range(0, len(articles), 3)):
            load_batch(con, batch(f"/in/part-{number}.jsonl", articles[start : start + 3]), "run-1")
        cluster_warehouse(con, DEDUP)
        assert snapshot(con) == in_steps


def test_an_earlier_copy_arriving_later_becomes_the_original(warehouse):
    later, earlier = hanoi("sn-copy")[0], {**hanoi("dpa-original")[0], "published_at": "2019-02-27T11:00:00Z"}
    load_batch(warehouse, batch("/in/a.txt", [later]), "run-1")
    load_batch(warehouse, batch("/in/b.txt", [earlier]), "run-2")
    cluster_warehouse(warehouse, DEDUP)
    assert clusters_of(warehouse) == {"dpa-original": ("dpa-original", "original"), "sn-copy": ("dpa-original", "copy")}


def test_articles_loaded_without_an_index_are_signed_by_the_step(warehouse):
    articles = hanoi("dpa-original", "kleine-new-headline", "yonhap-seoul")
    load_batch(warehouse, batch("/in/old.jsonl", articles, index=False), "run-1")
    outcome = cluster_warehouse(warehouse, DEDUP)
    assert outcome["signed"] == 3
    assert clusters_of(warehouse)["kleine-new-headline"] == ("dpa-original", "copy")
    credits = warehouse.execute("select article_id, agency, kind from article_agencies order by all").fetchall()
    assert ("yonhap-seoul", "Yonhap", "dateline") in credits


def test_new_settings_resign_every_article_from_its_text(warehouse):
    load_batch(warehouse, batch("/in/hanoi.jsonl", hanoi("dpa-original", "kurier-shortened")), "run-1")
    cluster_warehouse(warehouse, DEDUP)
    finer = dataclasses.replace(DEDUP, shingle_size=4, num_perm=120, bands=30, rows=4)
    outcome = cluster_warehouse(warehouse, finer)
    assert outcome["signed"] == 2 and outcome["changed"] is True
    schemes = {row[0] for row in warehouse.execute("select scheme from dedup_signatures").fetchall()}
    assert len(schemes) == 1 and schemes.pop().startswith("v1-w4-p120-b30x4")
    assert warehouse.execute("select count(*) from dedup_bands").fetchone()[0] == 2 * 30
    assert clusters_of(warehouse)["kurier-shortened"] == ("dpa-original", "update")


def test_a_replaced_article_leaves_its_cluster(warehouse):
    load_batch(warehouse, batch("/in/a.txt", hanoi("dpa-original")), "run-1")
    load_batch(warehouse, batch("/in/b.txt", hanoi("sn-copy")), "run-1")
    cluster_warehouse(warehouse, DEDUP)
    assert clusters_of(warehouse)["sn-copy"] == ("dpa-original", "copy")
    rewritten = {**hanoi("sn-copy")[0], "text": hanoi("yonhap-seoul")[0]["text"]}
    load_batch(warehouse, batch("/in/b.txt", [rewritten]), "run-2")
    cluster_warehouse(warehouse, DEDUP)
    assert clusters_of(warehouse) == {"dpa-original": ("dpa-original", "original"), "sn-copy": ("sn-copy", "original")}


def test_views_count_distinct_stories_next_to_articles(warehouse):
    load_batch(warehouse, batch("/in/hanoi.jsonl", hanoi()), "run-1")
    cluster_warehouse(warehouse, DEDUP)
    mentions = pl.DataFrame(
        {"article_id": [a["id"] for a in hanoi()], "start_char": 0, "end_char": 5, "text": "Kim J", "label": "PER",
         "entity_id": "kim-jong-un", "source": "kb"}
    )  # fmt: skip
    warehouse.register("new_mentions", conform(mentions, CANONICAL_MENTION_SCHEMA).to_arrow())
    warehouse.execute("insert into mentions by name select * exclude (kb_id, preceding_word) from new_mentions")
    warehouse.execute(
        "insert into entities by name select 'kim-jong-un' as entity_id, 'Kim Jong Un' as canonical_name, 'PER' as type, 'kb' as source"
    )
    applied = apply_models(warehouse)
    assert {"30_mart_syndication_articles", "32_mart_outlet_story_counts", "33_mart_entity_story_counts"} <= set(applied.applied)

    entity = warehouse.execute("select articles, distinct_stories from mart_entity_story_counts").fetchall()
    assert entity == [(10, 5)]
    stories = warehouse.execute(
        "select articles, copies, updates, outlets, agencies from mart_syndication_stories where cluster_id = 'dpa-original'"
    ).fetchone()
    assert stories == (6, 3, 2, 6, ["APA", "dpa"])
    outlets = dict(warehouse.execute("select outlet, distinct_stories from mart_outlet_story_counts").fetchall())
    assert outlets["Kurier"] == 1
    agency = warehouse.execute(
        "select outlet, articles from mart_agency_outlet_counts where agency = 'APA' order by outlet"
    ).fetchall()
    assert agency == [("Die Presse", 1), ("Tiroler Tageszeitung", 1), ("derStandard.at", 1)]


def test_summit_view_counts_distinct_stories(warehouse):
    load_batch(warehouse, batch("/in/hanoi.jsonl", hanoi()), "run-1")
    cluster_warehouse(warehouse, DEDUP)
    present = {r[0] for r in warehouse.execute("select table_name from duckdb_tables()").fetchall()}
    if not {"article_summits", "summits"} <= present:
        applied = apply_models(warehouse)
        assert "35_mart_summit_story_counts" in applied.skipped  # waits for the summits stage, other views still apply
        return
    warehouse.execute(
        "insert into summits by name select 'hanoi-2019' as summit_id, 'Hanoi 2019' as name, date '2019-02-27' as start_date,"
        " date '2019-02-28' as end_date, ['Hanoi'] as places, ['Q22686'] as participants,"
        " date '2019-02-20' as coverage_start, date '2019-03-07' as coverage_end"
    )
    warehouse.execute(
        "insert into article_summits by name select article_id, 'hanoi-2019' as summit_id, 1.0 as score,"
        " ['test'] as evidence from articles"
    )
    assert "35_mart_summit_story_counts" in apply_models(warehouse).applied
    row = warehouse.execute("select articles, distinct_stories, copies, updates from mart_summit_story_counts").fetchone()
    assert row == (10, 5, 3, 2)


def test_every_syndication_table_view_and_column_is_commented(warehouse):
    apply_models(warehouse)
    names = [
        "dedup_signatures", "dedup_bands", "dedup_pairs", "dedup_matched", "clusters", "article_agencies", "dedup_state",
        "mart_syndication_articles", "mart_syndication_stories", "mart_outlet_story_counts", "mart_entity_story_counts",
        "mart_agency_outlet_counts", "mart_summit_story_counts",
    ]  # fmt: skip
    uncommented = warehouse.execute(
        """
        select table_name from duckdb_tables() where table_name in (select unnest($names)) and comment is null
        union all
        select view_name from duckdb_views() where view_name in (select unnest($names)) and comment is null
        union all
        select table_name || '.' || column_name from duckdb_columns()
        where table_name in (select unnest($names)) and comment is null
        """,
        {"names": names},
    ).fetchall()
    assert uncommented == []
    present = {r[0] for r in warehouse.execute("select table_name from duckdb_tables() union select view_name from duckdb_views()").fetchall()}
    assert set(names) - {"mart_summit_story_counts"} <= present
