"""Candidate key terms (lemmas, German compounds, stop words) and TF-IDF ranking in DuckDB."""

import duckdb
import polars as pl
import pytest
import spacy

from transforms.keyterms import ARTICLE_TERM_SCHEMA, TermCollector, lemma
from transforms.nlp import sentences  # noqa: F401  (registers newsflow_sentences)
from warehouse.key_terms import rank_key_terms, refresh_summits_and_key_terms, write_summit_calendar
from warehouse.migrations import migrate
from warehouse.models import apply_models


def terms_of(text: str, language: str = "de", max_words: int = 3) -> dict[str, int]:
    nlp = spacy.blank(language)
    nlp.add_pipe("newsflow_sentences")
    collector = TermCollector(max_words)
    collector(language, nlp(text), "a", text)
    frame = collector.frame()
    assert frame.schema == ARTICLE_TERM_SCHEMA
    for row in frame.iter_rows(named=True):  # the first occurrence is where the display form starts
        assert text[row["first_char"] :].startswith(row["display"].split()[0])
    return dict(frame.select("term", "count").iter_rows())


def test_german_nouns_and_adjective_phrases_are_lemmatized():
    terms = terms_of("Die Sanktionen bleiben. Harte Sanktionen gegen den wirtschaftlichen Aufschwung folgen.")
    assert terms["Sanktion"] == 2
    assert terms["hart Sanktion"] == 1
    assert terms["wirtschaftlich Aufschwung"] == 1 and terms["Aufschwung"] == 1
    assert not {"die", "den", "gegen", "bleiben", "Die"} & set(terms)


def test_german_compounds_are_lemmatized_by_their_head():
    assert lemma("Atomkomplexes", "de") == "Atomkomplex"
    assert lemma("Nordkorea-Experten", "de") == "Nordkorea-Experte"
    assert lemma("Atomwaffen", "de") == "Atomwaffe"


def test_sentence_initial_capitals_are_not_nouns():
    assert "Unglaublich" not in terms_of("Unglaublich. Die Gespräche laufen.")


def test_english_and_french_content_runs():
    english = terms_of("The nuclear talks stalled. Nuclear talks resume.", "en")
    assert english["nuclear talk"] == 2 and english["talk"] == 2 and "the" not in english
    french = terms_of("Les sanctions économiques restent.", "fr")
    assert french["sanction"] == 1 and "les" not in french


@pytest.fixture
def con():
    connection = duckdb.connect()
    migrate(connection)
    apply_models(connection)  # mart_key_terms
    yield connection
    connection.close()


def _load(con, table: str, frame: pl.DataFrame) -> None:
    con.register("staged", frame.to_arrow())
    con.execute(f"insert into {table} by name select * from staged")
    con.unregister("staged")


def test_key_terms_rank_by_tf_idf_per_article_and_summit_and_rerun_identically(con):
    ids = ["a1", "a2", "a3"]
    _load(con, "articles", pl.DataFrame({
        "article_id": ids, "source_path": ids, "item": [""] * 3, "text": ["x"] * 3, "language": ["de"] * 3,
        "format": ["txt"] * 3, "text_hash": ids, "n_chars": [1] * 3, "n_words": [1] * 3, "run_id": ["r"] * 3,
    }))  # fmt: skip
    rows = [
        ("a1", "Gipfel", 3),
        ("a1", "Atomwaffe", 2),
        ("a2", "Gipfel", 1),
        ("a2", "Sanktion", 1),
        ("a3", "Gipfel", 1),
    ]
    _load(con, "article_terms", pl.DataFrame(
        [{"article_id": a, "language": "de", "term": t, "display": t, "count": c, "first_char": 0} for a, t, c in rows]
    ))  # fmt: skip
    _load(
        con,
        "article_summits",
        pl.DataFrame(
            {
                "article_id": ["a1", "a2"],
                "summit_id": ["hanoi-2019"] * 2,
                "score": [0.9, 0.8],
                "evidence": [["x"], ["y"]],
            }
        ),
    )
    counts = rank_key_terms(con, per_article=1, per_summit=2)
    assert counts == {"articles_removed": 0, "articles_added": 3, "summits_updated": 1}
    assert dict(con.execute("select scope, count(*) from mart_key_terms group by all").fetchall()) == {"article": 3, "summit": 2}
    best = dict(con.execute("select scope_id, term from mart_key_terms where scope = 'article'").fetchall())
    assert best == {"a1": "Atomwaffe", "a2": "Sanktion", "a3": "Gipfel"}  # rare beats frequent-everywhere
    summit = con.execute(
        "select rank, term, count, articles from mart_key_terms where scope = 'summit' order by rank"
    ).fetchall()
    assert summit == [(1, "Gipfel", 4, 2), (2, "Atomwaffe", 2, 1)]
    before = con.execute("select * from mart_key_terms order by all").fetchall()
    rank_key_terms(con, per_article=1, per_summit=2)
    assert con.execute("select * from mart_key_terms order by all").fetchall() == before


def test_ranking_is_skipped_until_terms_tags_calendar_or_settings_change(con):
    from newsflow.settings import load_settings
    from transforms.summits import load_summits

    calendar = load_summits(load_settings().summits.path).frame()
    _load(con, "articles", pl.DataFrame({
        "article_id": ["a1"], "source_path": ["a1"], "item": [""], "text": ["x"], "language": ["de"],
        "format": ["txt"], "text_hash": ["h"], "n_chars": [1], "n_words": [1], "run_id": ["r"],
    }))  # fmt: skip
    _load(con, "article_terms", pl.DataFrame(
        [{"article_id": "a1", "language": "de", "term": "Gipfel", "display": "Gipfel", "count": 2, "first_char": 0}]
    ))  # fmt: skip
    assert refresh_summits_and_key_terms(con, calendar, 1, 2, "r1")["changed"]
    assert refresh_summits_and_key_terms(con, calendar, 1, 2, "r2") == {"changed": False}
    assert refresh_summits_and_key_terms(con, calendar, 2, 2, "r3")["changed"]  # a setting
    assert refresh_summits_and_key_terms(con, calendar.head(1), 2, 2, "r4")["changed"]  # the calendar
    assert con.execute("select count(*) from summits").fetchone()[0] == 1
    con.execute("update article_terms set count = 3")  # the article was reloaded with other terms
    assert refresh_summits_and_key_terms(con, calendar.head(1), 2, 2, "r5")["changed"]
    assert con.execute("select count from mart_key_terms where scope = 'article'").fetchone()[0] == 3


def test_the_summit_calendar_is_rewritten_not_appended(con):
    from newsflow.settings import load_settings
    from transforms.summits import load_summits

    calendar = load_summits(load_settings().summits.path).frame()
    assert write_summit_calendar(con, calendar) == calendar.height
    write_summit_calendar(con, calendar)
    assert con.execute("select count(*) from summits").fetchone()[0] == calendar.height
