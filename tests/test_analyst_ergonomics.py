"""What analysts ran into with the commands (issue 20, items 11-19)."""

import json

import polars as pl
import pytest

from newsflow.cli import main
from newsflow.commands.output import column_widths, render_table, sql_type
from tests.test_cli import loaded_db  # noqa: F401  (fixture)


def test_csv_renders_list_and_struct_columns_as_json(loaded_db, capsys):  # noqa: F811
    query = "select [1, 2] as l, {'a': 1, 'b': 'x'} as s, null::int[] as n, 'plain' as t"
    assert main(["sql", "--db", str(loaded_db), "--format", "csv", query]) == 0
    assert capsys.readouterr().out == 'l,s,n,t\n"[1,2]","{""a"":1,""b"":""x""}",,plain\n'


def test_csv_file_output_renders_nested_columns_too(loaded_db, tmp_path, capsys):  # noqa: F811
    target = tmp_path / "out.csv"
    assert main(["sql", "--db", str(loaded_db), "--format", "csv", "-o", str(target), "select ['a', 'b'] as l"]) == 0
    assert target.read_text() == 'l\n"[""a"",""b""]"\n'


def test_table_shows_sql_types_and_rounded_floats(loaded_db, capsys):  # noqa: F811
    query = "select now() as t, 1/3 as third, 2.5::double as half, 'x' as s, [1] as l, 3::bigint as n"
    assert main(["sql", "--db", str(loaded_db), query]) == 0
    out = capsys.readouterr().out
    assert "TIMESTAMP WITH TIME ZONE" in out and "VARCHAR" in out and "INTEGER[]" in out and "DOUBLE" in out
    assert "0.3333" in out and "0.33333" not in out and "2.5" in out
    assert "time_unit" not in out and "datetime(" not in out


def test_json_keeps_full_precision(loaded_db, capsys):  # noqa: F811
    assert main(["sql", "--db", str(loaded_db), "--format", "json", "select 1/3 as third"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["third"] == pytest.approx(1 / 3, rel=1e-12)


def test_identifiers_are_never_truncated():
    run_id = "20261126T022109Z-7b233d15"
    frame = pl.DataFrame({"run_id": [run_id], "status": ["completed"], "inputs": ["/very/long/path/" * 10]})
    assert run_id in render_table(frame, width=50)
    assert column_widths([25, 40], 40, [True, False])[0] == 25


def test_status_through_a_pipe_shows_whole_run_ids(db_path, capsys, monkeypatch):
    from tests.test_warehouse import make_batch
    from warehouse.connection import open_warehouse
    from warehouse.load import load_batch

    run_id = "20261126T022109Z-7b233d15"
    with open_warehouse(db_path) as con:
        load_batch(con, make_batch("/a.txt", ["Trump in Hanoi"], reject=True), run_id)
        con.execute(
            "insert into runs (run_id, started_at, finished_at, status, inputs, config_hash)"
            " values (?, now(), now(), 'completed', ?, 'abc')",
            [run_id, json.dumps(["/a/very/long/input/directory/name/" * 4])],
        )
    monkeypatch.setenv("COLUMNS", "60")
    assert main(["status", "--db", str(db_path)]) == 0
    assert run_id in capsys.readouterr().out


@pytest.mark.parametrize(
    ("dtype", "name"),
    [
        (pl.Datetime("us", "UTC"), "TIMESTAMP WITH TIME ZONE"),
        (pl.Datetime("us"), "TIMESTAMP"),
        (pl.List(pl.String), "VARCHAR[]"),
        (pl.Struct({"a": pl.Int32}), "STRUCT(a INTEGER)"),
        (pl.Float64, "DOUBLE"),
        (pl.Decimal(18, 3), "DECIMAL(18,3)"),
    ],
)
def test_sql_type_names(dtype, name):
    assert sql_type(dtype) == name


def test_unknown_search_filters_name_the_valid_values(db_path, capsys):
    from tests.analyst_data import build_analyst_warehouse, tag_summits

    warehouse = build_analyst_warehouse(db_path)
    tag_summits(warehouse)
    assert main(["search", "Gipfel", "--db", str(warehouse), "--summit", "hanoi-2091"]) == 1
    err = capsys.readouterr().err
    assert "unknown summit id 'hanoi-2091'" in err and "hanoi-2019" in err
    assert main(["search", "Gipfel", "--db", str(warehouse), "--language", "es"]) == 1
    err = capsys.readouterr().err
    assert "unknown language 'es'" in err and "de, fr" in err
    assert main(["search", "Gipfel", "--db", str(warehouse), "--outlet", "Spigel"]) == 1
    assert "Spiegel" in capsys.readouterr().err
    assert main(["search", "Gipfel", "--db", str(warehouse), "--outlet", "Spiegel", "--lang", "de"]) == 0
    out = capsys.readouterr().out
    assert "Spiegel" in out and "Standard" not in out


def test_run_refuses_a_missing_input_before_starting_anything(tmp_path, capsys):
    import time

    db = tmp_path / "w" / "news.duckdb"
    started = time.perf_counter()
    assert main(["run", str(tmp_path / "nonexistent"), "--db", str(db)]) == 1
    assert time.perf_counter() - started < 5
    err = capsys.readouterr().err
    assert "input not found" in err and "nonexistent" in err
    assert not db.exists() and not db.parent.exists()


def test_run_refuses_a_bad_config_or_language_before_starting(tmp_path, capsys):
    db = tmp_path / "news.duckdb"
    bad = tmp_path / "bad.toml"
    bad.write_text("[pipeline]\nbatch_size = 'many'\n")
    assert main(["run", str(tmp_path), "--db", str(db), "--config", str(bad)]) == 1
    assert "pipeline.batch_size" in capsys.readouterr().err
    assert main(["run", str(tmp_path), "--db", str(db), "--language", "xx"]) == 1
    assert "xx" in capsys.readouterr().err
    assert not db.exists()


def test_every_view_is_named_stg_int_or_mart():
    import re

    from warehouse.models import MODELS_DIR

    views = {
        name
        for path in MODELS_DIR.glob("*.sql")
        for name in re.findall(r"create or replace view (\w+)", path.read_text(encoding="utf-8"))
    }
    assert views and all(name.split("_", 1)[0] in {"stg", "int", "mart"} for name in views), sorted(views)
    assert {"mart_summit_people_quoted", "mart_syndication_stories", "mart_outlet_story_counts"} <= views


def test_old_view_names_are_dropped_and_every_mart_is_exported(db_path, tmp_path):
    from tests.analyst_data import build_analyst_warehouse
    from warehouse.connection import open_warehouse
    from warehouse.export import export_warehouse
    from warehouse.migrations import migrate

    warehouse = build_analyst_warehouse(db_path)
    with open_warehouse(warehouse) as con:
        views = {row[0] for row in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
        assert not {v for v in views if not v.startswith(("stg_", "int_", "mart_"))}
        marts = {v for v in views if v.startswith("mart_")}
        manifest = export_warehouse(con, tmp_path / "export", "parquet")
    assert marts <= {entry["name"] for entry in manifest["relations"]}
    assert "mart_outlet_story_counts" in marts

    with open_warehouse(warehouse) as con:  # a warehouse from before the renaming
        con.execute("create view outlet_story_counts as select 1 as x")
        con.execute("delete from schema_migrations where version >= 20")
        migrate(con)
        names = {row[0] for row in con.execute("select view_name from duckdb_views()").fetchall()}
    assert "outlet_story_counts" not in names


def test_version_and_did_you_mean(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0 and capsys.readouterr().out.startswith("newsflow ")
    with pytest.raises(SystemExit) as caught:
        main(["serch", "Gipfel"])
    assert caught.value.code == 2
    assert "did you mean 'search'" in capsys.readouterr().err


def test_query_list_shows_parameter_defaults(capsys):
    assert main(["query", "--list"]) == 0
    out = capsys.readouterr().out
    assert "limit (integer, default 50)" in out and "entity (text, required)" in out


def test_schema_format_has_help(capsys):
    with pytest.raises(SystemExit):
        main(["schema", "--help"])
    assert "markdown (a reference page)" in " ".join(capsys.readouterr().out.split())


def test_wrong_config_types_name_the_file_or_variable(tmp_path):
    from newsflow.errors import ConfigError
    from newsflow.settings import load_settings

    override = tmp_path / "site.toml"
    override.write_text("[pipeline]\nbatch_size = 'many'\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(override, environ={})
    assert str(override) in str(caught.value) and "pipeline.batch_size" in str(caught.value)
    assert "fix: correct the key in" in str(caught.value)
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={"NEWSFLOW_PIPELINE__BATCH_SIZE": "-3"})
    assert "NEWSFLOW_PIPELINE__BATCH_SIZE" in str(caught.value) and "unset it" in str(caught.value)
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={"NEWSFLOW_LANGUAGE__LANGUAGES": '"de"'})
    assert "environment variable NEWSFLOW_LANGUAGE__LANGUAGES" in str(caught.value)


def test_the_read_snapshot_gets_the_warehouse_permissions(db_path):
    import os
    import stat

    from warehouse.connection import open_warehouse
    from warehouse.snapshot import publish_snapshot, snapshot_path

    with open_warehouse(db_path):
        pass
    os.chmod(db_path, 0o644)
    publish_snapshot(db_path)
    assert stat.S_IMODE(os.stat(snapshot_path(db_path)).st_mode) == 0o644
    os.chmod(db_path, 0o640)
    publish_snapshot(db_path)
    assert stat.S_IMODE(os.stat(snapshot_path(db_path)).st_mode) == 0o640


def test_mart_articles_outlet_stays_null_when_unnamed(db_path):
    from tests.analyst_data import build_analyst_warehouse
    from warehouse.connection import open_warehouse
    from warehouse.models import apply_models
    from warehouse.named_queries import run_named

    warehouse = build_analyst_warehouse(db_path)
    with open_warehouse(warehouse) as con:
        con.execute("update articles set outlet = '  ' where article_id = '/inbox/summit.jsonl#5'")
        con.execute("update articles set outlet = null where article_id = '/inbox/summit.jsonl#4'")
        apply_models(con)
        outlets = dict(con.execute("select article_id, outlet from mart_articles").fetchall())
        report = run_named(con, "report_duplicates_by_outlet")
    assert outlets["/inbox/summit.jsonl#5"] is None and outlets["/inbox/summit.jsonl#4"] is None
    assert report.filter(pl.col("outlet") == "(unknown)")["articles"].to_list() == [2]  # "(unknown)" in reports only
