"""Run-level writes of the summit/key-term stage: the summit calendar and ranked key terms.

Both rewrite their table completely from what the warehouse holds (idempotent):
`summits` from configs/summits.toml, `key_terms` by TF-IDF over every
article's candidate terms (`warehouse/key_terms.sql`).
"""

from pathlib import Path

import duckdb
import polars as pl

RANK_SQL = Path(__file__).with_suffix(".sql")


def write_summit_calendar(con: duckdb.DuckDBPyConnection, calendar: pl.DataFrame) -> int:
    """Replace `summits` with the calendar (SUMMIT_SCHEMA rows)."""
    con.register("calendar_rows", calendar.to_arrow())
    try:
        con.execute("begin transaction")
        con.execute("delete from summits")
        con.execute("insert into summits by name select * from calendar_rows")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        con.unregister("calendar_rows")
    return calendar.height


def rank_key_terms(con: duckdb.DuckDBPyConnection, per_article: int, per_summit: int) -> dict[str, int]:
    """Rewrite `key_terms`; return the rows per scope."""
    statements = [_without_comments(s) for s in RANK_SQL.read_text(encoding="utf-8").split(";")]
    statements = [s for s in statements if s.strip()]
    try:
        con.execute("begin transaction")
        for statement in statements:
            params = {
                k: v for k, v in {"per_article": per_article, "per_summit": per_summit}.items() if f"${k}" in statement
            }
            con.execute(statement, params)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return dict(con.execute("select scope, count(*) from key_terms group by scope order by scope").fetchall())


def _without_comments(statement: str) -> str:
    return "\n".join(line for line in statement.splitlines() if not line.strip().startswith("--"))
