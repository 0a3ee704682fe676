"""newsflow's German statistical NER: training, its place after the KB and rules, the shipped artifact."""

import json
from pathlib import Path

import pytest

from transforms.nlp.conll import GoldSentence, bio_spans, gold_example
from transforms.nlp.kb import load_kb
from transforms.nlp.pipelines import build_pipeline, embedded_pipeline
from transforms.nlp.training import blank_ner, train_ner

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "configs" / "models" / "de_newsflow_ner"

TRAIN = [
    GoldSentence("Der Sprecher Hans Kowalski sagte das .".split(), ["O", "O", "B-PER", "I-PER", "O", "O", "O"], "x"),
    GoldSentence("Die Firma Zuboltex baut in Wuppertal .".split(), ["O", "O", "B-ORG", "O", "O", "B-LOC", "O"], "x"),
    GoldSentence("Nordkorea-Experten reisten nach Hanoi .".split(), ["B-LOCpart", "O", "O", "B-LOC", "O"], "x"),
] * 4


@pytest.fixture(scope="module")
def kb():
    return load_kb(ROOT / "configs" / "kb")


@pytest.fixture(scope="module")
def tiny_model():
    return train_ner(TRAIN, epochs=3)


def test_gold_examples_keep_scored_spans_and_make_deriv_part_outside():
    example = gold_example(blank_ner().vocab, TRAIN[2])
    assert [(e.text, e.label_) for e in example.reference.ents] == [("Hanoi", "LOC")]
    assert example.reference[0].ent_iob_ == "O"  # LOCpart is "no entity" for newsflow
    assert bio_spans(TRAIN[1].tags)[0] == {(2, 3, "ORG"), (5, 6, "LOC")}


def test_trained_model_has_the_newsflow_labels_and_is_deterministic(tiny_model):
    assert set(tiny_model.get_pipe("ner").labels) == {"PER", "LOC", "ORG", "MISC"}
    again = train_ner(TRAIN, epochs=3)
    text = "Der Sprecher Hans Kowalski sagte das ."
    assert [(e.text, e.label_) for e in tiny_model(text).ents] == [(e.text, e.label_) for e in again(text).ents]


def test_model_runs_after_kb_and_rules_and_keeps_their_entities(kb, tiny_model):
    nlp, description = embedded_pipeline("de", kb, tiny_model)
    assert nlp.pipe_names[-3:] == ["ner", "newsflow_de_ne_filter", "newsflow_doc_consistency"]
    assert nlp.pipe_names.index("kb_ruler") < nlp.pipe_names.index("ner")
    assert description.startswith(f"embedded-de+kb:{kb.version}+ner:")
    ents = {(e.text, e.label_, e.ent_id_) for e in nlp("US-Präsident Donald Trump traf Kim Jong Un in Hanoi.").ents}
    assert {("Donald Trump", "PER", "PER:donald-trump"), ("Kim Jong Un", "PER", "PER:kim-jong-un")} <= ents
    assert ("Hanoi", "LOC", "LOC:hanoi") in ents


def test_no_model_directory_means_the_rules_only_pipeline(kb, tmp_path):
    nlp, description = build_pipeline("de", ["embedded"], "fail", kb, tmp_path)
    assert "ner" not in nlp.pipe_names and "+ner:" not in description


def test_shipped_model_is_small_attributed_and_used_by_the_german_default(kb):
    size = sum(p.stat().st_size for p in SHIPPED.rglob("*") if p.is_file())
    assert size < 10_000_000
    meta = json.loads((SHIPPED / "meta.json").read_text(encoding="utf-8"))
    assert meta["license"] == "CC BY 4.0" and "GermEval 2014" in meta["description"]
    nlp, description = build_pipeline("de", ["embedded"], "fail", kb, ROOT / "configs" / "models")
    assert "+ner:de_newsflow_ner-" in description
    # the KB's "Berlin" and "Moon" are dropped inside longer names; the model finds the whole names
    found = {(e.text, e.label_) for e in nlp("Die Passagiere flogen mit Air Berlin nach Wien, sagte Ban Ki Moon.").ents}
    # the whole names (the label of the unknown airline is the model's guess: ORG or PER)
    assert {("Wien", "LOC"), ("Ban Ki Moon", "PER")} <= found and "Air Berlin" in {text for text, _ in found}


@pytest.mark.slow
def test_cross_validation_command_scores_held_out_folds_and_saves_an_attributed_model(tmp_path, capsys):
    from bench.train_de_ner import main

    lines = []
    for sentence in TRAIN:
        lines.append("#\thttp://example.org/news\t[2019-02-27]")
        lines += [f"{i + 1}\t{token}\t{tag}\tO" for i, (token, tag) in enumerate(zip(sentence.tokens, sentence.tags))]
        lines.append("")
    data = tmp_path / "gold.tsv"
    data.write_text("\n".join(lines), encoding="utf-8")
    assert main([str(data), "--folds", "2", "--epochs", "1", "--save", str(tmp_path / "model")]) == 0
    out = capsys.readouterr().out
    assert "fold 2/2: train 6 sentences, test 6" in out
    for variant in ("rules", "model", "combined", "combined-nocities"):
        assert f"\n{variant} — all sentences, mean over 2 folds" in out and f"throughput {variant}:" in out
    meta = json.loads((tmp_path / "model" / "meta.json").read_text(encoding="utf-8"))
    assert meta["name"] == "de_newsflow_ner" and meta["license"] == "CC BY 4.0"
    assert main([str(tmp_path / "missing.tsv")]) == 2
