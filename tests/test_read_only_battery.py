"""`newsflow sql` / `query` / `search` cannot write, escape or reconfigure: each attempt is NF220, nothing changes.

Each statement goes through the real CLI against a real warehouse and its
published read snapshot; afterwards both files are byte-identical to before and
no file the attack names exists.
"""

import hashlib
from pathlib import Path

import pytest

from newsflow.cli import main
from tests.analyst_data import build_analyst_warehouse
from warehouse.snapshot import snapshot_path


def _attacks(db: Path, out: Path) -> list[str]:
    w, s, o = str(db), str(snapshot_path(db)), str(out)
    return [
        # every EXPLAIN form around a write
        f"explain analyze copy (select 'garbage') to '{w}' (header false)",
        f"explain copy (select 'garbage') to '{w}' (header false)",
        f"explain (analyze) copy (select 1) to '{s}'",
        f"explain (format json) copy (select 1) to '{o}/x.csv'",
        f"/* hi */ EXPLAIN  ANALYZE -- there\n copy (select 1) to '{o}/y.csv'",
        "explain analyze create temp table t as select 1",
        "explain insert into articles (article_id) values ('x')",
        "explain analyze checkpoint",
        f"explain attach '{o}/z.db'",
        # COPY, EXPORT, IMPORT, ATTACH
        f"copy articles to '{w}' (header false)",
        f"copy (select * from articles) to '{o}/articles.csv'",
        f"export database '{o}/dump'",
        f"import database '{o}'",
        f"attach '{o}/evil.db' as evil",
        f"attach '{w}' as again",
        # extensions and settings
        "install httpfs",
        "load httpfs",
        "set enable_external_access = true",
        "reset lock_configuration",
        "pragma threads = 1",
        "set threads = 1",
        "call pragma_version()",
        "checkpoint",
        "vacuum",
        "create temp table t as select 1",
        "create macro m() as 1",
        "drop table articles",
        "delete from articles",
        "update articles set title = 'x'",
        # table functions reading the host
        "select * from read_text('/etc/passwd')",
        "select * from read_csv('/etc/passwd', sep = ':')",
        "select * from read_blob('/etc/hostname')",
        "select * from glob('/etc/*')",
        "select * from read_json('/etc/hosts')",
        "select * from read_parquet('/etc/passwd')",
        f"select * from read_text('{w}')",
        "select * from sniff_csv('/etc/passwd')",
        "select * from '/etc/passwd'",
        f"select * from query('select * from read_text(''/etc/passwd'')')",
        f"select * from query_table('{o}/x.csv')",
        "select 1; copy articles to '/tmp/never.csv'",
    ]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    db = build_analyst_warehouse(tmp_path_factory.mktemp("battery") / "w.duckdb")
    assert snapshot_path(db).exists()
    return db


def test_each_write_or_escape_is_refused_and_nothing_changes(warehouse, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    before = {p: _digest(p) for p in (warehouse, snapshot_path(warehouse))}
    attacks = _attacks(warehouse, out)
    assert len(attacks) >= 25
    for statement in attacks:
        assert main(["sql", "--db", str(warehouse), statement]) == 1, statement
        error = capsys.readouterr().err
        assert "[NF220]" in error, (statement, error)
    assert {p: _digest(p) for p in before} == before
    assert list(out.iterdir()) == []
    assert not Path("/tmp/never.csv").exists()


def test_named_queries_and_search_run_locked_down(warehouse, capsys):
    """The commands that take user text work on the locked connection (fts is loaded before the lock)."""
    before = _digest(warehouse)
    assert main(["search", "--db", str(warehouse), "--format", "csv", "Gipfel"]) == 0
    assert "article_id" in capsys.readouterr().out
    assert main(["query", "--db", str(warehouse), "--format", "csv", "coverage_by_outlet"]) == 0
    assert main(["sql", "--db", str(warehouse), "--format", "csv",
                 "select current_setting('enable_external_access') as ext, current_setting('lock_configuration') as locked"]) == 0  # fmt: skip
    assert capsys.readouterr().out.splitlines()[-1] == "false,true"
    assert _digest(warehouse) == before


def test_explain_of_a_select_still_works(warehouse, capsys):
    for statement in ("explain select count(*) from articles", "explain analyze select 1", "explain (format json) select 1"):
        assert main(["sql", "--db", str(warehouse), "--format", "csv", statement]) == 0, statement
    capsys.readouterr()
