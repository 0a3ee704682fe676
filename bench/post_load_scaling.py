"""Post-load steps of a small run on a large warehouse: incremental against from scratch.

Builds a warehouse of `--articles` articles from `bench/corpus.py` (recombined
10kGNAD passages, loaded directly as `bench/warehouse_bench.py` does -- no NLP:
candidate key terms are the article's capitalized words, summit tags every
third article), runs the post-load steps once, then loads `--new` more
articles (a small run) and prints in one run, on the same warehouse state:

- the full-text index: updated for the new articles (warehouse/fts_incremental.py)
  against a rebuild from scratch (what every changing run paid before),
- key terms: the maintained statistics updated for the new articles against
  the ranking from scratch written as rows (what every changing run did before),
- the ratio of each, and what a read of the `mart_key_terms` view now costs.

    nice -n 10 .venv/bin/python bench/post_load_scaling.py --articles 20000 --new 10
"""

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

import polars as pl  # noqa: E402

from bench.warehouse_bench import build_batches  # noqa: E402
from transforms.keyterms import ARTICLE_TERM_SCHEMA  # noqa: E402
from transforms.summits import ARTICLE_SUMMIT_SCHEMA  # noqa: E402
from warehouse import key_terms  # noqa: E402
from warehouse.connection import open_warehouse  # noqa: E402
from warehouse.fts import ensure_search_index  # noqa: E402
from warehouse.load import Batch, load_batch  # noqa: E402
from warehouse.models import apply_models  # noqa: E402

SUMMITS = ("hanoi-2019", "singapore-2018", "panmunjom-2018")
PER_ARTICLE, PER_SUMMIT = 10, 25


def with_terms_and_summits(batch: Batch) -> Batch:
    """The batch with stand-in NLP output: capitalized words as candidate terms, every third article tagged."""
    terms, tags = [], []
    for i, (article_id, text) in enumerate(batch.articles.select("article_id", "text").iter_rows()):
        counts = Counter(re.findall(r"\b[A-ZÄÖÜ][a-zäöüß]{2,}\b", text))
        terms += [(article_id, "de", w, w, c, text.index(w)) for w, c in counts.items()]
        if i % 3 == 0:
            tags.append((article_id, SUMMITS[i % len(SUMMITS)], 0.8, ["bench"]))
    children = {
        **batch.children,
        "article_terms": pl.DataFrame(terms, schema=ARTICLE_TERM_SCHEMA, orient="row"),
        "article_summits": pl.DataFrame(tags, schema=ARTICLE_SUMMIT_SCHEMA, orient="row"),
    }
    return Batch(batch.files, batch.articles, batch.entities, batch.rejects, children)


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--new", type=int, default=10, help="articles of the small run")
    parser.add_argument("--batch-size", type=int, default=2_000)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp(prefix="newsflow-post-load-")) / "bench.duckdb"
    batches = [with_terms_and_summits(b) for b in build_batches(args.articles + args.new, args.batch_size)]
    head, small = _split_last(batches[-1], args.new)
    large = [*batches[:-1], head]
    with open_warehouse(db) as con:
        apply_models(con)
        started = time.perf_counter()
        for batch in large:
            load_batch(con, batch, "bench-1")
        base = con.execute("select count(*) from articles").fetchone()[0]
        print(f"warehouse: {base} articles loaded in {time.perf_counter() - started:.1f} s")
        build, _ = timed(lambda: ensure_search_index(con, "german", "bench-1"))
        rank, _ = timed(lambda: key_terms.rank_key_terms(con, PER_ARTICLE, PER_SUMMIT))
        print(f"first post-load: search index {build:.2f} s, key terms {rank:.2f} s")

        load_batch(con, small, "bench-2")
        added = con.execute("select count(*) from articles").fetchone()[0] - base
        fts_incremental, outcome = timed(lambda: ensure_search_index(con, "german", "bench-2"))
        assert outcome.incremental, outcome
        fts_full, _ = timed(lambda: ensure_search_index(con, "german", "bench-2", force=True))
        print(f"\nsmall run: {added} articles added to {base}")
        print(f"search index  incremental {fts_incremental:7.3f} s   rebuild {fts_full:7.3f} s   ratio {fts_full / fts_incremental:6.1f}x")
        kt_incremental, counts = timed(lambda: key_terms.rank_key_terms(con, PER_ARTICLE, PER_SUMMIT))
        kt_full, _ = timed(lambda: _from_scratch(con))
        print(f"key terms     incremental {kt_incremental:7.3f} s   scratch {kt_full:7.3f} s   ratio {kt_full / kt_incremental:6.1f}x   ({counts})")
        summit_read, _ = timed(lambda: con.execute(SUMMIT_READ).fetchall())
        article_read, _ = timed(lambda: con.execute(ARTICLE_READ).fetchall())
        print(f"mart_key_terms reads: one summit {summit_read * 1000:.0f} ms, one article {article_read * 1000:.0f} ms")


SUMMIT_READ = "select rank, display, score from mart_key_terms where scope = 'summit' and scope_id = 'hanoi-2019' order by rank"
ARTICLE_READ = "select rank, display, score from mart_key_terms where scope = 'article' and scope_id = 'a000042' order by rank"


def _from_scratch(con) -> None:
    """What every changing run did before: rank over the whole warehouse and write the rows."""
    frame = key_terms.rank_from_scratch(con, PER_ARTICLE, PER_SUMMIT)
    con.register("scratch_rows", frame.to_arrow())
    con.execute("create or replace temp table scratch as select * from scratch_rows")
    con.unregister("scratch_rows")


def _split_last(batch: Batch, n: int) -> tuple[Batch, Batch]:
    """The last batch's final `n` articles as a batch of their own file (the small run)."""
    head, tail = batch.articles.head(-n), batch.articles.tail(n)

    def part(articles: pl.DataFrame, suffix: str) -> Batch:
        path = f"{batch.files['path'][0]}{suffix}"
        ids = articles["article_id"]
        children = {k: v.filter(pl.col("article_id").is_in(ids.implode())) for k, v in batch.children.items()}
        files = batch.files.with_columns(path=pl.lit(path), content_hash=pl.lit(path), articles=pl.lit(articles.height))
        return Batch(files, articles.with_columns(source_path=pl.lit(path)), batch.entities, batch.rejects, children)

    return part(head, ""), part(tail, "-small")


if __name__ == "__main__":
    main()
