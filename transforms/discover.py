"""Finding input files and deciding which of them need processing.

`discover_files` walks the inputs (files are taken as given, directories are
filtered by include/exclude globs); `plan_changes` compares what it found with
the ledger so that an unchanged file is skipped without being read.
"""

import os
import re
import stat
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import polars as pl

from newsflow.errors import ConfigError
from transforms.metadata import sidecar_path

DISCOVERED_SCHEMA = pl.Schema({"path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64})
LEDGER_SCHEMA = pl.Schema({"path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64, "content_hash": pl.String})


@lru_cache(maxsize=256)
def glob_regex(pattern: str) -> re.Pattern:
    """Translate a glob with `**` (any number of directories) into a regex.

    Matching ignores case: `*.txt` selects `README.TXT` as well.
    """
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z", re.IGNORECASE)


def matches_any(relative: str, patterns: Sequence[str]) -> bool:
    return any(glob_regex(pattern).match(relative) for pattern in patterns)


def discover_files(paths: Sequence[str | Path], include: Sequence[str], exclude: Sequence[str]) -> pl.DataFrame:
    """Every file under `paths` (DISCOVERED_SCHEMA), sorted by path.

    A file named explicitly is taken whatever its name; files inside a
    directory must match an include glob and no exclude glob. Symlinked
    directories are not followed (no loops); a missing input is an error.
    A fifo, socket or device that the globs select is kept too: reading it
    quarantines it as unreadable, so nothing an inbox holds goes unmentioned.
    A link that leads nowhere (dangling, or a loop) is kept under its own
    path, so reading it quarantines it as unreadable instead of dropping it.
    """
    rows: dict[str, tuple[int, int]] = {}
    for given in paths:
        root = Path(given).expanduser()
        if root.is_file():
            _add(rows, root)
        elif root.is_dir():
            _walk(rows, root, include, exclude)
        else:
            raise ConfigError(f"input path {str(given)!r} does not exist", fix="pass an existing file or directory")
    return pl.DataFrame(
        {"path": list(rows), "size": [v[0] for v in rows.values()], "mtime_ns": [v[1] for v in rows.values()]},
        schema=DISCOVERED_SCHEMA,
    ).sort("path")


def _walk(rows: dict[str, tuple[int, int]], root: Path, include: Sequence[str], exclude: Sequence[str]) -> None:
    """Files under `root` that the globs select: one lstat each; links go through `_add`."""
    for directory, subdirs, names in os.walk(root):
        subdirs.sort()
        prefix = os.path.relpath(directory, root).replace(os.sep, "/")
        real_directory = os.path.realpath(directory)
        present = set(names)
        for name in names:
            relative = name if prefix == "." else f"{prefix}/{name}"
            if not matches_any(relative, include) or matches_any(relative, exclude):
                continue
            entry = os.lstat(os.path.join(directory, name))
            if stat.S_ISLNK(entry.st_mode):
                _add(rows, Path(directory, name))
            elif stat.S_ISREG(entry.st_mode):
                mtime_ns = entry.st_mtime_ns
                if sidecar_path(name) in present:
                    mtime_ns = _with_sidecar(os.path.join(directory, name), mtime_ns)
                rows[os.path.join(real_directory, name)] = (entry.st_size, mtime_ns)
            else:  # a fifo, socket or device: kept, so reading quarantines it (without blocking on it)
                rows[os.path.join(real_directory, name)] = (0, entry.st_mtime_ns)


def _with_sidecar(path: str, mtime_ns: int) -> int:
    try:
        return max(mtime_ns, os.stat(sidecar_path(path)).st_mtime_ns)
    except OSError:
        return mtime_ns


def _add(rows: dict[str, tuple[int, int]], path: Path) -> None:
    """Record size and mtime; a sidecar's mtime counts too, so editing only the sidecar is a change."""
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a dangling link or a link loop: read, and quarantined, as itself
        rows[str(path.absolute())] = (0, path.lstat().st_mtime_ns)
        return
    if resolved.is_dir():  # a link to a directory is not followed (no loops)
        return
    entry = resolved.stat()
    if not stat.S_ISREG(entry.st_mode):  # a fifo, socket or device: quarantined when read
        rows[str(resolved)] = (0, entry.st_mtime_ns)
        return
    rows[str(resolved)] = (entry.st_size, _with_sidecar(str(resolved), entry.st_mtime_ns))


def plan_changes(
    discovered: pl.DataFrame, ledger: pl.DataFrame, trust_mtime: bool, max_file_bytes: int | None = None
) -> pl.DataFrame:
    """Add `known_hash` and `action`: new | stat_changed | unchanged.

    With `trust_mtime`, a file whose size and mtime match the ledger is
    `unchanged` without being read; every other known file is
    `stat_changed`: it is read and hashed, and skipped if the hash matches.
    A file that was never read (unreadable, too large: empty known hash) is
    tried again on every run (it may have become readable), except one still
    over `max_file_bytes` with the size and mtime it was quarantined with:
    that retry could only quarantine it again.
    """
    joined = discovered.join(
        ledger.select(
            "path",
            pl.col("size").alias("known_size"),
            pl.col("mtime_ns").alias("known_mtime_ns"),
            pl.col("content_hash").alias("known_hash"),
        ),
        on="path",
        how="left",
    )
    same_stat = (pl.col("size") == pl.col("known_size")) & (pl.col("mtime_ns") == pl.col("known_mtime_ns"))
    still_too_large = same_stat & (pl.col("size") > max_file_bytes) if max_file_bytes is not None else pl.lit(False)
    action = (
        pl.when((pl.col("known_hash") == "") & still_too_large)
        .then(pl.lit("unchanged"))
        .when(pl.col("known_hash").is_null() | (pl.col("known_hash") == ""))
        .then(pl.lit("new"))
        .when(same_stat & pl.lit(trust_mtime))
        .then(pl.lit("unchanged"))
        .otherwise(pl.lit("stat_changed"))
    )
    return joined.select("path", "size", "mtime_ns", "known_hash", action.alias("action"))
