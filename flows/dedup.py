"""The run-level clustering step (registered in flows/post_load.py)."""

from pathlib import Path

from prefect import task
from prefect.cache_policies import NONE as NO_CACHE

from newsflow.settings import Settings
from warehouse.connection import open_warehouse
from warehouse.dedup import cluster_warehouse


@task(name="cluster-duplicates", task_run_name="cluster-duplicates", cache_policy=NO_CACHE)
def cluster_duplicates(db_path: Path, run_id: str, settings: Settings) -> dict:
    """Match every article's LSH bands against the warehouse and rewrite clusters (warehouse/dedup.py)."""
    timeout, memory_limit = settings.warehouse.read_timeout_seconds, settings.warehouse.memory_limit
    with open_warehouse(db_path, timeout_seconds=timeout, memory_limit=memory_limit) as con:
        return cluster_warehouse(con, settings.dedup, run_id)
