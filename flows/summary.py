"""Human-readable summaries of a run, for the terminal and for artifacts."""

import polars as pl

from warehouse.report import RunReport


def _names(frame: pl.DataFrame) -> str:
    return ", ".join(f"{row['canonical_name']} ({row['mentions']})" for row in frame.iter_rows(named=True)) or "none"


def render_text(report: RunReport) -> str:
    run = report.run
    types = ", ".join(f"{r['label']} {r['mentions']}" for r in report.entity_types.iter_rows(named=True)) or "none"
    lines = [
        f"run {run.get('run_id')}: {run.get('status')}",
        f"  files: {run.get('files_seen')} seen, {run.get('files_changed')} processed, {run.get('files_skipped')} unchanged",
        f"  articles loaded: {run.get('articles')}   mentions: {run.get('mentions')}   rejects: {run.get('rejects')}",
        f"  entities by type (warehouse): {types}",
        f"  top people: {_names(report.top_people)}",
        f"  top places: {_names(report.top_places)}",
    ]
    if report.rejects.height:
        by_reason = report.rejects.group_by("reason").len().sort("len", descending=True)
        lines.append("  rejects by reason: " + ", ".join(f"{r} {n}" for r, n in by_reason.iter_rows()))
        for row in report.rejects.head(10).iter_rows(named=True):
            item = f"!{row['item']}" if row["item"] else ""
            lines.append(f"    {row['reason']}: {row['path']}{item} ({row['detail']})")
    return "\n".join(lines)


def render_markdown(report: RunReport) -> str:
    run = report.run
    lines = [
        f"# newsflow run `{run.get('run_id')}`",
        "",
        "| files seen | processed | unchanged | articles | mentions | rejects |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {run.get('files_seen')} | {run.get('files_changed')} | {run.get('files_skipped')} "
        f"| {run.get('articles')} | {run.get('mentions')} | {run.get('rejects')} |",
        "",
        f"**Top people:** {_names(report.top_people)}",
        "",
        f"**Top places:** {_names(report.top_places)}",
        "",
        f"Pipelines: `{run.get('pipelines')}` · config `{run.get('config_hash')}`",
    ]
    if report.rejects.height:
        by_reason = report.rejects.group_by("reason").len().sort("len", descending=True)
        lines += ["", "## Rejects by reason", "", "| reason | count |", "|---|---:|"]
        lines += [f"| {reason} | {count} |" for reason, count in by_reason.iter_rows()]
    return "\n".join(lines)

