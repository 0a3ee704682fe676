"""Quote spans in every style, cue lists, and attribution patterns in German, English and French."""

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.quote_support import coverage_of
from transforms.quotes.cues import parse_cues
from transforms.quotes.marks import ALL_MARKS, find_quote_spans

TRUMP, KIM, MOON, MACRON = "PER:donald-trump", "PER:kim-jong-un", "PER:moon-jae-in", "PER:emmanuel-macron"


def spans(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_quote_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Er sagte: „Ich komme.“ Dann ging er.", ["Ich komme."]),
        ("Er sagte: „Ich komme.” Dann ging er.", ["Ich komme."]),
        ('He said: "I will." Then he left.', ["I will."]),
        ("He said: “I will.” Then he left.", ["I will."]),
        ("Er sagte: »Ich komme.« Dann", ["Ich komme."]),
        ("Il a dit : « Je viens. » Puis", ["Je viens."]),
        ("Il a dit : «Je viens.» Puis", ["Je viens."]),
        ("Er sagte: ‚Ich komme.‘ Dann", ["Ich komme."]),
        ("He said: 'I will.' Then", ["I will."]),
        ("He said: ‘I will.’ Then", ["I will."]),
        ("Er sagte: ‹Ich komme.› Dann", ["Ich komme."]),
        ("Er sagte: „ Ich komme. “ Dann", ["Ich komme."]),
    ],
)
def test_every_quotation_style_with_and_without_inner_spaces(text, expected):
    assert spans(text) == expected


def test_apostrophes_are_not_quote_marks():
    assert spans("Trump's view, don't worry, l’accord, Trumps' Plan, the '90s") == []
    assert spans("'It's fine,' he said.") == ["It's fine,"]


def test_nested_quotes_stay_inside_the_outer_quote():
    assert spans("„Er sagte: ‚Nein‘, dann ging er“, so Kim.") == ["Er sagte: ‚Nein‘, dann ging er"]
    assert spans("“He called it ‘a deal’ today,” she said.") == ["He called it ‘a deal’ today,"]


def test_a_quote_runs_over_sentences_and_into_the_next_paragraph():
    text = 'He said: "First. Second.\n\n"Third paragraph." Then he left.'
    assert spans(text) == ['First. Second.\n\n"Third paragraph.']
    german = "Er sagte: „Erstens.\n\nZweitens.“ Dann ging er."
    assert spans(german) == ["Erstens.\n\nZweitens."]


def test_an_unclosed_quote_at_a_paragraph_end_is_dropped():
    assert spans('He said: "Unclosed.\n\nNew paragraph without quotes. "Closed." end') == ["Closed."]


@given(st.text(alphabet=st.sampled_from(sorted(ALL_MARKS) + list("ab .,:\n")), max_size=80))
@settings(max_examples=300, deadline=None)
def test_quote_offsets_always_slice_to_the_quoted_text(text):
    previous_end = -1
    for span in find_quote_spans(text):
        assert 0 <= span.open_at < span.start < span.end <= span.close_at < len(text)
        assert text[span.open_at] == span.mark
        assert text[span.start : span.end] == text[span.start : span.end].strip()
        assert span.open_at > previous_end  # top-level spans never overlap
        previous_end = span.close_at


def test_cue_lists_parse_phrases_and_separable_verbs():
    cues = parse_cues(["# comment", "sagte", "according to", "kündigte … an", "teilte ... mit", ""])
    labels = {cue.label for cue in cues}
    assert labels == {"sagte", "according to", "kündigte … an", "teilte … mit"}
    assert cues[0].words == ("according", "to")  # longest first


def attributed(text: str, language: str = "de") -> list[tuple]:
    quotes = coverage_of(text, language)["quotes"].sort("start_char")
    return [(r["kind"], r["text"], r["speaker_entity_id"]) for r in quotes.iter_rows(named=True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # speaker before the quote (inverted and plain), after it, with "so", pronoun after the quote
        ("In Hanoi sagte Trump: „Wir kommen voran.“", [("direct", "Wir kommen voran.", TRUMP)]),
        ("Kim Jong Un erklärte: »Wir sind bereit.«", [("direct", "Wir sind bereit.", KIM)]),
        ("„Wir sind bereit“, sagte Moon Jae-in.", [("direct", "Wir sind bereit", MOON)]),
        ("Trump traf Kim. „Das war gut“, so Trump.", [("direct", "Das war gut", TRUMP)]),
        ("Kim Jong Un kam an. „Das war gut“, sagte er.", [("direct", "Das war gut", KIM)]),
        ("Donald Trump twitterte: „Großartig!“ Der US-Präsident kündigte zudem einen „neuen Anfang“ an.",
         [("direct", "Großartig!", TRUMP), ("partial", "neuen Anfang", TRUMP)]),
    ],
)  # fmt: skip
def test_german_speaker_in_every_position(text, expected):
    assert attributed(text) == expected


def test_speaker_between_two_parts_of_a_quote():
    text = "„Wir sind bereit“, sagte Kim Jong Un, „aber nicht um jeden Preis.“"
    assert attributed(text) == [("direct", "Wir sind bereit", KIM), ("direct", "aber nicht um jeden Preis.", KIM)]


def test_scare_quotes_and_titles_are_not_attributed():
    text = "Der sogenannte „Deal“ blieb aus. Kim Jong Un las das Buch „Die Kunst des Deals“ im Zug."
    assert attributed(text) == []


def test_german_indirect_speech_in_konjunktiv_i():
    text = "Trump sagte: „Es läuft gut.“ Er sei zuversichtlich, dass es ein Abkommen gebe."
    assert attributed(text) == [
        ("direct", "Es läuft gut.", TRUMP),
        ("indirect", "Er sei zuversichtlich, dass es ein Abkommen gebe", TRUMP),
    ]


def test_first_person_present_is_not_konjunktiv():
    assert attributed("Ich hoffe auf gutes Wetter in Hanoi.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"We made progress," Trump said.', [("direct", "We made progress,", TRUMP)]),
        ('"We made progress," said Donald Trump.', [("direct", "We made progress,", TRUMP)]),
        ("Kim Jong Un told reporters: “We are ready.”", [("direct", "We are ready.", KIM)]),
        ('"Great meeting!" Trump said.', [("direct", "Great meeting!", TRUMP)]),
        ("Trump said that the talks had gone well.", [("indirect", "the talks had gone well", TRUMP)]),
        ('Trump arrived. "It went well," he added.', [("direct", "It went well,", TRUMP)]),
        ("Trump called it a 'tremendous' success.", [("partial", "tremendous", TRUMP)]),
    ],
)  # fmt: skip
def test_english_patterns(text, expected):
    assert attributed(text, "en") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("« Nous avons progressé », a déclaré Donald Trump.", [("direct", "Nous avons progressé", TRUMP)]),
        ("Kim Jong-un a affirmé : « Nous sommes prêts. »", [("direct", "Nous sommes prêts.", KIM)]),
        ("Donald Trump est arrivé. « C'est un succès », a-t-il déclaré.", [("direct", "C'est un succès", TRUMP)]),
        ("Donald Trump a déclaré que les discussions avaient été utiles.",
         [("indirect", "les discussions avaient été utiles", TRUMP)]),
    ],
)  # fmt: skip
def test_french_patterns(text, expected):
    assert attributed(text, "fr") == expected


def test_quotes_frame_has_the_warehouse_columns():
    from transforms.quotes import QUOTE_SCHEMA

    quotes = coverage_of("Trump sagte: „Gut.“")["quotes"]
    assert quotes.schema == QUOTE_SCHEMA
    assert quotes["quote_id"].n_unique() == quotes.height
    assert coverage_of("Trump sagte: „Gut.“")["quotes"]["quote_id"].to_list() == quotes["quote_id"].to_list()
    assert isinstance(quotes, pl.DataFrame)


WORDS = ["Trump", "Kim", "sagte", "er", "Er", "werde", "hoffe", "der", "US-Präsident", "lobte", "so", ",", ".", ":",
         "dass", "Gipfel", "\n\n", "„", "“", '"', "»", "«", "'", "‚", "‘", "it's", "said", "that"]  # fmt: skip


@given(st.lists(st.sampled_from(WORDS), max_size=40))
@example(words=["sagte", "dass", "."])  # once produced an indirect quote with no text
@settings(max_examples=150, deadline=None)
def test_every_quote_row_slices_articles_text_at_its_offsets(words):
    from transforms.quotes.attribute import find_quotes
    from transforms.quotes.cues import CueLexicon, parse_cues

    text = " ".join(words)
    nlp = _blank_german()
    lexicon = CueLexicon("de", parse_cues(["sagte", "lobte", "so", "said"]))
    match_text = text.translate(str.maketrans("„“»«‚‘", '""""\'\''))
    for row in find_quotes(nlp(match_text), "a", text, "de", lexicon, frozenset({"us-präsident"})):
        assert text[row["start_char"] : row["end_char"]] == row["text"] and row["text"].strip()
        if row["cue"] is not None:
            assert text[row["cue_start"] : row["cue_end"]] == row["cue"]
        assert row["kind"] in {"direct", "partial", "indirect", "term"}


_NLP = {}


def _blank_german():
    import spacy

    from transforms.nlp import sentences  # noqa: F401  (registers newsflow_sentences)

    if "de" not in _NLP:
        nlp = spacy.blank("de")
        nlp.add_pipe("newsflow_sentences")
        _NLP["de"] = nlp
    return _NLP["de"]


def test_reported_speech_with_the_cue_in_front_in_commas_or_behind():
    rows = coverage_of(
        "Wladimir Putin betonte, Russland wolle vermitteln. Dennoch, warnt Lueftner, seien Sanktionen nötig. "
        "Der Mann sei geborgen worden, berichtete die Polizei. Danach habe sein Team gut gespielt, wie Fink meinte."
    )["quotes"].sort("start_char")
    assert [(r["text"], r["speaker_text"], r["speaker_entity_id"]) for r in rows.iter_rows(named=True)] == [
        ("Russland wolle vermitteln", "Wladimir Putin", "PER:vladimir-putin"),
        ("Dennoch, warnt Lueftner, seien Sanktionen nötig", "Lueftner", None),
        ("Der Mann sei geborgen worden", "die Polizei", None),
        ("Danach habe sein Team gut gespielt", "Fink", None),
    ]
    assert set(rows["kind"]) == {"indirect"}


def test_an_object_after_the_cue_is_not_the_speaker():
    rows = coverage_of("Angela Merkel lobte die Gespräche als „wichtiges Signal“.")["quotes"]
    assert rows.select("kind", "speaker_entity_id").rows() == [("partial", "PER:angela-merkel")]
