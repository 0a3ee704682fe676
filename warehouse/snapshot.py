"""The published read snapshot: analysts read the last committed state, never the live file.

DuckDB lets one process open a file for writing and keeps every other process
out while it does, and a process reading the file keeps the writer out. So
readers (`newsflow sql`, `search`, `query`, `export`, `report`, `schema`) do
not open the live warehouse while a run is going: every writable connection
(`open_warehouse`) checkpoints and closes, then publishes a copy of the file
next to it (`<name>.read.duckdb`, copied to a temporary name and renamed
into place, so a reader opens either the old or the new snapshot, never a
half-written one). A reader that has the old snapshot open keeps reading it
(POSIX rename semantics) and is never interrupted.

The snapshot carries the live file's size and modification time, so a reader
knows whether it is current. Readers use it when it is current or when a run
holds the run lock (the run publishes after every batch); otherwise (no
snapshot yet, or the file was changed outside newsflow) they open the live
file read-only, waiting with back-off, and republish it.
"""

import fcntl
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)


def snapshot_path(db_path: str | Path) -> Path:
    path = Path(db_path)
    return path.with_name(f"{path.stem}.read{path.suffix or '.duckdb'}")


def wal_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}.wal")


def is_current(db_path: str | Path) -> bool:
    """Whether the snapshot holds exactly the live file as it is now."""
    snapshot = snapshot_path(db_path)
    try:
        live, copy = os.stat(db_path), os.stat(snapshot)
    except FileNotFoundError:
        return False
    return live.st_size == copy.st_size and live.st_mtime_ns == copy.st_mtime_ns and not wal_path(db_path).exists()


def run_in_progress(db_path: str | Path) -> bool:
    """Whether a run holds the warehouse's run lock (see warehouse/lock.py)."""
    lock_path = Path(f"{db_path}.lock")
    if not lock_path.exists():
        return False
    fd = os.open(lock_path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # releases the shared lock if it was taken
    return False


def publish_snapshot(db_path: str | Path) -> Path | None:
    """Copy the closed (checkpointed) live file to the snapshot; None when it cannot be consistent.

    The caller must hold the file (a closed writer under the run lock, or an
    open read-only connection) so nobody writes it during the copy.
    """
    db_path = Path(db_path)
    if wal_path(db_path).exists():  # un-checkpointed changes live in the WAL: a copy would miss them
        log.warning("not publishing a read snapshot of %s: it has a write-ahead log", db_path)
        return None
    target = snapshot_path(db_path)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        shutil.copyfile(db_path, temporary)
        stat = os.stat(db_path)
        os.utime(temporary, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def publish_or_withdraw(db_path: str | Path) -> Path | None:
    """Publish after a write; if that fails, remove the stale snapshot so readers fall back to the live file.

    The write itself is committed by then, so a failed copy (disk full, a
    read-only directory) is logged, not raised: readers then wait for the
    live file with back-off, as they would without snapshots.
    """
    try:
        return publish_snapshot(db_path)
    except OSError as error:
        log.warning("could not publish the read snapshot of %s (%s); readers will open the live file", db_path, error)
        try:
            snapshot_path(db_path).unlink(missing_ok=True)
        except OSError as second:
            log.error("could not remove the stale read snapshot %s: %s", snapshot_path(db_path), second)
        return None


def checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Fold the WAL into the file before it is copied (skipped inside a failed transaction)."""
    try:
        con.execute("checkpoint")
    except duckdb.Error as error:
        log.warning("checkpoint before publishing the read snapshot failed: %s", error)


@contextmanager
def open_reader(db_path: str | Path, *, timeout_seconds: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the last committed state that never blocks a run."""
    from warehouse.connection import open_warehouse

    db_path = Path(db_path)
    snapshot = snapshot_path(db_path)
    if snapshot.exists() and (is_current(db_path) or run_in_progress(db_path)):
        with open_warehouse(snapshot, read_only=True, timeout_seconds=timeout_seconds) as con:
            yield con
        return
    with open_warehouse(db_path, read_only=True, timeout_seconds=timeout_seconds) as con:
        if not is_current(db_path):
            try:
                publish_snapshot(db_path)
            except OSError as error:  # a read-only directory: reading still works
                log.warning("could not publish a read snapshot of %s: %s", db_path, error)
        yield con
