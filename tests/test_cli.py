"""The `newsflow` command: exit codes and messages."""

import json
import subprocess
import sys

import pytest

from newsflow.cli import main
from tests.test_warehouse import make_batch
from warehouse.connection import open_warehouse
from warehouse.load import load_batch


@pytest.fixture
def loaded_db(db_path):
    with open_warehouse(db_path) as con:
        load_batch(con, make_batch("/a.txt", ["Trump in Hanoi", "Kim in Hanoi"], reject=True), "run-1")
        con.execute(
            "insert into runs (run_id, started_at, finished_at, status, inputs, config_hash)"
            " values ('run-1', now() - interval 5 second, now(), 'completed', '[]', 'abc')"
        )
    return db_path


def test_help_lists_the_commands():
    result = subprocess.run([sys.executable, "-m", "newsflow.cli", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for command in ("run", "sql", "status"):
        assert command in result.stdout


def test_sql_prints_json_and_csv(loaded_db, capsys):
    assert main(["sql", "--db", str(loaded_db), "--format", "json", "select text from articles order by text"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"text": "Kim in Hanoi"}, {"text": "Trump in Hanoi"}]
    assert main(["sql", "--db", str(loaded_db), "--format", "csv", "select count(*) as n from articles"]) == 0
    assert capsys.readouterr().out == "n\n2\n"


def test_sql_table_shows_intervals_and_row_count(loaded_db, capsys):
    assert main(["sql", "--db", str(loaded_db), "select run_id, finished_at - started_at as took from runs"]) == 0
    out = capsys.readouterr().out
    assert "run-1" in out and "00:00:05" in out and "(1 row)" in out


def test_sql_refuses_writes_with_exit_1(loaded_db, capsys):
    assert main(["sql", "--db", str(loaded_db), "delete from articles"]) == 1
    err = capsys.readouterr().err
    assert "read-only" in err and "DELETE statement is refused" in err and "fix:" in err


def test_status_shows_counts_runs_and_rejects(loaded_db, capsys):
    assert main(["status", "--db", str(loaded_db)]) == 0
    out = capsys.readouterr().out
    assert "articles" in out and "run-1" in out and "invalid_json" in out


def test_status_tells_a_live_run_from_one_that_died(loaded_db, capsys):
    from warehouse.lock import run_lock

    with open_warehouse(loaded_db) as con:
        con.execute(
            "insert into runs (run_id, started_at, status, inputs, config_hash)"
            " values ('run-2', now(), 'running', '[]', 'abc')"
        )
    with run_lock(loaded_db, wait_seconds=0):  # a live run holds the lock
        assert main(["status", "--db", str(loaded_db)]) == 0
        assert "running" in capsys.readouterr().out
    assert main(["status", "--db", str(loaded_db)]) == 0  # nobody holds it: the run's process is gone
    out = capsys.readouterr().out
    assert "stopped" in out and "running" not in out


def test_missing_warehouse_is_exit_1_with_a_fix(tmp_path, capsys):
    assert main(["status", "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "no warehouse at" in capsys.readouterr().err


def test_bad_config_is_exit_1_naming_the_key(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[warehouse]\npaht = 'x'\n")
    assert main(["status", "--config", str(bad)]) == 1
    assert "unknown config key 'warehouse.paht'" in capsys.readouterr().err


def test_unknown_command_is_a_usage_error():
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_run_command_prints_the_summary(tmp_path, capsys):
    from tests.conftest import SEED_FILE

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / SEED_FILE.name).write_bytes(SEED_FILE.read_bytes())
    (inbox / "empty.txt").write_bytes(b"")
    assert main(["run", str(inbox), "--db", str(tmp_path / "w.duckdb")]) == 0
    out = capsys.readouterr().out
    assert "completed" in out and "articles loaded: 1" in out and "rejects: 1" in out
    assert "Donald Trump" in out and "empty" in out


def test_output_cut_short_by_the_reader_is_not_an_error(loaded_db):
    """`newsflow sql … | head -1`: the pipe closes early; no traceback, exit 0."""
    command = [sys.executable, "-m", "newsflow.cli", "sql", "--db", str(loaded_db), "--max-rows", "100000", "select * from range(100000)"]
    producer = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    producer.stdout.readline()
    producer.stdout.close()  # the reader goes away
    stderr = producer.stderr.read().decode()
    assert producer.wait(timeout=60) == 0
    assert "Traceback" not in stderr
