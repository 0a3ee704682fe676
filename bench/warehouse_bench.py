"""Analyst-side figures on a warehouse of a few thousand articles.

Builds a warehouse from `bench/corpus.py` articles (recombined 10kGNAD
passages; 8 outlets; 15 % re-published verbatim by a second outlet; mentions
of a fixed list of names found by string search -- no NLP, this measures the
warehouse, not spaCy), then prints in one run:

- the load time per batch and the read-snapshot publish time per batch,
- the full-text index build time and the no-change check that replaces it
  when nothing changed (their ratio is what "incremental" saves),
- median latencies of typical reader commands through `open_reader`,
- export and report times.

    .venv/bin/python bench/warehouse_bench.py --articles 3000
"""

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

import polars as pl  # noqa: E402

from bench.corpus import generate_articles  # noqa: E402
from reports.data import collect_report  # noqa: E402
from reports.html import write_report  # noqa: E402
from transforms.schemas import ARTICLE_SCHEMA, CANONICAL_MENTION_SCHEMA, ENTITY_SCHEMA, REJECT_SCHEMA, conform  # noqa: E402
from warehouse.connection import open_warehouse  # noqa: E402
from warehouse.export import export_warehouse  # noqa: E402
from warehouse.fts import ensure_search_index, search_articles  # noqa: E402
from warehouse.load import LEDGER_ROW_SCHEMA, Batch, load_batch  # noqa: E402
from warehouse.models import apply_models  # noqa: E402
from warehouse.named_queries import run_named  # noqa: E402
from warehouse.query import run_query  # noqa: E402
from warehouse.snapshot import open_reader, publish_snapshot  # noqa: E402

OUTLETS = ("derStandard", "Die Presse", "Kurier", "Kleine Zeitung", "profil", "Wiener Zeitung", "ORF", "Salzburger Nachrichten")
NAMES = {"Wien": "LOC", "Österreich": "LOC", "Deutschland": "LOC", "Berlin": "LOC", "EU": "ORG", "ÖVP": "ORG",
         "SPÖ": "ORG", "FPÖ": "ORG", "Grüne": "ORG", "USA": "LOC", "China": "LOC", "Russland": "LOC"}  # fmt: skip


def build_batches(n: int, batch_size: int) -> list[Batch]:
    rng = random.Random(2019)
    texts = generate_articles(n)
    rows = []
    for i, text in enumerate(texts):
        outlet = OUTLETS[i % len(OUTLETS)]
        published = datetime(2019, 2, 1, tzinfo=UTC) + timedelta(hours=rng.randrange(28 * 24))
        rows.append((f"a{i:06d}", outlet, published, text))
        if rng.random() < 0.15:  # syndicated: the same text in another outlet
            rows.append((f"a{i:06d}-copy", OUTLETS[(i + 3) % len(OUTLETS)], published + timedelta(hours=2), text))
    batches = []
    for start in range(0, len(rows), batch_size):
        chunk = rows[start : start + batch_size]
        path = f"/bench/batch-{start // batch_size:04d}.jsonl"
        articles = conform(
            pl.DataFrame(
                {
                    "article_id": [r[0] for r in chunk], "source_path": [path] * len(chunk), "item": [r[0] for r in chunk],
                    "title": [r[3].split(".")[0][:120] for r in chunk], "text": [r[3] for r in chunk],
                    "language": ["de"] * len(chunk), "outlet": [r[1] for r in chunk], "format": ["jsonl"] * len(chunk),
                    "text_hash": [str(hash(r[3])) for r in chunk], "n_chars": [len(r[3]) for r in chunk],
                    "n_words": [len(r[3].split()) for r in chunk], "published_at": [r[2] for r in chunk],
                },
                schema_overrides={"published_at": pl.Datetime("us", "UTC")},
            ),
            ARTICLE_SCHEMA,
        )  # fmt: skip
        mentions = [
            (r[0], m.start(), m.end(), name, label, f"{label}:{name}", "kb", 0)
            for r in chunk
            for name, label in NAMES.items()
            for m in re.finditer(rf"\b{re.escape(name)}\b", r[3])
        ]
        mentions = conform(
            pl.DataFrame(mentions, schema=["article_id", "start_char", "end_char", "text", "label", "entity_id", "source", "sentence"], orient="row"),
            CANONICAL_MENTION_SCHEMA,
        )  # fmt: skip
        entities = conform(
            pl.DataFrame([(f"{t}:{n}", n, t, None, "kb") for n, t in NAMES.items()], schema=["entity_id", "canonical_name", "type", "wikidata_id", "source"], orient="row"),
            ENTITY_SCHEMA,
        )  # fmt: skip
        files = pl.DataFrame(
            {"path": [path], "size": [1], "mtime_ns": [1], "content_hash": [path], "status": ["loaded"], "articles": [len(chunk)], "rejects": [0]}
        ).pipe(conform, LEDGER_ROW_SCHEMA)  # fmt: skip
        batches.append(Batch(files, articles, entities, conform(pl.DataFrame(), REJECT_SCHEMA), {"mentions": mentions}))
    return batches


def median_seconds(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--batch-size", type=int, default=250)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="newsflow-warehouse-bench-"))
    db = work / "bench.duckdb"
    batches = build_batches(args.articles, args.batch_size)

    load_times, publish_times = [], []
    with open_warehouse(db) as con:
        apply_models(con)
    for batch in batches:
        started = time.perf_counter()
        with open_warehouse(db) as con:
            load_batch(con, batch, "bench")
            loaded = time.perf_counter()
        publish_times.append(time.perf_counter() - loaded)  # checkpoint + close + copy to the snapshot
        load_times.append(loaded - started)
    with open_warehouse(db) as con:
        articles = con.execute("select count(*) from articles").fetchone()[0]
        build = ensure_search_index(con, "german")
        check = median_seconds(lambda: ensure_search_index(con, "german"), args.repeat)
    size_mb = db.stat().st_size / 1e6
    copy = median_seconds(lambda: publish_snapshot(db), args.repeat)

    def reader(action):
        def run():
            with open_reader(db) as con:
                action(con)
        return run

    latencies = {
        "open + count(*) (newsflow sql)": reader(lambda c: run_query(c, "select count(*) from articles")),
        "mart_coverage_daily, all rows": reader(lambda c: run_query(c, "select * from mart_coverage_daily")),
        "mart_entity_cooccurrence top 20": reader(lambda c: run_query(c, "select * from mart_entity_cooccurrence order by articles desc limit 20")),
        "named query articles_mentioning": reader(lambda c: run_named(c, "articles_mentioning", {"entity": "Wien"})),
        "search 'Regierung Wien' top 10": reader(lambda c: search_articles(c, "Regierung Wien")),
        "search --lang de 'Wirtschaft Steuer'": reader(lambda c: search_articles(c, "Wirtschaft Steuer", language="de")),
    }  # fmt: skip
    measured = {name: median_seconds(action, args.repeat) for name, action in latencies.items()}
    export_seconds = median_seconds(reader(lambda c: export_warehouse(c, work / "export", "parquet", overwrite=True)), 1)
    report_seconds = median_seconds(reader(lambda c: write_report(collect_report(c), work / "report.html")), 1)

    print(f"warehouse: {articles} articles in {len(batches)} batches, {size_mb:.1f} MB ({work})")
    print(f"load per batch:            median {statistics.median(load_times) * 1000:7.1f} ms")
    print(f"publish snapshot per batch: median {statistics.median(publish_times) * 1000:7.1f} ms"
          f"  ({statistics.median(publish_times) / statistics.median(load_times):.2f}x the load; copy alone {copy * 1000:.1f} ms)")
    print(f"FTS index build:           {build.seconds:7.2f} s for {build.articles} articles"
          f" ({build.articles / build.seconds:.0f} articles/s)")
    print(f"FTS no-change check:       {check * 1000:7.1f} ms  (rebuild / check = {build.seconds / check:.0f}x)")
    for name, seconds in measured.items():
        print(f"  {name:<40} median {seconds * 1000:7.1f} ms")
    print(f"export parquet (all tables and marts): {export_seconds:.2f} s")
    print(f"report.html: {report_seconds:.2f} s")


if __name__ == "__main__":
    main()
