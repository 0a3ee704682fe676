"""The quote, key-term and summit step of a batch, riding on the entity step's Docs.

Quotes and candidate terms are found by the pipeline's own components
(`coverage_components` configures them for `build_pipeline`) in the same
single `nlp.pipe` pass as mentions. `CoverageCollector` is passed as `on_doc`
to `extract_entities` and turns each Doc's `doc._.quotes` and
`doc._.term_candidates` into rows; `children` then links speakers to the
canonical mentions and tags summits, giving the article child tables
`quotes`, `article_summits`, `article_terms`.
"""

from functools import lru_cache
from pathlib import Path

import polars as pl
from spacy.tokens import Doc

from newsflow.settings import Settings
from transforms.canonicalize import role_words
from transforms.keyterms import TermCollector
from transforms.nlp.kb import KnowledgeBase
from transforms.nlp.pipelines import CoverageComponents
from transforms.quotes import QuoteCollector, link_speakers
from transforms.summits import SummitCalendar, load_summits, tag_summits


def coverage_components(settings: Settings, kb: KnowledgeBase) -> CoverageComponents:
    """The quote and key-term components of the run's pipelines."""
    roles = tuple(sorted(set(role_words(kb).to_list())))
    return CoverageComponents(settings.quotes.speech_verbs_path, roles, settings.keyterms.max_words)


@lru_cache(maxsize=4)
def summit_calendar(path: Path) -> SummitCalendar:
    return load_summits(path)


class CoverageCollector:
    def __init__(self, quotes: QuoteCollector, terms: TermCollector, calendar: SummitCalendar, min_score: float):
        self.quotes = quotes
        self.terms = terms
        self.calendar = calendar
        self.min_score = min_score

    @classmethod
    def for_settings(cls, settings: Settings, kb: KnowledgeBase) -> "CoverageCollector":
        roles = frozenset(role_words(kb).to_list())
        quotes = QuoteCollector.from_directory(
            settings.quotes.speech_verbs_path, list(settings.language.languages), roles
        )
        terms = TermCollector(settings.keyterms.max_words, quotes.lexicons)
        return cls(quotes, terms, summit_calendar(settings.summits.path), settings.summits.min_score)

    def __call__(self, language: str, doc: Doc, article_id: str, text: str) -> None:
        self.quotes(language, doc, article_id, text)
        self.terms(language, doc, article_id, text)

    def children(self, articles: pl.DataFrame, mentions: pl.DataFrame) -> dict[str, pl.DataFrame]:
        """Article child tables of the batch (see module docstring)."""
        return {
            "quotes": link_speakers(self.quotes.frame(), mentions),
            "article_summits": tag_summits(articles, mentions, self.calendar, self.min_score),
            "article_terms": self.terms.frame(),
        }
