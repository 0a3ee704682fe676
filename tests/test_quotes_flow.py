"""The seed through the real build_corpus flow: the quotes, summit and key-term tables in DuckDB."""

import duckdb
import pytest

from tests.conftest import SEED_FILE
from tests.test_flow import run, seed_dir  # noqa: F401  (seed_dir is a fixture)
from tests.test_quotes_seed import SEED_GOLD

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_harness")]


def snapshot(con) -> dict[str, list]:
    return {
        table: con.execute(f"select * from {table} order by all").fetchall()
        for table in ("quotes", "article_summits", "article_terms", "mart_key_terms", "summits")
    }


def test_seed_quotes_summit_and_key_terms_in_the_warehouse(seed_dir, db_path):  # noqa: F811  (fixture)
    from flows.summary import render_text
    from warehouse.report import run_report

    result = run([seed_dir], db_path)
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute(
            "select kind, text, speaker_text, speaker_entity_id, cue from quotes order by start_char, kind"
        ).fetchall()
        assert rows == SEED_GOLD
        misaligned = con.execute(
            "select count(*) from quotes q join articles a using (article_id)"
            " where substr(a.text, q.start_char + 1, q.end_char - q.start_char) <> q.text"
            "    or substr(a.text, q.cue_start + 1, q.cue_end - q.cue_start) <> q.cue"
        ).fetchone()[0]
        assert misaligned == 0
        # speakers link to entities: every resolved speaker is a loaded person
        assert con.execute(
            "select distinct e.canonical_name from quotes q join entities e on e.entity_id = q.speaker_entity_id order by 1"
        ).fetchall() == [("Donald Trump",), ("Kim Jong Un",)]
        assert con.execute("select summit_id from article_summits").fetchall() == [("hanoi-2019",)]
        people = dict(
            con.execute(
                "select speaker, quotes from mart_summit_people_quoted where speaker_entity_id is not null"
            ).fetchall()
        )
        assert people == {"Donald Trump": 11, "Kim Jong Un": 5}
        summit_terms = [t for (t,) in con.execute(
            "select term from mart_key_terms where scope = 'summit' and scope_id = 'hanoi-2019' order by rank"
        ).fetchall()]  # fmt: skip
        assert "Atomwaffe" in summit_terms and "Denuklearisierung" in summit_terms
        assert con.execute("select count(*) from summits").fetchone()[0] >= 6
        text = render_text(run_report(con, result["run_id"]))
        assert "summit hanoi-2019 (1 articles), key terms: Atomwaffen" in text
        assert "quote: Donald Trump: „" in text or "quote: Kim Jong Un: „" in text
        before = snapshot(con)
    seed = seed_dir / SEED_FILE.name
    seed.touch()  # same content, new mtime: hashed, unchanged, nothing rewritten
    run([seed_dir], db_path)
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert snapshot(con) == before
