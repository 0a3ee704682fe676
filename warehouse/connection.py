"""Opening the DuckDB warehouse file: short-lived connections, lock retries.

DuckDB lets one process write a file at a time and keeps other processes out
while it is open, so newsflow holds a connection only for the span of one
load (or one query) and every opener retries with back-off while another
process has the file. A file that is not a DuckDB database is reported and
never overwritten.
"""

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from newsflow.errors import WarehouseBusyError, WarehouseError
from warehouse.extensions import extension_directory, load_extensions
from warehouse.migrations import migrate
from warehouse.snapshot import checkpoint, publish_or_withdraw

_LOCK_MARKERS = ("could not set lock", "conflicting lock", "database is locked")


def _is_lock_conflict(error: Exception) -> bool:
    text = str(error).lower()
    return any(marker in text for marker in _LOCK_MARKERS)


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    config = {"extension_directory": extension_directory()}
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.Error as error:
        if _is_lock_conflict(error):
            raise WarehouseBusyError(f"warehouse {path} is in use by another process") from error
        if path.exists():
            raise WarehouseError(
                f"cannot open warehouse {path}: {error}",
                fix="the file is not a readable DuckDB database; move it aside (it is never overwritten) or use --db",
            ) from error
        raise WarehouseError(f"cannot create warehouse {path}: {error}", fix="check the directory exists and is writable") from error


@contextmanager
def open_warehouse(
    path: str | Path, *, read_only: bool = False, timeout_seconds: float = 30.0
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Connect (retrying while another process holds the file), migrate when writable."""
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseError(f"no warehouse at {path}", fix="run `newsflow run` first, or pass --db")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout_seconds
    delay = 0.05
    while True:
        try:
            con = _connect(path, read_only)
            break
        except WarehouseBusyError:
            if time.monotonic() >= deadline:
                raise WarehouseBusyError(
                    f"warehouse {path} stayed busy for {timeout_seconds:.0f} s",
                    fix="wait for the running load to finish, or raise warehouse.read_timeout_seconds",
                ) from None
            time.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, 1.0)
    try:
        load_extensions(con)
        con.execute("set TimeZone = 'UTC'")
        if not read_only:
            migrate(con)
        yield con
    finally:
        if not read_only:
            checkpoint(con)
        con.close()
    if not read_only:
        publish_or_withdraw(path)  # readers see this committed state (warehouse/snapshot.py)

