"""The `build_corpus` flow: input files to a queryable DuckDB warehouse.

This module only wires the steps of `transforms/` and `warehouse/` together
and adds what Prefect is for: retries on I/O, task names per stage and batch,
logs and artifacts. Work happens in batches of files (never one task per
article); each batch is loaded in one transaction, so a run that dies leaves
the warehouse consistent and the next run picks up what is missing.
"""

import logging
import time
from collections import deque
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import duckdb
import polars as pl
from prefect import flow, get_run_logger, tags, task
from prefect.cache_policies import NONE as NO_CACHE
from prefect.runtime import flow_run
from prefect.tasks import exponential_backoff

from flows.artifacts import publish_run_artifacts
from flows.console_errors import install_one_line_failures
from flows.post_load import POST_LOAD_STEPS
from flows.progress import ArtifactProgress, RunProgress
from flows.runners import describe as describe_runner
from flows.runners import nlp_task_runner, nlp_worker, run_in_worker
from newsflow.errors import NewsflowError, TransientError
from newsflow.preflight import settings_for
from newsflow.settings import Settings
from transforms.dedup import syndication_children
from transforms.coverage import CoverageCollector, coverage_components
from transforms.discover import discover_files, plan_changes
from transforms.entities import extract_entities
from transforms.ingest import ReadOutput, error_summary, ledger_rows, read_inputs
from transforms.metadata import load_manifests, settle_language_source
from transforms.readers import ReadOptions
from transforms.nlp.kb import KnowledgeBase, load_kb
from transforms.nlp.pipelines import build_pipeline
from transforms.prepare import prepare_articles
from transforms.rejects import RejectReason
from transforms.schemas import REJECT_SCHEMA, conform, empty
from warehouse.connection import open_warehouse
from warehouse.ledger import read_ledger, refresh_file_stats
from warehouse.load import Batch, load_batch
from warehouse.lock import run_lock
from warehouse.models import refresh_models
from warehouse.runs import close_abandoned_runs, finish_run, new_run_id, start_run
from warehouse.snapshot import SnapshotPublisher, defer_publishing
from warehouse.storage import resource_error

install_one_line_failures()  # a failed task or flow with a NewsflowError logs one line, not tracebacks
AD_HOC_TAGS = ("newsflow", "ad-hoc")  # served runs carry their deployment's tags ("newsflow")
log = logging.getLogger(__name__)


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
    # per stage, for the run summary
    files_to_read: int = 0
    files_unchanged_by_hash: int = 0
    raw_articles: int = 0
    read_rejects: int = 0
    read_seconds: float = 0.0
    process_seconds: float = 0.0
    load_seconds: float = 0.0

    def add_read(self, read: ReadOutput, seconds: float) -> None:
        self.files_unchanged_by_hash += read.unchanged.height
        self.raw_articles += read.articles.height
        self.read_rejects += read.rejects.height
        self.read_seconds += seconds

    def add(self, batch: Batch) -> None:
        on_disk = batch.files.filter(pl.col("container").is_null()) if "container" in batch.files.columns else batch.files
        self.files_changed += on_disk.height  # archive members ("a.zip!m") are ledger rows, not files seen
        self.articles += batch.articles.height
        self.mentions += batch.mentions.height
        self.rejects += batch.rejects.height
        for label, count in batch.mentions.group_by("label").len().iter_rows():
            self.entity_types[label] = self.entity_types.get(label, 0) + count

    def stage_rows(self) -> list[dict]:
        """One row per stage: what went in, what came out, what was quarantined, wall time."""
        files_read = self.files_to_read - self.files_unchanged_by_hash
        return [
            {"stage": "discover", "in": f"{self.files_seen} files", "out": f"{self.files_to_read} to read",
             "rejects": 0, "seconds": None},
            {"stage": "read", "in": f"{self.files_to_read} files", "out": f"{self.raw_articles} articles from {files_read} files",
             "rejects": self.read_rejects, "seconds": round(self.read_seconds, 2)},
            {"stage": "process", "in": f"{self.raw_articles} articles", "out": f"{self.articles} articles, {self.mentions} mentions",
             "rejects": self.rejects - self.read_rejects, "seconds": round(self.process_seconds, 2)},
            {"stage": "load", "in": f"{self.articles} articles", "out": f"{self.articles} articles",
             "rejects": 0, "seconds": round(self.load_seconds, 2)},
        ]  # fmt: skip


def resolve_db(settings: Settings, db: str | None) -> Path:
    return Path(db or settings.warehouse.path).expanduser().resolve()


@task(name="discover", task_run_name="discover", cache_policy=NO_CACHE)
def discover_task(paths: list[str], settings: Settings, ledger: pl.DataFrame) -> pl.DataFrame:
    found = discover_files(
        paths, settings.input.include, settings.input.exclude, follow_links_outside=settings.input.follow_links_outside
    )
    return plan_changes(found, ledger, settings.input.trust_mtime, settings.limits.max_file_bytes)


@task(cache_policy=NO_CACHE)
def read_batch(files: pl.DataFrame, settings: Settings, manifest: pl.DataFrame) -> ReadOutput:
    return read_inputs(files, ReadOptions.from_settings(settings), manifest=manifest)


def process_batch(read: ReadOutput, settings: Settings, kb: KnowledgeBase, pipelines: dict[str, str]) -> Batch:
    articles, short = prepare_articles(
        read.articles,
        min_text_chars=settings.limits.min_text_chars,
        languages=settings.language.languages,
        default_language=settings.language.default,
        min_confidence=settings.language.min_confidence,
        override_declared_confidence=settings.language.override_declared_confidence,
        max_text_chars=settings.limits.max_text_chars,
    )
    articles = settle_language_source(articles, settings.language.min_confidence)
    analyse = partial(_analyse, settings=settings, kb=kb, pipelines=pipelines)
    try:
        entities, children = analyse(articles)
    except (MemoryError, NewsflowError):
        raise  # the memory limit (NF251), a missing model (NF230): the run's problem, not one article's
    except Exception:  # noqa: BLE001 -- find the files it came from; the batch goes on without them
        log.error("the NLP stage failed on a batch; retrying it file by file", exc_info=True)
        articles, entities, children, failed = _analyse_each_file(articles, analyse)
        short = pl.concat([short, failed])
    rejects = pl.concat([read.rejects, short])
    return Batch(
        files=ledger_rows(read.files, articles, rejects),
        articles=articles,
        entities=entities,
        rejects=rejects,
        children={**children, **syndication_children(articles, settings.dedup)},
    )


def _analyse(articles: pl.DataFrame, settings: Settings, kb: KnowledgeBase, pipelines: dict[str, str]):
    """Entities, quotes, key terms and summits of `articles`: (entities, child tables)."""
    coverage = CoverageCollector.for_settings(settings, kb)  # quotes, terms, summits from the same Docs
    mentions, entities = extract_entities(
        articles, partial(_pipeline, settings, kb, pipelines), kb, settings.nlp.pipe_batch_size, on_doc=coverage
    )
    return entities, {"mentions": mentions, **coverage.children(articles, mentions)}


def _analyse_each_file(articles: pl.DataFrame, analyse):
    """The NLP stage per source file; a file whose articles still fail is quarantined as internal_error."""
    kept, entities, children, failed = [], [], {}, []
    for (path,), group in articles.group_by("source_path", maintain_order=True):
        try:
            found, tables = analyse(group)
        except (MemoryError, NewsflowError):
            raise
        except Exception as error:  # noqa: BLE001
            log.error("the NLP stage failed on %s; quarantined as internal_error", path, exc_info=True)
            failed.append(group.select(
                path="source_path", item=pl.col("item").fill_null(""), stage=pl.lit("nlp"),
                reason=pl.lit(str(RejectReason.INTERNAL_ERROR)), detail=pl.lit(error_summary(error)),
            ))  # fmt: skip
            continue
        kept.append(group)
        entities.append(found)
        for table, frame in tables.items():
            children.setdefault(table, []).append(frame)
    survivors = pl.concat(kept) if kept else articles.clear()
    found = pl.concat(entities) if entities else analyse(articles.clear())[0]
    tables = {table: pl.concat(frames) for table, frames in children.items()} or analyse(articles.clear())[1]
    return survivors, found, tables, conform(pl.concat(failed), REJECT_SCHEMA) if failed else empty(REJECT_SCHEMA)


def _pipeline(settings: Settings, kb: KnowledgeBase, used: dict[str, str], language: str):
    """The memoized spaCy pipeline for a language (entities, quotes, key terms); records which one was used."""
    choice = settings.nlp.pipelines[language]
    coverage = coverage_components(settings, kb)
    nlp, description = build_pipeline(
        language, choice.models, choice.fallback, kb, settings.nlp.ner_models_path, coverage, keep=choice.keep
    )
    used[language] = description
    return nlp


@task(cache_policy=NO_CACHE)
def process_task(
    read: ReadOutput, settings: Settings, kb: KnowledgeBase, worker: Executor | None = None
) -> tuple[Batch, dict[str, str]]:
    """The NLP stage of one batch, here or in the run's NLP `worker` process (`flows.runners`).

    It may run in a Dask worker or another process, so what it used comes back with it.
    """
    if worker is not None:
        return run_in_worker(worker, _process, read)
    return _process((settings, kb), read)


def _process(state: tuple[Settings, KnowledgeBase], read: ReadOutput) -> tuple[Batch, dict[str, str]]:
    settings, kb = state
    pipelines: dict[str, str] = {}
    return process_batch(read, settings, kb, pipelines), pipelines


def _build_default_pipeline(state: tuple[Settings, KnowledgeBase], _: None) -> None:
    settings, kb = state
    _pipeline(settings, kb, {}, settings.language.default)


@task(cache_policy=NO_CACHE)
def load_batch_task(batch: Batch, unchanged: pl.DataFrame, con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """One transaction on the run's writer connection (refreshed file stats are idempotent on a retry)."""
    load_batch(con, batch, run_id)
    refresh_file_stats(con, unchanged)


def _batches(plan: pl.DataFrame, size: int) -> list[pl.DataFrame]:
    todo = plan.filter(pl.col("action") != "unchanged")
    return [todo.slice(offset, size) for offset in range(0, todo.height, size)]


def _transient_only(task, task_run, state) -> bool:
    """Retry I/O trouble (OSError, a busy warehouse); never bad input or a broken config."""
    try:
        state.result()
    except (TransientError, OSError):
        return True
    except Exception:
        return False
    return False


def _run_batches(
    batches: list[pl.DataFrame],
    settings: Settings,
    db_path: Path,
    run_id: str,
    counts: RunCounts,
    pipelines: dict[str, str],
    progress: RunProgress,
) -> None:
    """Read, process and load every batch, pipelined: batch N+1 is read while N is in the NLP stage.

    Reads and loads run here, in order; only `process-batch-N` goes to the NLP
    task runner, at most `orchestration.batches_in_flight` ahead of the load.
    Loads share one writer connection; each is one transaction, so a failure
    leaves every earlier batch committed and nothing of the failed one.
    """
    logger = get_run_logger()
    io = {
        "retries": settings.pipeline.io_retries,
        "retry_delay_seconds": exponential_backoff(backoff_factor=settings.pipeline.io_retry_delay_seconds),
        "retry_jitter_factor": 0.5,
        "retry_condition_fn": _transient_only,
    }
    kb = load_kb(settings.nlp.kb_path)
    manifest = load_manifests(settings.metadata.manifests)  # once per run, not per batch
    in_flight: deque = deque()
    files_to_read = sum(files.height for files in batches)
    logger.info("NLP stage runs in %s", describe_runner(settings.orchestration, files_to_read))
    writer = open_warehouse(
        db_path, timeout_seconds=settings.warehouse.read_timeout_seconds, memory_limit=settings.warehouse.memory_limit
    )
    worker = nlp_worker(settings.orchestration, files_to_read, (settings, kb), warm_up=_build_default_pipeline)
    with nlp_task_runner(settings.orchestration) as runner, worker as nlp_process, writer as con:
        loader = partial(_load_next, con=con, run_id=run_id, io=io, counts=counts, pipelines=pipelines, progress=progress)
        snapshots = SnapshotPublisher(db_path, settings.warehouse.snapshot_interval_seconds)
        for number, files in enumerate(batches, start=1):
            label = f"batch-{number:04d}"
            began = time.perf_counter()
            read = read_batch.with_options(task_run_name=f"read-{label}", **io)(files, settings, manifest)
            counts.add_read(read, time.perf_counter() - began)
            progress.advanced("read", files.height, read.articles.height)
            task = process_task.with_options(task_run_name=f"process-{label}")
            future = runner.submit(task, {"read": read, "settings": settings, "kb": kb, "worker": nlp_process})
            in_flight.append((label, read, future, time.perf_counter()))
            while in_flight and (len(in_flight) > settings.orchestration.batches_in_flight or number == len(batches)):
                loader(in_flight.popleft())
                snapshots.after_commit(con)


def _load_next(item, con, run_id, io, counts: RunCounts, pipelines, progress: RunProgress) -> None:
    label, read, future, submitted = item
    batch, used = future.result()
    pipelines.update(used)
    processed = time.perf_counter()
    progress.advanced("process", read.files.height, batch.articles.height)
    load_batch_task.with_options(task_run_name=f"load-{label}", **io)(batch, read.unchanged, con, run_id)
    loaded = time.perf_counter()
    counts.add(batch)
    counts.process_seconds += processed - submitted
    counts.load_seconds += loaded - processed
    progress.advanced("load", read.files.height, batch.articles.height)
    reasons = ", ".join(f"{reason} {n}" for reason, n in batch.rejects["reason"].value_counts(sort=True).iter_rows())
    get_run_logger().info(
        "%s: %d file(s) -> %d article(s) (%.1f/s), %d mention(s), %d reject(s)%s; %d unchanged",
        label, batch.files.height, batch.articles.height, batch.articles.height / max(loaded - submitted, 1e-9),
        batch.mentions.height, batch.rejects.height, f" ({reasons})" if reasons else "", read.unchanged.height,
    )  # fmt: skip


@flow(name="build_corpus", log_prints=True)
def build_corpus(
    paths: list[str] | None = None,
    db: str | None = None,
    config: str | None = None,
    languages: list[str] | None = None,
) -> dict:
    """Ingest article files into the DuckDB warehouse; return the run's counts.

    Only new or changed files are read (the warehouse's ledger knows the rest),
    so a scheduled run over an inbox picks up exactly what arrived since.

    Args:
        paths: files or directories to read (default: input.paths from the config).
        db: the DuckDB warehouse file (default: warehouse.path from the config).
        config: a TOML file layered over configs/default.toml.
        languages: ISO 639-1 codes to identify and process (default: language.languages from the config).
    """
    logger = get_run_logger()
    settings = settings_for(config, languages)
    paths = list(paths or settings.input.paths)
    db_path = resolve_db(settings, db)
    timeout = settings.warehouse.read_timeout_seconds
    run_id = new_run_id()
    counts = RunCounts()
    pipelines: dict[str, str] = {}
    started = time.perf_counter()
    progress = RunProgress(ArtifactProgress(db_path, run_id))

    with run_lock(db_path, wait_seconds=timeout), defer_publishing(db_path):
        with open_warehouse(db_path, timeout_seconds=timeout) as con:
            models = refresh_models(con)
            abandoned = close_abandoned_runs(con)
            start_run(con, run_id, paths, settings.config_hash, _flow_run_id())
            ledger = read_ledger(con)
        if abandoned:
            logger.warning("marked %d earlier run(s) that never finished as failed", abandoned)
        for model, waits_for in models.skipped.items():
            logger.info("view %s not created: waits for %s", model, waits_for)
        try:
            plan = discover_task(paths, settings, ledger)
            counts.files_seen = plan.height
            batches = _batches(plan, settings.pipeline.batch_size)
            logger.info(
                "found %d file(s) in %s: %d to read, %d unchanged",
                plan.height, paths, sum(b.height for b in batches), plan.height - sum(b.height for b in batches),
            )  # fmt: skip
            counts.files_to_read = sum(b.height for b in batches)
            progress.started(counts.files_to_read, len(batches))
            if batches:
                _run_batches(batches, settings, db_path, run_id, counts, pipelines, progress)
            counts.files_skipped = counts.files_seen - counts.files_changed
            for step in POST_LOAD_STEPS:
                outcome = step(db_path, run_id, settings)
                logger.info("%s: %s", step.name, outcome)
            counts.seconds = time.perf_counter() - started
            with open_warehouse(db_path, timeout_seconds=timeout) as con:
                finish_run(con, run_id, "completed", _count_fields(counts), pipelines)
        except BaseException as error:
            progress.finished(completed=False)
            storage = resource_error(error, db_path)  # a full disk, read-only directory or memory limit: say what to do
            _record_failure(db_path, run_id, counts, pipelines, storage or error, timeout)
            if storage is not None:
                raise storage from error
            raise
    progress.finished(completed=True)

    rate = counts.articles / counts.seconds if counts.seconds else 0.0
    logger.info(
        "run %s completed in %.1f s: %d article(s) (%.1f/s), %d mention(s), %d reject(s), %d file(s) unchanged",
        run_id, counts.seconds, counts.articles, rate, counts.mentions, counts.rejects, counts.files_skipped,
    )  # fmt: skip
    publish_run_artifacts(db_path, run_id, timeout, counts.stage_rows())
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



def run_ad_hoc(**parameters) -> dict:
    """`build_corpus` as `newsflow run` starts it: tagged, so the UI tells it from the scheduled runs."""
    with tags(*AD_HOC_TAGS):
        return build_corpus(**parameters)
