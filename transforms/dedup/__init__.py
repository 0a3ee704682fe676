"""Syndication: exact and near-duplicate articles (MinHash + LSH) and their clusters.

Per batch, `syndication_children` computes what the warehouse keeps for every
article (its signature, its LSH band keys and its agency credits); after all
batches, `warehouse.dedup.cluster_warehouse` matches the band keys of the
whole warehouse in DuckDB and rewrites the clusters. Old texts are never
re-read to match a new article.
"""

import polars as pl

from newsflow.settings import DedupSettings
from transforms.agencies import AgencyList, detect_agency_credits, load_agencies
from transforms.dedup.minhash import MinHashScheme
from transforms.dedup.signatures import article_signatures


def minhash_scheme(settings: DedupSettings) -> MinHashScheme:
    return MinHashScheme(settings.shingle_size, settings.num_perm, settings.bands, settings.rows, settings.seed)


def scheme_key(settings: DedupSettings, agencies: AgencyList) -> str:
    """Stored with every signature: a different key means the signature must be recomputed."""
    return f"{minhash_scheme(settings).key}-a{agencies.digest}"


def syndication_children(articles: pl.DataFrame, settings: DedupSettings) -> dict[str, pl.DataFrame]:
    """Article child tables: dedup_signatures, dedup_bands, article_agencies."""
    agencies = load_agencies(settings.agencies_path)
    signatures, bands = article_signatures(articles, minhash_scheme(settings), agencies)
    return {
        "dedup_signatures": signatures.with_columns(scheme=pl.lit(scheme_key(settings, agencies))),
        "dedup_bands": bands,
        "article_agencies": detect_agency_credits(articles, agencies),
    }
