"""The "process" runner: the NLP stage in one worker process of the run (real Prefect, spaCy, DuckDB)."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from flows.runners import nlp_worker, run_in_worker, uses_worker_process
from newsflow.settings import load_settings
from tests.conftest import PROJECT_DIR, SEED_FILE

SECOND_ARTICLE = "Kim Jong Un und Donald Trump trafen sich in Singapur zum ersten Gipfel der beiden Staatschefs."


def _orchestration(**overrides):
    return load_settings(overrides={f"orchestration.{k}": v for k, v in overrides.items()}, environ={}).orchestration


def _worker_pid(state, _):  # runs in the worker
    return os.getpid(), state


def test_small_runs_keep_the_thread_and_large_ones_get_the_worker():
    process = _orchestration(task_runner="process", process_min_files=1000)
    assert not uses_worker_process(process, 999) and uses_worker_process(process, 1000)
    assert not uses_worker_process(_orchestration(task_runner="thread"), 10_000)


def test_the_worker_holds_the_state_and_runs_in_another_process():
    with nlp_worker(_orchestration(task_runner="process", process_min_files=0), 1, {"kb": "v1"}) as worker:
        pid, state = run_in_worker(worker, _worker_pid, None)
        assert run_in_worker(worker, _worker_pid, None)[0] == pid  # one process for the whole run
    assert pid != os.getpid() and state == {"kb": "v1"}
    with nlp_worker(_orchestration(task_runner="process", process_min_files=5), 4, {}) as worker:
        assert worker is None


KILLED_FLOW = """
import os, signal, sys
sys.path.insert(0, {root!r})
from flows.runners import nlp_worker, run_in_worker
from newsflow.settings import load_settings
from tests.test_nlp_worker import _worker_pid
orchestration = load_settings(overrides={{"orchestration.process_min_files": 0}}, environ={{}}).orchestration
with nlp_worker(orchestration, 1, None) as worker:
    print(run_in_worker(worker, _worker_pid, None)[0], flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_the_worker_ends_when_the_flow_process_is_killed():
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_FLOW.format(root=str(PROJECT_DIR))], capture_output=True, text=True, timeout=120
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    worker_pid = int(killed.stdout.split()[0])
    deadline = time.monotonic() + 30
    while _alive(worker_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(worker_pid), "the NLP worker outlived the killed flow"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _rows(db_path: Path) -> dict[str, list]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return {
            table: con.execute(f"select columns(c -> c != 'run_id') from {table} order by all").fetchall()  # noqa: S608
            for table in ("mentions", "entities", "quotes", "article_terms")
        } | {
            "articles": con.execute("select article_id, text, language from articles order by all").fetchall(),
            "pipelines": con.execute("select pipelines from runs").fetchall(),
        }


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_the_worker_process_loads_the_same_rows_as_the_thread(tmp_path):
    from flows.build_corpus import build_corpus

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED_FILE, inbox)
    (inbox / "singapur.txt").write_text(SECOND_ARTICLE, encoding="utf-8")
    databases = {}
    for runner in ("thread", "process"):
        config = tmp_path / f"{runner}.toml"
        config.write_text(f'[pipeline]\nbatch_size = 1\n[orchestration]\ntask_runner = "{runner}"\nprocess_min_files = 0\n')
        databases[runner] = tmp_path / f"{runner}.duckdb"
        result = build_corpus(paths=[str(inbox)], db=str(databases[runner]), config=str(config))
        assert result["articles"] == 2
    thread, process = _rows(databases["thread"]), _rows(databases["process"])
    assert process == thread and len(process["quotes"]) >= 17
    assert "embedded-de" in process["pipelines"][0][0]
