"""Deduplication on real news: 10kGNAD's test split as it is, and real republications built from it.

The corpus has no republished copies: a search over all 528,000 pairs
(bench/dedup_eval.py, real-data section) finds no two articles sharing more
than 4.1 % of their 5-word shingles once the withdrawn-article notice is
removed. So the real path must put every article in a cluster of its own,
and any cluster of two or more would be a false positive.
"""

import dataclasses
import re
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from bench.dedup_eval import load_articles, read_real_corpus
from newsflow.settings import load_settings
from tests.conftest import GNAD_CSV
from warehouse.connection import open_warehouse
from warehouse.dedup import cluster_warehouse

pytestmark = pytest.mark.skipif(not GNAD_CSV.exists(), reason=f"shared corpus absent: {GNAD_CSV}")

DEDUP = load_settings().dedup
NOTICE = "Der Volltext dieses auf Agenturmeldungen basierenden Artikels steht aus rechtlichen Gründen nicht mehr zur Verfügung."
# Real articles, found by their opening words (rows 766, 885, 745, 880 of test.csv).
APPEAL_OPENS = "Früherer Kapitän in erster Instanz zu 16 Jahren verurteilt"  # Schettino's appeal trial opens
LAWYERS_APPEAL = "Anwälte beklagen gravierende Fehler und fordern Freispruch"  # his lawyers appeal (same case)
SUNDAY_VIENNA = "Wirtschaftskammer unterbreitete Gewerkschaft neuen Vorschlag"  # Sunday shopping in Vienna
SUNDAY_TICINO = "Im Tessiner Luxus-Einkaufszentrum Foxtown"  # Sunday shopping in Ticino; shares a passage with Vienna


@pytest.fixture(scope="module")
def real_articles() -> pl.DataFrame:
    return read_real_corpus(GNAD_CSV)


def one(articles: pl.DataFrame, opening: str) -> dict:
    [row] = articles.filter(pl.col("text").str.starts_with(opening)).to_dicts()
    return row


def cluster(tmp_path, articles: pl.DataFrame, settings=DEDUP) -> dict[str, tuple[str, str, float]]:
    """article_id -> (cluster_id, role, changed_share) after the real path."""
    with open_warehouse(tmp_path / "real.duckdb") as con:
        load_articles(con, articles, settings, "real")
        cluster_warehouse(con, settings)
        rows = con.execute("select article_id, cluster_id, role, changed_share from clusters").fetchall()
    return {article: (cluster_id, role, changed) for article, cluster_id, role, changed in rows}


def groups(clusters: dict[str, tuple[str, str, float]]) -> list[set[str]]:
    """The clusters of two or more articles, as sets of article_ids."""
    members: dict[str, set[str]] = {}
    for article, (cluster_id, _, _) in clusters.items():
        members.setdefault(cluster_id, set()).add(article)
    return [m for m in members.values() if len(m) > 1]


def test_real_news_as_it_is_has_no_duplicate_clusters(tmp_path, real_articles):
    clusters = cluster(tmp_path, real_articles)
    assert len(clusters) == real_articles.height == 1028
    assert groups(clusters) == []


def test_without_the_boilerplate_list_withdrawn_stubs_of_different_stories_merge(tmp_path, real_articles):
    """Why configs/boilerplate.txt lists the notice: 12 stubs are a teaser plus the same notice."""
    stubs = real_articles.filter(pl.col("text").str.contains(NOTICE, literal=True))
    assert stubs.height == 12
    no_list = tmp_path / "none.txt"
    no_list.write_text("# no notices\n", encoding="utf-8")
    merged = groups(cluster(tmp_path, real_articles, dataclasses.replace(DEDUP, boilerplate_file=str(no_list))))
    assert merged, "the notice alone no longer merges stubs: the real-data figures in the README are stale"
    assert set().union(*merged) <= set(stubs["article_id"])  # only stubs, each a different story
    teasers = stubs.filter(pl.col("article_id").is_in(list(set().union(*merged))))["text"].str.split(NOTICE).list.first()
    assert teasers.n_unique() == teasers.len() > 1


def paragraphs(text: str) -> list[str]:
    """A 10kGNAD text (one line) as paragraphs of three sentences."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ])", text)
    return [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]


def test_real_republications_cluster_and_real_stories_on_the_same_event_do_not(tmp_path, real_articles):
    original, lawyers = one(real_articles, APPEAL_OPENS), one(real_articles, LAWYERS_APPEAL)
    vienna, ticino = one(real_articles, SUNDAY_VIENNA), one(real_articles, SUNDAY_TICINO)
    for entity in ("Schettino", "Costa Concordia", "Staatsanwaltschaft"):  # same case, same people
        assert entity in original["text"] and entity in lawyers["text"]
    assert "Sonntag" in vienna["text"] and "sonntags" in ticino["text"]

    teaser, body = original["text"].split(" Florenz – ", 1)
    blocks = paragraphs(body)
    assert len(blocks) >= 5
    blocks[2] = paragraphs(vienna["text"])[3]  # one paragraph replaced by real text of another story
    published = datetime(2016, 4, 21, 9, 0, tzinfo=UTC)
    variants = {
        "copy": {"text": original["text"]},
        "new_headline": {"title": "Costa-Concordia-Kapitän vor Berufungsgericht",
                         "text": "Berufungsprozess gegen Schettino beginnt in Florenz. Florenz – " + body},
        "apa_trailer": {"text": original["text"] + " (APA, 21.4.2016)"},
        "apa_dateline": {"text": "Florenz (APA/dpa) – " + body},
        "paragraph_changed": {"text": teaser + " Florenz – " + " ".join(blocks)},
    }  # fmt: skip
    republished = pl.DataFrame(
        [
            {"article_id": f"republished-{edit}", "row": -1, "category": original["category"], "title": None,
             "published_at": published + timedelta(hours=n + 1), "outlet": f"outlet-{edit}", **fields}
            for n, (edit, fields) in enumerate(variants.items())
        ]
    )  # fmt: skip
    articles = pl.concat(
        [real_articles.with_columns(title=pl.lit(None, pl.String), published_at=pl.lit(published)), republished],
        how="diagonal_relaxed",
    )
    clusters = cluster(tmp_path, articles)

    family = {original["article_id"], *republished["article_id"]}
    assert groups(clusters) == [family]  # the real corpus around it stays apart, as do the same-event stories
    assert clusters[original["article_id"]][:2] == (original["article_id"], "original")
    roles = {article.removeprefix("republished-"): clusters[article][1:] for article in republished["article_id"]}
    assert roles["copy"] == roles["apa_trailer"] == ("copy", 0.0)  # a trailer is not compared
    assert roles["new_headline"][0] == roles["apa_dateline"][0] == "update"  # the teaser is part of the text
    assert roles["new_headline"][1] < 0.15 and roles["apa_dateline"][1] < 0.15
    assert roles["paragraph_changed"][0] == "update" and 0.1 < roles["paragraph_changed"][1] < 0.55
    for other in (lawyers, vienna, ticino):
        assert clusters[other["article_id"]][:2] == (other["article_id"], "original")
