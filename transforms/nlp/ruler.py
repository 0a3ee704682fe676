"""The KB entity ruler: phrase patterns from KB aliases, with KB ids.

Patterns are the aliases in the pipeline's language plus language-neutral
("*") ones, matched case-sensitively on the token text. An alias of exactly
one entity carries that entity's id (so `ent.ent_id_` is the KB id); a bare surname
("Trump", "Kim") and an alias shared by entities of one type are matched
without an id and resolved per article by `canonicalize_mentions`; an alias shared across types is
not matched at all. Matches are kept in `doc.spans["kb"]` so that extraction
can tell KB entities from model ones.
"""

import polars as pl
from spacy.language import Language

from transforms.nlp.kb import SURNAME_KINDS, KnowledgeBase

KB_SPANS_KEY = "kb"
RULER_NAME = "kb_ruler"
# Alias kinds the ruler matches; adjectives/demonyms ("nordkoreanisch") are
# references to a place, not mentions of it.
RULER_KINDS = ("name", *SURNAME_KINDS, "short", "inflected")


def kb_patterns(kb: KnowledgeBase, lang: str) -> list[dict]:
    """SpanRuler phrase patterns for `lang` (see module docstring)."""
    grouped = (
        kb.aliases.filter(pl.col("lang").is_in([lang, "*"]) & pl.col("kind").is_in(RULER_KINDS))
        .join(kb.entities.select("entity_id", "type"), on="entity_id")
        .group_by("alias")
        .agg(
            ids=pl.col("entity_id").filter(~pl.col("kind").is_in(SURNAME_KINDS)).unique().sort(),
            types=pl.col("type").unique(),
        )
        .filter(pl.col("types").list.len() == 1)
        .sort("alias")
    )
    return [
        {"label": types[0], "pattern": alias, **({"id": ids[0]} if len(ids) == 1 else {})}
        for alias, ids, types in grouped.select("alias", "ids", "types").iter_rows()
    ]


def add_kb_ruler(nlp: Language, kb: KnowledgeBase, annotate_ents: bool = True, **placement: str) -> None:
    """Add the KB SpanRuler to `nlp` (placement: before=/after=/first=).

    Without `annotate_ents` it only records its spans (statistical pipelines merge them after the NER).
    """
    ruler = nlp.add_pipe(
        "span_ruler",
        name=RULER_NAME,
        config={"spans_key": KB_SPANS_KEY, "annotate_ents": annotate_ents, "overwrite": False},
        **placement,
    )
    ruler.add_patterns(kb_patterns(kb, nlp.lang))
