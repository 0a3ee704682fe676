"""Precision and recall of duplicate pairs on syndicated articles with known edits.

Generates stories and republications with known edits (bench/dedup_corpus.py:
exact copy, new headline, agency trailer, agency dateline, a paragraph
changed, a paragraph removed, light re-wording) plus *related* stories that
share one passage with another story and are not duplicates. Runs the real
path (per-batch signatures, load into a DuckDB warehouse, run-level
clustering) and prints, per similarity threshold, the precision and recall of
duplicate pairs (two articles in one cluster) against the truth (two articles
of one family), recall per edit, and how many related stories were wrongly
merged.

    .venv/bin/python bench/dedup_eval.py --articles 5000
"""

import argparse
import dataclasses
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


def pairs_within(frame: pl.DataFrame, group: str) -> pl.DataFrame:
    """All unordered pairs (left, right) of article_ids sharing `group`."""
    members = frame.select("article_id", group)
    return (
        members.join(members, on=group, suffix="_right")
        .filter(pl.col("article_id") < pl.col("article_id_right"))
        .select(left=pl.col("article_id"), right=pl.col("article_id_right"))
    )


def evaluate(articles: pl.DataFrame, clusters: pl.DataFrame) -> dict:
    joined = articles.join(clusters, on="article_id")
    truth = pairs_within(joined.filter(pl.col("family") >= 0), "family")
    found = pairs_within(joined, "cluster_id")
    hits = truth.join(found, on=["left", "right"]).height
    precision = hits / found.height if found.height else 1.0
    recall = hits / truth.height if truth.height else 1.0
    originals = joined.filter(pl.col("edit") == "original").select("family", original_cluster="cluster_id")
    per_edit = (
        joined.filter(~pl.col("edit").is_in(["original", "related"]))
        .join(originals, on="family")
        .group_by("edit")
        .agg(recall=(pl.col("cluster_id") == pl.col("original_cluster")).mean(), n=pl.len())
        .sort("edit")
    )
    related = joined.filter(pl.col("edit") == "related")
    merged = related.filter(pl.col("cluster_id") != pl.col("article_id")).height
    return {
        "precision": precision, "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "truth_pairs": truth.height, "found_pairs": found.height,
        "per_edit": dict(zip(per_edit["edit"], per_edit["recall"], strict=True)),
        "related_merged": merged, "related": related.height,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--thresholds", default="0.3,0.4,0.5,0.6,0.7,0.8")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--bands", type=int, help="override dedup.bands (with --rows; num_perm = bands x rows)")
    parser.add_argument("--rows", type=int, help="override dedup.rows")
    parser.add_argument("--shingle-size", type=int, help="override dedup.shingle_size")
    args = parser.parse_args()
    settings = load_settings().dedup
    if args.bands and args.rows:
        settings = dataclasses.replace(settings, bands=args.bands, rows=args.rows, num_perm=args.bands * args.rows)
    if args.shingle_size:
        settings = dataclasses.replace(settings, shingle_size=args.shingle_size)
    generated = generate_syndication(args.articles, seed=args.seed)
    articles = generated.articles
    print(
        f"{articles.height} articles in {generated.families} stories; edits: "
        + ", ".join(f"{e} {n}" for e, n in articles.group_by("edit").len().sort("edit").iter_rows())
    )
    print(f"scheme: shingles of {settings.shingle_size} words, {settings.num_perm} permutations, "
          f"{settings.bands} bands x {settings.rows} rows")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp, open_warehouse(Path(tmp) / "eval.duckdb") as con:
        entities, rejects = empty_frames()
        for number, offset in enumerate(range(0, articles.height, BATCH)):
            frame, files = as_batch_frames(articles.slice(offset, BATCH), f"/eval/batch-{number}.jsonl")
            children = {**empty_children(), **syndication_children(frame, settings)}
            load_batch(con, Batch(files, frame, entities, rejects, children), "eval")
        default = None
        print(f"\n{'threshold':>9} {'precision':>9} {'recall':>7} {'f1':>6} {'pairs':>7} {'related merged':>15}  seconds")
        for threshold in (float(t) for t in args.thresholds.split(",")):
            started = time.perf_counter()
            cluster_warehouse(con, dataclasses.replace(settings, threshold=threshold))
            seconds = time.perf_counter() - started
            result = evaluate(articles, con.execute("select article_id, cluster_id from clusters").pl())
            if threshold == settings.threshold:
                default = result
            print(
                f"{threshold:>9.2f} {result['precision']:>9.4f} {result['recall']:>7.4f} {result['f1']:>6.4f} "
                f"{result['found_pairs']:>7} {result['related_merged']:>7}/{result['related']:<7} {seconds:6.2f}"
            )
        if default is None:
            cluster_warehouse(con, settings)
            default = evaluate(articles, con.execute("select article_id, cluster_id from clusters").pl())
    print(f"\nat the configured threshold {settings.threshold}: precision {default['precision']:.4f}, "
          f"recall {default['recall']:.4f} ({default['truth_pairs']} true pairs)")  # fmt: skip
    print("recall per edit (variant clustered with its original):")
    for edit, recall in default["per_edit"].items():
        print(f"  {edit:<18} {recall:.4f}")


if __name__ == "__main__":
    main()
