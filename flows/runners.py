"""Where the NLP stage runs: a background thread, or a Dask cluster via prefect-dask.

The flow reads and loads batches itself (in order, one transaction per batch)
and hands `process-batch-N` to the runner chosen by `[orchestration]`, so the
next batch is read while the previous one is in spaCy. On Dask each worker
process builds its spaCy pipelines once (`transforms.nlp.pipelines` memoizes
them per process) and keeps them for every batch it gets, across runs when
the cluster outlives the run.
"""

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from newsflow.settings import OrchestrationSettings


def nlp_task_runner(orchestration: OrchestrationSettings) -> TaskRunner:
    """A fresh, not yet started task runner for the NLP stage (enter it with `with`)."""
    if orchestration.task_runner == "thread":
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


def describe(orchestration: OrchestrationSettings) -> str:
    if orchestration.task_runner == "thread":
        return "a background thread"
    if orchestration.dask_address:
        return f"the Dask cluster at {orchestration.dask_address}"
    return (
        f"a local Dask cluster of {orchestration.dask_workers} worker process(es) "
        f"x {orchestration.dask_threads_per_worker} thread(s)"
    )
