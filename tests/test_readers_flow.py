"""The real build_corpus flow over feeds, WARC, CSV and archives: ledger, rerun, provenance in DuckDB."""

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEED_FILE
from tests.ingest_builders import warc_bytes, zip_bytes

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_harness")]
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
KEEP = "Donald Trump und Kim Jong Un trafen sich in Hanoi zu ihrem zweiten Gipfel. Eine Einigung gab es nicht."
DROP = "Kim Jong Un reiste mit dem Zug aus Pjöngjang an; die Fahrt durch China dauerte zweieinhalb Tage lang."
FIXED = "Die Gespräche in Hanoi wurden vorzeitig beendet, ein gemeinsames Mittagessen fiel aus, hieß es."


def run(paths, db_path) -> dict:
    from flows.build_corpus import build_corpus

    return build_corpus(paths=[str(p) for p in paths], db=str(db_path))


def query(db_path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_archive_rerun_skips_unchanged_and_replaces_exactly_its_members(tmp_path, db_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED_FILE, inbox)
    bundle = inbox / "bundle.zip"
    bundle.write_bytes(
        zip_bytes({"keep.txt": KEEP.encode(), "drop.txt": DROP.encode(), "bad.txt": b"Text \x81\x8d\x81"})
    )

    first = run([inbox], db_path)
    assert (first["files_seen"], first["files_changed"], first["articles"], first["rejects"]) == (2, 2, 3, 1)
    assert query(db_path, f"select path, status, articles, rejects, container from files where path like '{bundle}%' order by path") == [
        (str(bundle), "partial", 2, 1, None),
        (f"{bundle}!bad.txt", "rejected", 0, 1, str(bundle)),
        (f"{bundle}!drop.txt", "loaded", 1, 0, str(bundle)),
        (f"{bundle}!keep.txt", "loaded", 1, 0, str(bundle)),
    ]  # fmt: skip
    assert query(db_path, "select path, reason from rejects") == [(f"{bundle}!bad.txt", "undecodable")]
    before = query(db_path, "select article_id, source_path, text, run_id from articles order by 1")

    second = run([inbox], db_path)  # nothing changed: nothing read
    assert (second["files_changed"], second["files_skipped"], second["articles"]) == (0, 2, 0)
    assert query(db_path, "select article_id, source_path, text, run_id from articles order by 1") == before

    # the archive changes: one member edited, one gone, the bad one fixed, one new
    bundle.write_bytes(
        zip_bytes({"keep.txt": (KEEP + " Neu.").encode(), "bad.txt": FIXED.encode(), "new.txt": DROP.encode()})
    )
    os.utime(bundle, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    third = run([inbox], db_path)
    assert (third["files_changed"], third["articles"], third["rejects"]) == (1, 3, 0)
    assert query(db_path, "select count(*) from rejects") == [(0,)]
    rows = dict(query(db_path, f"select source_path, text from articles where source_path like '{bundle}%'"))
    assert set(rows) == {f"{bundle}!keep.txt", f"{bundle}!bad.txt", f"{bundle}!new.txt"}
    assert rows[f"{bundle}!keep.txt"].endswith("Neu.") and rows[f"{bundle}!bad.txt"] == FIXED
    assert query(db_path, f"select count(*) from files where path = '{bundle}!drop.txt'") == [(0,)]
    seed_run = query(db_path, f"select distinct run_id from articles where source_path = '{inbox / SEED_FILE.name}'")
    assert seed_run == [(first["run_id"],)]  # the seed file was not touched
    assert query(db_path, f"select status, articles, rejects from files where path = '{bundle}'") == [("loaded", 3, 0)]


def test_feeds_warc_and_csv_load_with_provenance_and_skipped_records(tmp_path, db_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("tagesschau_rss.xml", "lemonde_atom.atom", "articles.csv"):
        shutil.copy(FIXTURES / name, inbox)
    (inbox / "crawl.warc.gz").write_bytes(warc_bytes(gzip=True))
    result = run([inbox], db_path)
    assert result["files_seen"] == 4
    formats = dict(query(db_path, "select format, count(*) from articles group by 1"))
    assert formats == {"feed": 4, "warc": 2, "csv": 2}
    warc = query(db_path, "select status, articles, rejects, skipped from files where path like '%crawl.warc.gz'")
    assert warc == [("loaded", 2, 0, 3)]
    assert query(db_path, "select count(*) from rejects where reason = 'skipped_record'") == [(3,)]
    # outlet derived from the URL's registered domain when the CSV names none; the 1985 date flagged
    csv_rows = query(
        db_path,
        "select outlet, field_sources.outlet, published_at_flag from articles where format = 'csv' order by item",
    )
    assert csv_rows == [("zeitung-a.de", "extraction", None), ("Zeitung B", "record", "before_1990")]
    sources = query(db_path, "select distinct field_sources.url from articles where format = 'warc'")
    assert sources == [("warc",)]
    languages = dict(query(db_path, "select field_sources.language, count(*) from articles group by 1"))
    assert set(languages) <= {"feed", "record", "html_meta", "identified", "default"}
    assert query(db_path, "select count(*) from articles where fetched_at is not null") == [(2,)]
