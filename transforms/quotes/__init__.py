"""Who said what: quote spans, speech cues, speakers, and their kinds.

Public API: the spaCy component `newsflow_quotes` (`component`: sets
`doc._.quotes` inside `nlp.pipe`), `QuoteCollector` (fed every Doc of the
entity step's single `nlp.pipe` pass, see
`transforms.entities.extract_entities(on_doc=...)`; turns `doc._.quotes` into
rows), `link_speakers` (speaker -> entity through the canonical mentions),
`QUOTE_SCHEMA`. Spans: `marks`; cue lists: `cues`; rules: `attribute`,
`speakers`.
"""

from collections.abc import Mapping
from pathlib import Path

import polars as pl
from spacy.tokens import Doc

from transforms.quotes.attribute import KINDS, attribute_quotes, with_ids
from transforms.quotes.component import QuoteAttribution
from transforms.quotes.cues import CueLexicon, load_cues

__all__ = ["KINDS", "QUOTE_SCHEMA", "QuoteAttribution", "QuoteCollector", "link_speakers", "load_cues"]

# One row per quote (the warehouse table `quotes`); offsets index articles.text.
QUOTE_SCHEMA = pl.Schema(
    {
        "quote_id": pl.String,  # stable: hash of article_id, kind and offsets
        "article_id": pl.String,
        "kind": pl.String,  # direct | partial | indirect | term (quoted words that are not speech)
        "text": pl.String,  # the quoted (or reported) words, marks excluded
        "start_char": pl.Int64,
        "end_char": pl.Int64,
        "cue": pl.String,  # the speech verb or phrase as written ("sagte", "a déclaré"), else null
        "cue_start": pl.Int64,
        "cue_end": pl.Int64,
        "speaker_text": pl.String,  # how the speaker is written here ("Trump", "Der US-Präsident", "Er")
        "speaker_entity_id": pl.String,  # entities.entity_id of the person, when one is resolved
        "confidence": pl.Float64,  # rule confidence of the attribution (0 for terms)
    }
)

# Before linking: the char span of the name mention that identifies the speaker.
QUOTE_CANDIDATE_SCHEMA = pl.Schema(
    {
        **{k: v for k, v in QUOTE_SCHEMA.items() if k != "speaker_entity_id"},
        "speaker_start": pl.Int64,
        "speaker_end": pl.Int64,
    }
)


class QuoteCollector:
    """Collects the quotes of every Doc passed to it (one call per article).

    A Doc from a pipeline with `newsflow_quotes` carries its quotes; any other
    Doc is attributed here, by the same rules.
    """

    def __init__(self, lexicons: Mapping[str, CueLexicon], roles: frozenset[str]):
        self.lexicons = dict(lexicons)
        self.roles = roles
        self.rows: list[dict] = []

    @classmethod
    def from_directory(cls, directory: Path, languages: list[str], roles: frozenset[str]) -> "QuoteCollector":
        return cls({language: load_cues(directory, language) for language in languages}, roles)

    def __call__(self, language: str, doc: Doc, article_id: str, text: str) -> None:
        quotes = doc._.quotes
        if quotes is None:
            lexicon = self.lexicons.get(language) or CueLexicon(language, ())
            quotes = attribute_quotes(doc, text, language, lexicon, self.roles)
        self.rows.extend(with_ids(quotes, article_id))

    def frame(self) -> pl.DataFrame:
        """Speech only: quoted terms (scare quotes, titles) are not quotes and are left out."""
        return pl.DataFrame(self.rows, schema=QUOTE_CANDIDATE_SCHEMA).filter(pl.col("kind") != "term")


def link_speakers(candidates: pl.DataFrame, mentions: pl.DataFrame) -> pl.DataFrame:
    """QUOTE_SCHEMA: `speaker_entity_id` = entity of the canonical mention at the speaker's anchor."""
    anchors = mentions.select(
        "article_id", speaker_start="start_char", speaker_end="end_char", speaker_entity_id="entity_id"
    ).unique(["article_id", "speaker_start", "speaker_end"], keep="first")
    return (
        candidates.join(anchors, on=["article_id", "speaker_start", "speaker_end"], how="left")
        .select(QUOTE_SCHEMA.names())
        .cast(dict(QUOTE_SCHEMA))
    )
