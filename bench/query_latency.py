"""Query latency of the analyst's warehouse: marts, typical questions and full-text search, in ms.

    .venv/bin/python bench/query_latency.py bench/out/memory_100000.duckdb [--runs 5]

Opens the warehouse read-only (as `newsflow sql` does) and times, each
`--runs` times after one warm-up, every mart view read in full (`select *`
fetched to Arrow), the named queries behind `newsflow query`, a few questions
analysts ask (who was quoted about Hanoi and in which outlets, entity counts
per outlet per summit, distinct-story counts) and `newsflow search`
(`warehouse.fts.search_articles`, BM25 and snippets). Prints the median and
the slowest run in ms with the rows returned, sorted slowest first, and how
many queries stay under --budget-ms (default 1000). Build a 100,000-article
warehouse with `bench/memory_scaling.py --keep`.

The cold start of one `newsflow search` command (a new Python process,
connecting, loading the fts extension) is printed separately, twice: the first
may publish the read snapshot of the warehouse (a copy of the file, see
warehouse/snapshot.py), the second reads it.
"""

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from newsflow.settings import load_settings  # noqa: E402
from warehouse.connection import open_warehouse  # noqa: E402
from warehouse.fts import search_articles  # noqa: E402
from warehouse.named_queries import run_named  # noqa: E402
from warehouse.query import run_query  # noqa: E402

# Questions analysts ask, in SQL over the marts (parameters bound, as `newsflow sql` users would write them).
QUESTIONS = {
    "who was quoted about Hanoi, in which outlets": (
        """
        select speaker, outlet, count(*) as quotes, count(distinct story_id) as stories
        from mart_quotes
        where article_id in (select article_id from stg_article_summits where summit_id = $summit)
        group by speaker, outlet order by quotes desc, speaker, outlet limit 50
        """,
        {"summit": "hanoi-2019"},
    ),
    "quoted in articles naming Hanoi, by outlet": (
        """
        select q.speaker, q.outlet, count(*) as quotes
        from mart_quotes q
        semi join (select article_id from mart_article_entities where canonical_name = $place) using (article_id)
        group by all order by quotes desc, q.speaker, q.outlet limit 50
        """,
        {"place": "Hanoi"},
    ),
    "people quoted per summit (mart_summit_people_quoted)": (
        "select * from mart_summit_people_quoted where summit_id = $summit order by quotes desc limit 50",
        {"summit": "hanoi-2019"},
    ),
    "entity counts per outlet per summit": (
        """
        select outlet, canonical_name, entity_type, articles, stories, mentions from mart_summit_outlet_entities
        where summit_id = $summit order by outlet, articles desc, canonical_name
        """,
        {"summit": "hanoi-2019"},
    ),
    "entity types per outlet per summit (ad hoc join)": (
        """
        select s.summit_id, e.outlet, e.entity_type, count(distinct e.entity_id) as entities,
               sum(e.mentions) as mentions, count(distinct e.story_id) as stories
        from mart_article_entities e join stg_article_summits s using (article_id)
        group by all order by s.summit_id, e.outlet, e.entity_type
        """,
        {},
    ),
    "top people of one summit with distinct stories": (
        """
        select canonical_name, articles, stories, outlets, mentions from mart_summit_entities
        where summit_id = $summit and entity_type = 'PER' order by articles desc, canonical_name limit 25
        """,
        {"summit": "singapore-2018"},
    ),
    "distinct stories per outlet": ("select * from mart_outlet_story_counts order by articles desc", {}),
    "distinct stories per summit": ("select * from mart_summit_story_counts", {}),
    "distinct stories of one entity": (
        "select * from mart_entity_story_counts where canonical_name = $entity", {"entity": "Donald Trump"},
    ),
    "largest syndicated stories": (
        "select cluster_id, title, articles, copies, updates, outlets from mart_syndication_stories order by articles desc limit 20",
        {},
    ),
    "articles per day and outlet in February 2019": (
        """
        select published_date, outlet, sum(articles) as articles, sum(stories) as stories from mart_coverage_daily
        where published_date between date '2019-02-01' and date '2019-02-28' group by all order by all
        """,
        {},
    ),
}  # fmt: skip

NAMED = {
    "articles_mentioning": {"entity": "Donald Trump"},
    "entity_cooccurrences": {"entity": "Kim Jong Un"},
    "coverage_by_outlet": {"date_from": "2019-01-01", "date_to": "2019-12-31"},
    "descriptors_of": {"person": "Kim Jong Un"},
    "quotes_by_speaker": {"speaker": "Donald Trump"},
}

SEARCHES = [("Gipfel Hanoi", None), ("Regierung Wien", None), ("Kim Jong Un Atomwaffen", None), ("Gipfel", "hanoi-2019")]


def marts(con) -> list[str]:
    rows = con.execute(
        "select view_name from duckdb_views() where schema_name = 'main' and regexp_matches(view_name, '^mart_') order by 1"
    ).fetchall()
    return [r[0] for r in rows]


def timed(call: Callable[[], int], runs: int) -> tuple[float, float, int]:
    """(median ms, slowest ms, rows) of `runs` calls after one warm-up."""
    rows = call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times), rows


def cold_search_ms(db: Path, query: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "newsflow.cli", "search", query, "--db", str(db), "--format", "csv"],
        cwd=PROJECT_DIR, check=True, capture_output=True,
    )  # fmt: skip
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", type=Path, help="the warehouse file")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query (after one warm-up)")
    parser.add_argument("--budget-ms", type=float, default=1000.0)
    parser.add_argument("--config", help="config file layered over configs/default.toml (search stemmer)")
    args = parser.parse_args()
    settings = load_settings(args.config)
    results = []
    with open_warehouse(args.db, read_only=True) as con:
        articles = con.execute("select count(*) from articles").fetchone()[0]
        for view in marts(con):
            read = lambda v=view: con.execute(f"select * from {v}").to_arrow_table().num_rows  # noqa: E731
            results.append(("mart", view, *timed(read, args.runs)))
        for name, (sql, params) in QUESTIONS.items():
            results.append(("question", name, *timed(lambda s=sql, p=params: run_query(con, s, p).height, args.runs)))
        for name, params in NAMED.items():
            results.append(("newsflow query", name, *timed(lambda n=name, p=params: run_named(con, n, p).height, args.runs)))
        for query, summit in SEARCHES:
            label = f"{query!r}" + (f" --summit {summit}" if summit else "")
            stemmer = settings.search.stemmer
            search = lambda q=query, s=summit: search_articles(con, q, summit=s, stemmer=stemmer).height  # noqa: E731
            results.append(("newsflow search", label, *timed(search, args.runs)))
    cold = [cold_search_ms(args.db, SEARCHES[0][0]) for _ in range(2)]

    print(f"warehouse: {args.db} ({articles} articles), median of {args.runs} runs after a warm-up, ms")
    print(f"{'kind':<16} {'query':<50} {'median':>8} {'max':>8} {'rows':>8}")
    for kind, name, median, slowest, rows in sorted(results, key=lambda r: -r[2]):
        print(f"{kind:<16} {name[:50]:<50} {median:>8.1f} {slowest:>8.1f} {rows:>8}")
    under = sum(r[2] < args.budget_ms for r in results)
    print(f"\n{under} of {len(results)} queries under {args.budget_ms:.0f} ms (median); "
          f"slowest median {max(r[2] for r in results):.0f} ms")  # fmt: skip
    print(f"one `newsflow search` command (new process, connect, load fts, search): {cold[1]:.0f} ms "
          f"(first call {cold[0]:.0f} ms)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
