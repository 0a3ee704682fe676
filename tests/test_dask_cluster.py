"""The NLP stage on a Dask cluster started the way operators start one: `dask scheduler` and
`dask worker` processes (own working directories), the flow pointed at it by
`orchestration.dask_address`; the warehouse equals a local run's."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import cloudpickle
import pytest

from tests.test_faults_kill import warehouse_contents
from tests.test_orchestration import inbox, run_flow, write_config  # noqa: F401  (inbox: fixture)

DASK = Path(sys.executable).with_name("dask")
START_TIMEOUT_SECONDS = 60
cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import the tests


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dask_cluster(tmp_path):
    """A scheduler and two single-threaded workers, each its own process and working directory."""
    address = f"tcp://127.0.0.1:{free_port()}"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    processes = []

    def start(name: str, *args: str) -> None:
        directory = tmp_path / name
        directory.mkdir()
        log = (directory / "log.txt").open("w")
        processes.append(subprocess.Popen([str(DASK), *args], cwd=directory, env=env, stdout=log, stderr=subprocess.STDOUT))

    start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard")
    for name in ("worker-1", "worker-2"):
        start(name, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
              "--local-directory", str(tmp_path / name), "--name", name)  # fmt: skip
    try:
        from distributed import Client

        with Client(address, timeout=START_TIMEOUT_SECONDS) as client:
            client.wait_for_workers(2, timeout=START_TIMEOUT_SECONDS)
            yield address, client
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _worker_pid_and_cwd() -> tuple[int, str]:
    return os.getpid(), os.getcwd()


def _pipelines_built() -> int:
    from transforms.nlp import pipelines

    return len(pipelines._CACHE)


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_a_cluster_of_separate_dask_processes_loads_what_a_local_run_loads(inbox, tmp_path, dask_cluster):  # noqa: F811
    address, client = dask_cluster
    workers = client.run(_worker_pid_and_cwd)
    assert len(workers) == 2 and all(pid != os.getpid() for pid, _ in workers.values())
    assert {Path(cwd).name for _, cwd in workers.values()} == {"worker-1", "worker-2"}

    local_db, dask_db = tmp_path / "local" / "w.duckdb", tmp_path / "dask" / "w.duckdb"
    local = run_flow([inbox], local_db, config=write_config(tmp_path, '[pipeline]\nbatch_size = 1\n[orchestration]\ntask_runner = "thread"\n'))
    config = f'[pipeline]\nbatch_size = 1\n[orchestration]\ntask_runner = "dask"\ndask_address = "{address}"\n'
    started = time.monotonic()
    remote = run_flow([inbox], dask_db, config=write_config(tmp_path, config))
    assert remote["articles"] == local["articles"] == 3
    assert time.monotonic() - started < 600
    assert warehouse_contents(dask_db) == warehouse_contents(local_db)
    built = client.run(_pipelines_built)
    assert sum(built.values()) >= 1 and max(built.values()) <= 1  # German only: built at most once per worker
    assert len(client.scheduler_info()["workers"]) == 2  # the run used the cluster and left it running
