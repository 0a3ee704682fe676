"""`newsflow report`: one self-contained HTML page of plotly charts that works offline.

plotly.js is inlined from the pinned `plotly` wheel (plotly/package_data/
plotly.min.js), never loaded from a CDN, so the file can be mailed or opened
on a machine without network. A section whose mart does not exist yet, or has
no rows, shows a "no data" note saying which of the two it is.
"""

import html
from importlib.resources import files
from pathlib import Path

import plotly.graph_objects as go
from plotly.subplots import make_subplots
import polars as pl

from reports.data import ALL_ARTICLES, ReportData

MAX_OUTLETS = 12  # timeline lines; the rest are summed as "(other outlets)"
MAX_SUMMITS = 6  # timeline panels (summits with the most articles)
MAX_SUMMIT_COLUMNS = 4  # side-by-side panels of the people and places charts
PALETTE = ("#636efa", "#ef553b", "#00cc96", "#ab63fa", "#ffa15a", "#19d3f3", "#ff6692", "#b6e880", "#ff97ff", "#fecb52")
_TEMPLATE, _HEIGHT, _MARGIN = "plotly_white", 420, {"l": 60, "r": 20, "t": 60, "b": 60}


def plotly_js() -> str:
    return files("plotly").joinpath("package_data/plotly.min.js").read_text(encoding="utf-8")


def _figure_html(figure: go.Figure, div_id: str) -> str:
    figure.update_layout(template=_TEMPLATE, margin=_MARGIN)
    if figure.layout.height is None:
        figure.update_layout(height=_HEIGHT)
    return figure.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config={"displaylogo": False})


def _no_data(frame: pl.DataFrame | None, missing_what: str, why_empty: str = "nothing to show yet") -> str | None:
    if frame is None:
        return f"No data: {missing_what} is not in this warehouse yet."
    if frame.is_empty():
        return f"No data: {why_empty}."
    return None


def empty_reasons(data: ReportData) -> dict[str, str]:
    """Why each section would be empty, from the warehouse's totals (a run that found nothing says so)."""
    articles = data.totals["articles"]
    if articles == 0:
        none = "the warehouse holds no articles yet (load some with `newsflow run`)"
        return dict.fromkeys(("coverage", "people", "places", "quotes", "duplicates"), none) | {
            "rejects": "no input was quarantined" if data.totals["rejects"] == 0 else none
        }
    return {
        "coverage": f"none of the {articles} articles has a publication date" if data.undated_articles == articles
        else "no dated article falls on a day with coverage",
        "people": f"no person was recognised in the {articles} articles",
        "places": f"no place was recognised in the {articles} articles",
        "quotes": f"no quote with a named speaker was found in the {articles} articles",
        "duplicates": "no article is in the articles mart",
        "rejects": "no input was quarantined",
    }


def _summits(frame: pl.DataFrame, limit: int) -> list[str]:
    """The corpus-wide panel first, then the summits with the most articles (at most `limit` panels)."""
    ranked = frame.group_by("summit").agg(pl.col("articles").sum()).sort(["articles", "summit"], descending=[True, False])
    names = ranked["summit"].to_list()
    ordered = [ALL_ARTICLES] * (ALL_ARTICLES in names) + [name for name in names if name != ALL_ARTICLES]
    return ordered[:limit]


def coverage_figure(coverage: pl.DataFrame) -> go.Figure:
    """One panel per summit, one line per outlet (the biggest MAX_OUTLETS; the rest summed)."""
    totals = coverage.group_by("outlet").agg(pl.col("articles").sum()).sort(["articles", "outlet"], descending=[True, False])
    keep = totals["outlet"].head(MAX_OUTLETS).to_list()
    lines = (
        coverage.with_columns(outlet=pl.when(pl.col("outlet").is_in(keep)).then("outlet").otherwise(pl.lit("(other outlets)")))
        .group_by("summit", "published_date", "outlet")
        .agg(pl.col("articles").sum(), pl.col("stories").sum())
        .sort("published_date")
    )
    summits = _summits(coverage, MAX_SUMMITS)
    figure = make_subplots(rows=len(summits), cols=1, subplot_titles=summits, vertical_spacing=0.12 / len(summits))
    colors = {outlet: PALETTE[i % len(PALETTE)] for i, outlet in enumerate(keep + ["(other outlets)"])}
    in_legend: set[str] = set()
    for row, summit in enumerate(summits, start=1):
        for outlet in colors:
            rows = lines.filter((pl.col("summit") == summit) & (pl.col("outlet") == outlet))
            if rows.is_empty():
                continue
            figure.add_trace(
                go.Scatter(
                    x=rows["published_date"].to_list(), y=rows["articles"].to_list(), mode="lines+markers", name=outlet,
                    legendgroup=outlet, showlegend=outlet not in in_legend, line={"color": colors[outlet]},
                    customdata=rows["stories"].to_list(),
                    hovertemplate="%{x}<br>%{y} articles, %{customdata} distinct stories<extra>" + outlet + "</extra>",
                ),
                row=row, col=1,
            )  # fmt: skip
            in_legend.add(outlet)
    days = (coverage["published_date"].max() - coverage["published_date"].min()).days
    figure.update_xaxes(type="date", tickformat="%d %b %Y", **({"dtick": 86_400_000} if days <= 14 else {}))
    figure.update_yaxes(title_text="articles", rangemode="tozero")
    figure.update_layout(title="Articles per day and outlet, per summit", height=max(420, 300 * len(summits)))
    figure.update_yaxes(rangemode="tozero")
    return figure


def entities_figure(frame: pl.DataFrame, title: str) -> go.Figure:
    """One panel per summit: horizontal bars of articles per entity, the largest on top."""
    summits = _summits(frame, MAX_SUMMIT_COLUMNS)
    figure = make_subplots(rows=1, cols=len(summits), subplot_titles=summits, horizontal_spacing=0.25 / len(summits))
    for col, summit in enumerate(summits, start=1):
        rows = frame.filter(pl.col("summit") == summit).reverse()
        figure.add_trace(
            go.Bar(
                x=rows["articles"].to_list(), y=rows["canonical_name"].to_list(), orientation="h", showlegend=False, marker={"color": PALETTE[0]},
                customdata=list(zip(rows["stories"].to_list(), rows["mentions"].to_list())),
                hovertemplate="%{y}: %{x} articles, %{customdata[0]} stories, %{customdata[1]} mentions<extra></extra>",
            ),
            row=1, col=col,
        )  # fmt: skip
    figure.update_xaxes(title_text="articles", rangemode="tozero")
    figure.update_layout(title=title)
    return figure


def quotes_figure(frame: pl.DataFrame) -> go.Figure:
    """Speakers (most quoted on top) × outlets (most quoting on the left); the colour scale starts at 0."""
    speakers = _by_total(frame, "speaker")
    outlets = _by_total(frame, "outlet")
    table = (
        frame.pivot(on="outlet", index="speaker", values="quotes", aggregate_function="sum")
        .fill_null(0)
        .join(pl.DataFrame({"speaker": speakers[::-1]}), on="speaker", how="right")  # heatmap rows go bottom-up
        .fill_null(0)
    )
    figure = go.Figure(
        go.Heatmap(
            z=table.select(outlets).rows(), x=outlets, y=table["speaker"].to_list(), colorscale="Blues", zmin=0,
            hovertemplate="%{y} quoted by %{x}: %{z}<extra></extra>",
        )
    )  # fmt: skip
    figure.update_layout(title="Who quoted whom: quotes per speaker and outlet")
    return figure


def _by_total(frame: pl.DataFrame, column: str) -> list[str]:
    """Values of `column` by their total quotes, largest first (ties by name)."""
    totals = frame.group_by(column).agg(pl.col("quotes").sum()).sort(["quotes", column], descending=[True, False])
    return totals[column].to_list()


def duplicates_figure(frame: pl.DataFrame) -> go.Figure:
    rows = frame.head(MAX_OUTLETS * 2)
    outlets = rows["outlet"].to_list()
    figure = go.Figure(
        [
            go.Bar(name="distinct stories", x=outlets, y=(rows["articles"] - rows["copies"]).to_list()),
            go.Bar(name="copies (syndicated or duplicate)", x=outlets, y=rows["copies"].to_list()),
        ]
    )
    share = frame["copies"].sum() / max(frame["articles"].sum(), 1)
    figure.update_layout(barmode="stack", title=f"Duplicate and syndicated share: {share:.1%} of articles are copies", yaxis_title="articles")
    return figure


def rejects_figure(frame: pl.DataFrame) -> go.Figure:
    labels = [f"{s}: {r}" for s, r in zip(frame["stage"].to_list(), frame["reason"].to_list())]
    figure = go.Figure(go.Bar(x=frame["rejects"].to_list()[::-1], y=labels[::-1], orientation="h"))
    figure.update_layout(title="Quarantined inputs by stage and reason", xaxis_title="rejects")
    return figure


def _section(title: str, body: str) -> str:
    return f'<section><h2>{html.escape(title)}</h2>\n{body}\n</section>'


def _chart_or_note(frame: pl.DataFrame | None, missing_what: str, build, div_id: str, why_empty: str) -> str:
    note = _no_data(frame, missing_what, why_empty)
    if note:
        return f'<p class="no-data">{html.escape(note)}</p>'
    return f'<div class="chart">{_figure_html(build(frame), div_id)}</div>'


def render_report(data: ReportData, title: str = "newsflow coverage report") -> str:
    totals = " · ".join(f"{value} {name}" for name, value in data.totals.items())
    undated = (
        f'<p class="note">{data.undated_articles} undated article(s) are not on the timeline.</p>'
        if data.undated_articles else ""
    )  # fmt: skip
    why = empty_reasons(data)
    sections = [
        _section(
            "Coverage timeline",
            _chart_or_note(data.coverage, "the coverage mart", coverage_figure, "chart-coverage", why["coverage"])
            + undated,
        ),
        _section(
            "Top people",
            _chart_or_note(
                data.top_people, "the entity mart", lambda f: entities_figure(f, "Most covered people: all articles and per summit"),
                "chart-people", why["people"],
            ),
        ),
        _section(
            "Top places",
            _chart_or_note(
                data.top_places, "the entity mart", lambda f: entities_figure(f, "Most covered places: all articles and per summit"),
                "chart-places", why["places"],
            ),
        ),
        _section(
            "Who quoted whom",
            _chart_or_note(data.quotes, "quote attribution (the quotes table)", quotes_figure, "chart-quotes", why["quotes"]),
        ),
        _section(
            "Duplicates and syndication",
            _chart_or_note(data.duplicates, "the articles mart", duplicates_figure, "chart-duplicates", why["duplicates"]),
        ),
        _section(
            "Rejects",
            _chart_or_note(data.rejects, "the rejects staging view", rejects_figure, "chart-rejects", why["rejects"]),
        ),
    ]  # fmt: skip
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }}
section {{ margin-bottom: 2.5rem; }}
.no-data {{ padding: 1rem; background: #f4f4f4; border-left: 4px solid #999; }}
.note, .meta {{ color: #666; }}
#js-errors:empty {{ display: none; }}
#js-errors {{ color: #b00; white-space: pre-wrap; }}
</style>
<script>
window.addEventListener("error", function (event) {{
  document.getElementById("js-errors").textContent += "JS error: " + event.message + "\\n";
}});
</script>
<script>{plotly_js()}</script>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p class="meta">Generated {html.escape(data.generated_at)} · {html.escape(totals)}</p>
<pre id="js-errors"></pre>
{chr(10).join(sections)}
</body>
</html>
"""


def write_report(data: ReportData, output: str | Path) -> Path:
    path = Path(output).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(render_report(data), encoding="utf-8")
    temporary.replace(path)
    return path
