"""Reading a batch of input files: bytes, content hash, size limit, format readers.

This is the I/O edge of the pipeline. An unchanged file (same hash as in the
ledger) is reported as such and not parsed; a file that cannot be read or
parsed becomes rejects, never an exception.
"""

import errno
import hashlib
from dataclasses import dataclass

import polars as pl

from newsflow.errors import TransientError
from transforms.readers import read_file
from transforms.rejects import Reject, RejectReason
from transforms.schemas import RAW_ARTICLE_SCHEMA, REJECT_SCHEMA, conform, empty

# errno values worth a retry: the file system, not the file, is the problem
_TRANSIENT_ERRNOS = {errno.EIO, errno.EAGAIN, errno.EINTR, errno.ETIMEDOUT, errno.ESTALE, errno.EBUSY}


@dataclass(frozen=True)
class ReadOutput:
    files: pl.DataFrame  # path, size, mtime_ns, content_hash of every file read or rejected
    unchanged: pl.DataFrame  # path, size, mtime_ns of files whose hash matched the ledger
    articles: pl.DataFrame  # RAW_ARTICLE_SCHEMA
    rejects: pl.DataFrame  # REJECT_SCHEMA


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_inputs(files: pl.DataFrame, *, max_file_bytes: int, max_json_depth: int) -> ReadOutput:
    """Read every file of `files` (path, size, mtime_ns, known_hash)."""
    file_rows, unchanged_rows, frames, rejects = [], [], [], []
    for row in files.iter_rows(named=True):
        path = row["path"]
        if row["size"] > max_file_bytes:
            rejects.append(Reject(path, "read", RejectReason.TOO_LARGE, f"{row['size']} bytes > limit {max_file_bytes}"))
            file_rows.append({**row, "content_hash": ""})
            continue
        try:
            data = _read_bytes(path, max_file_bytes)
        except OSError as error:
            rejects.append(Reject(path, "read", RejectReason.UNREADABLE, f"{type(error).__name__}: {error.strerror or error}"))
            file_rows.append({**row, "content_hash": ""})
            continue
        digest = content_hash(data)
        if digest == row["known_hash"]:
            unchanged_rows.append({"path": path, "size": len(data), "mtime_ns": row["mtime_ns"]})
            continue
        file_rows.append({**row, "size": len(data), "content_hash": digest})
        result = read_file(path, data, max_json_depth=max_json_depth)
        frames.append(result.articles)
        rejects.extend(result.rejects)
    articles = pl.concat([conform(f, RAW_ARTICLE_SCHEMA) for f in frames]) if frames else empty(RAW_ARTICLE_SCHEMA)
    return ReadOutput(
        files=pl.DataFrame(
            [{k: r[k] for k in ("path", "size", "mtime_ns", "content_hash")} for r in file_rows],
            schema={"path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64, "content_hash": pl.String},
        ),
        unchanged=pl.DataFrame(unchanged_rows, schema={"path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64}),
        articles=articles,
        rejects=rejects_frame(rejects),
    )


def _read_bytes(path: str, limit: int) -> bytes:
    """Read at most limit+1 bytes; transient OS errors raise TransientError (retried)."""
    try:
        with open(path, "rb") as handle:
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
            "path": [r.path for r in rejects],
            "item": [r.item for r in rejects],
            "stage": [r.stage for r in rejects],
            "reason": [str(r.reason) for r in rejects],
            "detail": [r.detail for r in rejects],
        },
        schema=REJECT_SCHEMA,
    )


def ledger_rows(files: pl.DataFrame, articles: pl.DataFrame, rejects: pl.DataFrame) -> pl.DataFrame:
    """Status per file from what it finally produced: loaded, partial or rejected."""
    article_counts = articles.group_by(pl.col("source_path").alias("path")).agg(pl.len().cast(pl.Int32).alias("articles"))
    reject_counts = rejects.group_by("path").agg(pl.len().cast(pl.Int32).alias("rejects"))
    counted = (
        files.join(article_counts, on="path", how="left")
        .join(reject_counts, on="path", how="left")
        .with_columns(pl.col("articles", "rejects").fill_null(0))
    )
    status = (
        pl.when(pl.col("articles") == 0)
        .then(pl.lit("rejected"))
        .when(pl.col("rejects") > 0)
        .then(pl.lit("partial"))
        .otherwise(pl.lit("loaded"))
    )
    return counted.with_columns(status=status)
