"""Finding input files and deciding which of them need processing.

`discover_files` walks the inputs (files are taken as given, directories are
filtered by include/exclude globs); `plan_changes` compares what it found with
the ledger so that an unchanged file is skipped without being read.
"""

import os
import re
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
    """Translate a glob with `**` (any number of directories) into a regex."""
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
    return re.compile("".join(out) + r"\Z")


def matches_any(relative: str, patterns: Sequence[str]) -> bool:
    return any(glob_regex(pattern).match(relative) for pattern in patterns)


def discover_files(paths: Sequence[str | Path], include: Sequence[str], exclude: Sequence[str]) -> pl.DataFrame:
    """Every regular file under `paths` (DISCOVERED_SCHEMA), sorted by path.

    A file named explicitly is taken whatever its name; files inside a
    directory must match an include glob and no exclude glob. Symlinked
    directories are not followed (no loops); a missing input is an error.
    """
    rows: dict[str, tuple[int, int]] = {}
    for given in paths:
        root = Path(given).expanduser()
        if root.is_file():
            _add(rows, root)
        elif root.is_dir():
            for directory, subdirs, names in os.walk(root):
                subdirs.sort()
                base = Path(directory)
                for name in names:
                    relative = (base / name).relative_to(root).as_posix()
                    if matches_any(relative, include) and not matches_any(relative, exclude):
                        _add(rows, base / name)
        else:
            raise ConfigError(f"input path {str(given)!r} does not exist", fix="pass an existing file or directory")
    return pl.DataFrame(
        {"path": list(rows), "size": [v[0] for v in rows.values()], "mtime_ns": [v[1] for v in rows.values()]},
        schema=DISCOVERED_SCHEMA,
    ).sort("path")


def _add(rows: dict[str, tuple[int, int]], path: Path) -> None:
    """Record size and mtime; a sidecar's mtime counts too, so editing only the sidecar is a change."""
    resolved = path.resolve()
    if not resolved.is_file():  # a dangling link, a socket, a fifo
        return
    stat = resolved.stat()
    mtime_ns = stat.st_mtime_ns
    sidecar = Path(sidecar_path(str(resolved)))
    if sidecar.is_file():
        mtime_ns = max(mtime_ns, sidecar.stat().st_mtime_ns)
    rows[str(resolved)] = (stat.st_size, mtime_ns)


def plan_changes(discovered: pl.DataFrame, ledger: pl.DataFrame, trust_mtime: bool) -> pl.DataFrame:
    """Add `known_hash` and `action`: new | stat_changed | unchanged.

    With `trust_mtime`, a file whose size and mtime match the ledger is
    `unchanged` without being read; every other known file is
    `stat_changed`: it is read and hashed, and skipped if the hash matches.
    A file that was never read (unreadable, too large: empty known hash) is
    tried again on every run.
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
    action = (
        pl.when(pl.col("known_hash").is_null() | (pl.col("known_hash") == ""))
        .then(pl.lit("new"))
        .when(same_stat & pl.lit(trust_mtime))
        .then(pl.lit("unchanged"))
        .otherwise(pl.lit("stat_changed"))
    )
    return joined.select("path", "size", "mtime_ns", "known_hash", action.alias("action"))
