"""Run the real entity step with the quote/term/summit collector on inline texts."""

from functools import cache

import polars as pl

from newsflow.settings import load_settings
from transforms.coverage import CoverageCollector, coverage_components
from transforms.entities import extract_entities
from transforms.nlp.kb import load_kb
from transforms.nlp.pipelines import build_pipeline
from transforms.normalize import unify_quotes


@cache
def _setup():
    settings = load_settings()
    return settings, load_kb(settings.nlp.kb_path)


def coverage_of(
    text: str, language: str = "de", title: str | None = None, published_at=None
) -> dict[str, pl.DataFrame]:
    settings, kb = _setup()
    articles = pl.DataFrame(
        {
            "article_id": ["seed"],
            "text": [text],
            "language": [language],
            "title": [title],
            "published_at": [published_at],
        },
        schema_overrides={"published_at": pl.Datetime("us", "UTC"), "title": pl.String},
    ).with_columns(match_text=unify_quotes(pl.col("text")))
    coverage = CoverageCollector.for_settings(settings, kb)

    def pipeline(lang):
        choice = settings.nlp.pipelines[lang]
        coverage = coverage_components(settings, kb)  # the flow's pipeline: quotes and terms are components
        return build_pipeline(
            lang, choice.models, choice.fallback, kb, settings.nlp.ner_models_path, coverage, keep=choice.keep
        )[0]

    mentions, _ = extract_entities(articles, pipeline, kb, 8, on_doc=coverage)
    return {"mentions": mentions, **coverage.children(articles, mentions)}
