"""Peak memory of the whole `build_corpus` flow at two corpus sizes, measured in one run.

    nice -n 10 .venv/bin/python bench/memory_scaling.py [--sizes 10000,100000] [--config FILE]

For each size, writes that many unique German articles recombined from
`../shared/corpora/gnad10k_test` (bench/corpus.py, one .txt file each, reused
when already written), plus 1 % summit coverage (`summit/`: paragraphs of the
Hanoi seed and test articles mixed with 10kGNAD passages, dated in the
Singapore and Hanoi summit windows, so summit tags, quotes and the summit
marts have rows), with a manifest CSV next to the directory that gives every
article one of 12 outlets and a publication date (seeded;
`metadata.manifests`, so the marts group by outlet and day as on real
coverage), and runs the real flow on a fresh warehouse in a child
process of its own (`--child`): discover, read, NLP, load, the post-load steps
(search index, key terms, clustering) and the read snapshots. It prints each
child's peak resident memory (VmHWM of the flow's process, read from /proc
before it exits, plus the peak of the run's NLP worker process when the run
uses one -- their sum is the "peak RSS" compared; `getrusage(RUSAGE_CHILDREN)`
is printed next to it, which also covers the Prefect server the child starts), the flow's seconds and
articles/s, and the ratio of the largest size's peak to the smallest's
(target <= 1.5).

Both sizes must run with the same configuration. The default German pipeline
(with newsflow's trained NER) processes about 40 articles/s on a shared
2-core machine, so 100,000 articles take most of an hour; for the comparison
`bench/configs/rules_only.toml` keeps the KB ruler and German name rules and
drops the trained NER (`nlp.ner_models_dir = ""`), which is several times
faster and exercises every other stage the same way:

    nice -n 10 .venv/bin/python bench/memory_scaling.py --config bench/configs/rules_only.toml

`--keep` leaves the warehouses in bench/out/ (`memory_<size>.duckdb`) for
bench/query_latency.py.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import polars as pl

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from bench.corpus import GNAD_CSV, passages, read_gnad, write_corpus  # noqa: E402

RESULT_MARK = "memory-scaling-result: "
OUTLETS = (
    "derStandard.at", "Die Presse", "Kurier", "Kleine Zeitung", "Salzburger Nachrichten", "Tiroler Tageszeitung",
    "Der Spiegel", "Süddeutsche Zeitung", "FAZ", "Die Zeit", "NZZ", "Tages-Anzeiger",
)  # fmt: skip
FIRST_DAY, DAYS = date(2017, 6, 1), 900
SUMMIT_WINDOWS = ((date(2018, 6, 9), 6), (date(2019, 2, 24), 8))  # Singapore, Hanoi: first day, days
SUMMIT_SOURCES = (PROJECT_DIR / "seeds", PROJECT_DIR / "tests" / "fixtures" / "dedup" / "hanoi_articles.json")


def summit_paragraphs() -> list[str]:
    texts = [f.read_text(encoding="utf-8") for f in sorted(SUMMIT_SOURCES[0].glob("*.txt"))]
    texts += [a["text"] for a in json.loads(SUMMIT_SOURCES[1].read_text(encoding="utf-8"))]
    return sorted({p.strip() for t in texts for p in t.split("\n\n") if len(p.strip()) > 80})


def write_summit_coverage(corpus: Path, n_articles: int, seed: int = 2019) -> Path:
    """`<corpus>/summit/`: unique articles of 2-3 summit paragraphs and 1-2 10kGNAD passages."""
    directory = corpus / "summit"
    directory.mkdir(exist_ok=True)
    if len(list(directory.glob("*.txt"))) == n_articles:
        return directory
    summit, pool = summit_paragraphs(), passages(read_gnad())
    rng, seen = random.Random(seed), set()
    while len(seen) < n_articles:
        picks = (
            tuple(rng.sample(range(len(summit)), rng.randint(2, 3))),
            tuple(rng.sample(range(len(pool)), rng.randint(1, 2))),
        )
        if picks in seen:
            continue
        seen.add(picks)
        text = "\n\n".join([summit[i] for i in picks[0]] + [pool[i] for i in picks[1]])
        (directory / f"summit_{len(seen) - 1:05d}.txt").write_text(text + "\n", encoding="utf-8")
    return directory


def write_manifest(corpus: Path, seed: int = 2019) -> Path:
    """`<corpus>.manifest.csv`: path, outlet, published_at for every article file (outside the corpus directory)."""
    rng = random.Random(seed)

    def published(path: Path) -> str:
        first, days = rng.choice(SUMMIT_WINDOWS) if path.parent.name == "summit" else (FIRST_DAY, DAYS)
        return f"{first + timedelta(days=rng.randrange(days))}T{rng.randrange(6, 22):02d}:{rng.randrange(60):02d}:00Z"

    rows = [(str(f), rng.choice(OUTLETS), published(f)) for f in sorted(corpus.rglob("*.txt"))]
    manifest = corpus.with_name(f"{corpus.name}.manifest.csv")
    pl.DataFrame(rows, schema=["path", "outlet", "published_at"], orient="row").write_csv(manifest)
    return manifest


def proc_status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def sample_rss(path: Path, every_seconds: float = 1.0) -> None:
    """Append `seconds rss_mib` lines to `path` for the life of the process (a daemon thread)."""

    def sample() -> None:
        started = time.perf_counter()
        with path.open("w") as out:
            while True:
                out.write(f"{time.perf_counter() - started:.1f} {proc_status_mb('VmRSS'):.0f}\n")
                out.flush()
                time.sleep(every_seconds)

    threading.Thread(target=sample, daemon=True).start()


def run_child(corpus: Path, db: Path, config: str | None, trace: Path | None) -> None:
    """The measured process: one flow run, then its own peak RSS on stdout."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if trace else "WARNING")
    if trace:
        sample_rss(trace)
    from flows.build_corpus import build_corpus

    result = build_corpus(paths=[str(corpus)], db=str(db), config=config)
    seconds = result["seconds"]  # the flow's own time, without the temporary server's start-up
    ru_maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The run's NLP worker process (orchestration.task_runner = "process") has been waited for by now; the
    # temporary Prefect server has not (it stops at exit), so this is the worker's peak, or 0 without one.
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    outcome = {"articles": result["articles"], "rejects": result["rejects"], "seconds": seconds,
               "flow_mb": proc_status_mb("VmHWM"), "worker_mb": worker_mb, "ru_maxrss_mb": ru_maxrss_mb}  # fmt: skip
    outcome["peak_mb"] = outcome["flow_mb"] + worker_mb  # both at their peaks at once: an upper bound
    print(RESULT_MARK + json.dumps(outcome), flush=True)


def measure(size: int, config: str | None, out: Path, keep: bool, trace: bool) -> dict:
    corpus = write_corpus(out / f"gnad_recombined_{size}", size)
    workdir = Path(tempfile.mkdtemp(prefix=f"newsflow-memory-{size}-"))
    db = (out / f"memory_{size}.duckdb") if keep else workdir / "bench.duckdb"
    for stale in (db, db.with_name(f"{db.stem}.read{db.suffix}"), Path(f"{db}.wal")):
        stale.unlink(missing_ok=True)
    write_summit_coverage(corpus, size // 100)
    manifest = write_manifest(corpus)
    env = {**os.environ, "PREFECT_HOME": str(workdir / "prefect"), "NEWSFLOW_METADATA__MANIFESTS": json.dumps([str(manifest)])}
    env.pop("PREFECT_API_URL", None)  # every child starts its own temporary server: same conditions per size
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")  # a busy machine starts it slowly
    command = [sys.executable, __file__, "--child", "--corpus", str(corpus), "--db", str(db)]
    if config:
        command += ["--config", config]
    if trace:
        command += ["--trace-file", str(out / f"memory_{size}.rss")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    completed = subprocess.run(command, env=env, cwd=PROJECT_DIR, capture_output=True, text=True)
    if trace:
        (out / f"memory_{size}.log").write_text(completed.stderr)
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    lines = [line for line in completed.stdout.splitlines() if line.startswith(RESULT_MARK)]
    if completed.returncode != 0 or not lines:
        sys.stderr.write(completed.stdout[-5000:] + completed.stderr[-5000:])
        raise SystemExit(f"the flow over {size} articles failed (exit {completed.returncode})")
    outcome = json.loads(lines[-1][len(RESULT_MARK) :])
    # RUSAGE_CHILDREN is the largest of all waited-for descendants so far: only meaningful when it grew.
    outcome["children_mb"] = children_mb if children_mb > before else None
    outcome["db_mb"] = db.stat().st_size / 2**20
    return {"size": size, **outcome}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated article counts, smallest first")
    parser.add_argument("--config", help="config file layered over configs/default.toml (the same for every size)")
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "bench" / "out")
    parser.add_argument("--keep", action="store_true", help="keep the warehouses as bench/out/memory_<size>.duckdb")
    parser.add_argument("--trace", action="store_true",
                        help="write the child's RSS every second (memory_<size>.rss) and its flow log (.log) to --out")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--trace-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.corpus, args.db, args.config, args.trace_file)
        return 0
    if not GNAD_CSV.exists():
        print(f"skipped: {GNAD_CSV} not found (the shared corpus is needed)")
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"config: {args.config or 'configs/default.toml'}; load average {os.getloadavg()[0]:.2f}")
    print(f"{'articles':>9} {'loaded':>7} {'seconds':>8} {'art/s':>6} {'flow MiB':>9} {'worker MiB':>10} "
          f"{'peak RSS MiB':>12} {'children MiB':>12} {'db MiB':>7}")  # fmt: skip
    results = []
    for size in sizes:
        r = measure(size, args.config, args.out, args.keep, args.trace)
        results.append(r)
        children = f"{r['children_mb']:.0f}" if r["children_mb"] else "-"
        print(f"{r['size']:>9} {r['articles']:>7} {r['seconds']:>8.0f} {r['articles'] / r['seconds']:>6.1f} "
              f"{r['flow_mb']:>9.0f} {r['worker_mb']:>10.0f} {r['peak_mb']:>12.0f} {children:>12} {r['db_mb']:>7.0f}",
              flush=True)  # fmt: skip
    if len(results) > 1:
        small, large = results[0], results[-1]
        print(f"\npeak RSS {large['size']} vs {small['size']} articles: {large['peak_mb'] / small['peak_mb']:.2f}x "
              f"for {large['size'] / small['size']:.0f}x the articles (target <= 1.5x)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
