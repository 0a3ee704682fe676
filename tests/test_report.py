"""The HTML report: self-contained, offline, and its charts really render in headless Chromium."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from newsflow.cli import main
from reports.data import collect_report
from reports.html import render_report, write_report
from tests.analyst_data import build_analyst_warehouse, tag_summits
from warehouse.connection import open_warehouse
from warehouse.models import apply_models
from warehouse.snapshot import open_reader

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--virtual-time-budget=10000",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: any network request would fail
]  # fmt: skip
CHARTS = ("chart-coverage", "chart-people", "chart-places", "chart-quotes", "chart-duplicates", "chart-rejects")


def chromium(page: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    if CHROMIUM is None:
        pytest.fail("Debian chromium is not installed (make browser installs it)")
    profile = tmp_path / "chromium-profile"
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def rendered_charts(dom: str) -> dict[str, int]:
    """SVG layers plotly drew inside each chart div."""
    counts = {}
    for chart in CHARTS:
        match = re.search(rf'<div id="{chart}"[^>]*>(.*?)</div>\s*<script', dom, re.S)
        counts[chart] = match.group(1).count('class="main-svg"') if match else 0
    return counts


def console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line and ("Uncaught" in line or "Error" in line)]


TRUMP_QUOTE = ("q1", "#1", "Es ist eine Ehre", 0, "Trump", "PER:donald-trump")


def insert_quotes(db_path: Path, *quotes: tuple) -> None:
    """Direct quotes (id, article item "#N", text, start, speaker as written, speaker entity) in the analyst warehouse."""
    rows = [
        (quote_id, f"/inbox/summit.jsonl{item}", "direct", text, start, start + 5, speaker, entity, 0.9)
        for quote_id, item, text, start, speaker, entity in quotes
    ]
    with open_warehouse(db_path) as con:
        con.executemany(
            "insert into quotes (quote_id, article_id, kind, text, start_char, end_char, speaker_text,"
            " speaker_entity_id, confidence) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


@pytest.fixture
def report(db_path, tmp_path) -> Path:
    build_analyst_warehouse(db_path)
    with open_reader(db_path) as con:
        return write_report(collect_report(con), tmp_path / "report.html")


def test_report_is_self_contained(report):
    page = report.read_text()
    assert not re.search(r"<(script|img|iframe)[^>]+src=", page) and "<link" not in page  # nothing fetched
    assert page.count("Plotly.newPlot") == 5  # every chart but quotes: no quotes in this warehouse
    assert 'id="chart-quotes"' not in page and page.count('class="no-data"') == 1
    assert "1 undated article(s)" in page
    assert "20.0% of articles are copies" in page  # #3 is an exact copy of #1


@pytest.mark.slow
def test_charts_render_in_headless_chromium_without_js_errors(report, tmp_path):
    dom = chromium(report, tmp_path, "--dump-dom")
    counts = rendered_charts(dom.stdout)
    drawn = {chart for chart, n in counts.items() if n}
    assert drawn == set(CHARTS) - {"chart-quotes"}, counts
    assert '<pre id="js-errors"></pre>' in dom.stdout
    assert console_errors(dom.stderr) == []


@pytest.mark.slow
def test_screenshot_is_not_blank(report, tmp_path):
    from PIL import Image

    shot = tmp_path / "report.png"
    chromium(report, tmp_path, f"--screenshot={shot}", "--window-size=1200,1600", "--hide-scrollbars")
    image = Image.open(shot).convert("RGB")
    colors = image.getcolors(maxcolors=1 << 20)
    assert len(colors) > 50  # text, axes, bars and lines in several colours; a blank page has one or two
    non_white = sum(count for count, rgb in colors if rgb != (255, 255, 255))
    assert non_white / (image.width * image.height) > 0.02


@pytest.mark.slow
def test_an_empty_warehouse_gives_a_report_of_no_data_notes(db_path, tmp_path):
    with open_warehouse(db_path) as con:
        apply_models(con)
    with open_reader(db_path) as con:
        data = collect_report(con)
    page = write_report(data, tmp_path / "empty.html")
    html = page.read_text()
    assert html.count('class="no-data"') == len(CHARTS)
    dom = chromium(page, tmp_path, "--dump-dom")
    assert '<pre id="js-errors"></pre>' in dom.stdout and console_errors(dom.stderr) == []


def test_missing_marts_are_named_not_crashed_on(db_path):
    with open_warehouse(db_path):
        pass  # migrated, but no views applied yet
    with open_reader(db_path) as con:
        data = collect_report(con)
    assert data.coverage is None and data.quotes is None
    assert "No data: the coverage mart is not in this warehouse yet." in render_report(data)


def test_report_command(db_path, tmp_path, capsys):
    build_analyst_warehouse(db_path)
    out = tmp_path / "sub" / "r.html"
    assert main(["report", "--db", str(db_path), "--output", str(out)]) == 0
    assert out.exists() and "works offline" in capsys.readouterr().out


@pytest.mark.slow
def test_summits_and_quotes_fill_every_chart(db_path, tmp_path):
    build_analyst_warehouse(db_path)
    tag_summits(db_path)
    insert_quotes(db_path, TRUMP_QUOTE, ("q2", "#4", "Nous verrons", 0, "Kim", "PER:kim-jong-un"))
    with open_reader(db_path) as con:
        data = collect_report(con)
    assert set(data.coverage["summit"]) == {"Hanoi summit", "Singapore summit"}
    assert data.top_people.filter(data.top_people["summit"] == "Hanoi summit")["canonical_name"].to_list() == [
        "Donald Trump", "Kim Jong Un",
    ]  # fmt: skip
    assert sorted(data.quotes.rows()) == [("Donald Trump", "Spiegel", 1, 1), ("Kim Jong Un", "Le Monde", 1, 1)]
    page = write_report(data, tmp_path / "full.html")
    dom = chromium(page, tmp_path, "--dump-dom")
    assert all(rendered_charts(dom.stdout).values()), rendered_charts(dom.stdout)
    assert '<pre id="js-errors"></pre>' in dom.stdout and console_errors(dom.stderr) == []


def test_people_and_places_corpus_wide_first_then_per_summit(db_path):
    build_analyst_warehouse(db_path)
    tag_summits(db_path)
    with open_reader(db_path) as con:
        data = collect_report(con)
    summits = data.top_people["summit"].unique(maintain_order=True).to_list()
    assert summits[0] == "all articles" and "Hanoi summit" in summits
    overall = data.top_people.filter(data.top_people["summit"] == "all articles")
    assert overall["canonical_name"].to_list()[:2] == ["Donald Trump", "Kim Jong Un"]


def test_empty_states_say_why(db_path):
    from reports.data import ReportData
    from reports.html import render_report

    build_analyst_warehouse(db_path)
    with open_reader(db_path) as con:
        data = collect_report(con)
    undated = ReportData(**{**data.__dict__, "coverage": data.coverage.clear(), "undated_articles": data.totals["articles"]})
    page = render_report(undated)
    assert f"none of the {data.totals['articles']} articles has a publication date" in page
    empty = ReportData(**{**data.__dict__, "totals": {**data.totals, "articles": 0}, "quotes": data.coverage.clear()})
    assert "the warehouse holds no articles yet" in render_report(empty)


def test_quote_heatmap_sorted_from_zero_without_unresolved_pronouns(db_path):
    import polars as pl

    from reports.html import quotes_figure

    build_analyst_warehouse(db_path)
    insert_quotes(
        db_path,
        TRUMP_QUOTE,
        ("q2", "#1", "Wir werden sehen", 6, "er", None),
        ("q3", "#2", "Nein", 0, "Er", None),
        ("q4", "#4", "Nous verrons", 0, "Kim", "PER:kim-jong-un"),
        ("q5", "#3", "Gut", 0, "Kim", "PER:kim-jong-un"),
    )
    with open_reader(db_path) as con:
        data = collect_report(con)
    assert set(data.quotes["speaker"]) == {"Donald Trump", "Kim Jong Un"}
    heatmap = quotes_figure(data.quotes).data[0]
    assert heatmap.zmin == 0
    assert list(heatmap.y) == ["Donald Trump", "Kim Jong Un"]  # bottom-up: the most quoted (Kim, 2) on top
    assert list(heatmap.x)[0] in {"Le Monde", "Standard", "Spiegel"} and len(set(heatmap.x)) == len(heatmap.x)
    assert pl.DataFrame({"z": [sum(row) for row in heatmap.z]})["z"].to_list() == [1, 2]
