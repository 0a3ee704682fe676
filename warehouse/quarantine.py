"""The quarantine as users list it: rejects with the file on disk and the archive member apart."""

import duckdb
import polars as pl

from newsflow.errors import NewsflowError

# An archive member's reject path is "archive!member"; files.container names the archive.
_REJECTS = """
    with runs_wanted as (
        select run_id from runs
        where ($run_id is null or run_id = $run_id)
    ),
    final as (
        select
            coalesce(f.container, r.path) as path,
            case when f.container is not null then substr(r.path, length(f.container) + 2) else '' end as member,
            r.item, r.stage, r.reason, r.detail, r.run_id, r.rejected_at
        from rejects r
        left join files f on f.path = r.path
        where r.run_id in (select run_id from runs_wanted)
          and ($reason is null or r.reason = $reason)
    )
    select * from final order by rejected_at desc, path, member, item
    limit $limit offset $offset
"""
_COUNT = """
    select count(*) from rejects r
    where r.run_id in (select run_id from runs where $run_id is null or run_id = $run_id)
      and ($reason is null or r.reason = $reason)
"""


class UnknownRunError(NewsflowError):
    code = "NF240"


def list_rejects(
    con: duckdb.DuckDBPyConnection,
    run_id: str | None = None,
    reason: str | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> pl.DataFrame:
    """Current rejects (a reprocessed file replaces its own), optionally of one run ("last": the latest run).

    `limit`/`offset` page in SQL: DuckDB keeps only the rows shown (a top-N), however many rejects there are.
    """
    run_id = _run_id(con, run_id)
    params = {"run_id": run_id, "reason": reason, "limit": limit, "offset": offset}
    return con.execute(_REJECTS, params).pl()


def count_rejects(con: duckdb.DuckDBPyConnection, run_id: str | None = None, reason: str | None = None) -> int:
    return con.execute(_COUNT, {"run_id": _run_id(con, run_id), "reason": reason}).fetchone()[0]


def _run_id(con: duckdb.DuckDBPyConnection, run_id: str | None) -> str | None:
    """The run id asked for, checked; "last" is the latest run."""
    if run_id == "last":
        row = con.execute("select run_id from runs order by started_at desc limit 1").fetchone()
        if row is None:
            raise UnknownRunError("the warehouse has no runs yet", fix="run `newsflow run` first")
        run_id = row[0]
    elif run_id is not None and con.execute("select count(*) from runs where run_id = ?", [run_id]).fetchone()[0] == 0:
        raise UnknownRunError(
            f"no run {run_id!r} in the warehouse", fix="see `newsflow status` for run ids, or use --run last"
        )
    return run_id
