"""Human-readable summaries of a run, for the terminal and for artifacts."""

import polars as pl

from flows.run_insights import RunInsights
from warehouse.report import RunReport

QUOTE_CHARS = 100  # a quote longer than this is cut in the terminal summary


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
        *_summit_lines(report),
    ]
    if report.rejects.height:
        by_reason = report.rejects.group_by("reason").len().sort("len", descending=True)
        lines.append("  rejects by reason: " + ", ".join(f"{r} {n}" for r, n in by_reason.iter_rows()))
        for row in report.rejects.head(10).iter_rows(named=True):
            item = f"!{row['item']}" if row["item"] else ""
            lines.append(f"    {row['reason']}: {row['path']}{item} ({row['detail']})")
    return "\n".join(lines)


def render_markdown(report: RunReport, stages: list[dict] | None = None, insights: RunInsights | None = None) -> str:
    """The run's summary artifact: counts, counts per stage, rejects by reason, new entities, top quotes."""
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
        *_summit_markdown(report),
        f"Pipelines: `{run.get('pipelines')}` · config `{run.get('config_hash')}`",
    ]
    if stages:
        lines += ["", "## Stages", "", "| stage | in | out | rejects | seconds |", "|---|---|---|---:|---:|"]
        lines += [
            f"| {row['stage']} | {row['in']} | {row['out']} | {row['rejects']} | {_or_dash(row['seconds'])} |"
            for row in stages
        ]
    if report.rejects.height:
        by_reason = report.rejects.group_by("stage", "reason").len().sort("len", "reason", descending=[True, False])
        lines += ["", "## Rejects by reason", "", "| reason | count | stage |", "|---|---:|---|"]
        lines += [f"| {reason} | {count} | {stage} |" for stage, reason, count in by_reason.iter_rows()]
    if insights is not None:
        lines += ["", f"## New entities ({insights.new_entity_count})", ""]
        if insights.new_entities.height:
            lines += ["| entity | type | Wikidata | mentions | articles |", "|---|---|---|---:|---:|"]
            lines += [
                f"| {_cell(r['canonical_name'])} | {r['type']} | {r['wikidata_id'] or ''} | {r['mentions']} | {r['articles']} |"
                for r in insights.new_entities.iter_rows(named=True)
            ]
        else:
            lines.append("No entity appeared for the first time in this run.")
        if insights.top_quotes is not None:
            lines += ["", "## Top quotes", ""]
            lines += [_quote(r) for r in insights.top_quotes.iter_rows(named=True)] or [
                "No quotes in the articles of this run."
            ]
    return "\n".join(lines)


def _quote(row: dict) -> str:
    """One list item per quote, its speaker on the same line: blockquotes in a row run together in
    the Prefect UI, so that each "— Speaker" read as the header of the next quote."""
    source = ", ".join(f"*{_cell(v)}*" if k == "title" else _cell(v) for k, v in row.items() if k in ("title", "outlet") and v)
    by = f"**{_cell(row['speaker'] or 'unknown speaker')}**" + (f", {source}" if source else "")
    return f"1. “{_cell(row['quote'])}” — {by}"


def _or_dash(value) -> str:
    return "–" if value is None else str(value)


def _cell(text: str) -> str:
    """Text safe inside a markdown table cell or quote line."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _summit_lines(report: RunReport) -> list[str]:
    """Summits with their key terms, and this run's best-attributed quotes (terminal)."""
    lines = []
    for row in report.summit_terms.iter_rows(named=True) if report.summit_terms is not None else []:
        lines.append(f"  summit {row['summit_id']} ({row['articles']} articles), key terms: {row['terms'] or 'none'}")
    for row in report.top_quotes.iter_rows(named=True) if report.top_quotes is not None else []:
        quote = " ".join(row["quote"].split())
        lines.append(f"  quote: {row['speaker']}: „{quote[:QUOTE_CHARS]}{'…' if len(quote) > QUOTE_CHARS else ''}“")
    return lines


def _summit_markdown(report: RunReport) -> list[str]:
    if report.summit_terms is None or not report.summit_terms.height:
        return []
    lines = ["## Summits and key terms", "", "| summit | articles | key terms |", "|---|---:|---|"]
    lines += [
        f"| {row['summit_id']} | {row['articles']} | {_cell(row['terms'])} |"
        for row in report.summit_terms.iter_rows(named=True)
    ]
    return [*lines, ""]
