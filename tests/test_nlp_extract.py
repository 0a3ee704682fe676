"""extract_mentions: offsets, label mapping, sources, sentences, preceding words."""

from pathlib import Path

import polars as pl
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.nlp.extract import ArticleTextMismatchError, extract_mentions
from transforms.nlp.kb import load_kb
from transforms.nlp.pipelines import build_pipeline
from transforms.schemas import MENTION_SCHEMA

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def german():
    return build_pipeline("de", ["embedded"], "fail", load_kb(ROOT / "configs" / "kb"))[0]


def _articles(*texts: str, match_texts: tuple[str, ...] | None = None) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(len(texts))],
            "text": list(texts),
            "match_text": list(match_texts or texts),
        },
        schema={"article_id": pl.String, "text": pl.String, "match_text": pl.String},
    )


def test_offsets_index_text_while_matching_runs_on_match_text(german):
    text = "„Gut“, sagte Trump. Dann reiste Kim Jong Un nach Pjöngjang."
    match_text = '"Gut", sagte Trump. Dann reiste Kim Jong Un nach Pjöngjang.'
    mentions = extract_mentions(german, _articles(text, match_texts=(match_text,)))
    assert mentions.select("text", "start_char", "label", "kb_id", "source", "sentence", "preceding_word").rows() == [
        ("Trump", 13, "PER", None, "kb", 0, "sagte"),
        ("Kim Jong Un", 32, "PER", "PER:kim-jong-un", "kb", 1, "reiste"),
        ("Pjöngjang", 49, "LOC", "LOC:pyongyang", "kb", 1, "nach"),
    ]
    assert mentions.schema == MENTION_SCHEMA


def test_sources_and_null_preceding_word_at_the_start(german):
    mentions = extract_mentions(german, _articles('Wolfgang Katzian traf Merkel.\n\n"Gut", so Katzian.'))
    assert mentions.select("text", "source", "sentence", "preceding_word").rows() == [
        ("Wolfgang Katzian", "rule", 0, None),
        ("Merkel", "kb", 0, "traf"),
        ("Katzian", "rule", 1, "so"),
    ]
    first = extract_mentions(german, _articles("Nordkorea testet Raketen."))
    assert first["preceding_word"].to_list() == [None]


def test_model_labels_are_mapped_and_numeric_ones_dropped():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("span_ruler", config={"annotate_ents": True, "spans_key": None})
    ruler.add_patterns(
        [
            {"label": "GPE", "pattern": "Ohio"},
            {"label": "NORP", "pattern": "Koreans"},
            {"label": "DATE", "pattern": "Monday"},
            {"label": "PERSON", "pattern": "Ann"},
            {"label": "FAC", "pattern": "Bridge"},
        ]
    )
    mentions = extract_mentions(nlp, _articles("Ann met Koreans in Ohio on Monday at the Bridge."))
    assert mentions.select("text", "label", "source", "sentence").rows() == [
        ("Ann", "PER", "model", 0),
        ("Koreans", "MISC", "model", 0),
        ("Ohio", "LOC", "model", 0),
        ("Bridge", "LOC", "model", 0),
    ]


def test_no_articles_give_an_empty_frame_of_the_schema(german):
    empty = extract_mentions(german, _articles())
    assert empty.is_empty() and empty.schema == MENTION_SCHEMA


def test_length_mismatch_is_an_error_not_wrong_offsets(german):
    with pytest.raises(ArticleTextMismatchError, match="a0"):
        extract_mentions(german, _articles("„Kim“", match_texts=('"Kim" ',)))


def test_batches_keep_articles_apart(german):
    texts = [f"Trump traf Kim in Hanoi. Artikel {i}." for i in range(7)]
    mentions = extract_mentions(german, _articles(*texts), batch_size=3)
    assert mentions.group_by("article_id").len().sort("article_id")["len"].to_list() == [3] * 7


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('Nordkea Trump,.\n"-Kim JongUsSpäzß')), max_size=80))
def test_offsets_always_slice_to_the_mention_text(german, text):
    mentions = extract_mentions(german, _articles(text))
    assert [text[s:e] for s, e in mentions.select("start_char", "end_char").iter_rows()] == mentions["text"].to_list()
