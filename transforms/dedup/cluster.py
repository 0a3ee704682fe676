"""From duplicate pairs to clusters with an original, copies and updates.

A cluster is a connected component of the duplicate pairs (near duplicates
verified on their MinHash signatures, and exact duplicates of the compared
text). Within a cluster:

* the **original** is the earliest published member. Undated members come
  after every dated one; ties (equal or missing dates) go to the smaller
  `article_id`, a stable hash, so the choice never depends on load order and a
  rerun picks the same original. `cluster_id` is the original's article_id.
* a **copy** has the original's compared text word for word (headline, agency
  dateline/trailer, punctuation and case may differ);
* an **update** changed the text; the size of the change is `changed_share`
  (1 - estimated Jaccard similarity of the shingle sets: the share of word
  runs not shared) and `words_delta` (words added, negative when removed).
"""

import numpy as np
import polars as pl

from transforms.dedup.minhash import estimated_jaccard

# The clusters table, one row per article in a cluster of two or more.
CLUSTER_SCHEMA = pl.Schema(
    {
        "cluster_id": pl.String,
        "article_id": pl.String,
        "role": pl.String,  # original | copy | update
        "similarity": pl.Float64,  # estimated Jaccard similarity to the original
        "changed_share": pl.Float64,  # 1 - similarity for updates, 0 for the original and copies
        "words_delta": pl.Int32,  # compared words minus the original's
        "cluster_size": pl.Int32,
    }
)


def connected_components(n_nodes: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Component label (its smallest node) of each node 0..n_nodes-1, by min-label hooking and pointer jumping."""
    parent = np.arange(n_nodes, dtype=np.int64)
    left, right = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    while True:
        root_left, root_right = parent[left], parent[right]
        low, high = np.minimum(root_left, root_right), np.maximum(root_left, root_right)
        differ = low != high
        if not differ.any():
            return parent
        np.minimum.at(parent, high[differ], low[differ])
        while True:  # shortcut every node to its root
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand


def assign_roles(members: pl.DataFrame, pairs: pl.DataFrame, signatures: np.ndarray) -> pl.DataFrame:
    """Clusters of the articles linked by `pairs`.

    Args:
        members: one row per linked article: article_id, published_at, body_hash,
            n_words, and `row`, its index into `signatures`.
        pairs: left_id, right_id of duplicate pairs (both in `members`).
        signatures: MinHash signatures, one row per member.
    Returns CLUSTER_SCHEMA rows.
    """
    if pairs.is_empty():
        return pl.DataFrame(schema=CLUSTER_SCHEMA)
    index = members.select("article_id", "row")
    edges = pairs.join(index.rename({"article_id": "left_id", "row": "left"}), on="left_id").join(
        index.rename({"article_id": "right_id", "row": "right"}), on="right_id"
    )
    labels = connected_components(len(signatures), edges["left"].to_numpy(), edges["right"].to_numpy())
    ordered = (
        members.with_columns(component=pl.Series(labels[members["row"].to_numpy()]))
        .sort(["component", "published_at", "article_id"], nulls_last=True)
        .with_columns(
            original_row=pl.col("row").first().over("component"),
            cluster_id=pl.col("article_id").first().over("component"),
            original_body=pl.col("body_hash").first().over("component"),
            original_words=pl.col("n_words").first().over("component"),
            cluster_size=pl.len().over("component").cast(pl.Int32),
        )
    )
    similarity = estimated_jaccard(
        signatures[ordered["row"].to_numpy()], signatures[ordered["original_row"].to_numpy()]
    )
    is_original = pl.col("article_id") == pl.col("cluster_id")
    is_copy = pl.col("body_hash") == pl.col("original_body")
    return ordered.with_columns(similarity=pl.Series(similarity)).select(
        "cluster_id",
        "article_id",
        role=pl.when(is_original).then(pl.lit("original")).when(is_copy).then(pl.lit("copy")).otherwise(pl.lit("update")),
        similarity=pl.when(is_original | is_copy).then(1.0).otherwise(pl.col("similarity")),
        changed_share=pl.when(is_original | is_copy).then(0.0).otherwise(1.0 - pl.col("similarity")),
        words_delta=(pl.col("n_words") - pl.col("original_words")).cast(pl.Int32),
        cluster_size="cluster_size",
    ).filter(pl.col("cluster_size") > 1)
