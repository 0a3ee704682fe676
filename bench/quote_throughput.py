"""Throughput cost of the quote component: one bare `nlp.pipe` over the same German texts with and
without `newsflow_quotes`, in one run (texts: ../shared/corpora/gnad10k_test/test.csv).

    nice .venv/bin/python bench/quote_throughput.py [--articles 300]
"""

import argparse
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))
sys.path.insert(0, str(PROJECT_DIR / "bench"))

from newsflow.settings import load_settings  # noqa: E402
from public_quote_gold import gnad_texts  # noqa: E402
from transforms.coverage import coverage_components  # noqa: E402
from transforms.nlp.kb import load_kb  # noqa: E402
from transforms.nlp.pipelines import build_pipeline  # noqa: E402


def seconds(nlp, texts: list[str], disable: list[str]) -> float:
    start = time.perf_counter()
    for _ in nlp.pipe(texts, disable=disable, batch_size=64):
        pass
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    args = parser.parse_args()
    settings = load_settings()
    kb = load_kb(settings.nlp.kb_path)
    choice = settings.nlp.pipelines["de"]
    coverage = coverage_components(settings, kb)
    nlp, description = build_pipeline("de", choice.models, choice.fallback, kb, settings.nlp.ner_models_path, coverage)
    texts = gnad_texts()[: args.articles]
    seconds(nlp, texts[:20], [])  # warm-up: HanTa and caches
    without = seconds(nlp, texts, ["newsflow_quotes"])
    with_quotes = seconds(nlp, texts, [])
    print(f"pipeline {description}, {len(texts)} articles")
    print(f"without quotes {without:.2f} s, with quotes {with_quotes:.2f} s, ratio {with_quotes / without:.3f}")


if __name__ == "__main__":
    main()
