"""Named queries with bound parameters, and `newsflow sql` output: readable tables, CSV, JSON, Parquet."""

import json

import polars as pl
import pytest

from newsflow.cli import main
from newsflow.commands.output import column_widths, render_table
from newsflow.errors import ReadOnlyQueryError
from tests.analyst_data import build_analyst_warehouse, tag_summits
from warehouse.connection import open_warehouse
from warehouse.named_queries import bind_params, load_queries, parse_param_args, run_named
from warehouse.snapshot import open_reader


@pytest.fixture
def warehouse(db_path):
    return build_analyst_warehouse(db_path)


SAMPLE_PARAMS = {
    "query": "Gipfel", "summit": "hanoi-2019", "entity_type": "PER", "entity": "Donald Trump",
    "person": "Kim Jong Un", "speaker": "Donald Trump",
}  # fmt: skip


def test_every_shipped_query_runs_and_finds_rows(warehouse):
    tag_summits(warehouse)
    with open_warehouse(warehouse) as con:
        con.execute(
            "insert into quotes (quote_id, article_id, kind, text, start_char, end_char, speaker_text, speaker_entity_id, confidence)"
            " values ('q1', '/inbox/summit.jsonl#1', 'direct', 'Es ist eine Ehre', 0, 5, 'Trump', 'PER:donald-trump', 0.9)"
        )
    queries = load_queries()
    assert {"search_articles", "report_top_entities", "quotes_by_speaker", "entity_cooccurrences"} <= set(queries)
    with open_reader(warehouse) as con:
        for query in queries.values():
            assert query.doc, query.name
            params = {p.name: SAMPLE_PARAMS[p.name] for p in query.params if p.required}
            assert run_named(con, query.name, params, queries).height > 0, query.name


def test_parameters_are_bound_never_formatted(warehouse):
    hostile = "Donald Trump' or 1=1 --"
    with open_reader(warehouse) as con:
        assert run_named(con, "articles_mentioning", {"entity": hostile}).height == 0
        found = run_named(con, "articles_mentioning", {"entity": "Donald Trump", "limit": "2"})
    assert found.height == 2 and found["title"].to_list()[0] is not None


def test_parameter_errors_name_the_fix():
    query = load_queries()["report_top_entities"]
    with pytest.raises(ReadOnlyQueryError, match="needs parameter entity_type"):
        bind_params(query, {})
    with pytest.raises(ReadOnlyQueryError, match="no parameter nope"):
        bind_params(query, {"entity_type": "PER", "nope": "1"})
    with pytest.raises(ReadOnlyQueryError, match="must be integer"):
        bind_params(query, {"entity_type": "PER", "limit": "many"})
    assert bind_params(query, {"entity_type": "PER"}) == {"entity_type": "PER", "limit": 15}
    assert parse_param_args(['speaker=Kim Jong Un', "x=a=b"]) == {"speaker": "Kim Jong Un", "x": "a=b"}
    with pytest.raises(ReadOnlyQueryError, match="not name=value"):
        parse_param_args(["speaker"])


def test_query_command_runs_by_name_with_params(warehouse, capsys):
    assert main(["query", "report_top_entities", "--db", str(warehouse), "--param", "entity_type=PER", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0] == {"canonical_name": "Donald Trump", "articles": 4, "stories": 3, "mentions": 4}
    assert main(["query", "--list"]) == 0
    assert "quotes_by_speaker speaker=<text>" in capsys.readouterr().out
    assert main(["query", "no_such_query", "--db", str(warehouse)]) == 1
    assert "known queries" in capsys.readouterr().err


def test_a_query_over_a_mart_the_warehouse_lacks_fails_with_its_name(warehouse, capsys):
    with open_warehouse(warehouse) as con:  # as a warehouse from before the quotes stage
        con.execute("drop view if exists mart_quotes_by_speaker")
        con.execute("drop view if exists mart_quotes")
    code = main(["query", "quotes_by_speaker", "--db", str(warehouse), "--param", "speaker=Kim Jong Un"])
    assert code == 1 and "mart_quotes" in capsys.readouterr().err


def test_sql_writes_csv_json_and_parquet_files(warehouse, tmp_path, capsys):
    query = "select outlet, count(*) as n from articles group by outlet order by outlet"
    for fmt in ("csv", "json", "parquet"):
        out = tmp_path / f"result.{fmt}"
        assert main(["sql", query, "--db", str(warehouse), "--format", fmt, "--output", str(out)]) == 0
        frame = {"csv": pl.read_csv, "json": pl.read_json, "parquet": pl.read_parquet}[fmt](out)
        assert frame.rows() == [("Le Monde", 1), ("Spiegel", 2), ("Standard", 2)]
    assert "wrote 3 row(s)" in capsys.readouterr().err
    assert main(["sql", query, "--db", str(warehouse), "--format", "parquet"]) == 1
    assert "needs --output" in capsys.readouterr().err


def test_sql_table_fits_the_width_truncates_and_counts_rows():
    frame = pl.DataFrame({"id": list(range(100)), "text": ["x" * 300] * 100, "note": ["kurz"] * 100})
    table = render_table(frame, width=80, max_rows=5)
    lines = table.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert lines[0].split(" │ ")[0].strip() == "id" and lines[1].startswith("BIGINT")
    assert "…" in lines[3] and "kurz" in lines[3]
    assert lines[-1] == "(showing 5 of 100 rows; use --max-rows or --format csv --output FILE for all)"
    assert render_table(frame.head(1), width=200).splitlines()[-1] == "(1 row)"
    assert render_table(pl.DataFrame({"a": [None, "zwei\nZeilen"]}), width=40).splitlines()[3:5] == ["NULL", "zwei⏎Zeilen"]
    assert column_widths([10, 50, 4], 40) == [10, 20, 4]


def test_many_columns_switch_to_one_block_per_record():
    frame = pl.DataFrame({f"column_{i}": [f"value {i}"] for i in range(20)})
    table = render_table(frame, width=60)
    assert table.splitlines()[0].startswith("-[ record 1 ]")
    assert "column_19 │ value 19" in table and table.splitlines()[-1] == "(1 row)"
