"""Key terms kept current for the changed articles only equal the from-scratch ranking."""

import random

import polars as pl

from tests.test_keyterms import con  # noqa: F401  (fixture: a migrated in-memory warehouse)
from warehouse.key_terms import rank_from_scratch, rank_key_terms

TERMS = ("Gipfel", "Atomwaffe", "Sanktion", "Hanoi-Treffen", "wirtschaftlich Aufschwung", "Verhandlung", "Börse", "sommet")
SUMMITS = ("hanoi-2019", "singapore-2018", "panmunjom-2018")
PER_ARTICLE, PER_SUMMIT = 3, 4


def put_articles(con, rng: random.Random, ids: list[str]) -> None:
    """(Re)load `ids` with random terms and summit tags, as a batch load replaces an article's rows."""
    for table in ("articles", "article_terms", "article_summits"):
        con.execute(f"delete from {table} where article_id in (select unnest(?))", [ids])
    languages = [rng.choice(("de", "de", "fr")) for _ in ids]
    articles = pl.DataFrame({
        "article_id": ids, "source_path": ids, "item": [""] * len(ids), "text": ["x"] * len(ids), "language": languages,
        "format": ["txt"] * len(ids), "text_hash": ids, "n_chars": [1] * len(ids), "n_words": [1] * len(ids), "run_id": ["r"] * len(ids),
    })  # fmt: skip
    terms = [
        {"article_id": a, "language": lang, "term": t, "display": rng.choice((t, t.lower(), t + "n")),
         "count": rng.randrange(1, 5), "first_char": 0}
        for a, lang in zip(ids, languages) for t in rng.sample(TERMS, rng.randrange(0, 6))
    ]  # fmt: skip
    tags = [{"article_id": a, "summit_id": s, "score": 0.9, "evidence": ["x"]} for a in ids for s in SUMMITS if rng.random() < 0.3]
    for table, rows in (("articles", articles), ("article_terms", pl.DataFrame(terms)), ("article_summits", pl.DataFrame(tags))):
        if rows.height:
            con.register("staged", rows.to_arrow())
            con.execute(f"insert into {table} by name select * from staged")
            con.unregister("staged")


def view_rows(con) -> list[tuple]:
    return con.execute("select * from mart_key_terms order by scope, scope_id, language, rank").fetchall()


def scratch_rows(con) -> list[tuple]:
    return rank_from_scratch(con, PER_ARTICLE, PER_SUMMIT).sort("scope", "scope_id", "language", "rank").rows()


def test_incremental_runs_equal_the_ranking_from_scratch(con):  # noqa: F811
    rng = random.Random(18)
    put_articles(con, rng, [f"a{i}" for i in range(60)])
    assert rank_key_terms(con, PER_ARTICLE, PER_SUMMIT)["articles_added"] > 0
    assert view_rows(con) == scratch_rows(con)
    # run 2: new articles, reloaded ones with other terms and tags, one removed, one retagged only
    put_articles(con, rng, [f"b{i}" for i in range(5)] + ["a3", "a7", "a11"])
    con.execute("delete from articles where article_id = 'a20'")
    con.execute("delete from article_summits where article_id = 'a30'")
    con.execute("insert into article_summits values ('a31', 'singapore-2018', 0.5, ['y']) on conflict do nothing")
    counts = rank_key_terms(con, PER_ARTICLE, PER_SUMMIT)
    assert 0 < counts["articles_added"] <= 8 and counts["articles_removed"] <= 4
    assert view_rows(con) == scratch_rows(con)
    # a fresh warehouse counting everything at once holds the same statistics
    maintained = {t: con.execute(f"select * from {t} order by all").fetchall() for t in ("term_document_frequency", "summit_term_totals")}
    for table in ("key_term_articles", "key_term_sources", "term_document_frequency", "summit_term_totals", "key_term_summit_sources"):
        con.execute(f"delete from {table}")
    rank_key_terms(con, PER_ARTICLE, PER_SUMMIT)
    assert {t: con.execute(f"select * from {t} order by all").fetchall() for t in maintained} == maintained


def test_a_run_that_changes_nothing_updates_nothing(con):  # noqa: F811
    rng = random.Random(5)
    put_articles(con, rng, [f"a{i}" for i in range(10)])
    rank_key_terms(con, PER_ARTICLE, PER_SUMMIT)
    assert rank_key_terms(con, PER_ARTICLE, PER_SUMMIT) == {"articles_removed": 0, "articles_added": 0, "summits_updated": 0}
    rank_key_terms(con, 1, 1)  # other limits: the view shows fewer rows, nothing is recounted
    assert con.execute("select max(rank) from mart_key_terms").fetchone()[0] == 1
