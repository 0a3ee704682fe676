"""The search index updated for the changed articles only equals one rebuilt from scratch."""

import random

import pytest

from tests.analyst_data import analyst_batch
from warehouse import fts_incremental
from warehouse.connection import open_warehouse
from warehouse.fts import ensure_search_index, search_articles
from warehouse.load import load_batch
from warehouse.models import apply_models

WORDS = (
    "Gipfel Gipfels Hanoi Hanoï Trump Kim Atomwaffen Verhandlungen abgebrochen Nordkorea Sanktionen Börse Ölpreis "
    "Präsident Treffen Einigung the and of Wirtschaft 2019 U.S.-Präsident Diktator Machthaber élysée naïve"
).split()
QUERIES = ("Gipfel Hanoi", "Atomwaffen Sanktionen", "Ölpreis", "Trump Kim Einigung", "the summit", "élysée naive")


def rows(rng: random.Random, prefix: str, n: int) -> list[tuple]:
    def sentence() -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randrange(3, 25))) + rng.choice((".", "!", ", 12%;"))

    titles = [None, "", "Gipfel in Hanoi", "Ölpreis steigt"]
    return [
        (f"{prefix}{i}", "Spiegel", "de", 1 + i % 28, rng.choice(titles) if i % 3 else sentence(),
         " ".join(sentence() for _ in range(rng.randrange(1, 6))), [])
        for i in range(n)
    ]  # fmt: skip


def index_content(con) -> dict:
    """The index as names and terms (docids and termids are internal) and the search results."""
    schema = fts_incremental.SCHEMA
    return {
        "docs": con.execute(f"select name, len from {schema}.docs order by name").fetchall(),
        "dict": con.execute(f"select term, df from {schema}.dict order by term").fetchall(),
        "postings": con.execute(
            f"""select d.name, t.fieldid, w.term, count(*) from {schema}.terms t
                join {schema}.docs d using (docid) join {schema}.dict w using (termid)
                group by all order by all"""
        ).fetchall(),
        "stats": con.execute(f"select num_docs, avgdl from {schema}.stats").fetchall(),
        "search": {
            q: [(r["article_id"], round(r["score"], 9)) for r in search_articles(con, q, limit=50).iter_rows(named=True)]
            for q in QUERIES
        },
    }


def test_incremental_update_equals_a_rebuild(db_path, monkeypatch):
    rng = random.Random(18)
    monkeypatch.setattr(fts_incremental, "REBUILD_SHARE", 1.0)  # never fall back to a rebuild here
    with open_warehouse(db_path) as con:
        apply_models(con)
        load_batch(con, analyst_batch("/inbox/a.jsonl", rows(rng, "a", 120), reject=False), "run-1")
        load_batch(con, analyst_batch("/inbox/b.jsonl", rows(rng, "b", 40), reject=False), "run-1")
        first = ensure_search_index(con, "german", "run-1")
        assert first.rebuilt and not first.incremental
        # run 2: new articles, and b.jsonl reloaded with other texts and fewer articles
        load_batch(con, analyst_batch("/inbox/c.jsonl", rows(rng, "c", 10), reject=False), "run-2")
        load_batch(con, analyst_batch("/inbox/b.jsonl", rows(rng, "b", 25), reject=False), "run-2")
        second = ensure_search_index(con, "german", "run-2")
        assert second.rebuilt and second.incremental and second.articles == 155
        assert ensure_search_index(con, "german", "run-2").rebuilt is False  # current now
        incremental = index_content(con)
        assert ensure_search_index(con, "german", "run-2", force=True).incremental is False
        assert index_content(con) == incremental


def test_a_large_change_or_another_stemmer_rebuilds(db_path):
    rng = random.Random(7)
    with open_warehouse(db_path) as con:
        apply_models(con)
        load_batch(con, analyst_batch("/inbox/a.jsonl", rows(rng, "a", 100), reject=False), "run-1")
        ensure_search_index(con, "german", "run-1")
        load_batch(con, analyst_batch("/inbox/c.jsonl", rows(rng, "c", 5), reject=False), "run-2")
        assert ensure_search_index(con, "german", "run-2").incremental  # 5 of 105: below REBUILD_SHARE
        load_batch(con, analyst_batch("/inbox/d.jsonl", rows(rng, "d", 8), reject=False), "run-3")
        assert not ensure_search_index(con, "german", "run-3").incremental  # 13 appended of 113: rebuilt
        load_batch(con, analyst_batch("/inbox/e.jsonl", rows(rng, "e", 1), reject=False), "run-4")
        outcome = ensure_search_index(con, "english", "run-4")
        assert outcome.rebuilt and not outcome.incremental


@pytest.mark.parametrize("stemmer", ["none", "english"])
def test_incremental_update_with_other_stemmers(db_path, monkeypatch, stemmer):
    rng = random.Random(3)
    monkeypatch.setattr(fts_incremental, "REBUILD_SHARE", 1.0)
    with open_warehouse(db_path) as con:
        apply_models(con)
        load_batch(con, analyst_batch("/inbox/a.jsonl", rows(rng, "a", 30), reject=False), "run-1")
        ensure_search_index(con, stemmer, "run-1")
        load_batch(con, analyst_batch("/inbox/c.jsonl", rows(rng, "c", 4), reject=False), "run-2")
        assert ensure_search_index(con, stemmer, "run-2").incremental
        before = {k: v for k, v in index_content(con).items() if k != "search"}
        ensure_search_index(con, stemmer, "run-2", force=True)
        assert {k: v for k, v in index_content(con).items() if k != "search"} == before
