"""A damaged warehouse file (garbage, zero bytes, truncated, failing checksums) stops `newsflow run`, `sql`
and `status` with a clear error and is never written, and no read snapshot is published from it; a damaged
read snapshot never stops readers: they read the warehouse itself and publish a whole snapshot again."""

import hashlib
import os
import random
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from newsflow.cli import main
from newsflow.errors import WarehouseDamagedError
from tests.analyst_data import build_analyst_warehouse
from tests.conftest import SEED_FILE
from warehouse.connection import open_warehouse
from warehouse.lock import run_lock
from warehouse.snapshot import is_current, snapshot_path

ARTICLES = 5  # what build_analyst_warehouse loads


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def garbage(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(64 * 1024))


def zero_bytes(path: Path) -> None:
    path.write_bytes(b"")


def truncated_to_half(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def header_only(path: Path) -> None:
    os.truncate(path, 4096)


def flipped_byte_in_article_text(path: Path) -> None:
    """Bit rot in a data block: the file opens and counts, but the articles' text fails its checksum when read."""
    with duckdb.connect(str(path), read_only=True) as con:
        block_size = con.execute("select block_size from pragma_database_size()").fetchone()[0]
        block = con.execute(
            "select min(block_id) from pragma_storage_info('articles') where column_name = 'text' and block_id >= 0"
        ).fetchone()[0]
    offset = 3 * 4096 + block * block_size + 100  # past the block's checksum
    with open(path, "r+b") as file:
        file.seek(offset)
        byte = file.read(1)
        file.seek(offset)
        file.write(bytes([byte[0] ^ 0xFF]))


DAMAGES: list[Callable[[Path], None]] = [
    garbage, zero_bytes, truncated_to_half, header_only, flipped_byte_in_article_text,
]  # fmt: skip
READERS = [
    ["sql", "select count(*) from articles"],
    ["sql", "select title, text from articles order by all"],
    ["status"],
]


@pytest.fixture
def damaged_warehouse(db_path: Path, request) -> Path:
    """A real warehouse with a published (whole) read snapshot, then damaged in place."""
    build_analyst_warehouse(db_path)
    assert is_current(db_path)
    request.param(db_path)
    return db_path


def assert_untouched(db: Path, before: dict[Path, str]) -> None:
    after = {path: digest(path) for path in db.parent.iterdir() if path.name != f"{db.name}.lock"}
    assert after == before  # same files, same bytes: the warehouse and the older snapshot


def assert_clear_damage_error(err: str, db: Path) -> None:
    assert f"[NF211] warehouse {db} is damaged" in err, err
    assert "fix: newsflow left the file as it is; restore it from a backup" in err
    assert f"{snapshot_path(db)} is the copy readers saw last" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("damaged_warehouse", DAMAGES, indirect=True, ids=lambda damage: damage.__name__)
@pytest.mark.parametrize("command", READERS, ids=lambda command: "-".join(command)[:24])
def test_readers_refuse_a_damaged_warehouse_and_leave_it_and_its_snapshot_alone(damaged_warehouse, command, capsys):
    db = damaged_warehouse
    before = {path: digest(path) for path in db.parent.iterdir() if path.name != f"{db.name}.lock"}
    assert main([command[0], "--db", str(db), *command[1:]]) == 1
    captured = capsys.readouterr()
    assert_clear_damage_error(captured.err, db)
    assert captured.out == ""
    assert_untouched(db, before)


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
@pytest.mark.parametrize("damaged_warehouse", DAMAGES, indirect=True, ids=lambda damage: damage.__name__)
def test_a_run_refuses_a_damaged_warehouse_without_writing_to_it(damaged_warehouse, tmp_path, capsys):
    db = damaged_warehouse
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    inbox.joinpath(SEED_FILE.name).write_bytes(SEED_FILE.read_bytes())
    before = {path: digest(path) for path in db.parent.iterdir() if path.name != f"{db.name}.lock"}
    assert main(["run", str(inbox), "--db", str(db), "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert_clear_damage_error(err.rsplit("newsflow: ", 1)[-1], db)  # the CLI's last word, after Prefect's log
    assert_untouched(db, before)


def test_a_new_warehouse_is_not_mistaken_for_a_damaged_one(db_path):
    with open_warehouse(db_path) as con:
        assert con.execute("select count(*) from articles").fetchone() == (0,)
    with open_warehouse(db_path, read_only=True) as con:
        assert con.execute("select count(*) from articles").fetchone() == (0,)


def test_damage_found_while_querying_is_reported_as_damage(db_path):
    build_analyst_warehouse(db_path)
    flipped_byte_in_article_text(db_path)
    with pytest.raises(WarehouseDamagedError, match=r"is damaged: .*checksum") as error:
        with open_warehouse(db_path, read_only=True) as con:
            con.execute("select * from articles").fetchall()
    assert error.value.code == "NF211"


# --- a damaged read snapshot -----------------------------------------------------------------


def damage_keeping_stat(path: Path, damage: Callable[[Path], None]) -> None:
    """Damage the snapshot but keep its size and mtime, so it still looks current to readers."""
    stat = path.stat()
    damage(path)
    if path.stat().st_size != stat.st_size:
        with open(path, "ab") as file:
            file.write(b"\0" * (stat.st_size - path.stat().st_size))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


SNAPSHOT_DAMAGES = [garbage, truncated_to_half, header_only]


@pytest.mark.parametrize("damage", SNAPSHOT_DAMAGES, ids=lambda damage: damage.__name__)
def test_a_damaged_snapshot_that_looks_current_is_replaced_from_the_warehouse(damage, db_path, capsys):
    build_analyst_warehouse(db_path)
    warehouse_bytes = digest(db_path)
    snapshot = snapshot_path(db_path)
    damage_keeping_stat(snapshot, damage)
    assert is_current(db_path)  # size and mtime match: only opening it shows the damage

    assert main(["sql", "--db", str(db_path), "--format", "csv", "select count(*) as n from articles"]) == 0
    assert capsys.readouterr().out.split() == ["n", str(ARTICLES)]
    assert digest(db_path) == warehouse_bytes
    assert is_current(db_path) and digest(snapshot) == warehouse_bytes  # published again, whole
    with duckdb.connect(str(snapshot), read_only=True) as con:
        assert con.execute("select count(*) from articles").fetchone() == (ARTICLES,)


@pytest.mark.parametrize("damage", SNAPSHOT_DAMAGES, ids=lambda damage: damage.__name__)
def test_a_damaged_snapshot_during_a_run_falls_back_to_the_warehouse(damage, db_path, capsys):
    build_analyst_warehouse(db_path)
    damage_keeping_stat(snapshot_path(db_path), damage)
    with run_lock(db_path, wait_seconds=1):  # a run is going (between two of its writes)
        assert main(["sql", "--db", str(db_path), "--format", "csv", "select count(*) as n from articles"]) == 0
    assert capsys.readouterr().out.split() == ["n", str(ARTICLES)]


def test_the_next_write_replaces_a_damaged_snapshot(db_path):
    build_analyst_warehouse(db_path)
    garbage(snapshot_path(db_path))
    with open_warehouse(db_path) as con:  # any committed write publishes (a run's batches, its end)
        con.execute("update runs set status = status")
    assert is_current(db_path)
    with duckdb.connect(str(snapshot_path(db_path)), read_only=True) as con:
        assert con.execute("select count(*) from articles").fetchone() == (ARTICLES,)


def test_a_snapshot_block_that_fails_its_checksum_is_named_with_what_to_do(db_path, capsys):
    """Damage inside a data block shows only when a query reads it: the error names the snapshot and the fix."""
    build_analyst_warehouse(db_path)
    snapshot = snapshot_path(db_path)
    damage_keeping_stat(snapshot, flipped_byte_in_article_text)
    assert main(["sql", "--db", str(db_path), "select count(*) from articles"]) == 0  # counts need no data block
    capsys.readouterr()
    assert main(["sql", "--db", str(db_path), "select text from articles"]) == 1
    err = capsys.readouterr().err
    assert f"[NF211] the read snapshot {snapshot} is damaged: IO Error: Corrupt database file" in err, err
    assert f"fix: delete {snapshot}; readers then use the warehouse itself" in err
    snapshot.unlink()  # what the fix says
    assert main(["sql", "--db", str(db_path), "--format", "csv", "select count(distinct text) as n from articles"]) == 0
    assert capsys.readouterr().out.split() == ["n", "4"]  # two of the five articles share their text
