"""The `build_corpus` flow: input files to a queryable DuckDB warehouse.

This module only wires the steps of `transforms/` and `warehouse/` together
and adds what Prefect is for: retries on I/O, task names per stage and batch,
logs and artifacts. Work happens in batches of files (never one task per
article); each batch is loaded in one transaction, so a run that dies leaves
the warehouse consistent and the next run picks up what is missing.
"""

import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE as NO_CACHE
from prefect.runtime import flow_run

from flows.artifacts import publish_run_artifacts
from flows.post_load import POST_LOAD_STEPS
from newsflow.settings import Settings, load_settings
from transforms.discover import discover_files, plan_changes
from transforms.entities import extract_entities
from transforms.ingest import ReadOutput, ledger_rows, read_inputs
from transforms.nlp.kb import KnowledgeBase, load_kb
from transforms.nlp.pipelines import build_pipeline
from transforms.prepare import prepare_articles
from warehouse.connection import open_warehouse
from warehouse.ledger import read_ledger, refresh_file_stats
from warehouse.load import Batch, load_batch
from warehouse.lock import run_lock
from warehouse.models import apply_models
from warehouse.runs import close_abandoned_runs, finish_run, new_run_id, start_run


@dataclass
class RunCounts:
    files_seen: int = 0
    files_changed: int = 0
    files_skipped: int = 0
    articles: int = 0
    mentions: int = 0
    rejects: int = 0
    seconds: float = 0.0
    entity_types: dict[str, int] = field(default_factory=dict)

    def add(self, batch: Batch) -> None:
        self.files_changed += batch.files.height
        self.articles += batch.articles.height
        self.mentions += batch.mentions.height
        self.rejects += batch.rejects.height
        for label, count in batch.mentions.group_by("label").len().iter_rows():
            self.entity_types[label] = self.entity_types.get(label, 0) + count


def resolve_db(settings: Settings, db: str | None) -> Path:
    return Path(db or settings.warehouse.path).expanduser().resolve()


@task(name="discover", cache_policy=NO_CACHE)
def discover_task(paths: list[str], settings: Settings, ledger: pl.DataFrame) -> pl.DataFrame:
    found = discover_files(paths, settings.input.include, settings.input.exclude)
    return plan_changes(found, ledger, settings.input.trust_mtime)


@task(cache_policy=NO_CACHE)
def read_batch(files: pl.DataFrame, settings: Settings) -> ReadOutput:
    return read_inputs(
        files, max_file_bytes=settings.limits.max_file_bytes, max_json_depth=settings.limits.max_json_depth
    )


@task(cache_policy=NO_CACHE)
def process_batch(read: ReadOutput, settings: Settings, kb: KnowledgeBase, pipelines: dict[str, str]) -> Batch:
    articles, short = prepare_articles(
        read.articles,
        min_text_chars=settings.limits.min_text_chars,
        languages=settings.language.languages,
        default_language=settings.language.default,
        min_confidence=settings.language.min_confidence,
    )
    mentions, entities = extract_entities(
        articles, partial(_pipeline, settings, kb, pipelines), kb, settings.nlp.pipe_batch_size
    )
    rejects = pl.concat([read.rejects, short])
    return Batch(
        files=ledger_rows(read.files, articles, rejects),
        articles=articles,
        entities=entities,
        rejects=rejects,
        children={"mentions": mentions},
    )


def _pipeline(settings: Settings, kb: KnowledgeBase, used: dict[str, str], language: str):
    """The memoized spaCy pipeline for a language; records which one was used."""
    choice = settings.nlp.pipelines[language]
    nlp, description = build_pipeline(language, choice.models, choice.fallback, kb)
    used[language] = description
    return nlp


@task(cache_policy=NO_CACHE)
def load_batch_task(batch: Batch, unchanged: pl.DataFrame, db_path: Path, run_id: str, timeout: float) -> None:
    with open_warehouse(db_path, timeout_seconds=timeout) as con:
        load_batch(con, batch, run_id)
        refresh_file_stats(con, unchanged)


def _batches(plan: pl.DataFrame, size: int) -> list[pl.DataFrame]:
    todo = plan.filter(pl.col("action") != "unchanged")
    return [todo.slice(offset, size) for offset in range(0, todo.height, size)]


@flow(name="build_corpus", log_prints=True)
def build_corpus(paths: list[str] | None = None, db: str | None = None, config: str | None = None) -> dict:
    """Ingest article files into the DuckDB warehouse; return the run's counts.

    Args:
        paths: files or directories to read (default: input.paths from the config).
        db: the DuckDB warehouse file (default: warehouse.path from the config).
        config: a TOML file layered over configs/default.toml.
    """
    logger = get_run_logger()
    settings = load_settings(config)
    paths = list(paths or settings.input.paths)
    db_path = resolve_db(settings, db)
    timeout = settings.warehouse.read_timeout_seconds
    io_retries = {"retries": settings.pipeline.io_retries, "retry_delay_seconds": settings.pipeline.io_retry_delay_seconds}
    run_id = new_run_id()
    counts = RunCounts()
    pipelines: dict[str, str] = {}
    started = time.perf_counter()

    with run_lock(db_path, wait_seconds=timeout):
        with open_warehouse(db_path, timeout_seconds=timeout) as con:
            apply_models(con)
            abandoned = close_abandoned_runs(con)
            start_run(con, run_id, paths, settings.config_hash, _flow_run_id())
            ledger = read_ledger(con)
        if abandoned:
            logger.warning("marked %d earlier run(s) that never finished as failed", abandoned)
        try:
            plan = discover_task(paths, settings, ledger)
            counts.files_seen = plan.height
            batches = _batches(plan, settings.pipeline.batch_size)
            logger.info(
                "found %d file(s) in %s: %d to read, %d unchanged",
                plan.height, paths, sum(b.height for b in batches), plan.height - sum(b.height for b in batches),
            )  # fmt: skip
            kb = load_kb(settings.nlp.kb_path) if batches else None
            for number, files in enumerate(batches, start=1):
                label = f"batch-{number:04d}"
                read = read_batch.with_options(task_run_name=f"read-{label}", **io_retries)(files, settings)
                batch = process_batch.with_options(task_run_name=f"process-{label}")(read, settings, kb, pipelines)
                load_batch_task.with_options(task_run_name=f"load-{label}", **io_retries)(
                    batch, read.unchanged, db_path, run_id, timeout
                )
                counts.add(batch)
                logger.info(
                    "%s: %d file(s) -> %d article(s), %d mention(s), %d reject(s); %d unchanged",
                    label, batch.files.height, batch.articles.height, batch.mentions.height,
                    batch.rejects.height, read.unchanged.height,
                )  # fmt: skip
            counts.files_skipped = counts.files_seen - counts.files_changed
            for step in POST_LOAD_STEPS:
                outcome = step(db_path, run_id, settings)
                logger.info("%s: %s", step.name, outcome)
            counts.seconds = time.perf_counter() - started
            with open_warehouse(db_path, timeout_seconds=timeout) as con:
                finish_run(con, run_id, "completed", _count_fields(counts), pipelines)
        except BaseException as error:
            _record_failure(db_path, run_id, counts, pipelines, error, timeout)
            raise

    rate = counts.articles / counts.seconds if counts.seconds else 0.0
    logger.info(
        "run %s completed in %.1f s: %d article(s) (%.1f/s), %d mention(s), %d reject(s), %d file(s) unchanged",
        run_id, counts.seconds, counts.articles, rate, counts.mentions, counts.rejects, counts.files_skipped,
    )  # fmt: skip
    publish_run_artifacts(db_path, run_id, timeout)
    return {
        "run_id": run_id,
        "flow_run_id": _flow_run_id(),
        "db": str(db_path),
        **_count_fields(counts),
        "seconds": round(counts.seconds, 3),
    }


def _count_fields(counts: RunCounts) -> dict[str, int]:
    return {
        "files_seen": counts.files_seen,
        "files_changed": counts.files_changed,
        "files_skipped": counts.files_skipped,
        "articles": counts.articles,
        "mentions": counts.mentions,
        "rejects": counts.rejects,
    }


def _record_failure(db_path: Path, run_id: str, counts: RunCounts, pipelines: dict, error: BaseException, timeout: float) -> None:
    """Best effort: the run row says failed (a killed process is caught by the next run instead)."""
    message = f"{type(error).__name__}: {error}"
    try:
        with open_warehouse(db_path, timeout_seconds=timeout) as con:
            finish_run(con, run_id, "failed", _count_fields(counts), pipelines, error=message)
    except Exception as second:  # the original error matters more; say both
        get_run_logger().error("could not record the failure of run %s: %s", run_id, second)


def _flow_run_id() -> str | None:
    run = flow_run.get_id()
    return str(run) if run else None

