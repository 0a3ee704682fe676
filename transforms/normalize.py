"""Unicode and whitespace normalization of article text, and the short-text cut.

`normalize_text` keeps every visible character and the paragraph structure
(one blank line between paragraphs and subheadings); it only unifies
invisible differences: NFC, odd spaces, soft hyphens and zero-width chars,
line endings, runs of blanks. `match_text` additionally maps typographic quote
marks to ASCII one-for-one, so its offsets are the offsets of `text`.
"""

import hashlib

import polars as pl

from transforms.rejects import RejectReason
from transforms.schemas import ARTICLE_SCHEMA, REJECT_SCHEMA, conform

HASH_BYTES = 16  # blake2b-128, as FILE_SCHEMA.content_hash

# Spaces that print as a plain space (NBSP, en/em/thin/narrow spaces, ideographic space).
ODD_SPACES = "[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
# Invisible: soft hyphen, zero-width space/joiners, word joiner, BOM.
INVISIBLES = "[\u00ad\u200b-\u200d\u2060\ufeff]"
DOUBLE_QUOTES = "„“”‟«»″‶〝〞〟＂❝❞⹂"
SINGLE_QUOTES = "‚‘’‛‹›′‵❛❜＇"


def normalize_text(articles: pl.DataFrame) -> pl.DataFrame:
    """RAW_ARTICLE_SCHEMA -> plus text_raw_hash, text_hash, match_text, n_chars, n_words."""
    return (
        articles.with_columns(text_raw_hash=_digest(pl.col("text")))
        .with_columns(
            text=normalized(pl.col("text")),
            title=normalized(pl.col("title")).str.replace_all(r"\n+", " ").replace("", None),
        )
        .with_columns(
            text_hash=_digest(pl.col("text")),
            match_text=unify_quotes(pl.col("text")),
            n_chars=pl.col("text").str.len_chars().cast(pl.Int64),
            n_words=pl.col("text").str.count_matches(r"\S+").cast(pl.Int64),
        )
        .pipe(_with_article_columns)
    )


def normalized(text: pl.Expr) -> pl.Expr:
    """The whitespace/Unicode normalization of one string column (idempotent)."""
    return (
        text.str.replace_all(INVISIBLES, "")
        .str.normalize("NFC")
        .str.replace_all(r"\r\n?|[\u2028\u0085]", "\n")
        .str.replace_all("\u2029", "\n\n")
        .str.replace_all(ODD_SPACES, " ")
        .str.replace_all(r"[ \t\x0b\x0c]+", " ")
        .str.replace_all(r"(?m)^ | $", "")
        .str.replace_all(r"\n{3,}", "\n\n")
        .str.strip_chars()
    )


def unify_quotes(text: pl.Expr) -> pl.Expr:
    """Typographic quotes -> ASCII `"` / `'`, one character for one character."""
    marks = list(DOUBLE_QUOTES) + list(SINGLE_QUOTES)
    ascii_marks = ['"'] * len(DOUBLE_QUOTES) + ["'"] * len(SINGLE_QUOTES)
    return text.str.replace_many(marks, ascii_marks)


def split_short_texts(articles: pl.DataFrame, min_chars: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(kept, rejects): empty texts -> EMPTY, texts under `min_chars` -> TEXT_TOO_SHORT."""
    n_chars = pl.col("text").str.len_chars().fill_null(0)
    reason = (
        pl.when(n_chars == 0)
        .then(pl.lit(RejectReason.EMPTY.value))
        .when(n_chars < min_chars)
        .then(pl.lit(RejectReason.TEXT_TOO_SHORT.value))
    )
    marked = articles.with_columns(_reason=reason, _n_chars=n_chars)
    rejects = marked.filter(pl.col("_reason").is_not_null()).select(
        path=pl.col("source_path"),
        item=pl.col("item"),
        stage=pl.lit("normalize"),
        reason=pl.col("_reason"),
        detail=pl.format("{} chars < min_text_chars {}", pl.col("_n_chars"), pl.lit(min_chars)),
    )
    kept = marked.filter(pl.col("_reason").is_null()).drop("_reason", "_n_chars")
    return kept, conform(rejects, REJECT_SCHEMA)


def _digest(text: pl.Expr) -> pl.Expr:
    """Stable blake2b-128 hex per string (Polars' own hash changes between versions)."""
    return text.map_batches(_blake2b_hex, return_dtype=pl.String, is_elementwise=True)


def _blake2b_hex(strings: pl.Series) -> pl.Series:
    # One Python call per batch; no Polars expression computes a portable digest.
    return pl.Series(
        [
            None
            if value is None
            else hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=HASH_BYTES).hexdigest()
            for value in strings.to_list()
        ],
        dtype=pl.String,
    )


def _with_article_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """ARTICLE_SCHEMA columns first, in schema order; any extra columns after them."""
    known = [name for name in ARTICLE_SCHEMA if name in frame.columns]
    return frame.select(*known, *[name for name in frame.columns if name not in ARTICLE_SCHEMA])
