"""Opening the DuckDB warehouse file: short-lived connections, lock retries.

DuckDB lets one process write a file at a time and keeps other processes out
while it is open, so newsflow holds a connection only for the span of one
load (or one query) and every opener retries with back-off while another
process has the file.

A file that is not a whole DuckDB database (garbage, zero bytes, truncated,
blocks failing their checksums) is reported as damaged (NF211) and never
written: not migrated, not checkpointed, and no read snapshot is published
from it. DuckDB notices most damage only when it reads the damaged block, so
a writer that opens a file which changed since newsflow last saw it whole (its
snapshot was published, or this process closed a writer on it) first reads
every table once: after a crash, another tool or a bad copy. After a normal
run, and between the connections of one run, this costs nothing.
"""

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from newsflow.errors import WarehouseBusyError, WarehouseDamagedError, WarehouseError
from warehouse.extensions import extension_directory, load_extensions
from warehouse.migrations import migrate
from warehouse.snapshot import checkpoint, is_current, publish_or_withdraw, snapshot_path

_LOCK_MARKERS = ("could not set lock", "conflicting lock", "database is locked")
# DuckDB's words (in an IOException) for a file that is not, or no longer, a whole database
_DAMAGE_MARKERS = ("not a valid duckdb database", "corrupt database file", "could not read enough bytes")
_closed_whole: dict[Path, tuple[int, int]] = {}  # file -> (size, mtime_ns) when this process last closed a writer on it


def _is_lock_conflict(error: Exception) -> bool:
    text = str(error).lower()
    return any(marker in text for marker in _LOCK_MARKERS)


def _connect(path: Path, read_only: bool, memory_limit: str = "") -> duckdb.DuckDBPyConnection:
    config = {"extension_directory": extension_directory()}
    if memory_limit:  # DuckDB spills joins, sorts and cached blocks beyond it instead of growing
        config["memory_limit"] = memory_limit
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.Error as error:
        if _is_lock_conflict(error):
            raise WarehouseBusyError(f"warehouse {path} is in use by another process") from error
        if is_damage(error):
            raise damaged(path, f"not a readable DuckDB database ({_first_line(error)})") from error
        if path.exists():
            raise WarehouseError(
                f"cannot open warehouse {path}: {error}",
                fix="check that it is a DuckDB warehouse written by newsflow and readable by you, or use --db",
            ) from error
        raise WarehouseError(f"cannot create warehouse {path}: {error}", fix="check the directory exists and is writable") from error


def is_damage(error: BaseException) -> bool:
    """Whether DuckDB says the file itself is broken (not busy, not a bad query)."""
    return isinstance(error, duckdb.IOException) and any(marker in str(error).lower() for marker in _DAMAGE_MARKERS)


def damaged(path: Path, detail: str) -> WarehouseDamagedError:
    """The error for a damaged file, with what to do: a snapshot is replaceable, a warehouse is restored or rebuilt."""
    if path.stem.endswith(".read"):  # a read snapshot (warehouse/snapshot.py): a copy, published again by runs
        fix = f"delete {path}; readers then use the warehouse itself, and the next run publishes a new snapshot"
        return WarehouseDamagedError(f"the read snapshot {path} is damaged: {detail}", fix=fix)
    fix = "newsflow left the file as it is; restore it from a backup, or move it aside and run `newsflow run` over the same inputs to rebuild it"
    snapshot = snapshot_path(path)
    if snapshot.exists():
        fix += f" ({snapshot} is the copy readers saw last; it may be an older but whole state)"
    return WarehouseDamagedError(f"warehouse {path} is damaged: {detail}", fix=fix)


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _file_state(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns


def known_whole(path: Path) -> bool:
    """Whether the file is as newsflow last left it: its snapshot is current, or this process closed it last."""
    return is_current(path) or _closed_whole.get(path.resolve()) == _file_state(path)


def verify_blocks(con: duckdb.DuckDBPyConnection) -> None:
    """Read every row of every table, so each block in use passes its checksum (before the file is copied)."""
    tables = con.execute("select schema_name, table_name from duckdb_tables() where not temporary").fetchall()
    for schema, table in tables:  # names from the catalog, quoted
        name = ".".join('"' + part.replace('"', '""') + '"' for part in (schema, table))
        con.execute(f"select count(*), bit_xor(hash(t)) from {name} t").fetchall()


@contextmanager
def open_warehouse(
    path: str | Path, *, read_only: bool = False, timeout_seconds: float = 30.0, memory_limit: str = ""
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Connect (retrying while another process holds the file), migrate when writable.

    `memory_limit` ("384MB"; "" = DuckDB's default, 80 % of RAM) caps DuckDB's memory in this process.
    """
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseError(f"no warehouse at {path}", fix="run `newsflow run` first, or pass --db")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout_seconds
    delay = 0.05
    while True:
        try:
            con = _connect(path, read_only, memory_limit)
            break
        except WarehouseBusyError:
            if time.monotonic() >= deadline:
                raise WarehouseBusyError(
                    f"warehouse {path} stayed busy for {timeout_seconds:.0f} s",
                    fix="wait for the running load to finish, or raise warehouse.read_timeout_seconds",
                ) from None
            time.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, 1.0)
    found_damage = False
    try:
        if not read_only and not known_whole(path):  # a crash, another tool, a bad copy
            verify_blocks(con)  # before anything is written to it or a snapshot is copied from it
        load_extensions(con)
        con.execute("set TimeZone = 'UTC'")
        if not read_only:
            migrate(con)
        yield con
    except duckdb.Error as error:  # a block that fails its checksum shows only when it is read
        if not is_damage(error):
            raise
        found_damage = True
        raise damaged(path, _first_line(error)) from error
    finally:
        if not read_only and not found_damage:
            checkpoint(con)
        con.close()
        if not read_only and not found_damage:
            _closed_whole[path.resolve()] = _file_state(path)
    if not read_only:
        publish_or_withdraw(path)  # readers see this committed state (warehouse/snapshot.py)

