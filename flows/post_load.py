"""Run-level steps that work on the whole warehouse once every batch is loaded.

Each step is a Prefect task `(db_path: Path, run_id: str, settings: Settings)
-> dict` of counts for the log; it must be idempotent (a rerun with nothing new
changes nothing) and keep its own writes in short transactions. Register a
step by appending it to POST_LOAD_STEPS.
"""

from collections.abc import Callable
from pathlib import Path

from prefect import task
from prefect.cache_policies import NONE as NO_CACHE

from flows.dedup import cluster_duplicates
from newsflow.settings import Settings
from transforms.coverage import summit_calendar
from warehouse.connection import open_warehouse
from warehouse.fts import ensure_search_index
from warehouse.key_terms import refresh_summits_and_key_terms

PostLoadStep = Callable[[Path, str, Settings], dict]

POST_LOAD_STEPS: list[PostLoadStep] = []


@task(name="search-index", task_run_name="search-index", cache_policy=NO_CACHE)
def refresh_search_index(db_path: Path, run_id: str, settings: Settings) -> dict:
    """Update the BM25 full-text index when articles changed, for those only (warehouse/fts.py)."""
    timeout, memory_limit = settings.warehouse.read_timeout_seconds, settings.warehouse.memory_limit
    with open_warehouse(db_path, timeout_seconds=timeout, memory_limit=memory_limit) as con:
        outcome = ensure_search_index(con, settings.search.stemmer, run_id)
    return {
        "rebuilt": outcome.rebuilt,
        "incremental": outcome.incremental,
        "articles": outcome.articles,
        "seconds": round(outcome.seconds, 3),
    }


@task(name="summits-key-terms", task_run_name="summits-key-terms", cache_policy=NO_CACHE)
def summits_and_key_terms(db_path: Path, run_id: str, settings: Settings) -> dict:
    """Write the summit calendar; update the key-term statistics behind mart_key_terms for the changed
    articles (warehouse/key_terms.py), when what they derive from changed."""
    calendar = summit_calendar(settings.summits.path).frame()
    timeout, memory_limit = settings.warehouse.read_timeout_seconds, settings.warehouse.memory_limit
    with open_warehouse(db_path, timeout_seconds=timeout, memory_limit=memory_limit) as con:
        return refresh_summits_and_key_terms(
            con, calendar, settings.keyterms.per_article, settings.keyterms.per_summit, run_id
        )


POST_LOAD_STEPS.append(refresh_search_index)
POST_LOAD_STEPS.append(summits_and_key_terms)
POST_LOAD_STEPS.append(cluster_duplicates)
