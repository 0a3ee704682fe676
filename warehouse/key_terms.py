"""Run-level writes of the summit/key-term stage: the summit calendar and ranked key terms.

Both rewrite their table completely from what the warehouse holds (idempotent):
`summits` from configs/summits.toml, `key_terms` by TF-IDF over every
article's candidate terms (`warehouse/key_terms.sql`). A run whose articles'
terms, summit tags, calendar and settings are those of the last ranking
skips both (`step_state`).
"""

from pathlib import Path

import duckdb
import polars as pl

from warehouse import step_state
from warehouse.transaction import transaction

RANK_SQL = Path(__file__).with_suffix(".sql")


def write_summit_calendar(con: duckdb.DuckDBPyConnection, calendar: pl.DataFrame) -> int:
    """Replace `summits` with the calendar (SUMMIT_SCHEMA rows)."""
    with transaction(con, calendar_rows=calendar):
        con.execute("delete from summits")
        con.execute("insert into summits by name select * from calendar_rows")
    return calendar.height


STEP = "summits-key-terms"
_INPUTS_SQL = """
select
    (select count(*) || ':' || coalesce(sum(hash(t.article_id, t.language, t.term, t.display, t.count)), 0)
     from article_terms t semi join articles a using (article_id)),
    (select count(*) || ':' || coalesce(sum(hash(article_id, summit_id)), 0) from article_summits)
"""


def refresh_summits_and_key_terms(
    con: duckdb.DuckDBPyConnection, calendar: pl.DataFrame, per_article: int, per_summit: int, run_id: str | None
) -> dict:
    """Write the calendar and rank key terms, unless nothing they derive from changed since the last time."""
    fingerprint = step_state.digest((con.execute(_INPUTS_SQL).fetchone(), calendar.rows(), per_article, per_summit))
    if step_state.is_unchanged(con, STEP, fingerprint):
        return {"changed": False}
    summits = write_summit_calendar(con, calendar)
    ranked = rank_key_terms(con, per_article, per_summit)
    step_state.record(con, STEP, fingerprint, run_id)
    return {"changed": True, "summits": summits, "key_terms": ranked}


def rank_key_terms(con: duckdb.DuckDBPyConnection, per_article: int, per_summit: int) -> dict[str, int]:
    """Rewrite `key_terms`; return the rows per scope."""
    statements = [_without_comments(s) for s in RANK_SQL.read_text(encoding="utf-8").split(";")]
    statements = [s for s in statements if s.strip()]
    with transaction(con):
        for statement in statements:
            params = {
                k: v for k, v in {"per_article": per_article, "per_summit": per_summit}.items() if f"${k}" in statement
            }
            con.execute(statement, params)
    return dict(con.execute("select scope, count(*) from key_terms group by scope order by scope").fetchall())


def _without_comments(statement: str) -> str:
    return "\n".join(line for line in statement.splitlines() if not line.strip().startswith("--"))
