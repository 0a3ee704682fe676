"""Full-text search: BM25 ranking, stemming, filters, snippets, rebuild only when articles change."""

import pytest

from newsflow.cli import main
from newsflow.errors import WarehouseError
from tests.analyst_data import analyst_batch, build_analyst_warehouse, tag_summits
from warehouse.connection import open_warehouse
from warehouse.fts import ensure_search_index, search_articles, snippet
from warehouse.load import load_batch
from warehouse.snapshot import open_reader

A = "/inbox/summit.jsonl#"


@pytest.fixture
def warehouse(db_path):
    return build_analyst_warehouse(db_path)


def test_search_ranks_articles_matching_more_terms_first(warehouse):
    with open_reader(warehouse) as con:
        found = search_articles(con, "Gipfel Hanoi abgebrochen")
    ids = found["article_id"].to_list()
    assert ids[0] == A + "2"  # the only one with all three terms (abgebrochen in the title)
    assert set(ids) == {A + "1", A + "2", A + "3", A + "4"}  # "Hanoï" matches Hanoi with accents stripped
    assert found["score"].is_sorted(descending=True)
    assert A + "5" not in ids


def test_stemming_and_language_filter(warehouse):
    with open_reader(warehouse) as con:
        stemmed = search_articles(con, "Gipfels")["article_id"].to_list()
        french = search_articles(con, "Hanoi", language="fr")
    assert set(stemmed) == {A + "1", A + "2", A + "3"}
    assert french["article_id"].to_list() == [A + "4"] and french["language"].to_list() == ["fr"]


def test_snippet_marks_every_hit_and_keeps_offsets():
    text = "Vorspann. " * 30 + "Der Gipfel in Hanoï endete früh; Gipfeltreffen sind selten."
    got = snippet(text, ["gipfel", "hanoi"], 80, ("[", "]"))
    assert got.startswith("…") and "[Gipfel]" in got and "[Hanoï]" in got and "[Gipfeltreffen]" in got
    assert snippet("kurz", [], 80, ("[", "]")) == "kurz"


def test_search_result_has_a_highlighted_snippet(warehouse):
    with open_reader(warehouse) as con:
        found = search_articles(con, "Machthaber", mark=("<b>", "</b>"))
    assert found["snippet"].to_list()[0].count("<b>Machthaber</b>") == 1


def test_index_is_rebuilt_only_when_articles_change(warehouse):
    with open_warehouse(warehouse) as con:
        assert ensure_search_index(con, "german").rebuilt is False  # nothing changed since the build
        load_batch(
            con,
            analyst_batch("/inbox/late.jsonl", [("9", "Reuters", "en", 28, "Summit ends", "The Hanoi summit ended early without a deal.", [])], reject=False),
            "run-2",
        )
        outcome = ensure_search_index(con, "german", "run-2")
        assert outcome.rebuilt is True and outcome.articles == 6
        assert con.execute("select articles, run_id from search_index").fetchall() == [(6, "run-2")]
        assert ensure_search_index(con, "english").rebuilt is True  # another stemmer: another index
    with open_reader(warehouse) as con:
        assert search_articles(con, "summit deal", stemmer="english")["article_id"].to_list() == ["/inbox/late.jsonl#9"]


def test_a_warehouse_without_index_or_summits_gives_clear_errors(db_path, warehouse):
    with open_warehouse(db_path.with_name("empty.duckdb")):
        pass
    with open_reader(db_path.with_name("empty.duckdb")) as con:
        with pytest.raises(WarehouseError, match="no full-text index"):
            search_articles(con, "Gipfel")
    with open_warehouse(warehouse) as con:  # as a warehouse from before the summits stage (migration 004)
        con.execute("drop view if exists stg_article_summits")
    with open_reader(warehouse) as con:
        with pytest.raises(WarehouseError, match="no summit tagging"):
            search_articles(con, "Gipfel", summit="hanoi-2019")


def test_search_within_a_summit(warehouse, capsys):
    tag_summits(warehouse)
    with open_reader(warehouse) as con:
        singapore = search_articles(con, "Gipfel", summit="singapore-2018")
        hanoi = search_articles(con, "Hanoi", summit="hanoi-2019", language="fr")
    assert singapore["article_id"].to_list() == [A + "2"]
    assert hanoi["article_id"].to_list() == [A + "4"]
    assert main(["search", "Gipfel", "--db", str(warehouse), "--summit", "hanoi-2019"]) == 0
    assert "(3 results)" in capsys.readouterr().out


def test_search_command(warehouse, capsys):
    assert main(["search", "Gipfel Hanoi", "--db", str(warehouse), "--lang", "de", "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert out.count("Spiegel") + out.count("Standard") == 2 and "Le Monde" not in out
    assert "**Gipfel**" in out and "(2 results)" in out
    assert main(["search", "Gipfel", "--db", str(warehouse), "--format", "csv"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header == "score,article_id,title,outlet,language,published_date,snippet"


@pytest.mark.slow
def test_a_run_builds_the_index_and_a_rerun_leaves_it(tmp_path, db_path, prefect_harness, capsys):
    import shutil

    from flows.build_corpus import build_corpus
    from tests.conftest import SEED_FILE

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED_FILE, inbox)
    first = build_corpus(paths=[str(inbox)], db=str(db_path))
    build_corpus(paths=[str(inbox)], db=str(db_path))  # nothing new: the post-load step keeps the index
    with open_reader(db_path) as con:
        assert con.execute("select articles, run_id from search_index").fetchall() == [(1, first["run_id"])]
    assert main(["search", "zweiten Gipfel Hanoi", "--db", str(db_path)]) == 0
    assert "**Gipfel**" in capsys.readouterr().out


def test_a_quoted_phrase_must_appear_as_written(warehouse):
    with open_reader(warehouse) as con:
        phrase = search_articles(con, '"zweite Gipfel"')["article_id"].to_list()
        loose = search_articles(con, "zweite Gipfel")["article_id"].to_list()
        reversed_order = search_articles(con, '"Gipfel zweite"')
    assert set(phrase) == {A + "1", A + "3"}
    assert A + "2" in loose  # without quotes any word may match
    assert reversed_order.is_empty()


def test_minus_excludes_a_word_and_or_is_no_search_term(warehouse):
    with open_reader(warehouse) as con:
        without = search_articles(con, "Gipfel -Nordkorea")["article_id"].to_list()
        not_form = search_articles(con, "Gipfel NOT Nordkorea")["article_id"].to_list()
        with_or = search_articles(con, "Ölpreis OR Börsen")
    assert A + "2" not in without and {A + "1", A + "3"} <= set(without)
    assert not_form == without
    assert with_or["article_id"].to_list() == [A + "5"]
    assert "**or" not in with_or["snippet"][0].lower()


def test_a_query_of_only_exclusions_is_refused(warehouse):
    with open_reader(warehouse) as con, pytest.raises(WarehouseError, match="no word to look for"):
        search_articles(con, "-Gipfel OR")


def test_search_syntax_is_documented_in_help(capsys):
    with pytest.raises(SystemExit):
        main(["search", "--help"])
    out = capsys.readouterr().out
    assert '"a phrase"' in out and "-word" in out
