"""Syndication: exact and near-duplicate articles (MinHash + LSH) and their clusters.

Per batch, `syndication_children` computes what the warehouse keeps for every
article (its signature, its LSH band keys and its agency credits); after all
batches, `warehouse.dedup.cluster_warehouse` matches the band keys of the
whole warehouse in DuckDB and rewrites the clusters. Old texts are never
re-read to match a new article.
"""

import polars as pl

from newsflow.settings import DedupSettings
from transforms.agencies import detect_agency_credits, load_agencies
from transforms.dedup.boilerplate import load_boilerplate
from transforms.dedup.minhash import MinHashScheme
from transforms.dedup.signatures import article_signatures, compared_words


def minhash_scheme(settings: DedupSettings) -> MinHashScheme:
    return MinHashScheme(settings.shingle_size, settings.num_perm, settings.bands, settings.rows, settings.seed)


def scheme_key(settings: DedupSettings) -> str:
    """Stored with every signature: a different key means the signature must be recomputed.

    It names the MinHash parameters and digests of the agency and boilerplate
    lists, which decide the compared text.
    """
    agencies, boilerplate = load_agencies(settings.agencies_path), load_boilerplate(settings.boilerplate_path)
    return f"{minhash_scheme(settings).key}-a{agencies.digest}-n{boilerplate.digest}"


def compared_text_words(text: pl.Expr, settings: DedupSettings) -> pl.Expr:
    """The lower-cased words of `text` that articles are compared on under `settings`."""
    return compared_words(text, load_agencies(settings.agencies_path), load_boilerplate(settings.boilerplate_path))


def syndication_children(articles: pl.DataFrame, settings: DedupSettings) -> dict[str, pl.DataFrame]:
    """Article child tables: dedup_signatures, dedup_bands, article_agencies."""
    agencies, boilerplate = load_agencies(settings.agencies_path), load_boilerplate(settings.boilerplate_path)
    signatures, bands = article_signatures(articles, minhash_scheme(settings), agencies, boilerplate)
    return {
        "dedup_signatures": signatures.with_columns(scheme=pl.lit(scheme_key(settings))),
        "dedup_bands": bands,
        "article_agencies": detect_agency_credits(articles, agencies),
    }
