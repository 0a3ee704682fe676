"""Analysts query while a run loads: every query succeeds, sees only committed batches, never blocks the writer.

A real multi-process test: one process loads many batches (each its own
transaction, as `build_corpus` does) under the run lock; two other processes
query in a loop through `open_reader` (what `newsflow sql/search/query/export/
report` use) and record what they saw.
"""

import multiprocessing
import time

import pytest

from tests.analyst_data import analyst_batch, build_analyst_warehouse

BATCHES, PER_BATCH = 15, 20
BASE_ARTICLES, BASE_MENTIONS, BASE_FILES = 5, 12, 1


def _batch_rows(number: int) -> list[tuple]:
    return [
        (str(i), "Spiegel", "de", 27, f"Meldung {number}-{i}", f"Meldung {number}-{i}: Donald Trump spricht in Hanoi über den Gipfel.",
         [("Donald Trump", "PER:donald-trump", None)])
        for i in range(PER_BATCH)
    ]  # fmt: skip


def _load(db_path, started, results) -> None:
    from newsflow.errors import WarehouseBusyError
    from warehouse import connection
    from warehouse.load import load_batch
    from warehouse.lock import run_lock

    conflicts = []  # every time the writer found the file held by another process
    connect = connection._connect

    def counting_connect(*args, **kwargs):
        try:
            return connect(*args, **kwargs)
        except WarehouseBusyError:
            conflicts.append(time.perf_counter())
            raise

    connection._connect = counting_connect
    waits = []
    with run_lock(db_path, wait_seconds=5):
        started.set()
        for number in range(BATCHES):
            batch = analyst_batch(f"/inbox/batch-{number:03d}.jsonl", _batch_rows(number), reject=False)
            asked = time.perf_counter()
            with connection.open_warehouse(db_path, timeout_seconds=30.0) as con:
                waits.append(time.perf_counter() - asked)
                load_batch(con, batch, "run-long")
            time.sleep(0.02)  # the next batch's read and NLP would happen here
    results.put(("writer", waits, conflicts))


def _query(db_path, done, results) -> None:
    from warehouse.fts import search_articles
    from warehouse.query import run_query
    from warehouse.snapshot import open_reader

    seen, errors, latencies = [], [], []
    while True:
        finished = done.is_set()
        asked = time.perf_counter()
        try:
            with open_reader(db_path, timeout_seconds=5.0) as con:
                counts = run_query(
                    con,
                    "select (select count(*) from articles) as a, (select count(*) from mentions) as m,"
                    " (select count(*) from files) as f",
                ).row(0)
                hits = search_articles(con, "Gipfel abgebrochen", limit=50).height
            seen.append((*counts, hits))
            latencies.append(time.perf_counter() - asked)
        except Exception as error:  # recorded and asserted on: any failure fails the test
            errors.append(f"{type(error).__name__}: {error}")
        if finished:
            break
    results.put(("reader", seen, errors, latencies))


@pytest.mark.slow
def test_queries_during_a_long_load_see_only_committed_batches_and_never_block_it(db_path):
    build_analyst_warehouse(db_path)  # 5 articles with a search index, as after an earlier run
    context = multiprocessing.get_context("spawn")  # DuckDB and fork do not mix
    started, done, results = context.Event(), context.Event(), context.Queue()
    writer = context.Process(target=_load, args=(db_path, started, results))
    readers = [context.Process(target=_query, args=(db_path, done, results)) for _ in range(2)]
    writer.start()
    assert started.wait(60)
    for reader in readers:
        reader.start()
    writer.join(300)
    done.set()
    for reader in readers:
        reader.join(120)
    outcomes = [results.get(timeout=10) for _ in range(3)]
    assert writer.exitcode == 0
    [(_, waits, conflicts)] = [o for o in outcomes if o[0] == "writer"]
    assert len(waits) == BATCHES and conflicts == []  # no reader ever kept the writer out, not even once
    for _, seen, errors, latencies in (o for o in outcomes if o[0] == "reader"):
        print(f"reader: {len(seen)} queries, p50 {sorted(latencies)[len(latencies) // 2]:.3f} s, max {max(latencies):.3f} s; writer open p50 {sorted(waits)[len(waits) // 2]:.3f} s")
        assert errors == []
        assert len(seen) >= 5
        batches_seen = []
        for articles, mentions, files, hits in seen:
            loaded, partial = divmod(articles - BASE_ARTICLES, PER_BATCH)
            assert partial == 0, (articles, mentions, files)  # never half a batch
            assert mentions == BASE_MENTIONS + loaded * PER_BATCH and files == BASE_FILES + loaded
            assert hits == 3  # the index built before the load keeps answering
            batches_seen.append(loaded)
        assert batches_seen == sorted(batches_seen)  # monotonic: never an older state after a newer one
        assert batches_seen[-1] == BATCHES  # the last query (after the load) sees everything
        assert len(set(batches_seen)) >= 3  # and queries ran while the load was going


def _database_file(con) -> str:
    return con.execute("select file from pragma_database_list where name = current_database()").fetchone()[0]


def test_readers_use_the_snapshot_only_while_it_is_current(db_path):
    import duckdb

    from warehouse.snapshot import is_current, open_reader, snapshot_path

    build_analyst_warehouse(db_path)
    assert is_current(db_path)
    with open_reader(db_path) as con:
        assert _database_file(con) == str(snapshot_path(db_path))
    with duckdb.connect(str(db_path)) as con:  # a change made outside newsflow
        con.execute("delete from rejects")
    assert not is_current(db_path)
    with open_reader(db_path) as con:
        assert _database_file(con) == str(db_path)  # the live file, not the stale copy
        assert con.execute("select count(*) from rejects").fetchone()[0] == 0
    assert is_current(db_path)  # and the reader republished it
    with open_reader(db_path) as con:
        assert con.execute("select count(*) from rejects").fetchone()[0] == 0


def test_a_failed_publish_withdraws_the_stale_snapshot(db_path, monkeypatch, caplog):
    from warehouse import snapshot
    from warehouse.connection import open_warehouse

    build_analyst_warehouse(db_path)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(snapshot.shutil, "copyfile", disk_full)
    with open_warehouse(db_path) as con:  # the write commits; only the copy fails
        con.execute("delete from rejects")
    assert not snapshot.snapshot_path(db_path).exists()
    assert "could not publish the read snapshot" in caplog.text
    assert not [p for p in db_path.parent.iterdir() if p.name.endswith(".tmp")]
    with snapshot.open_reader(db_path) as con:
        assert con.execute("select count(*) from rejects").fetchone()[0] == 0


def test_a_run_publishes_on_its_interval_and_at_its_end_not_at_every_connection(db_path):
    import duckdb

    from warehouse.connection import open_warehouse
    from warehouse.snapshot import SnapshotPublisher, defer_publishing, is_current, snapshot_path

    build_analyst_warehouse(db_path)
    rejects_before = _count(snapshot_path(db_path), "rejects")
    assert rejects_before > 0
    with defer_publishing(db_path):
        with open_warehouse(db_path) as con:
            con.execute("delete from rejects")
        assert not is_current(db_path)  # the connection closed without copying the file
        assert _count(snapshot_path(db_path), "rejects") == rejects_before
        with open_warehouse(db_path) as con:
            assert not SnapshotPublisher(db_path, interval_seconds=3600).after_commit(con)
            assert SnapshotPublisher(db_path, interval_seconds=0).after_commit(con)  # due: checkpoint and copy
            assert is_current(db_path) and _count(snapshot_path(db_path), "rejects") == 0
            con.execute("delete from files")
    assert is_current(db_path)  # the end of the span published the last state
    assert _count(snapshot_path(db_path), "files") == 0
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute("select count(*) from rejects").fetchone()[0] == 0


def _count(path, table: str) -> int:
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(f"select count(*) from {table}").fetchone()[0]
