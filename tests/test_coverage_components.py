"""Quotes and key-term candidates as spaCy components give the rows the collectors computed before."""

import polars as pl
from polars.testing import assert_frame_equal

from newsflow.settings import load_settings
from tests.conftest import SEED_FILE
from transforms.coverage import CoverageCollector, coverage_components
from transforms.entities import extract_entities
from transforms.nlp.kb import load_kb
from transforms.nlp.pipelines import build_pipeline
from transforms.normalize import unify_quotes


def _coverage(text: str, language: str, with_components: bool) -> tuple[dict[str, pl.DataFrame], list]:
    settings = load_settings()
    kb = load_kb(settings.nlp.kb_path)
    choice = settings.nlp.pipelines[language]
    coverage = coverage_components(settings, kb) if with_components else None
    nlp = build_pipeline(language, choice.models, choice.fallback, kb, settings.nlp.ner_models_path, coverage)[0]
    articles = pl.DataFrame(
        {"article_id": ["seed"], "text": [text], "language": [language], "title": [None], "published_at": [None]},
        schema_overrides={"published_at": pl.Datetime("us", "UTC"), "title": pl.String},
    ).with_columns(match_text=unify_quotes(pl.col("text")))
    collector = CoverageCollector.for_settings(settings, kb)
    seen = []

    def on_doc(lang, doc, article_id, source):
        seen.append((doc._.quotes, doc._.term_candidates, doc._.source_text == source))
        collector(lang, doc, article_id, source)

    mentions, _ = extract_entities(articles, lambda _: nlp, kb, 8, on_doc=on_doc)
    return collector.children(articles, mentions), nlp.pipe_names, seen


def test_the_components_give_the_collectors_rows_on_the_seed_article():
    text = SEED_FILE.read_text(encoding="utf-8").strip()
    before, plain_names, plain_seen = _coverage(text, "de", with_components=False)
    after, names, seen = _coverage(text, "de", with_components=True)
    assert names[-2:] == ["newsflow_quotes", "newsflow_term_candidates"]
    assert "newsflow_quotes" not in plain_names and plain_seen[0][:2] == (None, None)
    quotes, terms, source_kept = seen[0]
    assert source_kept and len(quotes) >= 17 and len(terms) > 50  # the Doc carries them; the collector only adds ids
    assert before["quotes"].height >= 17
    for table in ("quotes", "article_terms", "article_summits"):
        assert_frame_equal(after[table], before[table])


def test_quote_marks_are_read_from_the_source_text_not_the_unified_match_text():
    text = "Trump sagte: „Es war ein großer Erfolg.“ Kim nannte das Treffen »historisch«."
    after, _, seen = _coverage(text, "de", with_components=True)
    before, _, _ = _coverage(text, "de", with_components=False)
    assert_frame_equal(after["quotes"], before["quotes"])
    assert after["quotes"].filter(pl.col("kind") == "direct")["text"].to_list() == ["Es war ein großer Erfolg."]
    assert {q["kind"] for q in seen[0][0]} >= {"direct"}


def test_a_bare_nlp_pipe_finds_the_same_quotes_on_its_own_text():
    settings = load_settings()
    kb = load_kb(settings.nlp.kb_path)
    choice = settings.nlp.pipelines["de"]
    nlp = build_pipeline(
        "de", choice.models, choice.fallback, kb, settings.nlp.ner_models_path, coverage_components(settings, kb)
    )[0]
    text = "„Wir sind bereit“, sagte Kim."
    doc = next(nlp.pipe([text]))
    assert [(q["kind"], q["text"], q["speaker_text"]) for q in doc._.quotes] == [("direct", "Wir sind bereit", "Kim")]
