"""Reading a batch of input files: bytes, content hash, size limit, format readers.

This is the I/O edge of the pipeline. An unchanged file (same hash as in the
ledger) is reported as such and not parsed; a file that cannot be read or
parsed becomes rejects, never an exception. Metadata from outside the file
(manifest rows, a sidecar `<file>.meta.json`) is applied here, then the
outlet is derived from the URL and implausible dates are flagged.

Archive members are ledger rows of their own ("a.zip!doc.html", `container`
= the archive's path); the archive's row counts what all its members gave.
A sidecar's bytes are part of the file's content hash (and discovery counts
its mtime as the file's), so editing only a sidecar reprocesses the file; the
manifest rows of a file are part of its hash too.
"""

import dataclasses
import errno
import logging
import os
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from newsflow.errors import TransientError
from transforms.metadata import (
    apply_manifest,
    apply_member_sidecars,
    apply_overrides,
    derive_outlet,
    flag_dates,
    parse_sidecar,
    sidecar_path,
)
from transforms.readers import ReadOptions, ReadResult, content_hash, read_file
from transforms.readers.containers import MEMBER_SEPARATOR
from transforms.rejects import Reject, RejectReason
from transforms.safe_text import without_surrogates
from transforms.schemas import RAW_ARTICLE_SCHEMA, REJECT_SCHEMA, conform, empty
from transforms.time_budget import ReadTimeout, time_budget

# errno values worth a retry: the file system, not the file, is the problem
_SPECIAL_KINDS = {stat.S_IFIFO: "a fifo", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device"}
_TRANSIENT_ERRNOS = {errno.EIO, errno.EAGAIN, errno.EINTR, errno.ETIMEDOUT, errno.ESTALE, errno.EBUSY}
READ_FILE_SCHEMA = pl.Schema(
    {"path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64, "content_hash": pl.String, "container": pl.String}
)
SIDECAR_ITEM = "meta.json"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadOutput:
    files: pl.DataFrame  # READ_FILE_SCHEMA: every file read or rejected, and every archive member
    unchanged: pl.DataFrame  # path, size, mtime_ns of files whose hash matched the ledger
    articles: pl.DataFrame  # RAW_ARTICLE_SCHEMA
    rejects: pl.DataFrame  # REJECT_SCHEMA


def read_inputs(
    files: pl.DataFrame,
    options: ReadOptions | None = None,
    *,
    max_file_bytes: int | None = None,
    max_json_depth: int | None = None,
    manifest: pl.DataFrame | None = None,
) -> ReadOutput:
    """Read every file of `files` (path, size, mtime_ns, known_hash)."""
    options = options or ReadOptions()
    if max_file_bytes is not None:
        options = dataclasses.replace(options, max_file_bytes=max_file_bytes)
    if max_json_depth is not None:
        options = dataclasses.replace(options, max_json_depth=max_json_depth)
    file_rows, unchanged_rows, frames, rejects = [], [], [], []
    if manifest is not None:  # only this batch's rows: per-file work must not grow with the manifest
        manifest = manifest.filter(pl.col("path").str.split("!").list.first().is_in(files["path"].implode()))
    manifest_rows = manifest_fingerprints(manifest)
    for row in files.iter_rows(named=True):
        path, limit = row["path"], options.max_file_bytes
        base = {"path": path, "size": row["size"], "mtime_ns": row["mtime_ns"], "container": None}
        if row.get("reject_reason"):  # found but not to be read (transforms/discover.py says why)
            rejects.append(Reject(path, "discover", RejectReason(row["reject_reason"]), row["reject_detail"] or ""))
            file_rows.append({**base, "content_hash": ""})
            continue
        if row["size"] > limit:
            rejects.append(Reject(path, "read", RejectReason.TOO_LARGE, f"{row['size']} bytes > limit {limit}"))
            file_rows.append({**base, "content_hash": ""})
            continue
        try:
            data = _read_bytes(path, limit)
            sidecar = _read_sidecar(path, limit)
        except OSError as error:
            rejects.append(
                Reject(path, "read", RejectReason.UNREADABLE, f"{type(error).__name__}: {error.strerror or error}")
            )
            file_rows.append({**base, "content_hash": ""})
            continue
        digest = content_hash(
            (data if sidecar is None else data + b"\x00" + sidecar) + manifest_rows.get(path, b"")
        )
        if digest == row["known_hash"]:
            unchanged_rows.append({"path": path, "size": len(data), "mtime_ns": row["mtime_ns"]})
            continue
        read = _read_guarded(path, data, sidecar, options, manifest)
        if isinstance(read, Reject):  # never hashed as done: a later run (or a fixed newsflow) tries again
            rejects.append(read)
            file_rows.append({**base, "size": len(data), "content_hash": ""})
            continue
        result, articles, sidecar_rejects = read
        file_rows.append({**base, "size": len(data), "content_hash": digest})
        file_rows.extend(
            {
                "path": m.path,
                "size": m.size,
                "mtime_ns": row["mtime_ns"],
                "content_hash": m.content_hash,
                "container": path,
            }
            for m in result.members
        )
        frames.append(articles)
        rejects.extend(aggregated([*result.rejects, *sidecar_rejects], options.rejects_per_reason))
    articles = pl.concat(frames) if frames else empty(RAW_ARTICLE_SCHEMA)
    return ReadOutput(
        files=pl.DataFrame(file_rows, schema=READ_FILE_SCHEMA),
        unchanged=pl.DataFrame(unchanged_rows, schema={"path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64}),
        articles=articles.pipe(derive_outlet).pipe(flag_dates),
        rejects=rejects_frame(rejects),
    )


def _read_guarded(
    path: str, data: bytes, sidecar: bytes | None, options: ReadOptions, manifest: pl.DataFrame | None
) -> tuple[ReadResult, pl.DataFrame, list[Reject]] | Reject:
    """Read one file within its time budget; past it, or on any unexpected exception, the file's reject.

    An exception here is a newsflow bug, not bad input: it is logged once with
    its traceback, the file is quarantined as internal_error, the batch goes on.
    """
    try:
        with time_budget(options.read_seconds_per_file):
            result = read_file(path, data, options)
            articles, sidecar_rejects = _with_metadata(path, result, sidecar, manifest)
            articles = conform(articles, RAW_ARTICLE_SCHEMA)
    except ReadTimeout:
        detail = f"reading took over {options.read_seconds_per_file:g} s (limits.read_seconds_per_file)"
        return Reject(path, "read", RejectReason.TIMEOUT, detail)
    except Exception as error:  # noqa: BLE001 -- one file's bug must not stop the batch
        log.error("internal error reading %s; quarantined as internal_error", path, exc_info=True)
        return Reject(path, "read", RejectReason.INTERNAL_ERROR, error_summary(error))
    return result, articles, sidecar_rejects


def error_summary(error: BaseException, limit: int = 300) -> str:
    """`Type: first line of the message`, bytes-safe and at most `limit` characters."""
    lines = str(error).strip().splitlines()
    text = without_surrogates(f"{type(error).__name__}: {lines[0] if lines else ''}".rstrip(": "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def aggregated(rejects: list[Reject], per_reason: int) -> list[Reject]:
    """At most `per_reason` rejects per (path, reason); the rest of each counted in one more_rejects row."""
    kept, extra = [], Counter()
    seen: Counter = Counter()
    for reject in rejects:
        key = (reject.path, reject.reason)
        seen[key] += 1
        if seen[key] <= per_reason:
            kept.append(reject)
        else:
            extra[key] += 1
    for (path, reason), count in extra.items():
        detail = f"{count} more {reason} reject(s) not listed (limits.rejects_per_reason = {per_reason})"
        kept.append(Reject(path, "read", RejectReason.MORE_REJECTS, detail, f"more-{reason}"))
    return kept


def manifest_fingerprints(manifest: pl.DataFrame | None) -> dict[str, bytes]:
    """Per file on disk, the manifest rows that apply to it (its own and its members'), as bytes.

    They are part of the file's content hash, so a file whose manifest rows
    changed is reprocessed once it is hashed again (touch it, or run with
    input.trust_mtime = false).
    """
    if manifest is None or manifest.is_empty():
        return {}
    keyed = manifest.with_columns(_file=pl.col("path").str.split("!").list.first()).sort("path")
    return {
        file: b"\x00manifest\x00" + rows.drop("_file").write_json().encode()
        for (file,), rows in keyed.group_by("_file", maintain_order=True)
    }


def _with_metadata(
    path: str, result: ReadResult, sidecar: bytes | None, manifest: pl.DataFrame | None
) -> tuple[pl.DataFrame, list[Reject]]:
    """Manifest rows, then the file's sidecar, then archive members' sidecars (the most specific wins)."""
    articles, rejects = result.articles, []
    if manifest is not None:
        articles = apply_manifest(articles, manifest)
    if sidecar is not None:
        fields = parse_sidecar(sidecar)
        if isinstance(fields, str):
            detail = f"{sidecar_path(path)}: {fields}"
            rejects.append(Reject(path, "metadata", RejectReason.INVALID_METADATA, detail, SIDECAR_ITEM))
        else:
            articles = apply_overrides(articles, fields, "sidecar")
    member_fields = {}
    for member, data in result.sidecars.items():
        fields = parse_sidecar(data)
        if isinstance(fields, str):
            detail = f"{sidecar_path(member)}: {fields}"
            rejects.append(Reject(member, "metadata", RejectReason.INVALID_METADATA, detail, SIDECAR_ITEM))
        else:
            member_fields[member] = fields
    return apply_member_sidecars(articles, member_fields), rejects


def _read_sidecar(path: str, limit: int) -> bytes | None:
    """The bytes of `<path>.meta.json` next to a file (not inside an archive), if there is one."""
    candidate = Path(sidecar_path(path))
    return _read_bytes(str(candidate), limit) if candidate.is_file() else None


def _read_bytes(path: str, limit: int) -> bytes:
    """Read at most limit+1 bytes; transient OS errors raise TransientError (retried)."""
    try:
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:  # a fifo must not block the run
            kind = stat.S_IFMT(os.fstat(handle.fileno()).st_mode)
            if kind != stat.S_IFREG:
                raise OSError(errno.EINVAL, f"not a regular file ({_SPECIAL_KINDS.get(kind, 'special file')})")
            data = handle.read(limit + 1)
    except OSError as error:
        if error.errno in _TRANSIENT_ERRNOS:
            raise TransientError(f"reading {path} failed: {error}") from error
        raise
    if len(data) > limit:  # grew since discovery
        raise OSError(errno.EFBIG, f"file grew over the {limit}-byte limit while reading")
    return data


def rejects_frame(rejects: list[Reject]) -> pl.DataFrame:
    if not rejects:
        return empty(REJECT_SCHEMA)
    return pl.DataFrame(
        {
            "path": [without_surrogates(r.path) for r in rejects],
            "item": [without_surrogates(r.item) for r in rejects],
            "stage": [r.stage for r in rejects],
            "reason": [str(r.reason) for r in rejects],
            "detail": [without_surrogates(r.detail) for r in rejects],
        },
        schema=REJECT_SCHEMA,
    )


def ledger_rows(files: pl.DataFrame, articles: pl.DataFrame, rejects: pl.DataFrame) -> pl.DataFrame:
    """Status per file or member from what it finally produced: loaded, partial, rejected or skipped.

    An archive's row counts the articles and rejects of all its members.
    Skipped WARC records (SKIPPED_RECORD) are counted in `skipped` and never
    make a file partial; a file that gave only skipped records is "skipped".
    """
    is_skip = (pl.col("reason") == str(RejectReason.SKIPPED_RECORD)).fill_null(False)
    rejects = conform(rejects, REJECT_SCHEMA)
    counted = files.with_columns(
        container=pl.col("container") if "container" in files.columns else pl.lit(None, pl.String)
    )
    for name, sources in (
        ("articles", articles.get_column("source_path")),
        ("rejects", rejects.filter(~is_skip).get_column("path")),
        ("skipped", rejects.filter(is_skip).get_column("path")),
    ):
        counted = counted.join(_counts_by_source(sources, name), on="path", how="left")
    counted = counted.with_columns(pl.col("articles", "rejects", "skipped").fill_null(0))
    status = (
        pl.when(pl.col("articles") > 0)
        .then(pl.when(pl.col("rejects") > 0).then(pl.lit("partial")).otherwise(pl.lit("loaded")))
        .when((pl.col("rejects") == 0) & (pl.col("skipped") > 0))
        .then(pl.lit("skipped"))
        .otherwise(pl.lit("rejected"))
    )
    return counted.with_columns(status=status)


def _counts_by_source(paths: pl.Series, name: str) -> pl.DataFrame:
    """How many rows name each source or one of its archive members ("a.zip!b" counts for a.zip too)."""
    parts = pl.col("path").str.split(MEMBER_SEPARATOR)
    return (
        pl.DataFrame({"path": paths}, schema={"path": pl.String})
        .with_columns(_parts=parts)
        .with_columns(_depth=pl.int_ranges(1, pl.col("_parts").list.len() + 1))
        .explode("_depth")
        .select(path=pl.col("_parts").list.head(pl.col("_depth")).list.join(MEMBER_SEPARATOR))
        .group_by("path")
        .agg(pl.len().cast(pl.Int32).alias(name))
    )
