"""The file ledger as the flow sees it: what was processed, with which hash."""

import duckdb
import polars as pl


def read_ledger(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """path, size, mtime_ns, content_hash of every file processed so far."""
    return con.execute("select path, size, mtime_ns, content_hash from files").pl()


def refresh_file_stats(con: duckdb.DuckDBPyConnection, files: pl.DataFrame) -> None:
    """Record the new size/mtime of files whose content hash did not change."""
    if files.is_empty():
        return
    con.register("touched_files", files.select("path", "size", "mtime_ns").to_arrow())
    try:
        con.execute(
            "update files set size = t.size, mtime_ns = t.mtime_ns from touched_files t where files.path = t.path"
        )
    finally:
        con.unregister("touched_files")
