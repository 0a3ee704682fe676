"""Read-only access for analysts: ad-hoc SQL and the status summary."""

from dataclasses import dataclass

import duckdb
import polars as pl
import pyarrow as pa

from newsflow.errors import ReadOnlyQueryError
from warehouse.connection import is_damage

_ALLOWED = {"StatementType.SELECT", "StatementType.EXPLAIN"}
_REFUSED_BY_ENGINE = (duckdb.PermissionException,)  # a file, an extension: see warehouse/sandbox.py
_LOCKED_SETTING = "the configuration has been locked"


def check_read_only(con: duckdb.DuckDBPyConnection, query: str) -> None:
    """Refuse anything but SELECT-like statements (COPY, ATTACH, SET, writes…), and EXPLAIN of anything else.

    The reader connection refuses files, extensions and settings itself
    (warehouse/sandbox.py); this check names the statement in the message.
    """
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as error:
        raise ReadOnlyQueryError(f"cannot parse the query: {error}") from None
    if not statements:
        raise ReadOnlyQueryError("the query is empty")
    for statement in statements:
        kind = str(statement.type)
        if kind not in _ALLOWED:
            raise _refused(kind.removeprefix("StatementType."))
        if kind == "StatementType.EXPLAIN":
            explained = _explained(statement.query)
            if explained is None:
                raise _refused("EXPLAIN of an unreadable")
            try:
                check_read_only(con, explained)
            except ReadOnlyQueryError:
                raise _refused("EXPLAIN of a non-SELECT") from None


def _refused(kind: str) -> ReadOnlyQueryError:
    article = "an" if kind[0] in "AEIOU" else "a"
    return ReadOnlyQueryError(
        f"`newsflow sql` is read-only; {article} {kind} statement is refused",
        fix="use SELECT (or SHOW/DESCRIBE/SUMMARIZE); the warehouse is changed only by `newsflow run`",
    )


def _explained(text: str) -> str | None:
    """The statement an EXPLAIN statement explains: after `explain`, an optional `analyze`, an optional `( … )`."""
    tokens = duckdb.tokenize(text)  # comments are not tokens
    words = [(start, text[start:end].strip().lower()) for (start, _), end in zip(tokens, [t[0] for t in tokens[1:]] + [len(text)])]
    if not words or words[0][1] != "explain":
        return None
    index = 1
    if index < len(words) and words[index][1] == "analyze":
        index += 1
    if index < len(words) and words[index][1] == "(":
        depth = 0
        while index < len(words):
            depth += {"(": 1, ")": -1}.get(words[index][1], 0)
            index += 1
            if depth == 0:
                break
    return text[words[index][0] :] if index < len(words) else None


def run_query(con: duckdb.DuckDBPyConnection, query: str, params: list | dict | None = None) -> pl.DataFrame:
    check_read_only(con, query)
    try:
        table = con.execute(query, params).to_arrow_table()
    except _REFUSED_BY_ENGINE as error:
        raise ReadOnlyQueryError(
            f"`newsflow sql` is read-only; the query reaches outside the warehouse: {str(error).strip().splitlines()[0]}",
            fix="query the warehouse's tables and views; to get a result as a file use --output FILE",
        ) from None
    except duckdb.Error as error:
        if is_damage(error):
            raise  # the file is damaged, not the query: open_warehouse names the file and the fix
        if _LOCKED_SETTING in str(error):
            raise _refused("SET") from None
        raise ReadOnlyQueryError(f"the query failed: {error}") from None
    return _to_polars(table)


def _to_polars(table: pa.Table) -> pl.DataFrame:
    """Polars cannot import Arrow intervals: show them as DuckDB writes them."""
    for index, field in enumerate(table.schema):
        if pa.types.is_interval(field.type):
            text = pa.array([None if v is None else _interval_text(v) for v in table.column(index).to_pylist()], pa.string())
            table = table.set_column(index, field.name, text)
    return pl.from_arrow(table)


def _interval_text(value) -> str:
    months, days, nanoseconds = value.months, value.days, value.nanoseconds
    seconds = nanoseconds / 1e9
    parts = [f"{months} months"] if months else []
    parts += [f"{days} days"] if days else []
    parts.append(f"{int(seconds // 3600):02d}:{int(seconds % 3600 // 60):02d}:{seconds % 60:06.3f}")
    return " ".join(parts)


@dataclass(frozen=True)
class Status:
    table_counts: pl.DataFrame  # table, rows
    last_runs: pl.DataFrame
    rejects_by_reason: pl.DataFrame


_TABLE_COUNTS = """
    select 'files' as table_name, count(*) as row_count from files
    union all select 'articles', count(*) from articles
    union all select 'mentions', count(*) from mentions
    union all select 'entities', count(*) from entities
    union all select 'rejects', count(*) from rejects
    union all select 'runs', count(*) from runs
"""


def warehouse_status(con: duckdb.DuckDBPyConnection, last: int = 5, live_run: bool = True) -> Status:
    """Row counts, the last runs and rejects by reason. Without a `live_run` (nobody holds the run
    lock), a run still marked running died without finishing: it shows as "stopped" until the next
    run records it as failed."""
    counts = con.execute(_TABLE_COUNTS).pl()
    runs = con.execute(
        """
        select run_id, case when status = 'running' and not $live then 'stopped' else status end as status, started_at, round(epoch(finished_at) - epoch(started_at), 1) as seconds,
               files_seen, files_changed, files_skipped, articles, mentions, rejects
        from runs order by started_at desc limit $last
        """,
        {"last": last, "live": live_run},
    ).pl()
    rejects = con.execute(
        "select stage, reason, count(*) as rejects from rejects group by all order by rejects desc, stage, reason"
    ).pl()
    return Status(counts, runs, rejects)
