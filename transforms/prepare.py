"""From raw articles to clean ones: normalize, drop the too-short, identify language."""

from collections.abc import Sequence

import polars as pl

from transforms.language import detect_language
from transforms.normalize import normalize_text, split_short_texts


def prepare_articles(
    raw: pl.DataFrame,
    *,
    min_text_chars: int,
    languages: Sequence[str],
    default_language: str,
    min_confidence: float,
    override_declared_confidence: float = 0.9,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (articles in ARTICLE_SCHEMA, rejects in REJECT_SCHEMA)."""
    normalized = raw.pipe(normalize_text)
    kept, rejects = split_short_texts(normalized, min_text_chars)
    articles = detect_language(kept, languages, default_language, min_confidence, override_declared_confidence)
    return articles, rejects
