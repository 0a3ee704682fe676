"""Prefect artifacts of a run: a markdown summary and a table of rejects.

While batches run, `flows.progress.ArtifactProgress` adds a progress artifact
(`newsflow-progress`) and a link to the warehouse (`newsflow-warehouse`).
"""

from pathlib import Path

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from flows.run_insights import run_insights
from flows.summary import render_markdown
from warehouse.connection import open_warehouse
from warehouse.report import run_report

SUMMARY_KEY = "newsflow-run-summary"
REJECTS_KEY = "newsflow-rejects"
MAX_REJECT_ROWS = 500


def publish_run_artifacts(db_path: Path, run_id: str, timeout: float, stages: list[dict] | None = None) -> None:
    with open_warehouse(db_path, read_only=True, timeout_seconds=timeout) as con:
        report = run_report(con, run_id)
        insights = run_insights(con, run_id)
    create_markdown_artifact(
        key=SUMMARY_KEY, markdown=render_markdown(report, stages, insights), description=f"newsflow run {run_id}"
    )
    if report.rejects.height:
        create_table_artifact(
            key=REJECTS_KEY,
            table=report.rejects.head(MAX_REJECT_ROWS).to_dicts(),
            description=f"inputs quarantined by run {run_id} (first {MAX_REJECT_ROWS})",
        )
