"""Entity extraction for a batch of articles: one spaCy pipeline per language."""

from collections.abc import Callable
from functools import partial

import polars as pl
import spacy
from spacy.tokens import Doc

from transforms.canonicalize import canonicalize_mentions
from transforms.nlp.extract import extract_mentions
from transforms.nlp.kb import KnowledgeBase
from transforms.schemas import CANONICAL_MENTION_SCHEMA, ENTITY_SCHEMA, MENTION_SCHEMA, conform, empty


def extract_entities(
    articles: pl.DataFrame,
    pipeline_for: Callable[[str], spacy.Language],
    kb: KnowledgeBase,
    pipe_batch_size: int,
    on_doc: Callable[[str, Doc, str, str], None] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Mentions (CANONICAL_MENTION_SCHEMA) and the entities they refer to (ENTITY_SCHEMA).

    `on_doc(language, doc, article_id, text)` sees every Doc of the single
    `nlp.pipe` pass (the quote step uses it instead of running spaCy again).
    """
    if articles.is_empty():
        return empty(CANONICAL_MENTION_SCHEMA), empty(ENTITY_SCHEMA)
    found = [
        conform(
            extract_mentions(
                pipeline_for(language), group, batch_size=pipe_batch_size,
                on_doc=partial(on_doc, language) if on_doc else None,
            ),
            MENTION_SCHEMA,
        )
        for (language,), group in articles.group_by("language", maintain_order=True)
    ]  # fmt: skip
    return canonicalize_mentions(pl.concat(found), kb)
