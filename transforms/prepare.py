"""From raw articles to clean ones: normalize, drop the too-short, identify language."""

from collections.abc import Sequence

import polars as pl

from transforms.language import detect_language
from transforms.long_texts import cut_long_texts
from transforms.normalize import normalize_text, split_short_texts


def prepare_articles(
    raw: pl.DataFrame,
    *,
    min_text_chars: int,
    languages: Sequence[str],
    default_language: str,
    min_confidence: float,
    override_declared_confidence: float = 0.9,
    max_text_chars: int = 100_000,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (articles in ARTICLE_SCHEMA, rejects in REJECT_SCHEMA); long texts are cut (transforms/long_texts.py)."""
    within, cut = cut_long_texts(raw, max_text_chars)
    normalized = within.pipe(normalize_text)
    kept, rejects = split_short_texts(normalized, min_text_chars)
    articles = detect_language(kept, languages, default_language, min_confidence, override_declared_confidence)
    return articles, pl.concat([cut, rejects])
