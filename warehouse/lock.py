"""One writer per warehouse: an exclusive advisory lock held for a whole run.

The lock lives next to the DuckDB file (`<db>.lock`); the OS releases it when
the process dies, so a killed run never leaves a stale lock behind.
"""

import errno
import fcntl
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newsflow.errors import WarehouseBusyError, WarehouseError


def _open_lock_file(lock_path: Path, flags: int) -> int:
    """The lock file itself, never what a symlink in its place points to (O_NOFOLLOW), and only a regular file."""
    try:
        fd = os.open(lock_path, flags | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise WarehouseError(
                f"the lock file {lock_path} is a symbolic link; newsflow will not write through it",
                fix=f"remove {lock_path} (newsflow creates it again)",
            ) from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise WarehouseError(f"the lock file {lock_path} is not a regular file", fix=f"remove {lock_path}")
    return fd


@contextmanager
def run_lock(db_path: str | Path, wait_seconds: float) -> Iterator[None]:
    lock_path = Path(f"{db_path}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = _open_lock_file(lock_path, os.O_RDWR | os.O_CREAT)
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
                    raise WarehouseBusyError(
                        f"another run is writing to {db_path} (lock held by {holder})",
                        fix="wait for it to finish; runs on one warehouse never write at once",
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def run_in_progress(db_path: str | Path) -> bool:
    """Whether a live process holds the run lock of `db_path` (a run killed with -9 holds none)."""
    lock_path = Path(f"{db_path}.lock")
    if not lock_path.exists():
        return False
    try:
        fd = _open_lock_file(lock_path, os.O_RDONLY)
    except WarehouseError:
        return False  # not a lock newsflow made: nobody holds it
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # releases the probe's lock, if taken
    return False
