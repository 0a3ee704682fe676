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

Then the real-data section: the 1,028 real derStandard articles of
gnad10k_test as they are (no public corpus with labelled republications is
available offline; this one, as far as a full search finds, has none) go
through the same path; it prints every pair of articles put into one cluster
(estimated and exact shingle Jaccard, the first words of both) and the most
similar pairs left apart, so a reader can judge them. On real news without
republications every clustered pair is a false positive. With
`--boilerplate-file` naming an empty list it shows what the withdrawn-article
notice of 12 stubs did before configs/boilerplate.txt: it merged four of them,
each a different story.

    .venv/bin/python bench/dedup_eval.py --articles 5000
    .venv/bin/python bench/dedup_eval.py --real-only
"""

import argparse
import dataclasses
import hashlib
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import GNAD_CSV  # noqa: E402
from bench.dedup_corpus import as_batch_frames, empty_children, empty_frames, generate_syndication  # noqa: E402
from newsflow.settings import DedupSettings, load_settings  # noqa: E402
from transforms.dedup import compared_text_words, syndication_children  # noqa: E402
from transforms.dedup.minhash import estimated_jaccard  # noqa: E402
from transforms.dedup.signatures import decode_signatures  # noqa: E402
from warehouse.connection import open_warehouse  # noqa: E402
from warehouse.dedup import cluster_warehouse  # noqa: E402
from warehouse.load import Batch, load_batch  # noqa: E402

BATCH = 1_000
REAL_OUTLET = "derstandard.at"
REAL_PAIR_SCHEMA = pl.Schema(
    {"rows": pl.String, "categories": pl.String, "estimated": pl.Float64, "exact": pl.Float64,
     "left_words": pl.String, "right_words": pl.String}
)  # fmt: skip


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


def load_articles(con, articles: pl.DataFrame, settings: DedupSettings, run: str) -> None:
    """The real path up to clustering: per-batch signatures, bands and credits, then load_batch."""
    entities, rejects = empty_frames()
    for number, offset in enumerate(range(0, articles.height, BATCH)):
        frame, files = as_batch_frames(articles.slice(offset, BATCH), f"/{run}/batch-{number}.jsonl")
        children = {**empty_children(), **syndication_children(frame, settings)}
        load_batch(con, Batch(files, frame, entities, rejects, children), run)


def read_real_corpus(path: Path = GNAD_CSV) -> pl.DataFrame:
    """gnad10k_test as it is: article_id (hash of the text), category, text, outlet; undated, untitled."""
    frame = pl.read_csv(path, separator=";", quote_char="'", has_header=False, new_columns=["category", "text"])
    return frame.with_row_index("row").select(
        article_id=pl.col("text").map_batches(
            lambda texts: pl.Series([hashlib.blake2b(t.encode(), digest_size=8).hexdigest() for t in texts]),
            return_dtype=pl.String,
        ),
        row="row",
        category="category",
        text="text",
        published_at=pl.lit(None, pl.Datetime("us", "UTC")),
        outlet=pl.lit(REAL_OUTLET),
    )


def exact_similarities(words: pl.Series, size: int) -> pl.DataFrame:
    """(left, right, exact): exact Jaccard of the shingle sets of every pair of word lists sharing a shingle."""
    rows = [(doc, " ".join(w[i : i + size])) for doc, w in enumerate(words.to_list()) if w for i in range(max(len(w) - size + 1, 1))]
    shingles = pl.DataFrame(
        rows,
        schema={"doc": pl.Int64, "shingle": pl.String},
        orient="row",
    ).unique()
    sizes = shingles.group_by("doc").agg(n=pl.len())
    shared = (
        shingles.join(shingles, on="shingle", suffix="_right")
        .filter(pl.col("doc") < pl.col("doc_right"))
        .group_by(left="doc", right="doc_right")
        .agg(shared=pl.len())
    )
    return (
        shared.join(sizes.rename({"doc": "left", "n": "n_left"}), on="left")
        .join(sizes.rename({"doc": "right", "n": "n_right"}), on="right")
        .select("left", "right", exact=pl.col("shared") / (pl.col("n_left") + pl.col("n_right") - pl.col("shared")))
    )


def real_pairs(con, articles: pl.DataFrame, settings: DedupSettings, top: int = 10) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(every pair clustered together, the most similar pairs left apart) of a clustered warehouse.

    Each pair: both articles' corpus row and category, estimated Jaccard (from
    the stored signatures), exact Jaccard of the compared words' shingle sets,
    and the first words of both texts. Left apart: the `top` pairs by exact
    and the `top` by estimated similarity, over all pairs.
    """
    stored = con.execute(
        """
        select s.article_id, s.signature, c.cluster_id
        from dedup_signatures s join clusters c using (article_id) order by s.article_id
        """
    ).pl()
    signatures = decode_signatures(stored["signature"].to_arrow(), settings.num_perm)
    estimated = np.vstack([estimated_jaccard(np.broadcast_to(row, signatures.shape), signatures) for row in signatures])
    texts = articles.select("article_id", "row", "category", "text", words=compared_text_words(pl.col("text"), settings))
    texts = stored.select("article_id", "cluster_id").join(texts, on="article_id", how="left", maintain_order="left")
    left, right = np.triu_indices(len(signatures), 1)
    pairs = (
        pl.DataFrame({"left": left, "right": right, "estimated": estimated[left, right]})
        .join(exact_similarities(texts["words"], settings.shingle_size), on=["left", "right"], how="left")
        .with_columns(pl.col("exact").fill_null(0.0))
    )
    clusters = texts["cluster_id"]
    pairs = pairs.with_columns(together=pl.Series(clusters.gather(left) == clusters.gather(right)))
    apart = pairs.filter(~pl.col("together"))
    apart = pl.concat([apart.top_k(top, by="exact"), apart.top_k(top, by="estimated")]).unique(["left", "right"])
    described = []
    for chosen in (pairs.filter("together"), apart):
        rows = []
        for pair in chosen.sort(pl.max_horizontal("estimated", "exact"), descending=True).iter_rows(named=True):
            a, b = sorted((texts.row(pair["left"], named=True), texts.row(pair["right"], named=True)), key=lambda t: t["row"])
            rows.append({
                "rows": f"{a['row']}/{b['row']}", "categories": f"{a['category']}/{b['category']}",
                "estimated": pair["estimated"], "exact": pair["exact"],
                "left_words": " ".join(a["text"].split()[:12]), "right_words": " ".join(b["text"].split()[:12]),
            })  # fmt: skip
        described.append(pl.DataFrame(rows, schema=REAL_PAIR_SCHEMA))
    return described[0], described[1]


def print_pairs(title: str, pairs: pl.DataFrame) -> None:
    print(f"{title}: {pairs.height}")
    for pair in pairs.iter_rows(named=True):
        print(f"  rows {pair['rows']} ({pair['categories']}): estimated {pair['estimated']:.3f}, exact {pair['exact']:.3f}")
        print(f"    {pair['left_words']}")
        print(f"    {pair['right_words']}")


def evaluate_real(settings: DedupSettings) -> None:
    """The real-data section: gnad10k_test as it is, through the real path."""
    if not GNAD_CSV.exists():
        print(f"\nreal data: {GNAD_CSV} is absent, skipped")
        return
    articles = read_real_corpus()
    with tempfile.TemporaryDirectory() as tmp, open_warehouse(Path(tmp) / "real.duckdb") as con:
        started = time.perf_counter()
        load_articles(con, articles, settings, "real")
        outcome = cluster_warehouse(con, settings)
        seconds = time.perf_counter() - started
        together, apart = real_pairs(con, articles, settings)
    print(f"\nreal data: {articles.height} derStandard articles of gnad10k_test, as they are, "
          f"threshold {settings.threshold}, boilerplate list {settings.boilerplate_file!r} ({seconds:.1f} s)")  # fmt: skip
    print(f"{outcome['clusters']} clusters, {outcome['duplicates']} articles put into another's cluster")
    print_pairs("pairs clustered together (each a false positive unless the texts are one story)", together)
    print_pairs("most similar pairs left apart", apart)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--thresholds", default="0.3,0.4,0.5,0.6,0.7,0.8")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--bands", type=int, help="override dedup.bands (with --rows; num_perm = bands x rows)")
    parser.add_argument("--rows", type=int, help="override dedup.rows")
    parser.add_argument("--shingle-size", type=int, help="override dedup.shingle_size")
    parser.add_argument("--boilerplate-file", help="override dedup.boilerplate_file (relative to configs/)")
    parser.add_argument("--real-only", action="store_true", help="only the real-data section")
    args = parser.parse_args()
    settings = load_settings().dedup
    if args.bands and args.rows:
        settings = dataclasses.replace(settings, bands=args.bands, rows=args.rows, num_perm=args.bands * args.rows)
    if args.shingle_size:
        settings = dataclasses.replace(settings, shingle_size=args.shingle_size)
    if args.boilerplate_file is not None:
        settings = dataclasses.replace(settings, boilerplate_file=args.boilerplate_file)
    if args.real_only:
        evaluate_real(settings)
        return
    generated = generate_syndication(args.articles, seed=args.seed)
    articles = generated.articles
    print(
        f"{articles.height} articles in {generated.families} stories; edits: "
        + ", ".join(f"{e} {n}" for e, n in articles.group_by("edit").len().sort("edit").iter_rows())
    )
    print(f"scheme: shingles of {settings.shingle_size} words, {settings.num_perm} permutations, "
          f"{settings.bands} bands x {settings.rows} rows")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp, open_warehouse(Path(tmp) / "eval.duckdb") as con:
        load_articles(con, articles, settings, "eval")
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
    evaluate_real(settings)


if __name__ == "__main__":
    main()
