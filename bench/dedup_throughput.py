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
per CPU-second of this process, which the shared machine does not distort),
the peak resident
memory of those stages (VmHWM, reset before each size), and the per-article
cost of the largest size relative to the smallest.

    nice -n 10 .venv/bin/python bench/dedup_throughput.py --sizes 10000,30000,100000
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

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


def measure(size: int, settings) -> dict:
    generated = generate_syndication(int(size * 1.01) + 1, seed=size, duplicate_share=0.3).articles
    first, later = generated.slice(0, size), generated.slice(size)
    entities, rejects = empty_frames()
    timings = {"sign": 0.0, "sign_cpu": 0.0, "load": 0.0}
    with tempfile.TemporaryDirectory() as tmp, open_warehouse(Path(tmp) / "bench.duckdb") as con:
        reset_peak()
        baseline = current_rss_mb()

        def ingest(articles, run: str) -> None:
            for number, offset in enumerate(range(0, articles.height, BATCH)):
                frame, files = as_batch_frames(articles.slice(offset, BATCH), f"/bench/{run}-{number}.jsonl")
                started, cpu = time.perf_counter(), time.process_time()
                children = {**empty_children(), **syndication_children(frame, settings)}
                timings["sign"] += time.perf_counter() - started
                timings["sign_cpu"] += time.process_time() - cpu
                started = time.perf_counter()
                load_batch(con, Batch(files, frame, entities, rejects, children), run)
                timings["load"] += time.perf_counter() - started

        ingest(first, "first")
        started, cpu = time.perf_counter(), time.process_time()
        outcome = cluster_warehouse(con, settings)
        timings["cluster"] = time.perf_counter() - started
        timings["cluster_cpu"] = time.process_time() - cpu
        peak = peak_rss_mb()
        sign_first, sign_cpu_first = timings["sign"], timings["sign_cpu"]
        ingest(later, "later")
        started = time.perf_counter()
        cluster_warehouse(con, settings)
        timings["new"] = time.perf_counter() - started + timings["sign"] - sign_first
        started = time.perf_counter()
        noop = cluster_warehouse(con, settings)
        timings["noop"] = time.perf_counter() - started
        assert noop["changed"] is False
        timings["sign"], timings["sign_cpu"] = sign_first, sign_cpu_first
    dedup_seconds = timings["sign"] + timings["cluster"]
    return {
        "size": size, **timings, "rate": size / dedup_seconds,
        "cpu_rate": size / (timings["sign_cpu"] + timings["cluster_cpu"]), "peak_mb": peak, "delta_mb": peak - baseline,
        "clusters": outcome["clusters"], "duplicates": outcome["duplicates"], "new_articles": later.height,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    args = parser.parse_args()
    settings = load_settings().dedup
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"scheme: shingles of {settings.shingle_size} words, {settings.num_perm} permutations, "
          f"{settings.bands} bands x {settings.rows} rows, threshold {settings.threshold}")  # fmt: skip
    header = f"{'articles':>9} {'sign s':>7} {'cluster s':>9} {'dedup art/s':>11} {'per CPU-s':>9} {'load s':>7} {'+1% s':>6} {'no-op s':>7} {'peak MB':>8} {'+MB':>6} {'dups':>6}"
    print(header)
    results = []
    for size in sizes:
        r = measure(size, settings)
        results.append(r)
        print(
            f"{r['size']:>9} {r['sign']:>7.1f} {r['cluster']:>9.1f} {r['rate']:>11.0f} {r['cpu_rate']:>9.0f} {r['load']:>7.1f} "
            f"{r['new']:>6.2f} {r['noop']:>7.2f} {r['peak_mb']:>8.0f} {r['delta_mb']:>6.0f} {r['duplicates']:>6}",
            flush=True,
        )
    if len(results) > 1:
        small, large = results[0], results[-1]
        print(
            f"\n{large['size']} vs {small['size']} articles: dedup rate ratio {large['rate'] / small['rate']:.2f} "
            f"(1.00 = linear), cluster-step time per article ratio "
            f"{(large['cluster'] / large['size']) / (small['cluster'] / small['size']):.2f}, "
            f"peak memory growth {large['delta_mb'] / max(small['delta_mb'], 1):.2f}x for {large['size'] / small['size']:.0f}x the articles; "
            f"adding 1% new: {large['new']:.2f} s vs a full cluster step {large['cluster']:.2f} s"
        )


if __name__ == "__main__":
    main()
