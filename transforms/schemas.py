"""Polars schemas of the frames that pass between pipeline steps.

Every transform names the schema it returns; `conform` makes an empty or
partial frame match it so that concatenation and the DuckDB load never depend
on what a particular batch happened to contain.
"""

import polars as pl

# One row per discovered input file (the ledger's view of the file system).
FILE_SCHEMA = pl.Schema(
    {
        "path": pl.String,  # absolute, resolved path: the ledger key
        "size": pl.Int64,
        "mtime_ns": pl.Int64,
        "content_hash": pl.String,  # blake2b-128 hex of the raw bytes
    }
)

# Per-field provenance of article metadata: manifest | sidecar | html_meta | feed | warc | record |
# front_matter | extraction | identified | default (null: the field is empty).
PROVENANCE_FIELDS = ("title", "published_at", "outlet", "url", "author", "language", "section")
FIELD_SOURCES_DTYPE = pl.Struct({name: pl.String for name in PROVENANCE_FIELDS})

# One row per article read from a file, before normalization.
RAW_ARTICLE_SCHEMA = pl.Schema(
    {
        "article_id": pl.String,  # stable: hash of source_path + item key
        "source_path": pl.String,  # ledger path of the file it came from
        "item": pl.String,  # position inside the file ("" for a one-article file)
        "title": pl.String,
        "text": pl.String,  # decoded text, paragraphs separated by "\n\n"
        "language": pl.String,  # declared by the source, else null
        "published_at": pl.Datetime("us", "UTC"),
        "outlet": pl.String,
        "url": pl.String,
        "author": pl.String,
        "encoding": pl.String,  # codec the bytes were decoded with
        "format": pl.String,  # txt | md | html | json | jsonl | csv | feed | warc
        "section": pl.String,  # desk/section/category named by the source or metadata
        "fetched_at": pl.Datetime("us", "UTC"),  # crawl time (WARC-Date), not publication time
        "published_at_flag": pl.String,  # null, or why the date is implausible: before_1990 | future
        "field_sources": FIELD_SOURCES_DTYPE,  # where each metadata field came from (transforms/metadata.py)
        "published_precision": pl.String,  # day | time: whether published_at carries a time of day
        "extraction": pl.String,  # HTML: precise | fallback (which extraction produced the text), else null
        "language_declared": pl.String,  # the language the source declared, when one did
    }
)

# After normalization and language identification.
ARTICLE_SCHEMA = pl.Schema(
    {
        **RAW_ARTICLE_SCHEMA,
        "text_raw_hash": pl.String,  # hash of the text before normalization
        "text_hash": pl.String,  # hash of the normalized text
        "match_text": pl.String,  # text with quote marks unified (same length as text)
        "language_confidence": pl.Float64,
        "n_chars": pl.Int64,
        "n_words": pl.Int64,
    }
)

# One row per entity mention found by a spaCy pipeline.
MENTION_SCHEMA = pl.Schema(
    {
        "article_id": pl.String,
        "start_char": pl.Int64,  # offsets index articles.text
        "end_char": pl.Int64,
        "text": pl.String,
        "label": pl.String,  # PER | LOC | ORG | MISC
        "kb_id": pl.String,  # KB entity id set by the ruler, else null
        "source": pl.String,  # which component found it: kb | rule | model
        "sentence": pl.Int64,  # index of the sentence in the article
        "preceding_word": pl.String,  # token before the mention (role words), else null
    }
)

# Mentions after canonicalization.
CANONICAL_MENTION_SCHEMA = pl.Schema(
    {
        **MENTION_SCHEMA,
        "entity_id": pl.String,
        "role": pl.String,  # title/role stripped from the mention (US-Präsident)
    }
)

ENTITY_SCHEMA = pl.Schema(
    {
        "entity_id": pl.String,
        "canonical_name": pl.String,
        "type": pl.String,  # PER | LOC | ORG | MISC
        "wikidata_id": pl.String,
        "source": pl.String,  # kb | derived
        "name_de": pl.String,  # canonical name per language (KB/CLDR, else as written in that language)
        "name_en": pl.String,
        "name_fr": pl.String,
        "kb_version": pl.String,  # KnowledgeBase.version used to resolve it
    }
)

REJECT_SCHEMA = pl.Schema(
    {
        "path": pl.String,
        "item": pl.String,
        "stage": pl.String,  # discover | read | decode | parse | normalize | nlp | load
        "reason": pl.String,  # a RejectReason code
        "detail": pl.String,
    }
)


def conform(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """Select, order and cast columns to `schema`; missing columns become null."""
    if frame.schema == schema:
        return frame
    if not any(name in frame.columns for name in schema):  # literals alone would make one row
        return pl.DataFrame({name: pl.Series(name, [None] * frame.height, dtype) for name, dtype in schema.items()})
    columns = [
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in schema.items()
    ]
    return frame.select(columns)


def empty(schema: pl.Schema) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)
