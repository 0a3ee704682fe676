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
holds the run lock (a run publishes at its end and, at most every
`warehouse.snapshot_interval_seconds`, during its batches: see
`defer_publishing` and `SnapshotPublisher`); otherwise (no
snapshot yet, or the file was changed outside newsflow) they open the live
file read-only, waiting with back-off, and republish it.
"""

import fcntl
import glob
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import duckdb

from newsflow.errors import WarehouseDamagedError
from warehouse.lock import run_in_progress

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
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # held while copying: a copy nobody holds was left by a dead publisher
        remove_abandoned_copies(target)
        shutil.copyfile(db_path, temporary)
        stat = os.stat(db_path)
        os.chmod(temporary, stat.st_mode & 0o7777)  # readers of the warehouse may read its snapshot (mkstemp: 0600)
        os.utime(temporary, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)
    return target


def remove_abandoned_copies(target: Path) -> None:
    """Delete half-written copies of `target` whose publisher died (killed mid-copy); skip ones being written."""
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        try:
            fd = os.open(leftover, os.O_RDONLY)
        except FileNotFoundError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            leftover.unlink(missing_ok=True)
        except BlockingIOError:
            continue  # another publisher (or this one) holds it
        finally:
            os.close(fd)


_deferred: dict[Path, int] = {}  # warehouses whose publishing waits for the end of a run (see defer_publishing)
_deferred_lock = threading.Lock()


@contextmanager
def defer_publishing(db_path: str | Path) -> Iterator[None]:
    """Within this span, closing a writer does not publish; its end publishes once.

    A run wraps its whole span in this: each of its connections (start,
    batches, post-load steps, finish) would otherwise copy the whole file
    when it closes. `SnapshotPublisher` still republishes during the batches.
    """
    key = Path(db_path).resolve()
    with _deferred_lock:
        _deferred[key] = _deferred.get(key, 0) + 1
    damaged = False
    try:
        yield
    except WarehouseDamagedError:
        damaged = True  # never copy a damaged file over the last whole snapshot
        raise
    finally:
        with _deferred_lock:
            _deferred[key] -= 1
            if not _deferred[key]:
                del _deferred[key]
        if not damaged:
            publish_or_withdraw(db_path)


def publishing_deferred(db_path: str | Path) -> bool:
    return Path(db_path).resolve() in _deferred


def publish_or_withdraw(db_path: str | Path, *, now: bool = False) -> Path | None:
    """Publish after a write; if that fails, remove the stale snapshot so readers fall back to the live file.

    The write itself is committed by then, so a failed copy (disk full, a
    read-only directory) is logged, not raised: readers then wait for the
    live file with back-off, as they would without snapshots.
    """
    if not now and publishing_deferred(db_path):  # the run publishes at its end
        return None
    if is_current(db_path):  # nothing was written since the last publish: no copy needed
        return snapshot_path(db_path)
    try:
        return publish_snapshot(db_path)
    except OSError as error:
        log.warning("could not publish the read snapshot of %s (%s); readers will open the live file", db_path, error)
        try:
            snapshot_path(db_path).unlink(missing_ok=True)
        except OSError as second:
            log.error("could not remove the stale read snapshot %s: %s", snapshot_path(db_path), second)
        return None


class SnapshotPublisher:
    """Republishes the snapshot of a writer connection held across a run, at most every `interval` seconds.

    A run keeps one connection for all its batches (a checkpoint per batch would
    rewrite the indexes each time); readers see the last published state,
    never more than about `interval` seconds behind, and the closing
    `open_warehouse` publishes the final one.
    """

    def __init__(self, db_path: str | Path, interval_seconds: float):
        self.db_path = Path(db_path)
        self.interval_seconds = interval_seconds
        self.last = time.monotonic()

    def after_commit(self, con: duckdb.DuckDBPyConnection) -> bool:
        """Publish if the interval has passed since the last time (or there is no snapshot yet); whether it did."""
        if time.monotonic() - self.last < self.interval_seconds and snapshot_path(self.db_path).exists():
            return False
        checkpoint(con)
        publish_or_withdraw(self.db_path, now=True)
        self.last = time.monotonic()
        return True


def checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Fold the WAL into the file before it is copied (skipped inside a failed transaction)."""
    try:
        con.execute("checkpoint")
    except duckdb.Error as error:
        log.warning("checkpoint before publishing the read snapshot failed: %s", error)


@contextmanager
def open_reader(
    db_path: str | Path, *, timeout_seconds: float = 30.0, locked_down: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the last committed state that never blocks a run.

    A snapshot that does not open as a whole database is passed over: the live
    file is read, and published again once every block of it passed its checksum.
    `locked_down`: the connection then touches no file but the one it reads, loads
    no extension and changes no setting (warehouse/sandbox.py), for SQL a user typed.
    """
    from warehouse.sandbox import lock_down

    from warehouse.connection import open_warehouse, verify_blocks

    db_path = Path(db_path)
    snapshot = snapshot_path(db_path)
    damaged = False
    if snapshot.exists() and (is_current(db_path) or run_in_progress(db_path)):
        with ExitStack() as stack:
            try:
                con = stack.enter_context(open_warehouse(snapshot, read_only=True, timeout_seconds=timeout_seconds))
            except WarehouseDamagedError as error:
                log.warning("%s; reading the warehouse itself", error.message)
                damaged = True
            else:
                if locked_down:
                    lock_down(con)
                yield con
                return
    with open_warehouse(db_path, read_only=True, timeout_seconds=timeout_seconds) as con:
        if (damaged or not is_current(db_path)) and not wal_path(db_path).exists():  # else it cannot be copied
            verify_blocks(con)  # never copy a damaged file over a whole snapshot
            try:
                publish_snapshot(db_path)
            except OSError as error:  # a read-only directory: reading still works
                log.warning("could not publish a read snapshot of %s: %s", db_path, error)
        if locked_down:
            lock_down(con)
        yield con
