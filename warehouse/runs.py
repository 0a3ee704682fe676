"""The `runs` table: one row per run, opened at start and closed at the end.

A run that dies without closing its row stays `running`; the next run marks
such rows `failed` (see `close_abandoned_runs`) so history never lies.
"""

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import duckdb


def new_run_id(now: datetime | None = None) -> str:
    """Sortable and unique: 20190227T101500Z-1a2b3c4d."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


def start_run(
    con: duckdb.DuckDBPyConnection, run_id: str, inputs: Sequence[str], config_hash: str, flow_run_id: str | None
) -> None:
    con.execute(
        "insert into runs (run_id, flow_run_id, started_at, status, inputs, config_hash)"
        " values (?, ?, now(), 'running', ?, ?)",
        [run_id, flow_run_id, json.dumps(list(inputs)), config_hash],
    )


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    status: str,
    counts: Mapping[str, int],
    pipelines: Mapping[str, str] | None = None,
    error: str | None = None,
) -> None:
    con.execute(
        """
        update runs set finished_at = now(), status = ?, pipelines = ?, error = ?,
            files_seen = ?, files_changed = ?, files_skipped = ?, articles = ?, mentions = ?, rejects = ?
        where run_id = ?
        """,
        [
            status,
            json.dumps(dict(pipelines or {}), sort_keys=True),
            error,
            counts.get("files_seen", 0),
            counts.get("files_changed", 0),
            counts.get("files_skipped", 0),
            counts.get("articles", 0),
            counts.get("mentions", 0),
            counts.get("rejects", 0),
            run_id,
        ],
    )


def close_abandoned_runs(con: duckdb.DuckDBPyConnection) -> int:
    """Mark runs left `running` by a process that died as failed, with what they committed.

    Every batch a dead run committed stays (it is one transaction), so its row
    counts the files, articles, mentions and rejects still attributed to it,
    and `finished_at` is its last committed batch (its start if it committed
    none): the last moment it is known to have been alive. Files it only
    discovered are unknown and stay uncounted. Only call this while holding the
    run lock: then no other run is live.
    """
    abandoned = con.execute("select count(*) from runs where status = 'running'").fetchone()[0]
    if abandoned:
        con.execute(
            """
            update runs set
                status = 'failed',
                error = coalesce(error, 'the run stopped without finishing (process killed?)'),
                finished_at = coalesce(finished_at, (select max(processed_at) from files f where f.run_id = runs.run_id), started_at),
                files_changed = (select count(*) from files f where f.run_id = runs.run_id and f.container is null),
                articles = (select count(*) from articles a where a.run_id = runs.run_id),
                mentions = (select count(*) from mentions m join articles a using (article_id) where a.run_id = runs.run_id),
                rejects = (select count(*) from rejects r where r.run_id = runs.run_id)
            where status = 'running'
            """
        )
    return abandoned
