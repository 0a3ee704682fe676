"""Per-article MinHash signature and LSH band keys: what the warehouse keeps to match later articles.

The compared text is the story: the article text without its agency dateline
and trailer (`transforms.agencies.strip_credits`) and without publisher
notices (`transforms.dedup.boilerplate`), lower-cased, as a sequence
of words (`\\w+`, so punctuation and quote styles do not matter). The headline
is not part of it: a copy under a new headline is still a copy.
"""

import numpy as np
import polars as pl
import pyarrow as pa

from transforms.agencies import AgencyList, strip_credits
from transforms.dedup.boilerplate import Boilerplate
from transforms.dedup.minhash import (
    MinHashScheme,
    band_keys,
    minhash_signatures,
    sequence_hash,
    shingle_hashes,
    word_hashes,
)

# dedup_signatures: one row per article.
SIGNATURE_SCHEMA = pl.Schema(
    {
        "article_id": pl.String,
        "scheme": pl.String,  # MinHashScheme.key the signature was computed with
        "n_words": pl.Int32,  # words of the compared text
        "n_shingles": pl.Int32,  # shingles hashed (0: nothing to compare)
        "body_hash": pl.Int64,  # hash of the compared word sequence: equal = a copy
        "signature": pl.Binary,  # num_perm little-endian uint32 minima
    }
)
# dedup_bands: one row per article and band (the LSH index).
BAND_SCHEMA = pl.Schema({"article_id": pl.String, "band": pl.Int16, "band_key": pl.Int64})

DOCS_PER_CHUNK = 2_000  # bounds the memory of one call, whatever the batch size


def compared_words(text: pl.Expr, agencies: AgencyList, boilerplate: Boilerplate) -> pl.Expr:
    """The list of lower-cased words that two articles are compared on."""
    return strip_credits(boilerplate.strip(text), agencies).str.to_lowercase().str.extract_all(r"\w+")


def article_signatures(
    articles: pl.DataFrame, scheme: MinHashScheme, agencies: AgencyList, boilerplate: Boilerplate
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Articles (article_id, text) -> (SIGNATURE_SCHEMA rows, BAND_SCHEMA rows).

    An article without a single word gets a signature row (n_shingles 0) but
    no bands: it can only be an exact duplicate, never a near one.
    """
    signature_parts, band_parts = [], []
    for offset in range(0, articles.height, DOCS_PER_CHUNK):
        signatures, bands = _chunk_signatures(articles.slice(offset, DOCS_PER_CHUNK), scheme, agencies, boilerplate)
        signature_parts.append(signatures)
        band_parts.append(bands)
    if not signature_parts:
        return pl.DataFrame(schema=SIGNATURE_SCHEMA), pl.DataFrame(schema=BAND_SCHEMA)
    return pl.concat(signature_parts), pl.concat(band_parts)


def _chunk_signatures(
    articles: pl.DataFrame, scheme: MinHashScheme, agencies: AgencyList, boilerplate: Boilerplate
) -> tuple[pl.DataFrame, pl.DataFrame]:
    words = articles.select("article_id", words=compared_words(pl.col("text"), agencies, boilerplate).fill_null([]))
    doc_words = words["words"].list.len().to_numpy().astype(np.int64)
    flat = words["words"].list.explode(empty_as_null=False, keep_nulls=False)
    hashes = word_hashes(flat.to_arrow())
    shingles, counts = shingle_hashes(hashes, doc_words, scheme.shingle_size)
    signatures = minhash_signatures(shingles, counts, scheme)
    n = articles.height
    signature_bytes = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(4 * scheme.num_perm), n, [None, pa.py_buffer(signatures.astype("<u4").tobytes())]
    ).cast(pa.binary())
    signature_rows = pl.DataFrame(
        {
            "article_id": words["article_id"],
            "scheme": pl.Series([scheme.key] * n, dtype=pl.String),
            "n_words": pl.Series(doc_words, dtype=pl.Int32),
            "n_shingles": pl.Series(counts, dtype=pl.Int32),
            "body_hash": pl.Series(sequence_hash(hashes, doc_words), dtype=pl.Int64),
            "signature": pl.Series(pl.from_arrow(signature_bytes), dtype=pl.Binary),
        },
        schema=SIGNATURE_SCHEMA,
    )
    indexed = np.flatnonzero(counts)
    keys = band_keys(signatures[indexed], scheme)
    band_rows = pl.DataFrame(
        {
            "article_id": words["article_id"].gather(np.repeat(indexed, scheme.bands)),
            "band": pl.Series(np.tile(np.arange(scheme.bands, dtype=np.int16), len(indexed)), dtype=pl.Int16),
            "band_key": pl.Series(keys.reshape(-1), dtype=pl.Int64),
        },
        schema=BAND_SCHEMA,
    )
    return signature_rows, band_rows


def decode_signatures(blobs: pa.Array, num_perm: int) -> np.ndarray:
    """(rows x num_perm) uint32 from the stored `signature` blobs (all of the same scheme)."""
    blobs = blobs.combine_chunks() if isinstance(blobs, pa.ChunkedArray) else blobs
    fixed = blobs.cast(pa.binary(4 * num_perm))
    data = fixed.buffers()[1]
    rows = np.frombuffer(data, dtype="<u4", count=len(fixed) * num_perm, offset=fixed.offset * 4 * num_perm)
    return rows.reshape(len(fixed), num_perm).astype(np.uint32)
