"""Export to Parquet and CSV: manifest, partitions, and a round trip that loses nothing."""

import json

import duckdb
import pytest

from newsflow.cli import main
from newsflow.errors import WarehouseError
from tests.analyst_data import build_analyst_warehouse, tag_summits
from warehouse.connection import open_warehouse
from warehouse.export import attach_export, export_warehouse
from warehouse.snapshot import open_reader


@pytest.fixture
def warehouse(db_path):
    return build_analyst_warehouse(db_path)


def _relations(con) -> set[str]:
    return {
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'main'"
            " union all select view_name from duckdb_views() where schema_name = 'main' and view_name like 'mart\\_%' escape '\\'"
        ).fetchall()
    }


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_round_trip_loses_nothing(warehouse, tmp_path, fmt):
    tag_summits(warehouse)  # summit marts with rows, lists and dates in them
    out = tmp_path / f"export-{fmt}"
    with open_reader(warehouse) as con:
        manifest = export_warehouse(con, out, fmt)
        expected = _relations(con)
        assert {entry["name"] for entry in manifest["relations"]} == expected
        back = duckdb.connect()
        back.execute("set TimeZone = 'UTC'")
        attach_export(back, out)
        for entry in manifest["relations"]:
            name = entry["name"]
            original = con.execute(f'select * from "{name}"').fetchall()
            exported = back.execute(f'select * from "{name}"').fetchall()
            assert len(exported) == entry["rows"] == len(original), name
            assert sorted(map(repr, exported)) == sorted(map(repr, original)), name  # values, types, nulls, order-free
            columns = [d[0] for d in back.execute(f'select * from "{name}" limit 0').description]
            assert columns == [c["name"] for c in entry["columns"]], name
    written = json.loads((out / "manifest.json").read_text())
    assert written == manifest
    articles = next(e for e in manifest["relations"] if e["name"] == "articles")
    assert articles["columns"][0]["comment"].startswith("Stable id")
    if fmt == "parquet":
        assert articles["partition_by"] == "language"
        assert sorted(p.name for p in (out / "articles").iterdir()) == ["language=de", "language=fr"]
    else:
        assert articles["partition_by"] is None


def test_summit_marts_are_partitioned_by_summit(warehouse, tmp_path):
    tag_summits(warehouse)
    with open_reader(warehouse) as con:
        manifest = export_warehouse(con, tmp_path / "p", "parquet")
    partitions = {e["name"]: e["partition_by"] for e in manifest["relations"]}
    assert partitions["mart_summit_coverage_daily"] == "summit_id"
    assert partitions["mart_articles"] == "language"  # summit_id is null for the untagged article
    assert sorted(p.name for p in (tmp_path / "p" / "mart_summit_entities").iterdir()) == [
        "summit_id=hanoi-2019", "summit_id=singapore-2018",
    ]  # fmt: skip


def test_empty_strings_and_nulls_stay_apart_in_csv(warehouse, tmp_path):
    with open_warehouse(warehouse) as con:
        con.execute("insert into rejects values ('/inbox/empty.txt', '', 'read', 'empty', null, 'run-1', now())")
    with open_reader(warehouse) as con:
        export_warehouse(con, tmp_path / "csv", "csv")
    back = duckdb.connect()
    attach_export(back, tmp_path / "csv")
    assert back.execute("select item, detail from rejects where path = '/inbox/empty.txt'").fetchall() == [("", None)]


def test_refuses_a_non_empty_directory_unless_overwrite(warehouse, tmp_path):
    """--overwrite replaces a previous export only; a directory holding anything else is never deleted (issue #15)."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with open_reader(warehouse) as con:
        with pytest.raises(WarehouseError, match="not empty"):
            export_warehouse(con, out, "parquet")
        with pytest.raises(WarehouseError, match="not a newsflow export"):
            export_warehouse(con, out, "parquet", overwrite=True)
        with pytest.raises(WarehouseError, match="holds the warehouse file"):
            export_warehouse(con, warehouse.parent, "csv", overwrite=True)
        assert (out / "keep.txt").read_text() == "mine" and warehouse.exists()
        previous = tmp_path / "previous"
        export_warehouse(con, previous, "csv")
        (previous / "stale.txt").write_text("from an older export")
        export_warehouse(con, previous, "parquet", overwrite=True)
    assert (previous / "manifest.json").exists() and not (previous / "stale.txt").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".out.", ".previous."))]  # no staging left behind


def test_export_command(warehouse, tmp_path, capsys):
    assert main(["export", "--db", str(warehouse), "--format", "csv", str(tmp_path / "x")]) == 0
    out = capsys.readouterr().out
    assert "mart_coverage_daily" in out and "manifest.json" in out
    assert main(["export", "--db", str(warehouse), str(tmp_path / "x")]) == 1  # exists: refused with a message
    assert "not empty" in capsys.readouterr().err
