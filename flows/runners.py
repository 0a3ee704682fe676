"""Where the NLP stage runs: a background thread, one worker process, or a Dask cluster.

The flow reads and loads batches itself (in order, one transaction per batch)
and hands `process-batch-N` to the runner chosen by `[orchestration]`, so the
next batch is read while the previous one is in spaCy.

* "thread": the task runs in one background thread of the flow's process.
  spaCy holds the GIL, so reading and loading take turns with it.
* "process": the task still runs in that thread (so Prefect sees it as
  before), but hands the batch to one worker process of the run and waits
  for it, so spaCy has a core and a GIL of its own while the flow reads and
  loads. The worker gets the settings and KB once, builds its spaCy
  pipelines once, and is stopped when the run ends (or ends itself when the
  flow's process is killed). Runs with fewer than
  `orchestration.process_min_files` files to read use the thread: starting
  the worker costs more than it saves there.
* "dask": each Dask worker process builds its spaCy pipelines once
  (`transforms.nlp.pipelines` memoizes them per process) and keeps them for
  every batch it gets, across runs when the cluster outlives the run.
"""

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager

import cloudpickle
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from newsflow.settings import OrchestrationSettings

_WORKER_STATE: dict[str, object] = {}
PARENT_CHECK_SECONDS = 1.0


def nlp_task_runner(orchestration: OrchestrationSettings) -> TaskRunner:
    """A fresh, not yet started task runner for the NLP stage (enter it with `with`)."""
    if orchestration.task_runner in ("thread", "process"):
        return ThreadPoolTaskRunner(max_workers=1)  # spaCy holds the GIL: one NLP thread
    from prefect_dask import DaskTaskRunner  # imported only when chosen: dask is slow to import

    if orchestration.dask_address:
        return DaskTaskRunner(address=orchestration.dask_address)
    return DaskTaskRunner(
        cluster_kwargs={
            "n_workers": orchestration.dask_workers,
            "threads_per_worker": orchestration.dask_threads_per_worker,
            "processes": True,
            "dashboard_address": None,
        }
    )


def uses_worker_process(orchestration: OrchestrationSettings, files_to_read: int) -> bool:
    return orchestration.task_runner == "process" and files_to_read >= orchestration.process_min_files


@contextmanager
def nlp_worker(
    orchestration: OrchestrationSettings, files_to_read: int, state: object, warm_up: Callable | None = None
) -> Iterator[Executor | None]:
    """The run's NLP worker process when `uses_worker_process` (else None), holding `state`.

    `state` (the settings and KB) is sent once; `run_in_worker(worker, fn, arg)`
    then calls `fn(state, arg)` there. `warm_up(state)` runs there at once
    (building the spaCy pipeline while the flow reads the first batches).
    Started by "spawn": the flow's process has threads (Prefect, DuckDB,
    Polars), which a fork would copy mid-flight.
    """
    if not uses_worker_process(orchestration, files_to_read):
        yield None
        return
    worker = ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(cloudpickle.dumps(state), os.getpid()),  # the settings hold mapping proxies: plain pickle refuses them
    )
    try:
        if warm_up is not None:
            worker.submit(_call_with_state, warm_up, None)  # a failure shows again on the first batch
        yield worker
    except BaseException:
        worker.shutdown(wait=False, cancel_futures=True)  # a failed run does not wait for the batch in spaCy
        raise
    worker.shutdown(wait=True)


def run_in_worker(worker: Executor, fn: Callable, arg: object):
    return worker.submit(_call_with_state, fn, arg).result()


def _init_worker(state: bytes, flow_pid: int) -> None:
    _WORKER_STATE["state"] = cloudpickle.loads(state)
    threading.Thread(target=_exit_with, args=(flow_pid,), daemon=True, name="exit-with-flow").start()


def _exit_with(flow_pid: int) -> None:
    """End the worker when the flow's process is gone (`kill -9` runs no shutdown)."""
    while os.getppid() == flow_pid:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _call_with_state(fn: Callable, arg: object):
    return fn(_WORKER_STATE["state"], arg)


def describe(orchestration: OrchestrationSettings, files_to_read: int) -> str:
    if uses_worker_process(orchestration, files_to_read):
        return "one worker process (fed by a background thread)"
    if orchestration.task_runner == "process":
        return f"a background thread ({files_to_read} file(s) < orchestration.process_min_files)"
    if orchestration.task_runner == "thread":
        return "a background thread"
    if orchestration.dask_address:
        return f"the Dask cluster at {orchestration.dask_address}"
    return (
        f"a local Dask cluster of {orchestration.dask_workers} worker process(es) "
        f"x {orchestration.dask_threads_per_worker} thread(s)"
    )
