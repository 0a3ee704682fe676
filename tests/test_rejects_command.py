"""`newsflow rejects [--run ID] [--reason R]`: the quarantine, with archive members shown apart."""

import json

import polars as pl
import pytest

from newsflow.cli import main
from tests.ingest_builders import zip_bytes
from tests.test_ingest import plan_for
from transforms.ingest import ledger_rows, read_inputs
from warehouse.connection import open_warehouse
from warehouse.load import Batch, load_batch


def load(db_path, run_id: str, *paths) -> None:
    out = read_inputs(plan_for(*paths))
    batch = Batch(
        ledger_rows(out.files, out.articles, out.rejects), _articles(out.articles), pl.DataFrame(), out.rejects
    )
    with open_warehouse(db_path) as con:
        load_batch(con, batch, run_id)
        con.execute(
            "insert into runs (run_id, started_at, finished_at, status, inputs, config_hash)"
            " values (?, now(), now(), 'completed', '[]', 'abc')",
            [run_id],
        )


def _articles(raw: pl.DataFrame) -> pl.DataFrame:
    from transforms.prepare import prepare_articles

    articles, _ = prepare_articles(raw, min_text_chars=1, languages=["de"], default_language="de", min_confidence=0.5)
    return articles


@pytest.fixture
def quarantine(tmp_path, db_path):
    archive = tmp_path / "batch.zip"
    archive.write_bytes(zip_bytes({"ok.txt": b"Trump traf Kim in Hanoi.", "dir/bad.txt": b"Text \x81\x8d\x81"}))
    broken = tmp_path / "story.json"
    broken.write_bytes(b'{"text": "Trump und')
    load(db_path, "run-1", archive)
    load(db_path, "run-2", broken)
    return {"db": db_path, "archive": str(archive), "json": str(broken)}


def test_lists_every_reject_with_the_member_apart(quarantine, capsys):
    assert main(["rejects", "--db", str(quarantine["db"]), "--format", "json"]) == 0
    rows = {(r["path"], r["member"]): r for r in json.loads(capsys.readouterr().out)}
    assert set(rows) == {(quarantine["archive"], "dir/bad.txt"), (quarantine["json"], "")}
    bad = rows[(quarantine["archive"], "dir/bad.txt")]
    assert (bad["stage"], bad["reason"], bad["detail"], bad["run_id"]) == (
        "decode",
        "undecodable",
        "invalid utf-8 at byte 5",
        "run-1",
    )
    assert rows[(quarantine["json"], "")]["reason"] == "invalid_json"


def test_run_filter_and_last(quarantine, capsys):
    assert main(["rejects", "--db", str(quarantine["db"]), "--run", "run-1", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "path,member,item,stage,reason,detail,run_id,rejected_at"
    assert "dir/bad.txt" in out and "story.json" not in out
    assert main(["rejects", "--db", str(quarantine["db"]), "--run", "last", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "story.json" in out and "bad.txt" not in out


def test_reason_filter_and_table_output(quarantine, capsys):
    assert main(["rejects", "--db", str(quarantine["db"]), "--reason", "invalid_json"]) == 0
    out = capsys.readouterr().out
    assert "invalid_json" in out and "undecodable" not in out and "(1 row)" in out


def test_unknown_run_exits_1_with_a_fix(quarantine, capsys):
    assert main(["rejects", "--db", str(quarantine["db"]), "--run", "nope"]) == 1
    err = capsys.readouterr().err
    assert "no run 'nope'" in err and "fix:" in err


def test_rejects_are_paged_in_sql(tmp_path, db_path, capsys):
    files = []
    for n in range(5):
        bad = tmp_path / f"bad{n}.json"
        bad.write_text("{broken")
        files.append(bad)
    load(db_path, "run-1", *files)
    assert main(["rejects", "--db", str(db_path), "--max-rows", "2"]) == 0
    first = capsys.readouterr()
    assert first.out.count("invalid_json") == 2 and "(rows 1-2 of 5; --offset 2" in first.err
    assert main(["rejects", "--db", str(db_path), "--max-rows", "2", "--offset", "4"]) == 0
    last = capsys.readouterr()
    assert last.out.count("invalid_json") == 1 and last.err == ""
    assert main(["rejects", "--db", str(db_path), "--format", "csv"]) == 0
    assert capsys.readouterr().out.count("invalid_json") == 5
