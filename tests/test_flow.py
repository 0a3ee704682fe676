"""The real `build_corpus` flow on real files, a real DuckDB file and a real Prefect API."""

import asyncio
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEED_FILE

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_harness")]

SEED_ENTITIES = {
    # canonical name: (type, Wikidata id)
    "Donald Trump": ("PER", "Q22686"),
    "Kim Jong Un": ("PER", "Q56226"),
    "Hanoi": ("LOC", "Q1858"),
    "Vietnam": ("LOC", "Q881"),
    "Nordkorea": ("LOC", "Q423"),
    "USA": ("LOC", "Q30"),
    "Singapur": ("LOC", "Q334"),
    "Pjöngjang": ("LOC", "Q18808"),
    "China": ("LOC", "Q148"),
    "Russland": ("LOC", "Q159"),
    "Japan": ("LOC", "Q17"),
    "Südkorea": ("LOC", "Q884"),
}


def run(paths, db_path, **kwargs) -> dict:
    from flows.build_corpus import build_corpus

    return build_corpus(paths=[str(p) for p in paths], db=str(db_path), **kwargs)


def table_snapshot(db_path: Path) -> dict[str, list]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return {
            "articles": con.execute("select * exclude (run_id) from articles order by all").fetchall(),
            "mentions": con.execute("select * from mentions order by all").fetchall(),
            "entities": con.execute("select * from entities order by all").fetchall(),
            "rejects": con.execute("select * exclude (run_id, rejected_at) from rejects order by all").fetchall(),
            "files": con.execute("select path, size, content_hash, status from files order by all").fetchall(),
        }


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "seeds"
    directory.mkdir()
    shutil.copy(SEED_FILE, directory)
    return directory


def test_seed_article_loads_with_its_entities(seed_dir, db_path):
    result = run([seed_dir], db_path)
    assert result["articles"] == 1 and result["rejects"] == 0 and result["files_changed"] == 1
    with duckdb.connect(str(db_path), read_only=True) as con:
        language, text = con.execute("select language, text from articles").fetchone()
        assert language == "de"
        assert text.startswith("Bei seinem zweiten Gipfel mit Nordkoreas Machthaber Kim Jong Un")
        found = {
            name: (kind, wikidata)
            for name, kind, wikidata in con.execute(
                "select distinct e.canonical_name, e.type, e.wikidata_id from mentions m join entities e using (entity_id)"
            ).fetchall()
        }
        for name, expected in SEED_ENTITIES.items():
            assert found.get(name) == expected, name
        # offsets index articles.text
        misaligned = con.execute(
            "select count(*) from mentions m join articles a using (article_id)"
            " where substr(a.text, m.start_char + 1, m.end_char - m.start_char) <> m.text"
        ).fetchone()[0]
        assert misaligned == 0
        # "Trump" and "Kim" alone resolve to the full people; the genitive to the country
        resolved = dict(
            con.execute(
                "select m.text, e.canonical_name from mentions m join entities e using (entity_id)"
                " where m.text in ('Trump', 'Kim', 'Nordkoreas', 'Vietnams')"
            ).fetchall()
        )
        assert resolved == {"Trump": "Donald Trump", "Kim": "Kim Jong Un", "Nordkoreas": "Nordkorea", "Vietnams": "Vietnam"}
        assert con.execute("select count(*) from mentions where text like 'Nordkorea-%'").fetchone()[0] == 0
        run_row = con.execute("select status, articles, rejects, files_changed, config_hash from runs").fetchone()
        assert run_row[:4] == ("completed", 1, 0, 1) and run_row[4]
        assert con.execute("select status, articles from files").fetchone() == ("loaded", 1)


def test_rerun_changes_nothing_and_a_changed_file_replaces_its_rows(seed_dir, db_path):
    run([seed_dir], db_path)
    before = table_snapshot(db_path)
    again = run([seed_dir], db_path)
    assert (again["files_skipped"], again["files_changed"], again["articles"]) == (1, 0, 0)
    assert table_snapshot(db_path) == before

    seed = seed_dir / SEED_FILE.name
    seed.write_text(seed.read_text(encoding="utf-8") + "\nTrump reiste danach nach Washington zurück.\n", encoding="utf-8")
    changed = run([seed_dir], db_path)
    assert changed["files_changed"] == 1 and changed["articles"] == 1
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute("select count(*) from articles").fetchone()[0] == 1
        assert con.execute("select text from articles").fetchone()[0].endswith("nach Washington zurück.")
        assert con.execute("select count(*) from (select article_id, start_char from mentions group by all having count(*) > 1)").fetchone()[0] == 0
        statuses = con.execute("select status from runs order by started_at").fetchall()
        assert statuses == [("completed",)] * 3


BAD_INPUTS = {
    "empty.txt": (b"", "empty"),
    "binary.txt": (bytes(range(256)) * 8, "binary"),
    "truncated.json": (b'{"title": "Gipfel", "text": "Trump und Kim tr', "invalid_json"),
    "nobody.html": (b"<html><head><title>x</title></head><body></body></html>", "no_text"),
    "tiny.txt": ("Kurz.".encode(), "text_too_short"),
}


def test_bad_inputs_are_quarantined_and_the_good_ones_load(seed_dir, db_path):
    for name, (data, _) in BAD_INPUTS.items():
        (seed_dir / name).write_bytes(data)
    text = "Der US-Präsident Donald Trump traf Kim Jong Un in Hanoi. Beide sprachen über Nordkoreas Atomwaffen."
    (seed_dir / "utf16.txt").write_bytes(text.encode("utf-16"))
    (seed_dir / "latin.txt").write_bytes(("Über „Gipfel“: " + text).encode("cp1252"))
    (seed_dir / "items.jsonl").write_bytes(
        b'{"title": "Eins", "text": "' + text.encode() + b'"}\n{"title": broken\n{"title": "Drei", "text": "Kim Jong Un reiste nach Hanoi, Vietnam, zum zweiten Gipfel."}\n'
    )
    result = run([seed_dir], db_path)
    assert result["articles"] == 5  # seed, utf16, latin, two good JSONL lines
    with duckdb.connect(str(db_path), read_only=True) as con:
        reasons = dict(con.execute("select regexp_extract(path, '[^/]+$'), reason from rejects where item = ''").fetchall())
        assert reasons == {name: reason for name, (_, reason) in BAD_INPUTS.items()}
        assert con.execute("select item, reason from rejects where path like '%items.jsonl'").fetchall() == [("L2", "invalid_json")]
        encodings = dict(con.execute("select regexp_extract(source_path, '[^/]+$'), encoding from articles").fetchall())
        assert encodings["utf16.txt"].startswith("utf-16") and encodings["latin.txt"] == "cp1252"
        # every input file ends as articles or rejects, nothing is lost
        statuses = dict(con.execute("select regexp_extract(path, '[^/]+$'), status from files").fetchall())
        assert statuses["items.jsonl"] == "partial" and statuses["empty.txt"] == "rejected"
        assert len(statuses) == len(BAD_INPUTS) + 4
    # the broken inputs are untouched, and a rerun keeps exactly one reject each
    assert (seed_dir / "truncated.json").read_bytes() == BAD_INPUTS["truncated.json"][0]
    before = table_snapshot(db_path)
    run([seed_dir], db_path)
    assert table_snapshot(db_path) == before


def test_a_fixed_file_is_picked_up_by_the_next_run(seed_dir, db_path):
    broken = seed_dir / "story.json"
    broken.write_bytes(b'{"title": "Gipfel in Hanoi", "text": "Trump und Kim')
    run([seed_dir], db_path)
    broken.write_text('{"title": "Gipfel in Hanoi", "text": "Trump und Kim trafen sich in Hanoi zu ihrem zweiten Gipfel."}')
    result = run([seed_dir], db_path)
    assert result["files_changed"] == 1 and result["articles"] == 1
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute("select count(*) from rejects").fetchone()[0] == 0
        assert con.execute("select title from articles where source_path like '%story.json'").fetchone() == ("Gipfel in Hanoi",)


def test_editing_only_a_sidecar_is_picked_up_by_the_next_run(seed_dir, db_path):
    import os

    sidecar = seed_dir / (SEED_FILE.name + ".meta.json")
    sidecar.write_text('{"outlet": "Erste Zeitung"}')
    run([seed_dir], db_path)
    sidecar.write_text('{"outlet": "Zweite Zeitung", "published_at": "2019-02-27"}')
    later = sidecar.stat().st_mtime_ns + 5_000_000_000
    os.utime(sidecar, ns=(later, later))
    result = run([seed_dir], db_path)
    assert result["files_changed"] == 1
    with duckdb.connect(str(db_path), read_only=True) as con:
        outlet, published = con.execute("select outlet, cast(published_at as date)::varchar from articles").fetchone()
    assert (outlet, published) == ("Zweite Zeitung", "2019-02-27")
    assert run([seed_dir], db_path)["files_changed"] == 0


def test_a_failed_load_is_recorded_and_the_next_run_finishes_the_job(seed_dir, db_path, monkeypatch):
    import flows.build_corpus as module

    (seed_dir / "second.txt").write_text("Kim Jong Un und Donald Trump trafen sich in Singapur zum ersten Gipfel der beiden.")
    calls = {"n": 0}
    real_load = module.load_batch

    def failing_load(con, batch, run_id):  # failure injection: the second batch's load fails
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full (injected)")
        real_load(con, batch, run_id)

    monkeypatch.setattr(module, "load_batch", failing_load)
    with pytest.raises(Exception, match="disk full"):
        _run_with_batch_size(seed_dir, db_path, 1)
    monkeypatch.setattr(module, "load_batch", real_load)
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute("select status, error like '%disk full%' from runs").fetchone() == ("failed", True)
        assert con.execute("select count(*) from articles").fetchone()[0] == 1  # the first batch committed
    result = _run_with_batch_size(seed_dir, db_path, 1)
    assert result["files_changed"] == 1 and result["files_skipped"] == 1
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute("select count(*) from articles").fetchone()[0] == 2
        assert con.execute("select status from runs order by started_at").fetchall() == [("failed",), ("completed",)]


def _run_with_batch_size(seed_dir: Path, db_path: Path, size: int) -> dict:
    config = seed_dir.parent / "batch.toml"
    config.write_text(f"[pipeline]\nbatch_size = {size}\nio_retries = 0\n")
    return run([seed_dir], db_path, config=str(config))


def test_run_publishes_artifacts(seed_dir, db_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    (seed_dir / "empty.txt").write_bytes(b"")
    result = run([seed_dir], db_path)

    async def artifacts_of_the_run() -> dict:
        async with get_client() as client:
            found = await client.read_artifacts(
                artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[result["flow_run_id"]]))
            )
        return {artifact.key: artifact for artifact in found}

    artifacts = asyncio.run(artifacts_of_the_run())
    summary = artifacts["newsflow-run-summary"]
    assert summary.type == "markdown" and "Donald Trump" in summary.data and "| empty | 1 |" in summary.data
    rejects = artifacts["newsflow-rejects"]
    assert rejects.type == "table" and "empty.txt" in str(rejects.data)
