"""Which inputs a run-level step last computed from (`step_state`, migration 010).

A step that rewrites a table from the whole warehouse digests its inputs and
settings, skips itself while the digest equals the recorded one, and records
the new digest after it ran.
"""

import hashlib

import duckdb


def digest(material: object) -> str:
    """A short stable digest of `material`'s repr (tuples, lists, numbers, strings)."""
    return hashlib.blake2b(repr(material).encode(), digest_size=16).hexdigest()


def is_unchanged(con: duckdb.DuckDBPyConnection, step: str, fingerprint: str) -> bool:
    last = con.execute("select fingerprint from step_state where step = ?", [step]).fetchone()
    return last is not None and last[0] == fingerprint


def record(con: duckdb.DuckDBPyConnection, step: str, fingerprint: str, run_id: str | None = None) -> None:
    con.execute(
        "insert or replace into step_state (step, fingerprint, run_id, updated_at) values (?, ?, ?, now())",
        [step, fingerprint, run_id],
    )
