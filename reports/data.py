"""What the HTML report shows, read from the marts through named queries.

Each section is a frame, or None when the warehouse does not have the mart
yet (e.g. quotes before the quotes stage ran); an empty frame means the mart
exists but holds no rows. The page says which of the two it is.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import polars as pl

from warehouse.named_queries import relation_exists, run_named


@dataclass(frozen=True)
class ReportData:
    generated_at: str
    totals: dict[str, int]
    coverage: pl.DataFrame | None  # summit, published_date, outlet, articles, stories
    undated_articles: int
    top_people: pl.DataFrame | None  # summit, canonical_name, articles, stories, mentions
    top_places: pl.DataFrame | None
    quotes: pl.DataFrame | None  # speaker, outlet, quotes, stories
    duplicates: pl.DataFrame | None  # outlet, articles, stories, copies, copy_share
    rejects: pl.DataFrame | None  # stage, reason, rejects


def _section(con, needs: str, query: str, params: dict | None = None) -> pl.DataFrame | None:
    return run_named(con, query, params) if relation_exists(con, needs) else None


ALL_ARTICLES = "all articles"  # the "summit" of a chart when the warehouse has no summit tags


def _overall_and_per_summit(
    con, summit_query: str, overall_query: str, needs: str, params: dict | None = None
) -> pl.DataFrame | None:
    """The whole warehouse under ALL_ARTICLES first, then each summit that tags something."""
    overall = _section(con, needs, overall_query, params)
    if overall is None:
        return None
    frames = [overall.select(pl.lit(ALL_ARTICLES).alias("summit"), pl.all())]
    if relation_exists(con, "stg_article_summits"):
        frames.append(run_named(con, summit_query, params).select(frames[0].columns))
    return pl.concat(frames, how="vertical_relaxed")


def _per_summit(con, summit_query: str, overall_query: str, needs: str, params: dict | None = None) -> pl.DataFrame | None:
    """Per summit when summit tags exist and tag something, else the whole warehouse under ALL_ARTICLES."""
    if relation_exists(con, "stg_article_summits"):
        frame = run_named(con, summit_query, params)
        if not frame.is_empty():
            return frame
    overall = _section(con, needs, overall_query, params)
    return None if overall is None else overall.select(pl.lit(ALL_ARTICLES).alias("summit"), pl.all())


def collect_report(con: duckdb.DuckDBPyConnection, top: int = 15) -> ReportData:
    totals = {
        "articles": con.execute("select count(*) from articles").fetchone()[0],
        "mentions": con.execute("select count(*) from mentions").fetchone()[0],
        "rejects": con.execute("select count(*) from rejects").fetchone()[0],
        "runs": con.execute("select count(*) from runs").fetchone()[0],
    }
    undated = _section(con, "mart_articles", "report_undated_articles")
    return ReportData(
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        totals=totals,
        coverage=_per_summit(con, "report_summit_coverage_daily", "report_coverage_daily", "mart_coverage_daily"),
        undated_articles=int(undated["articles"][0]) if undated is not None else 0,
        top_people=_overall_and_per_summit(
            con, "report_summit_top_entities", "report_top_entities", "mart_article_entities", {"entity_type": "PER", "limit": top}
        ),
        top_places=_overall_and_per_summit(
            con, "report_summit_top_entities", "report_top_entities", "mart_article_entities", {"entity_type": "LOC", "limit": top}
        ),
        quotes=_section(con, "mart_quotes_by_speaker", "report_quotes_by_outlet", {"limit": top}),
        duplicates=_section(con, "mart_articles", "report_duplicates_by_outlet"),
        rejects=_section(con, "stg_rejects", "report_rejects"),
    )
