"""The NLP stage on Dask: 1 worker vs 2 workers, measured in one run.

    .venv/bin/python bench/dask_scaling.py [--articles 600] [--batch-size 50]

Starts one local Dask cluster per worker count (processes, one thread each)
and warms every worker up with a small run (spaCy pipelines built, modules
imported), so cluster start-up is not counted. Then the full `build_corpus`
flow loads the same corpus of unique German articles (recombined from
10kGNAD, see bench/corpus.py) into a fresh warehouse through the cluster's
address, and the script prints seconds and articles/s per worker count and
the speed-up ratio (2 workers ÷ 1 worker throughput).

Reads and loads stay in the flow's process (one transaction per batch, in
order), so the ratio is bounded by Amdahl's law as well as by the cores: on a
2-core machine shared with other jobs, expect well under 2 and noisy numbers.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="newsflow-bench-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_DIR), os.environ.get("PYTHONPATH")]))

from bench.corpus import GNAD_CSV, write_corpus  # noqa: E402


def timed_run(corpus: Path, address: str, batch_size: int, in_flight: int, workdir: Path) -> tuple[float, dict]:
    from flows.build_corpus import build_corpus

    config = workdir / f"dask-{abs(hash((address, str(corpus))))}.toml"
    config.write_text(
        f"[pipeline]\nbatch_size = {batch_size}\n"
        f'[orchestration]\ntask_runner = "dask"\ndask_address = "{address}"\nbatches_in_flight = {in_flight}\n'
    )
    db = Path(tempfile.mkdtemp(prefix="newsflow-dask-bench-", dir=workdir)) / "bench.duckdb"
    started = time.perf_counter()
    result = build_corpus(paths=[str(corpus)], db=str(db), config=str(config))
    return time.perf_counter() - started, result


def _build_pipelines() -> dict[str, str]:  # runs in each Dask worker
    from flows.build_corpus import _pipeline  # the flow's own memoized pipeline lookup
    from newsflow.settings import load_settings
    from transforms.nlp.kb import load_kb

    settings = load_settings()
    used: dict[str, str] = {}
    _pipeline(settings, load_kb(settings.nlp.kb_path), used, "de")  # the corpus is German
    return used


def task_seconds(flow_run_id: str) -> dict[str, float]:
    """Summed run time of the run's tasks per stage (read, process, load, other), from the Prefect API."""
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    async def read():
        async with get_client() as client:
            return await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))

    totals: dict[str, float] = {}
    for run in asyncio.run(read()):
        stage = run.name.split("-batch-")[0] if "-batch-" in run.name else "other"
        totals[stage] = totals.get(stage, 0.0) + run.total_run_time.total_seconds()
    return totals


def measure(workers: int, corpus: Path, warmup: Path, batch_size: int, workdir: Path) -> tuple[float, int, dict]:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        # warm-up: every worker builds its pipelines, and a small run imports the task engine there
        with Client(cluster) as client:
            built = client.run(_build_pipelines)
        assert len(built) == workers, built
        timed_run(warmup, address, max(1, len(list(warmup.glob("*.txt"))) // workers), workers, workdir)
        seconds, result = timed_run(corpus, address, batch_size, 2 * workers, workdir)
        stages = task_seconds(result["flow_run_id"])
    return seconds, result["articles"], stages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "bench" / "out")
    args = parser.parse_args()
    if not GNAD_CSV.exists():
        print(f"skipped: {GNAD_CSV} not found (the shared corpus is needed)")
        return 0

    from prefect.testing.utilities import prefect_test_harness

    corpus = write_corpus(args.out / f"gnad_recombined_{args.articles}", args.articles)
    warmup = write_corpus(args.out / "gnad_recombined_warmup_8", 8, seed=7)
    workdir = Path(tempfile.mkdtemp(prefix="newsflow-dask-bench-"))
    load_before = os.getloadavg()[0]
    with prefect_test_harness(server_startup_timeout=120):
        rows = {workers: measure(workers, corpus, warmup, args.batch_size, workdir) for workers in (1, 2)}
    print(f"corpus: {corpus} ({args.articles} files, batches of {args.batch_size}); cores: {os.cpu_count()}, "
          f"load average (1 min) before/after: {load_before:.1f}/{os.getloadavg()[0]:.1f}")  # fmt: skip
    for workers, (seconds, articles, stages) in rows.items():
        busy = ", ".join(f"{stage} {total:.1f} s" for stage, total in sorted(stages.items()))
        print(f"{workers} Dask worker(s): {seconds:8.2f} s  {articles / seconds:8.1f} articles/s  ({articles} articles)"
              f"  task time: {busy}")  # fmt: skip
    one, two = rows[1][0], rows[2][0]
    serial = one - rows[1][2].get("process", 0.0)
    print(f"ratio 2 workers / 1 worker throughput: {one / two:.2f}  "
          f"(Amdahl bound with the 1-worker run's non-NLP {serial:.1f} s: {one / (serial + (one - serial) / 2):.2f})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
