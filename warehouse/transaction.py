"""One DuckDB transaction as a context manager: commit on success, roll back on error.

Every multi-statement write of newsflow goes through it (loads, migrations,
views, search index, key terms, clustering), so a failure leaves nothing of
the block behind. When the commit itself fails (a full disk), DuckDB has
already ended the transaction and the rollback fails too: the commit's error
is the one raised, with the rollback's as a note.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import polars as pl


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, **frames: pl.DataFrame) -> Iterator[None]:
    """One transaction with `frames` registered as views under their names for its span."""
    for name, frame in frames.items():
        con.register(name, frame.to_arrow())
    try:
        con.execute("begin transaction")
        yield
        con.execute("commit")
    except Exception as error:
        try:
            con.execute("rollback")
        except duckdb.Error as second:
            error.add_note(f"(rollback: {second})")
        raise
    finally:
        for name in frames:
            con.unregister(name)
