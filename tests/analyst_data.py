"""A small hand-built warehouse for the analyst tests: two outlets, two languages, a copy, roles, rejects."""

from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from transforms.schemas import ARTICLE_SCHEMA, CANONICAL_MENTION_SCHEMA, ENTITY_SCHEMA, REJECT_SCHEMA, conform
from warehouse.connection import open_warehouse
from warehouse.fts import ensure_search_index
from warehouse.load import LEDGER_ROW_SCHEMA, Batch, load_batch
from warehouse.models import apply_models

ENTITIES = {
    "PER:donald-trump": ("Donald Trump", "PER", "Q22686"),
    "PER:kim-jong-un": ("Kim Jong Un", "PER", "Q56226"),
    "LOC:hanoi": ("Hanoi", "LOC", "Q1858"),
    "LOC:KP": ("Nordkorea", "LOC", "Q423"),
}

# (item, outlet, language, day, title, text, mentions [(surface, entity_id, role)])
ARTICLES = [
    ("1", "Spiegel", "de", 27, "Gipfel in Hanoi", "Der zweite Gipfel in Hanoi: US-Präsident Donald Trump trifft Machthaber Kim Jong Un.",
     [("Hanoi", "LOC:hanoi", None), ("Donald Trump", "PER:donald-trump", "US-Präsident"), ("Kim Jong Un", "PER:kim-jong-un", "Machthaber")]),
    ("2", "Spiegel", "de", 28, "Gipfel abgebrochen", "Trump bricht den Gipfel ab. Nordkorea reagiert enttäuscht auf das Ende in Hanoi.",
     [("Trump", "PER:donald-trump", None), ("Nordkorea", "LOC:KP", None), ("Hanoi", "LOC:hanoi", None)]),
    ("3", "Standard", "de", 27, "Gipfel in Hanoi", "Der zweite Gipfel in Hanoi: US-Präsident Donald Trump trifft Machthaber Kim Jong Un.",
     [("Hanoi", "LOC:hanoi", None), ("Donald Trump", "PER:donald-trump", "US-Präsident"), ("Kim Jong Un", "PER:kim-jong-un", "Diktator")]),
    ("4", "Le Monde", "fr", 28, "Sommet de Hanoï", "Le sommet de Hanoï entre Donald Trump et Kim Jong Un s'achève sans accord sur le nucléaire.",
     [("Hanoï", "LOC:hanoi", None), ("Donald Trump", "PER:donald-trump", None), ("Kim Jong Un", "PER:kim-jong-un", "dirigeant")]),
    ("5", "Standard", "de", None, None, "Wirtschaftsnachrichten ohne Datum: Der Ölpreis steigt, die Börsen in Europa schließen fester.", []),
]


def analyst_batch(path: str, rows=ARTICLES, reject: bool = True) -> Batch:
    ids = [f"{path}#{item}" for item, *_ in rows]
    articles = conform(
        pl.DataFrame(
            {
                "article_id": ids,
                "source_path": [path] * len(rows),
                "item": [item for item, *_ in rows],
                "title": [r[4] for r in rows],
                "text": [r[5] for r in rows],
                "language": [r[2] for r in rows],
                "outlet": [r[1] for r in rows],
                "format": ["jsonl"] * len(rows),
                "text_hash": [f"h-{hash(r[5]) & 0xFFFFFFFF:x}" for r in rows],
                "n_chars": [len(r[5]) for r in rows],
                "n_words": [len(r[5].split()) for r in rows],
                "published_at": [datetime(2019, 2, r[3], 9, tzinfo=UTC) if r[3] else None for r in rows],
            },
            schema_overrides={"published_at": pl.Datetime("us", "UTC")},
        ),
        ARTICLE_SCHEMA,
    )
    mention_rows = []
    for article_id, row in zip(ids, rows):
        for surface, entity_id, role in row[6]:
            start = row[5].index(surface)
            mention_rows.append((article_id, start, start + len(surface), surface, ENTITIES[entity_id][1], entity_id, role))
    mentions = conform(
        pl.DataFrame(
            mention_rows,
            schema=["article_id", "start_char", "end_char", "text", "label", "entity_id", "role"],
            orient="row",
        ).with_columns(source=pl.lit("kb"), sentence=pl.lit(0)),
        CANONICAL_MENTION_SCHEMA,
    )
    entities = conform(
        pl.DataFrame(
            [(k, *v, "kb") for k, v in ENTITIES.items()],
            schema=["entity_id", "canonical_name", "type", "wikidata_id", "source"],
            orient="row",
        ),
        ENTITY_SCHEMA,
    )
    rejects = conform(
        pl.DataFrame({"path": [path], "item": ["L9"], "stage": ["read"], "reason": ["invalid_json"], "detail": ["bad"]}),
        REJECT_SCHEMA,
    ) if reject else conform(pl.DataFrame(), REJECT_SCHEMA)  # fmt: skip
    files = pl.DataFrame(
        {"path": [path], "size": [100], "mtime_ns": [1], "content_hash": [f"c-{len(rows)}"],
         "status": ["partial" if reject else "loaded"], "articles": [len(rows)], "rejects": [int(reject)]},
    ).pipe(conform, LEDGER_ROW_SCHEMA)  # fmt: skip
    return Batch(files, articles, entities, rejects, {"mentions": mentions})


def build_analyst_warehouse(db_path: Path, stemmer: str = "german") -> Path:
    """Load the articles, apply the models and build the search index, as a run does."""
    with open_warehouse(db_path) as con:
        apply_models(con)
        load_batch(con, analyst_batch("/inbox/summit.jsonl"), "run-1")
        ensure_search_index(con, stemmer, "run-1")
    return db_path


A = "/inbox/summit.jsonl#"


def tag_summits(db_path):
    """What the summits stage writes: the calendar and each article's tags (#2 also tagged Singapore, weaker)."""
    with open_warehouse(db_path) as con:
        con.execute(
            "insert into summits by name select * from (values"
            " ('hanoi-2019', 'Hanoi summit', date '2019-02-27'), ('singapore-2018', 'Singapore summit', date '2018-06-12'))"
            " t(summit_id, name, start_date),"
            " (select 'us-dprk' as kind, start_date as end_date, []::varchar[] as places, []::varchar[] as participants,"
            "  start_date - 30 as coverage_start, start_date + 30 as coverage_end)"
        )
        con.execute(
            "insert into article_summits by name select * from (values"
            f" ('{A}1', 'hanoi-2019', 0.9), ('{A}2', 'hanoi-2019', 0.8), ('{A}2', 'singapore-2018', 0.4),"
            f" ('{A}3', 'hanoi-2019', 0.9), ('{A}4', 'hanoi-2019', 0.7)) t(article_id, summit_id, score),"
            " (select ['test']::varchar[] as evidence)"
        )
        return apply_models(con)
