"""Prefect as analysts and operators meet it (issue 20, item 18): real flow runs on the session's test API."""

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PROJECT_DIR, SEED_FILE
from tests.test_orchestration import SECOND_ARTICLE


def flow_run_and_tasks(flow_run_id: str):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    async def read():
        async with get_client() as client:
            run = await client.read_flow_run(flow_run_id)
            tasks = await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id])))
        return run, tasks

    return asyncio.run(read())


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_ad_hoc_runs_are_tagged_and_run_level_tasks_have_fixed_names(tmp_path):
    from flows.build_corpus import AD_HOC_TAGS, run_ad_hoc

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "singapur.txt").write_text(SECOND_ARTICLE, encoding="utf-8")
    result = run_ad_hoc(paths=[str(inbox)], db=str(tmp_path / "news.duckdb"), languages=["de"])
    run, tasks = flow_run_and_tasks(result["flow_run_id"])
    assert set(AD_HOC_TAGS) <= set(run.tags)
    names = {task.name for task in tasks}
    assert {"discover", "search-index", "summits-key-terms", "cluster-duplicates"} <= names, names


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.mark.usefixtures("prefect_harness")
def test_a_failed_run_logs_its_code_and_fix_in_one_line(tmp_path):
    from flows.build_corpus import build_corpus
    from newsflow.errors import ConfigError

    collect = Collect()
    loggers = [logging.getLogger(name) for name in ("prefect.flow_runs", "prefect.task_runs")]
    saved = [(logger.level, logger.handlers, logger.propagate) for logger in loggers]
    for logger in loggers:  # only the collector sees them (the console of an earlier test may be closed)
        logger.setLevel(logging.DEBUG)
        logger.handlers, logger.propagate = [collect], False
    try:
        with pytest.raises(ConfigError):
            build_corpus(paths=[str(tmp_path / "missing")], db=str(tmp_path / "news.duckdb"))
    finally:
        for logger, (level, handlers, propagate) in zip(loggers, saved):
            logger.setLevel(level)
            logger.handlers, logger.propagate = handlers, propagate
    errors = [r for r in collect.records if r.levelno >= logging.ERROR]
    assert errors, [r.getMessage() for r in collect.records]
    for record in errors:
        message = record.getMessage()
        assert record.exc_info is None and "\n" not in message and "Traceback" not in message
        assert "[NF201]" in message and "fix:" in message
    tracebacks = [r for r in collect.records if r.levelno == logging.DEBUG and r.exc_info]
    assert tracebacks and isinstance(tracebacks[0].exc_info[1], ConfigError)


def prefect_api_url() -> str:
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


def runs_of(deployment_name: str):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName

    async def read():
        async with get_client() as client:
            return await client.read_flow_runs(
                deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[deployment_name]))
            )

    return asyncio.run(read())


def start_run_when_served(name: str) -> bool:
    """Ask the served deployment for a run now (False while `newsflow serve` has not registered it yet)."""
    from prefect.deployments import run_deployment
    from prefect.exceptions import ObjectNotFound

    try:
        run_deployment(name=name, timeout=0)
    except ObjectNotFound:
        return False
    return True


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_serve_lets_the_run_in_progress_finish_on_sigterm(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number in range(3):
        (inbox / f"seed{number}.txt").write_bytes(SEED_FILE.read_bytes())
    config = tmp_path / "serve.toml"
    config.write_text('[schedule]\ncron = ""\ninterval_seconds = 3600\ndeployment = "sigterm-test"\n[pipeline]\nbatch_size = 1\n')
    env = {**os.environ, "PREFECT_API_URL": prefect_api_url(), "PYTHONPATH": str(PROJECT_DIR)}
    db = tmp_path / "news.duckdb"
    serving = subprocess.Popen(
        [sys.executable, "-m", "newsflow.cli", "serve", str(inbox), "--db", str(db), "--config", str(config)],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        started = False
        while time.monotonic() < deadline:
            if not started:
                started = start_run_when_served("build_corpus/sigterm-test")
            runs = runs_of("sigterm-test")
            if any(run.state_type is not None and run.state_type.value == "RUNNING" for run in runs):
                break
            assert serving.poll() is None, serving.communicate()[0]
            time.sleep(0.5)
        else:
            pytest.fail("no served run started within 240 s")
        serving.send_signal(signal.SIGTERM)
        output, _ = serving.communicate(timeout=300)
    finally:
        if serving.poll() is None:
            serving.kill()
    finished = [run for run in runs_of("sigterm-test") if run.state_type is not None and run.state_type.value != "SCHEDULED"]
    assert finished and all(run.state_type.value == "COMPLETED" for run in finished), (
        [(run.name, run.state_name) for run in finished], output[-3000:]
    )
    assert "the run in progress finishes" in output
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from articles").fetchone()[0] == 3
