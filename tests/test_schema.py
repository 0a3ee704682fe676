"""The schema reference comes from the database; every column is documented; old files upgrade in place."""

import json

import duckdb
import pytest

from newsflow.cli import main
from newsflow.errors import WarehouseError
from tests.analyst_data import analyst_batch, build_analyst_warehouse
from warehouse.connection import open_warehouse
from warehouse.load import load_batch
from warehouse.migrations import Migration, available_migrations, migrate, schema_version
from warehouse.models import apply_models
from warehouse.schema_doc import describe_schema, missing_comments, render_markdown


def test_every_table_view_and_column_of_the_migrated_warehouse_has_a_comment(db_path):
    with open_warehouse(db_path) as con:
        outcome = apply_models(con)
        assert outcome.applied
        relations = describe_schema(con)
        assert missing_comments(con) == []
    names = {r.name for r in relations}
    assert {"articles", "mentions", "schema_migrations", "search_index", "mart_articles", "stg_articles"} <= names


def test_schema_reference_reports_types_and_comments_from_the_database(db_path):
    build_analyst_warehouse(db_path)
    with duckdb.connect(str(db_path), read_only=True) as con:
        relations = {r.name: r for r in describe_schema(con)}
        expected = con.execute(
            "select data_type, comment from duckdb_columns() where table_name = 'mart_coverage_daily' and column_name = 'stories'"
        ).fetchone()
    column = next(c for c in relations["mart_coverage_daily"].columns if c.name == "stories")
    assert (column.type, column.comment) == expected
    assert relations["articles"].kind == "table" and relations["mart_articles"].kind == "view"
    assert "| `article_id` | VARCHAR | no |" in render_markdown([relations["articles"]])


def test_schema_command(db_path, capsys):
    build_analyst_warehouse(db_path)
    assert main(["schema", "--db", str(db_path), "mart_quotes_by_speaker_nope"]) == 1
    assert "no table or view named" in capsys.readouterr().err
    assert main(["schema", "--db", str(db_path), "articles", "mart_articles"]) == 0
    out = capsys.readouterr().out
    assert "articles (table" in out and "mart_articles (view)" in out and "Stable id" in out
    assert "(no comment)" not in out
    assert main(["schema", "--db", str(db_path), "--format", "json", "search_index"]) == 0
    [relation] = json.loads(capsys.readouterr().out)
    assert relation["name"] == "search_index" and relation["columns"][0]["name"] == "index_name"


def test_an_old_warehouse_is_upgraded_in_place_with_its_data(db_path):
    first = available_migrations()[:1]
    db_path.parent.mkdir(parents=True)
    with duckdb.connect(str(db_path)) as con:  # a warehouse written by the foundation release: only 001
        assert migrate(con, first) == [1]
        con.execute(
            "insert into articles (article_id, source_path, item, text, language, format, text_hash, n_chars, n_words, run_id)"
            " values ('old', '/old.txt', '', 'Ein alter Artikel über den Gipfel.', 'de', 'txt', 'h', 33, 6, 'r0')"
        )
    with open_warehouse(db_path) as con:
        latest = max(m.version for m in available_migrations())
        assert schema_version(con) == latest
        recorded = [v for (v,) in con.execute("select version from schema_migrations order by version").fetchall()]
        assert recorded == [m.version for m in available_migrations()]
        assert con.execute("select text from articles where article_id = 'old'").fetchone()[0].startswith("Ein alter")
        apply_models(con)
        load_batch(con, analyst_batch("/inbox/new.jsonl"), "run-1")  # new code loads into the upgraded file
        assert con.execute("select count(*) from mart_articles").fetchone()[0] == 6


def test_a_failing_upgrade_changes_nothing(db_path):
    db_path.parent.mkdir(parents=True)
    with duckdb.connect(str(db_path)) as con:
        migrate(con, available_migrations()[:1])
    broken = available_migrations()[:1] + [
        Migration(2, "half", "create table half_done (x integer); comment on table half_done is 'x';"),
        Migration(3, "broken", "alter table no_such_table add column y integer;"),
    ]
    with duckdb.connect(str(db_path)) as con:
        with pytest.raises(duckdb.Error):
            migrate(con, broken)
        assert schema_version(con) == 1
        assert con.execute("select count(*) from duckdb_tables() where table_name = 'half_done'").fetchone()[0] == 0


def test_newer_and_corrupt_warehouses_are_refused_by_analyst_commands(db_path, capsys):
    with open_warehouse(db_path) as con:
        con.execute("insert into schema_migrations values (999, 'from_the_future', now())")
    with pytest.raises(WarehouseError, match="newer than this newsflow"):
        with open_warehouse(db_path):
            pass
    corrupt = db_path.with_name("corrupt.duckdb")
    corrupt.write_bytes(b"not a database" * 64)
    assert main(["schema", "--db", str(corrupt)]) == 1
    assert "not a readable DuckDB database" in capsys.readouterr().err
    assert corrupt.read_bytes() == b"not a database" * 64
