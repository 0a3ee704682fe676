"""Deduplication throughput and peak memory, for growing corpora, in one run.

For each size, generates that many syndicated articles in memory
(bench/dedup_corpus.py, about 30 % republications), then times the stages of
the real path on a fresh DuckDB warehouse:

* sign    - per-batch signatures, LSH bands and agency credits (syndication_children)
* load    - loading articles and index rows (load_batch), for scale only
* cluster - the run-level step (cluster_warehouse): band join, verification, roles
* new 1%  - a second run adding 1 % new articles: matched against everything, no old text read
* no-op   - a third run with nothing new

and prints articles/s of sign + cluster (the deduplication; wall clock, and
per CPU-second, which the shared machine does not distort), the peak resident
memory of the clustering step ("peak MB", in its own connection as in a run;
"+MB" above the process before it) and of signing and loading ("load MB": the
loading connection's DuckDB cache grows up to warehouse.memory_limit), and the
per-article cost and peak memory of the largest size relative to the smallest.

Each size is measured in a child process of its own that reads the generated
articles a batch at a time from a Parquet file (written by this process), so
its peak RSS (VmHWM) is that of the deduplication and the warehouse, not of a
corpus held in memory.

    nice -n 10 .venv/bin/python bench/dedup_throughput.py --sizes 10000,30000,100000
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.dedup_corpus import as_batch_frames, empty_children, empty_frames, generate_syndication  # noqa: E402
from newsflow.settings import load_settings  # noqa: E402
from transforms.dedup import syndication_children  # noqa: E402
from warehouse.connection import open_warehouse  # noqa: E402
from warehouse.dedup import cluster_warehouse  # noqa: E402
from warehouse.load import Batch, load_batch  # noqa: E402

BATCH = 1_000


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def current_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak() -> None:
    """Linux: writing 5 to clear_refs resets VmHWM to the current RSS."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


RESULT_MARK = "dedup-throughput-result: "


def measure(size: int, generated: Path, settings, memory_limit: str) -> dict:
    """Load `size` articles of the Parquet file a batch at a time, cluster, add the rest, cluster again.

    As in a run, the batches are loaded on one connection and the clustering
    step opens its own (flows/dedup.py), both with the configured memory limit.
    """
    total = pl.scan_parquet(generated).select(pl.len()).collect().item()
    entities, rejects = empty_frames()
    timings = {"sign": 0.0, "sign_cpu": 0.0, "load": 0.0}

    def ingest(db: Path, start: int, stop: int, run: str) -> None:
        with open_warehouse(db, memory_limit=memory_limit) as con:
            for number, offset in enumerate(range(start, stop, BATCH)):
                articles = pl.scan_parquet(generated).slice(offset, min(BATCH, stop - offset)).collect()
                frame, files = as_batch_frames(articles, f"/bench/{run}-{number}.jsonl")
                started, cpu = time.perf_counter(), time.process_time()
                children = {**empty_children(), **syndication_children(frame, settings)}
                timings["sign"] += time.perf_counter() - started
                timings["sign_cpu"] += time.process_time() - cpu
                started = time.perf_counter()
                load_batch(con, Batch(files, frame, entities, rejects, children), run)
                timings["load"] += time.perf_counter() - started

    def cluster(db: Path) -> tuple[dict, float, float]:
        with open_warehouse(db, memory_limit=memory_limit) as con:
            started, cpu = time.perf_counter(), time.process_time()
            outcome = cluster_warehouse(con, settings)
            return outcome, time.perf_counter() - started, time.process_time() - cpu

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        reset_peak()
        baseline = current_rss_mb()
        ingest(db, 0, size, "first")
        ingest_peak = peak_rss_mb()
        reset_peak()
        outcome, timings["cluster"], timings["cluster_cpu"] = cluster(db)
        peak = peak_rss_mb()
        sign_first, sign_cpu_first = timings["sign"], timings["sign_cpu"]
        ingest(db, size, total, "later")
        added, seconds, _ = cluster(db)
        timings["new"] = seconds + timings["sign"] - sign_first
        noop, timings["noop"], _ = cluster(db)
        assert noop["changed"] is False
        timings["sign"], timings["sign_cpu"] = sign_first, sign_cpu_first
    dedup_seconds = timings["sign"] + timings["cluster"]
    return {
        "size": size, **timings, "rate": size / dedup_seconds,
        "cpu_rate": size / (timings["sign_cpu"] + timings["cluster_cpu"]), "peak_mb": peak, "delta_mb": peak - baseline,
        "ingest_peak_mb": ingest_peak, "clusters": outcome["clusters"], "duplicates": outcome["duplicates"],
        "reclustered": added["reclustered"], "new_articles": total - size,
    }  # fmt: skip


def measure_in_child(size: int, work: Path) -> dict:
    """Generate the articles here, measure them in a fresh process."""
    generated = work / f"syndication_{size}.parquet"
    articles = generate_syndication(int(size * 1.01) + 1, seed=size, duplicate_share=0.3).articles
    articles.write_parquet(generated, row_group_size=BATCH)  # read back a batch (a row group) at a time
    command = [sys.executable, __file__, "--child", "--size", str(size), "--generated", str(generated)]
    completed = subprocess.run(command, capture_output=True, text=True)
    lines = [line for line in completed.stdout.splitlines() if line.startswith(RESULT_MARK)]
    if completed.returncode != 0 or not lines:
        sys.stderr.write(completed.stdout[-5000:] + completed.stderr[-5000:])
        raise SystemExit(f"measuring {size} articles failed (exit {completed.returncode})")
    return json.loads(lines[-1][len(RESULT_MARK) :])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--generated", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    loaded = load_settings()
    settings, memory_limit = loaded.dedup, loaded.warehouse.memory_limit  # as in a run (flows/dedup.py)
    if args.child:
        print(RESULT_MARK + json.dumps(measure(args.size, args.generated, settings, memory_limit)), flush=True)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"scheme: shingles of {settings.shingle_size} words, {settings.num_perm} permutations, "
          f"{settings.bands} bands x {settings.rows} rows, threshold {settings.threshold}; "
          f"DuckDB memory limit {memory_limit or 'default'}")  # fmt: skip
    header = (f"{'articles':>9} {'sign s':>7} {'cluster s':>9} {'dedup art/s':>11} {'per CPU-s':>9} {'load s':>7} "
              f"{'+1% s':>6} {'no-op s':>7} {'peak MB':>8} {'+MB':>6} {'load MB':>8} {'dups':>6}")  # fmt: skip
    print(header)
    results = []
    work = Path(tempfile.mkdtemp(prefix="newsflow-dedup-bench-"))
    for size in sizes:
        r = measure_in_child(size, work)
        results.append(r)
        print(
            f"{r['size']:>9} {r['sign']:>7.1f} {r['cluster']:>9.1f} {r['rate']:>11.0f} {r['cpu_rate']:>9.0f} {r['load']:>7.1f} "
            f"{r['new']:>6.2f} {r['noop']:>7.2f} {r['peak_mb']:>8.0f} {r['delta_mb']:>6.0f} {r['ingest_peak_mb']:>8.0f} "
            f"{r['duplicates']:>6}",
            flush=True,
        )
    if len(results) > 1:
        small, large = results[0], results[-1]
        print(
            f"\n{large['size']} vs {small['size']} articles: dedup rate ratio {large['rate'] / small['rate']:.2f} "
            f"(1.00 = linear), cluster-step time per article ratio "
            f"{(large['cluster'] / large['size']) / (small['cluster'] / small['size']):.2f}, "
            f"peak RSS ratio of the clustering step {large['peak_mb'] / small['peak_mb']:.2f}x "
            f"(of signing and loading {large['ingest_peak_mb'] / small['ingest_peak_mb']:.2f}x) "
            f"for {large['size'] / small['size']:.0f}x the articles; "
            f"adding 1% new ({large['new_articles']}): {large['new']:.2f} s, {large['reclustered']} rows reclustered, "
            f"vs a full cluster step "
            f"{large['cluster']:.2f} s"
        )


if __name__ == "__main__":
    main()
