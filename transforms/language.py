"""Language identification with lingua, restricted to the configured languages.

Every row is classified from a prefix of its text in one parallel lingua
batch. A language declared by the source is kept when it is one of the
configured ones (confidence 1.0), unless the text is confidently another one;
the declared value stays in `language_declared`. A text lingua cannot decide,
or decides below `min_confidence`, gets `default` with the (low) confidence it
had.
"""

from collections.abc import Sequence
from functools import lru_cache

import lingua
import polars as pl

PREFIX_CHARS = 600  # a few sentences: stable among the configured languages, bounded cost
DECLARED_CONFIDENCE = 1.0


def detect_language(
    articles: pl.DataFrame,
    languages: Sequence[str],
    default: str,
    min_confidence: float = 0.5,
    override_declared_confidence: float = 0.9,
) -> pl.DataFrame:
    """Fill `language` (ISO 639-1), `language_confidence` and `language_declared` for every article.

    A declared configured language stands (confidence 1.0) unless the text is
    identified as another configured language with at least
    `override_declared_confidence`: a French article declared `lang="en"` is French.
    """
    configured = tuple(sorted({code.lower() for code in languages}))
    declared = pl.col("language").str.to_lowercase().str.extract(r"^([a-z]{2})(?:[-_]|$)")
    frame = articles.with_columns(
        language_declared=pl.col("language"),
        language=pl.when(declared.is_in(configured)).then(declared),
        language_confidence=pl.when(declared.is_in(configured)).then(pl.lit(DECLARED_CONFIDENCE)),
    )
    if frame.is_empty():
        return frame
    prefixes = frame.get_column("text").fill_null("").str.slice(0, PREFIX_CHARS)
    codes, confidences = _classify(prefixes.to_list(), configured, default, min_confidence)
    identified = frame.with_columns(
        _identified=pl.Series(codes, dtype=pl.String), _confidence=pl.Series(confidences, dtype=pl.Float64)
    )
    kept = pl.col("language").is_not_null() & (
        (pl.col("_identified") == pl.col("language"))
        | (pl.col("_confidence").fill_null(0.0) < override_declared_confidence)
    )
    return identified.with_columns(
        language=pl.when(kept).then(pl.col("language")).otherwise(pl.col("_identified")),
        language_confidence=pl.when(kept).then(pl.col("language_confidence")).otherwise(pl.col("_confidence")),
    ).drop("_identified", "_confidence")


def _classify(
    texts: list[str], configured: tuple[str, ...], default: str, min_confidence: float
) -> tuple[list[str], list[float | None]]:
    if len(configured) < 2:  # nothing to choose between: the one language, unmeasured
        return [configured[0] if configured else default] * len(texts), [None] * len(texts)
    ranked = detector(configured).compute_language_confidence_values_in_parallel(texts)
    codes, confidences = [], []
    for values in ranked:
        best = values[0] if values else None
        confidence = best.value if best is not None else 0.0
        decided = best is not None and confidence > 0.0 and confidence >= min_confidence
        codes.append(best.language.iso_code_639_1.name.lower() if decided else default)
        confidences.append(confidence)
    return codes, confidences


@lru_cache(maxsize=8)
def detector(configured: tuple[str, ...]) -> lingua.LanguageDetector:
    """One lingua detector per language set, built once (model loading is slow)."""
    codes = []
    for code in configured:
        try:
            codes.append(lingua.IsoCode639_1.from_str(code))
        except ValueError:
            detail = f"language {code!r} is not an ISO 639-1 code lingua knows; fix the configured languages"
            raise ValueError(detail) from None
    return lingua.LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()
