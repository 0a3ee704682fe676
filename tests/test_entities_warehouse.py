"""Entities in the warehouse: per-language names, KB version, descriptors per outlet (migration 005, view 40)."""

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from transforms.entities import extract_entities
from transforms.ingest import ledger_rows
from transforms.nlp.kb import load_kb
from transforms.nlp.pipelines import build_pipeline
from transforms.schemas import ARTICLE_SCHEMA, REJECT_SCHEMA, conform
from warehouse.connection import open_warehouse
from warehouse.load import Batch, load_batch
from warehouse.models import apply_models

ROOT = Path(__file__).resolve().parents[1]
TEXTS = {
    "taz": "Machthaber Kim Jong Un traf US-Präsident Donald Trump in Hanoi. Der Machthaber lächelte.",
    "welt": "Diktator Kim Jong Un reiste nach Vietnam. Nordkoreas Diktator Kim sprach mit Trump.",
}


@pytest.fixture(scope="module")
def kb():
    return load_kb(ROOT / "configs" / "kb")


def _batch(kb) -> Batch:
    articles = conform(
        pl.DataFrame(
            {
                "article_id": list(TEXTS),
                "source_path": [f"/in/{outlet}.txt" for outlet in TEXTS],
                "item": ["0", "0"],
                "text": list(TEXTS.values()),
                "match_text": list(TEXTS.values()),
                "language": ["de", "de"],
                "format": ["txt", "txt"],
                "outlet": list(TEXTS),
                "text_hash": list(TEXTS),
                "n_chars": [len(t) for t in TEXTS.values()],
                "n_words": [len(t.split()) for t in TEXTS.values()],
                "published_at": [datetime(2019, 2, 27, tzinfo=UTC)] * 2,
            }
        ),
        ARTICLE_SCHEMA,
    ).with_columns(match_text=pl.col("text"))
    mentions, entities = extract_entities(
        articles, lambda lang: build_pipeline(lang, ["embedded"], "fail", kb)[0], kb, 8
    )
    files = pl.DataFrame(
        {"path": articles["source_path"], "size": [1, 1], "mtime_ns": [1, 1], "content_hash": ["a", "b"]}
    )
    rejects = conform(pl.DataFrame(), REJECT_SCHEMA)
    return Batch(ledger_rows(files, articles, rejects), articles, entities, rejects, {"mentions": mentions})


def test_entities_carry_names_per_language_and_the_kb_version(db_path, kb):
    with open_warehouse(db_path) as con:
        load_batch(con, _batch(kb), "run-1")
        rows = con.execute(
            "select entity_id, canonical_name, name_de, name_en, name_fr, wikidata_id, kb_version from entities"
            " where entity_id in ('LOC:KP', 'LOC:hanoi', 'PER:kim-jong-un') order by entity_id"
        ).fetchall()
    assert rows == [
        ("LOC:KP", "Nordkorea", "Nordkorea", "North Korea", "Corée du Nord", "Q423", kb.version),
        ("LOC:hanoi", "Hanoi", "Hanoi", "Hanoi", "Hanoï", "Q1858", kb.version),
        ("PER:kim-jong-un", "Kim Jong Un", "Kim Jong Un", "Kim Jong Un", "Kim Jong-un", "Q56226", kb.version),
    ]


def test_descriptors_per_person_and_outlet(db_path, kb):
    with open_warehouse(db_path) as con:
        load_batch(con, _batch(kb), "run-1")
        assert "40_stg_entity_descriptors" in apply_models(con).applied
        rows = con.execute(
            "select outlet, descriptor, mentions, standalone_mentions from stg_entity_descriptors"
            " where entity_id = 'PER:kim-jong-un' order by outlet, descriptor"
        ).fetchall()
        comments = con.execute(
            "select count(*) from duckdb_columns() where table_name = 'stg_entity_descriptors' and comment is null"
        ).fetchone()[0]
    assert rows == [("taz", "Machthaber", 2, 1), ("welt", "Diktator", 2, 0)]
    assert comments == 0


def test_migration_comments_every_new_column(db_path):
    with open_warehouse(db_path) as con:
        missing = con.execute(
            "select column_name from duckdb_columns() where table_name = 'entities' and comment is null"
        ).fetchall()
    assert missing == []
