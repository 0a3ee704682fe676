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
from transforms.readers.containers import MEMBER_SEPARATOR
from transforms.rejects import RejectReason
from transforms.safe_text import bytes_safe_name, has_surrogates

DISCOVERED_SCHEMA = pl.Schema(
    {"path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64, "reject_reason": pl.String, "reject_detail": pl.String}
)
LEDGER_SCHEMA = pl.Schema({"path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64, "content_hash": pl.String})
_Found = tuple[int, int, str | None, str | None]  # size, mtime_ns, reject reason and detail (None: read it)


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


def discover_files(
    paths: Sequence[str | Path], include: Sequence[str], exclude: Sequence[str], *, follow_links_outside: bool = False
) -> pl.DataFrame:
    """Every file under `paths` (DISCOVERED_SCHEMA), sorted by path.

    A file named explicitly is taken whatever its name; files inside a
    directory must match an include glob and no exclude glob. Symlinked
    directories are not followed (no loops); a missing input is an error.
    A fifo, socket or device that the globs select is kept too: reading it
    quarantines it as unreadable, so nothing an inbox holds goes unmentioned.
    A link that leads nowhere (dangling, or a loop) is kept under its own
    path, so reading it quarantines it as unreadable instead of dropping it.

    Some are found but never read, with the reject they end as (`reject_reason`):
    a directory that cannot be listed (unreadable), a name that is not UTF-8
    (bad_file_name, stored with `\\xNN` for its bytes), a name "a.zip!m.txt"
    beside a file "a.zip" (bad_file_name: it would be taken for that archive's
    member), and a link inside a directory that leads out of every input root
    (link_outside_inputs, unless `follow_links_outside`).
    """
    rows: dict[str, _Found] = {}
    roots = tuple(os.path.realpath(Path(given).expanduser()) for given in paths)
    for given in paths:
        root = Path(given).expanduser()
        if root.is_file():
            _add(rows, root)
        elif root.is_dir():
            _walk(rows, root, include, exclude, None if follow_links_outside else roots)
        else:
            raise ConfigError(f"input path {bytes_safe_name(str(given))!r} does not exist", fix="pass an existing file or directory")
    found = [_checked_name(path, value) for path, value in rows.items()]
    return pl.DataFrame(
        {name: [row[i] for row in found] for i, name in enumerate(DISCOVERED_SCHEMA)}, schema=DISCOVERED_SCHEMA
    ).sort("path")


def _checked_name(path: str, found: _Found) -> tuple:
    """The row of a found path: names that cannot be stored, or read as themselves, are rejects."""
    size, mtime_ns, reason, detail = found
    if reason is None and has_surrogates(path):
        reason, detail = str(RejectReason.BAD_FILE_NAME), "the file name is not UTF-8 (its bytes shown as \\xNN); rename it"
    elif reason is None and MEMBER_SEPARATOR in path:
        archive = _archive_prefix(path)
        if archive is not None:
            member = path[len(archive) + 1 :]
            detail = f"the name reads as member {member!r} of the archive {archive}; rename it"
            return path[: len(archive)] + "\\x21" + member, size, mtime_ns, str(RejectReason.BAD_FILE_NAME), detail
    return bytes_safe_name(path), size, mtime_ns, reason, detail


def _archive_prefix(path: str) -> str | None:
    """The longest "…/a.zip" before a "!" in `path` that is a file itself, if any."""
    index = path.rfind(MEMBER_SEPARATOR)
    while index > 0:
        if os.path.isfile(path[:index]):
            return path[:index]
        index = path.rfind(MEMBER_SEPARATOR, 0, index)
    return None


def _walk(
    rows: dict[str, _Found], root: Path, include: Sequence[str], exclude: Sequence[str], roots: tuple[str, ...] | None
) -> None:
    """Files under `root` that the globs select: one lstat each; links go through `_add`."""

    def unlisted(error: OSError) -> None:  # os.walk skips a directory it cannot list: say so
        where = error.filename if isinstance(error.filename, str) else str(root)
        rows[os.path.abspath(where)] = (0, 0, str(RejectReason.UNREADABLE), f"directory cannot be listed: {error.strerror or error}")

    for directory, subdirs, names in os.walk(root, onerror=unlisted):
        subdirs.sort()
        prefix = os.path.relpath(directory, root).replace(os.sep, "/")
        real_directory = os.path.realpath(directory)
        present = set(names)
        for name in names:
            relative = name if prefix == "." else f"{prefix}/{name}"
            if not matches_any(relative, include) or matches_any(relative, exclude):
                continue
            try:
                entry = os.lstat(os.path.join(directory, name))
            except OSError as error:  # vanished, or the directory lost its permissions meanwhile
                rows[os.path.join(real_directory, name)] = (0, 0, str(RejectReason.UNREADABLE), f"{type(error).__name__}: {error.strerror}")
                continue
            if stat.S_ISLNK(entry.st_mode):
                _add(rows, Path(directory, name), roots)
            elif stat.S_ISREG(entry.st_mode):
                mtime_ns = entry.st_mtime_ns
                if sidecar_path(name) in present:
                    mtime_ns = _with_sidecar(os.path.join(directory, name), mtime_ns)
                rows[os.path.join(real_directory, name)] = (entry.st_size, mtime_ns, None, None)
            else:  # a fifo, socket or device: kept, so reading quarantines it (without blocking on it)
                rows[os.path.join(real_directory, name)] = (0, entry.st_mtime_ns, None, None)


def _with_sidecar(path: str, mtime_ns: int) -> int:
    try:
        return max(mtime_ns, os.stat(sidecar_path(path)).st_mtime_ns)
    except OSError:
        return mtime_ns


def _add(rows: dict[str, _Found], path: Path, roots: tuple[str, ...] | None = None) -> None:
    """Record size and mtime; a sidecar's mtime counts too, so editing only the sidecar is a change.

    With `roots` (a link found inside a directory), a link whose target lies outside every
    root is recorded under its own path as a link_outside_inputs reject, never read.
    """
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a dangling link or a link loop: read, and quarantined, as itself
        rows[str(path.absolute())] = (0, path.lstat().st_mtime_ns, None, None)
        return
    if resolved.is_dir():  # a link to a directory is not followed (no loops)
        return
    if roots is not None and not any(_is_within(str(resolved), root) for root in roots):
        detail = f"a link to {resolved}, outside the input paths; set input.follow_links_outside = true to read it"
        rows[str(path.absolute())] = (0, path.lstat().st_mtime_ns, str(RejectReason.LINK_OUTSIDE_INPUTS), detail)
        return
    entry = resolved.stat()
    if not stat.S_ISREG(entry.st_mode):  # a fifo, socket or device: quarantined when read
        rows[str(resolved)] = (0, entry.st_mtime_ns, None, None)
        return
    rows[str(resolved)] = (entry.st_size, _with_sidecar(str(resolved), entry.st_mtime_ns), None, None)


def _is_within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


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
    problems = [c for c in ("reject_reason", "reject_detail") if c in discovered.columns]  # hand-built frames lack them
    return joined.select("path", "size", "mtime_ns", "known_hash", action.alias("action"), *problems)
