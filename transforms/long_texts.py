"""Texts too long for the NLP stage, cut by one rule (`limits.max_text_chars`).

spaCy refuses texts over its `max_length` (1,000,000 characters, error E088)
and needs memory in proportion to a text's length. An article text over the
limit keeps its head: cut at the last paragraph break before the limit, else
the last sentence end, else the last space, as long as that keeps at least
half of the limit; otherwise exactly at the limit. Each cut is recorded as a
`text_truncated` reject of the article (stage "normalize"), so the article loads
and the loss is counted.
"""

import re

import polars as pl

from transforms.rejects import RejectReason
from transforms.schemas import REJECT_SCHEMA, empty

_BREAKS = (("paragraph", re.compile(r"\n\s*\n")), ("sentence", re.compile(r"[.!?…][\"'“”»«]?\s")), ("word", re.compile(r"\s")))


def cut_text(text: str, max_chars: int) -> tuple[str, str]:
    """(the head of `text` within `max_chars`, the kind of break it was cut at)."""
    head = text[:max_chars]
    for kind, pattern in _BREAKS:
        ends = [m.end() for m in pattern.finditer(head, max_chars // 2)]
        if ends:
            return head[: ends[-1]].rstrip(), kind
    return head, "character"


def cut_long_texts(articles: pl.DataFrame, max_chars: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(articles with every text within `max_chars`, a text_truncated reject per cut article)."""
    too_long = pl.col("text").str.len_chars() > max_chars
    long = articles.filter(too_long.fill_null(False))
    if long.is_empty():
        return articles, empty(REJECT_SCHEMA)
    cuts = [cut_text(text, max_chars) for text in long["text"]]
    heads = pl.Series("text", [head for head, _ in cuts], dtype=pl.String)
    rejects = pl.DataFrame(
        {
            "path": long["source_path"],
            "item": long["item"].fill_null(""),
            "stage": "normalize",
            "reason": str(RejectReason.TEXT_TRUNCATED),
            "detail": [
                f"text cut from {len(text)} to {len(head)} characters at a {kind} break (limits.max_text_chars = {max_chars})"
                for text, (head, kind) in zip(long["text"], cuts)
            ],
        },
        schema=REJECT_SCHEMA,
    )
    replaced = long.with_columns(heads)
    return pl.concat([articles.filter(~too_long.fill_null(False)), replaced]), rejects
