"""Throughput of the whole flow against bare `nlp.pipe`, measured in one run.

    .venv/bin/python bench/throughput.py [--articles 2000] [--batch-size 250]

Prints, for a corpus of unique German articles recombined from 10kGNAD:
- articles/s and words/s of the full `build_corpus` flow (discover, read,
  normalize, language, spaCy, canonicalize, DuckDB load; Prefect server
  already running, so its start-up is not counted);
- articles/s and words/s of bare `nlp.pipe` with the same pipeline on the
  same (normalized) texts, and the ratio flow ÷ nlp.pipe (the headline: the
  flow's pipeline includes the quote and key-term components, so the bare
  one does too);
- for transparency, the same against `nlp.pipe` with the entities only (no
  quote and key-term components): there quotes and terms count as overhead;
- the time of a no-op rerun as a fraction of the full run;
- the same comparison in CPU seconds (this process plus its children, i.e.
  the Prefect server and any Dask workers): robust to other load on a shared
  machine, and it counts work that pipelining hides from the wall clock;
- peak RSS of the process after the full run, and of the NLP worker
  process when the flow used one (`orchestration.task_runner = "process"`,
  the default from `process_min_files` files on): the flow's NLP then runs
  in one process, like the bare `nlp.pipe`, while the flow's own process
  reads and loads;
- the load average at the start and at the end.
Absolute timings on shared machines are noisy; the ratios are the result.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="newsflow-bench-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from bench.corpus import GNAD_CSV, write_corpus  # noqa: E402


BARE_PIPELINES = (
    (True, "same pipeline (entities + quotes + key terms) [headline]"),
    (False, "entities-only pipeline (quotes, key terms counted as flow overhead)"),
)


def _load() -> str:
    return ", ".join(f"{n:.2f}" for n in os.getloadavg())


def cpu_seconds() -> float:
    """User + system CPU of this process and its live and finished children."""
    import psutil

    me = psutil.Process()
    total = sum(me.cpu_times()[:4])  # user, system, children_user, children_system
    for child in me.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.NoSuchProcess:
            pass
    return total


def bare_nlp_pipe(db_path: Path, config: str | None, components: bool) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds, articles and words of nlp.pipe over the loaded texts, per language pipeline.

    `components`: with the quote and key-term components (the flow's pipeline), else entities only.
    """
    from newsflow.settings import load_settings
    from transforms.coverage import coverage_components
    from transforms.nlp.kb import load_kb
    from transforms.nlp.pipelines import build_pipeline
    from warehouse.connection import open_warehouse

    settings = load_settings(config)
    with open_warehouse(db_path, read_only=True) as con:
        rows = con.execute("select language, text, n_words from articles order by article_id").fetchall()
    kb = load_kb(settings.nlp.kb_path)
    by_language: dict[str, list[str]] = {}
    for language, text, _ in rows:
        by_language.setdefault(language, []).append(text)
    pipelines = {
        lang: build_pipeline(
            lang,
            settings.nlp.pipelines[lang].models,
            settings.nlp.pipelines[lang].fallback,
            kb,
            settings.nlp.ner_models_path,
            coverage_components(settings, kb) if components else None,
            keep=settings.nlp.pipelines[lang].keep,
        )[0]
        for lang in by_language
    }
    started, cpu = time.perf_counter(), cpu_seconds()
    for language, texts in by_language.items():
        for _ in pipelines[language].pipe(texts, batch_size=settings.nlp.pipe_batch_size):
            pass
    return time.perf_counter() - started, cpu_seconds() - cpu, len(rows), sum(r[2] for r in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--config", help="config file layered over configs/default.toml")
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "bench" / "out")
    args = parser.parse_args()
    if not GNAD_CSV.exists():
        print(f"skipped: {GNAD_CSV} not found (the shared corpus is needed)")
        return 0

    from prefect.testing.utilities import prefect_test_harness

    from flows.build_corpus import build_corpus

    load_at_start = _load()
    corpus = write_corpus(args.out / f"gnad_recombined_{args.articles}", args.articles)
    db_path = Path(tempfile.mkdtemp(prefix="newsflow-bench-")) / "bench.duckdb"
    with prefect_test_harness(server_startup_timeout=120):
        started, cpu = time.perf_counter(), cpu_seconds()
        full = build_corpus(paths=[str(corpus)], db=str(db_path), config=args.config)
        full_seconds, full_cpu = time.perf_counter() - started, cpu_seconds() - cpu
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        worker_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the finished NLP worker
        started = time.perf_counter()
        rerun = build_corpus(paths=[str(corpus)], db=str(db_path), config=args.config)
        noop_seconds = time.perf_counter() - started
    flow_rate = full["articles"] / full_seconds
    print(f"corpus: {corpus} ({args.articles} files, {full['articles']} articles loaded)")
    print(f"full flow:      {full_seconds:8.2f} s  {flow_rate:8.1f} articles/s  CPU {full_cpu:.1f} s")
    for components, label in BARE_PIPELINES:
        nlp_seconds, nlp_cpu, n_articles, n_words = bare_nlp_pipe(db_path, args.config, components)
        nlp_rate = n_articles / nlp_seconds
        print(f"bare nlp.pipe, {label}:")
        print(f"  {nlp_seconds:8.2f} s  {nlp_rate:8.1f} articles/s  {n_words / nlp_seconds:10.0f} words/s  "
              f"CPU {nlp_cpu:.1f} s")  # fmt: skip
        print(f"  ratio flow / nlp.pipe throughput: {flow_rate / nlp_rate:.3f}; "
              f"per CPU-second: {(full['articles'] / full_cpu) / (n_articles / nlp_cpu):.3f}")  # fmt: skip
    print(f"no-op rerun:    {noop_seconds:8.2f} s  = {noop_seconds / full_seconds:.4f} of the full run "
          f"({rerun['files_skipped']} of {rerun['files_seen']} files skipped)")  # fmt: skip
    print(f"peak RSS after the full run: {peak_mb:.0f} MiB (flow process), "
          f"{worker_peak_mb:.0f} MiB (largest finished child: the NLP worker process, if any)")  # fmt: skip
    print(f"load average (1, 5, 15 min): at start {load_at_start}, at end {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
