"""Language identification with lingua, restricted to the configured languages.

A language declared by the source is kept when it is one of the configured
ones (confidence 1.0). Other rows are classified from a prefix of their text in
one parallel lingua batch; a text lingua cannot decide, or decides below
`min_confidence`, gets `default` with the (low) confidence it had.
"""

from collections.abc import Sequence
from functools import lru_cache

import lingua
import polars as pl

PREFIX_CHARS = 600  # a few sentences: stable among the configured languages, bounded cost
DECLARED_CONFIDENCE = 1.0


def detect_language(
    articles: pl.DataFrame, languages: Sequence[str], default: str, min_confidence: float = 0.5
) -> pl.DataFrame:
    """Fill `language` (ISO 639-1) and `language_confidence` for every article."""
    configured = tuple(sorted({code.lower() for code in languages}))
    declared = pl.col("language").str.to_lowercase().str.extract(r"^([a-z]{2})(?:[-_]|$)")
    frame = articles.with_columns(
        language=pl.when(declared.is_in(configured)).then(declared),
        language_confidence=pl.when(declared.is_in(configured)).then(pl.lit(DECLARED_CONFIDENCE)),
    )
    undecided = frame.select(pl.col("language").is_null()).to_series()
    if not undecided.any():
        return frame
    prefixes = frame.filter(undecided).get_column("text").fill_null("").str.slice(0, PREFIX_CHARS)
    codes, confidences = _classify(prefixes.to_list(), configured, default, min_confidence)
    positions = undecided.arg_true()
    return frame.with_columns(
        language=frame.get_column("language").scatter(positions, pl.Series(codes, dtype=pl.String)),
        language_confidence=frame.get_column("language_confidence").scatter(
            positions, pl.Series(confidences, dtype=pl.Float64)
        ),
    )


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
