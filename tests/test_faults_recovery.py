"""What a dead run leaves behind is cleaned up by the next one: its `runs` row, half-copied snapshots;
and the damage check on opening costs nothing while newsflow knows the file is whole."""

import fcntl
import os

import duckdb
import pytest

import warehouse.connection as connection
from tests.test_warehouse import make_batch
from warehouse.connection import open_warehouse
from warehouse.load import load_batch
from warehouse.runs import close_abandoned_runs, finish_run, start_run
from warehouse.snapshot import defer_publishing, publish_snapshot, snapshot_path


def test_abandoned_runs_are_failed_with_what_they_committed(db_path):
    with open_warehouse(db_path) as con:
        start_run(con, "r1-done", ["/in"], "cfg", None)
        load_batch(con, make_batch("/in/a.txt", ["erster Text", "zweiter Text"], reject=True), "r1-done")
        finish_run(con, "r1-done", "completed", {"files_changed": 1, "articles": 2, "mentions": 2, "rejects": 1})
        start_run(con, "r2-killed", ["/in"], "cfg", None)
        load_batch(con, make_batch("/in/b.txt", ["dritter Text", "vierter Text", "fünfter Text"]), "r2-killed")
        start_run(con, "r3-killed-early", ["/in"], "cfg", None)  # died before its first commit
        assert close_abandoned_runs(con) == 2
        assert close_abandoned_runs(con) == 0  # nothing left running
        rows = con.execute(
            """
            select run_id, status, error, files_changed, articles, mentions, rejects,
                   finished_at = (select max(processed_at) from files where run_id = runs.run_id) as at_last_commit,
                   finished_at = started_at as at_start
            from runs order by run_id
            """
        ).fetchall()
    killed = "the run stopped without finishing (process killed?)"
    assert rows == [
        ("r1-done", "completed", None, 1, 2, 2, 1, False, False),  # untouched
        ("r2-killed", "failed", killed, 1, 3, 3, 0, True, False),
        ("r3-killed-early", "failed", killed, 0, 0, 0, 0, None, True),
    ]


def test_a_publish_removes_copies_left_by_a_dead_publisher_but_not_a_live_ones(db_path):
    with open_warehouse(db_path) as con:
        con.execute("select 1")
    snapshot = snapshot_path(db_path)
    dead = snapshot.with_name(f".{snapshot.name}.dead1234.tmp")
    dead.write_bytes(b"half a copy")
    live = snapshot.with_name(f".{snapshot.name}.live5678.tmp")
    live.write_bytes(b"being copied")
    fd = os.open(live, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a publisher holds its copy while writing it
        assert publish_snapshot(db_path) == snapshot
        assert not dead.exists() and live.exists()
    finally:
        os.close(fd)
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.endswith(".tmp")) == [live.name]
    with duckdb.connect(str(snapshot), read_only=True) as con:
        assert con.execute("select count(*) from runs").fetchone() == (0,)


@pytest.fixture
def verifications(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = connection.verify_blocks

    def counting(con):
        calls.append("verify")
        real(con)

    monkeypatch.setattr(connection, "verify_blocks", counting)
    return calls


def test_a_writer_reads_every_block_only_when_the_file_changed_behind_newsflows_back(db_path, verifications):
    with defer_publishing(db_path):  # as a run: no snapshot between its connections
        with open_warehouse(db_path) as con:
            load_batch(con, make_batch("/in/a.txt", ["erster Text"]), "r1")
        with open_warehouse(db_path) as con:  # the same run's next connection: this process closed it last
            con.execute("select 1")
    assert verifications == ["verify"]  # only the first open of a new file
    with open_warehouse(db_path) as con:  # the snapshot is current: a later run
        con.execute("select 1")
    assert verifications == ["verify"]

    with duckdb.connect(str(db_path)) as other:  # another tool writes the file
        other.execute("update articles set title = 'geändert'")
    with open_warehouse(db_path) as con:
        assert con.execute("select title from articles").fetchone() == ("geändert",)
    assert verifications == ["verify", "verify"]
