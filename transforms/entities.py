"""Entity extraction for a batch of articles: one spaCy pipeline per language."""

from collections.abc import Callable

import polars as pl
import spacy

from transforms.canonicalize import canonicalize_mentions
from transforms.nlp.extract import extract_mentions
from transforms.nlp.kb import KnowledgeBase
from transforms.schemas import CANONICAL_MENTION_SCHEMA, ENTITY_SCHEMA, MENTION_SCHEMA, conform, empty


def extract_entities(
    articles: pl.DataFrame,
    pipeline_for: Callable[[str], spacy.Language],
    kb: KnowledgeBase,
    pipe_batch_size: int,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Mentions (CANONICAL_MENTION_SCHEMA) and the entities they refer to (ENTITY_SCHEMA)."""
    if articles.is_empty():
        return empty(CANONICAL_MENTION_SCHEMA), empty(ENTITY_SCHEMA)
    found = [
        conform(extract_mentions(pipeline_for(language), group, batch_size=pipe_batch_size), MENTION_SCHEMA)
        for (language,), group in articles.group_by("language", maintain_order=True)
    ]
    return canonicalize_mentions(pl.concat(found), kb)
