"""Telling a full disk, a read-only directory or an exhausted memory limit apart from other warehouse failures.

DuckDB reports them as I/O errors with the operating system's message ("No
space left on device", "File too large", "Read-only file system"); Python as
OSError with an errno. Either way the user needs the same answer: which file,
what the system said, and what to do. A load that fails this way has
committed nothing of its batch (one transaction per batch), so the fix is
always "make room, then run again". The same holds for DuckDB running out of
its `warehouse.memory_limit` in a step it cannot spill to disk.
"""

import errno
import os
from pathlib import Path

import duckdb

from newsflow.errors import WarehouseError, WarehouseMemoryError, WarehouseStorageError

_NO_SPACE = "no space left for the warehouse"
_READ_ONLY = "cannot write to the warehouse directory"
_ERRNOS = {
    errno.ENOSPC: _NO_SPACE, errno.EDQUOT: _NO_SPACE, errno.EFBIG: _NO_SPACE,
    errno.EROFS: _READ_ONLY, errno.EACCES: _READ_ONLY, errno.EPERM: _READ_ONLY,
}  # fmt: skip
_MESSAGES = {  # strerror texts inside DuckDB's messages
    "no space left on device": _NO_SPACE, "disk quota exceeded": _NO_SPACE, "file too large": _NO_SPACE,
    "read-only file system": _READ_ONLY, "permission denied": _READ_ONLY, "operation not permitted": _READ_ONLY,
}  # fmt: skip
_FIXES = {
    _NO_SPACE: "free space on that disk (or raise the quota / file size limit), or pass --db on another disk; "
    "then run again: batches committed before the failure are kept and the rerun reads only what is missing",
    _READ_ONLY: "make the directory writable for this user (or remount it read-write), or pass --db in a "
    "writable directory; then run again",
}
_MEMORY_FIX = (
    'raise warehouse.memory_limit in your config (e.g. memory_limit = "1GB"; "" = DuckDB\'s default, 80 % of RAM), '
    "then run again: batches committed before the failure are kept and the rerun reads only what is missing"
)


def resource_error(error: BaseException, db_path: str | Path) -> WarehouseError | None:
    """A WarehouseStorageError saying what to do when `error` (or its cause) is a write refused in the
    warehouse's directory (the database, its WAL, lock or read snapshot), a WarehouseMemoryError when
    DuckDB ran out of its memory limit, else None."""
    db_path = Path(db_path).expanduser().resolve()
    for cause in _chain(error):
        if isinstance(cause, WarehouseStorageError | WarehouseMemoryError):
            return cause
        if isinstance(cause, duckdb.OutOfMemoryException):
            detail = str(cause).split("\n")[0]  # DuckDB's own advice that follows is about SQL settings
            return WarehouseMemoryError(f"DuckDB ran out of memory in the warehouse {db_path}: {detail}", fix=_MEMORY_FIX)
        kind = _kind(cause, db_path.parent)
        if kind is not None:
            detail = " ".join(str(cause).split())  # one line, whole: the system's words come last
            where = db_path if kind == _NO_SPACE else db_path.parent
            return WarehouseStorageError(f"{kind} {where}: {detail}", fix=_FIXES[kind])
    return None


def _kind(error: BaseException, directory: Path) -> str | None:
    if isinstance(error, OSError):
        named = isinstance(error.filename, str | bytes | os.PathLike)
        outside = named and not Path(os.fsdecode(error.filename)).resolve().is_relative_to(directory)
        return None if outside else _ERRNOS.get(error.errno)
    if isinstance(error, duckdb.Error) and str(directory) in str(error):
        text = str(error).lower()
        return next((kind for marker, kind in _MESSAGES.items() if marker in text), None)
    return None


def _chain(error: BaseException, limit: int = 8):
    """The error, then what caused it (explicitly or while handling it)."""
    seen = set()
    while error is not None and id(error) not in seen and len(seen) < limit:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__
