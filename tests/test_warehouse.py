"""The warehouse on real DuckDB files: migrations, idempotent loads, read-only SQL, locks."""

import multiprocessing
from datetime import UTC, datetime

import duckdb
import polars as pl
import pytest

from newsflow.errors import ReadOnlyQueryError, WarehouseBusyError, WarehouseError
from transforms.ingest import ledger_rows
from transforms.schemas import ARTICLE_SCHEMA, CANONICAL_MENTION_SCHEMA, ENTITY_SCHEMA, REJECT_SCHEMA, conform
from warehouse.connection import open_warehouse
from warehouse.load import Batch, load_batch
from warehouse.lock import run_lock
from warehouse.migrations import available_migrations, migrate, schema_version
from warehouse.query import run_query, warehouse_status

TABLES = ("articles", "mentions", "entities", "rejects", "files")


def make_batch(path: str, texts: list[str], reject: bool = False) -> Batch:
    articles = conform(
        pl.DataFrame(
            {
                "article_id": [f"{path}#{i}" for i in range(len(texts))],
                "source_path": [path] * len(texts),
                "item": [str(i) for i in range(len(texts))],
                "text": texts,
                "language": ["de"] * len(texts),
                "format": ["txt"] * len(texts),
                "text_hash": [f"h{t}" for t in texts],
                "n_chars": [len(t) for t in texts],
                "n_words": [len(t.split()) for t in texts],
                "published_at": [datetime(2019, 2, 27, 9, tzinfo=UTC)] * len(texts),
            }
        ),
        ARTICLE_SCHEMA,
    )
    mentions = conform(
        pl.DataFrame(
            {
                "article_id": [f"{path}#{i}" for i in range(len(texts))],
                "start_char": [0] * len(texts),
                "end_char": [5] * len(texts),
                "text": [t[:5] for t in texts],
                "label": ["PER"] * len(texts),
                "entity_id": ["donald-trump"] * len(texts),
                "source": ["kb"] * len(texts),
            }
        ),
        CANONICAL_MENTION_SCHEMA,
    )
    entities = conform(
        pl.DataFrame({"entity_id": ["donald-trump"], "canonical_name": ["Donald Trump"], "type": ["PER"], "source": ["kb"]}),
        ENTITY_SCHEMA,
    )
    rejects = conform(
        pl.DataFrame({"path": [path], "item": ["L9"], "stage": ["read"], "reason": ["invalid_json"], "detail": ["x"]}),
        REJECT_SCHEMA,
    ) if reject else conform(pl.DataFrame(), REJECT_SCHEMA)
    files = pl.DataFrame({"path": [path], "size": [10], "mtime_ns": [1], "content_hash": [f"hash-{len(texts)}"]})
    return Batch(ledger_rows(files, articles, rejects), articles, entities, rejects, {"mentions": mentions})


def snapshot(con) -> dict[str, list]:
    return {
        "articles": con.execute("select * exclude (run_id) from articles order by all").fetchall(),
        "mentions": con.execute("select * from mentions order by all").fetchall(),
        "entities": con.execute("select * from entities order by all").fetchall(),
    }


def test_migrations_create_every_table_and_are_recorded(db_path):
    with open_warehouse(db_path) as con:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        assert {"files", "articles", "mentions", "entities", "rejects", "runs", "schema_migrations"} <= tables
        assert schema_version(con) == max(m.version for m in available_migrations())
        assert migrate(con) == []  # nothing pending the second time
        uncommented = con.execute(
            "select table_name, column_name from duckdb_columns() where comment is null and table_name in ?",
            [list(TABLES)],
        ).fetchall()
        assert uncommented == []


def test_load_is_idempotent_and_a_changed_file_replaces_only_its_rows(db_path):
    with open_warehouse(db_path) as con:
        load_batch(con, make_batch("/a.txt", ["Trump in Hanoi", "Kim in Hanoi"]), "run-1")
        load_batch(con, make_batch("/b.txt", ["Other story"], reject=True), "run-1")
        first = snapshot(con)
        load_batch(con, make_batch("/a.txt", ["Trump in Hanoi", "Kim in Hanoi"]), "run-2")
        assert snapshot(con) == first
        load_batch(con, make_batch("/a.txt", ["Trump alone"]), "run-3")
        rows = con.execute("select source_path, text from articles order by all").fetchall()
        assert rows == [("/a.txt", "Trump alone"), ("/b.txt", "Other story")]
        assert con.execute("select count(*) from mentions").fetchone()[0] == 2
        files = con.execute("select path, status, articles, rejects, run_id from files order by path").fetchall()
        assert files == [("/a.txt", "loaded", 1, 0, "run-3"), ("/b.txt", "partial", 1, 1, "run-1")]


def test_a_failing_load_leaves_nothing_half_written(db_path):
    with open_warehouse(db_path) as con:
        load_batch(con, make_batch("/a.txt", ["first version"]), "run-1")
        before = snapshot(con)
        broken = make_batch("/a.txt", ["second version"])
        bad_mentions = broken.mentions.with_columns(label=pl.lit(None, pl.String))  # violates NOT NULL
        with pytest.raises(duckdb.ConstraintException):
            load_batch(con, Batch(broken.files, broken.articles, broken.entities, broken.rejects, {"mentions": bad_mentions}), "run-2")
        assert snapshot(con) == before


def test_child_tables_must_be_registered(db_path):
    batch = make_batch("/a.txt", ["x"])
    with open_warehouse(db_path) as con:
        with pytest.raises(ValueError, match="not article child tables"):
            load_batch(con, Batch(batch.files, batch.articles, batch.entities, batch.rejects, {"nope": batch.mentions}), "r")


def test_sql_is_read_only(db_path):
    with open_warehouse(db_path) as con:
        load_batch(con, make_batch("/a.txt", ["Trump in Hanoi"]), "run-1")
    with open_warehouse(db_path, read_only=True) as con:
        assert run_query(con, "select count(*) as n from articles")["n"].to_list() == [1]
        assert run_query(con, "select text from articles where source_path = ?", ["/a.txt"]).height == 1
        for statement in ("delete from articles", "copy articles to '/tmp/x.csv'", "attach 'x.db'", "set threads = 1", "drop table articles"):
            with pytest.raises(ReadOnlyQueryError, match="read-only"):
                run_query(con, statement)
        with pytest.raises(ReadOnlyQueryError, match="failed"):
            run_query(con, "select nope from articles")


def test_status_counts_tables(db_path):
    with open_warehouse(db_path) as con:
        load_batch(con, make_batch("/a.txt", ["x", "y"], reject=True), "run-1")
    with open_warehouse(db_path, read_only=True) as con:
        status = warehouse_status(con)
    counts = dict(status.table_counts.iter_rows())
    assert counts["articles"] == 2 and counts["rejects"] == 1 and counts["runs"] == 0
    assert status.rejects_by_reason.to_dicts() == [{"stage": "read", "reason": "invalid_json", "rejects": 1}]


def test_a_corrupt_file_is_reported_and_never_overwritten(db_path):
    db_path.parent.mkdir(parents=True)
    garbage = b"this is not a duckdb file" * 100
    db_path.write_bytes(garbage)
    with pytest.raises(WarehouseError, match="not a readable DuckDB database"):
        with open_warehouse(db_path):
            pass
    assert db_path.read_bytes() == garbage


def test_a_warehouse_newer_than_the_code_is_refused(db_path):
    with open_warehouse(db_path) as con:
        con.execute("insert into schema_migrations values (999, 'from_the_future', now())")
    with pytest.raises(WarehouseError, match="newer than this newsflow"):
        with open_warehouse(db_path):
            pass


def test_missing_warehouse_for_reading_is_a_clear_error(tmp_path):
    with pytest.raises(WarehouseError, match="no warehouse at"):
        with open_warehouse(tmp_path / "none.duckdb", read_only=True):
            pass


def _hold_lock(db_path, ready, release):
    with run_lock(db_path, wait_seconds=0):
        ready.set()
        release.wait(10)


def test_second_writer_gets_a_clear_message(db_path):
    ready, release = multiprocessing.Event(), multiprocessing.Event()
    holder = multiprocessing.Process(target=_hold_lock, args=(db_path, ready, release))
    holder.start()
    try:
        assert ready.wait(10)
        with pytest.raises(WarehouseBusyError, match="another run is writing"):
            with run_lock(db_path, wait_seconds=0.3):
                pass
    finally:
        release.set()
        holder.join(10)
    with run_lock(db_path, wait_seconds=1):  # released when the holder ended
        pass


def _hold_connection(db_path, ready, release):
    with open_warehouse(db_path):
        ready.set()
        release.wait(10)


def test_readers_wait_for_a_busy_file_then_get_in(db_path):
    with open_warehouse(db_path):
        pass
    ready, release = multiprocessing.Event(), multiprocessing.Event()
    holder = multiprocessing.Process(target=_hold_connection, args=(db_path, ready, release))
    holder.start()
    try:
        assert ready.wait(10)
        with pytest.raises(WarehouseBusyError, match="stayed busy"):
            with open_warehouse(db_path, read_only=True, timeout_seconds=0.3):
                pass
        release.set()
        with open_warehouse(db_path, read_only=True, timeout_seconds=10) as con:
            assert con.execute("select count(*) from articles").fetchone()[0] == 0
    finally:
        release.set()
        holder.join(10)
