"""The embedded German pipeline: tokenizer, sentences, KB ruler, name rules."""

from pathlib import Path

import polars as pl
import pytest
import spacy

from transforms.canonicalize import canonicalize_mentions
from transforms.nlp.extract import extract_mentions
from transforms.nlp.kb import load_kb
from transforms.nlp.pipelines import build_pipeline

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_294f5652016ebd54.txt"


@pytest.fixture(scope="module")
def kb():
    return load_kb(ROOT / "configs" / "kb")


@pytest.fixture(scope="module")
def nlp(kb):
    return build_pipeline("de", ["embedded"], "fail", kb)[0]


def _ents(nlp, text: str) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.ent_id_) for e in nlp(text).ents]


@pytest.fixture(scope="module")
def seed(nlp, kb):
    text = SEED.read_text(encoding="utf-8")
    articles = pl.DataFrame({"article_id": ["seed"], "text": [text], "match_text": [text]})
    mentions = extract_mentions(nlp, articles)
    return text, mentions, *canonicalize_mentions(mentions, kb)


def test_blank_german_tokenizer_keeps_hyphenated_compounds():
    tokens = [t.text for t in spacy.blank("de")("US-Präsident trifft Nordkorea-Experten.")]
    assert tokens == ["US-Präsident", "trifft", "Nordkorea-Experten", "."]


def test_sentences_do_not_split_at_abbreviations_or_dates(nlp):
    doc = nlp("Dr. Meier kam z. B. am 27. Februar nach Wien. Danach sprach er.\n\nNeue Zeile ohne Punkt\n\nEnde.")
    assert [s.text.strip() for s in doc.sents] == [
        "Dr. Meier kam z. B. am 27. Februar nach Wien.",
        "Danach sprach er.",
        "Neue Zeile ohne Punkt",
        "Ende.",
    ]


def test_sentences_keep_closing_quotes_and_lowercase_continuations(nlp):
    doc = nlp('Er sagte: "Das ist gut." Kim nickte. Es waren ca. fünf Leute.')
    assert [s.text for s in doc.sents] == ['Er sagte: "Das ist gut."', "Kim nickte.", "Es waren ca. fünf Leute."]


def test_kb_ruler_finds_inflected_forms_with_kb_ids(nlp):
    assert _ents(nlp, "Die Raketen Nordkoreas beunruhigen die Vereinten Nationen.") == [
        ("Nordkoreas", "LOC", "LOC:KP"),
        ("Vereinten Nationen", "ORG", "ORG:un"),
    ]


def test_compound_with_a_place_is_not_a_mention_of_the_place(nlp):
    assert _ents(nlp, "Nordkorea-Experten und China-Kenner sind skeptisch.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gewerkschaftschef Wolfgang Katzian kritisierte das.", [("Wolfgang Katzian", "PER", "")]),
        ("Das sei falsch, sagte Wolfgang Katzian am Montag.", [("Wolfgang Katzian", "PER", "")]),
        ('"Nein", so Katzian.', [("Katzian", "PER", "")]),
        ("Laut Nachrichtenagentur Antara ist alles ruhig.", [("Antara", "ORG", "")]),
        ("Das US-Verteidigungsministerium schweigt.", [("US-Verteidigungsministerium", "ORG", "")]),
        ("Die Voestalpine AG investiert.", [("Voestalpine AG", "ORG", "")]),
        ("Außenamtssprecherin Hua Chunying erklärte das.", [("Hua Chunying", "PER", "")]),
        ("Damals regierte George W. Bush.", [("George W. Bush", "PER", "")]),
        ("Gestern kam Ursula von Blumenthal.", [("Ursula von Blumenthal", "PER", "")]),
        ("Das sei gut, sagte Europaminister Uwe Döring am Montag.", [("Uwe Döring", "PER", "")]),
        (
            "Das sei gut, sagte Bremens Stürmer Nelson Valdez.",
            [("Bremens", "LOC", "LOC:bremen"), ("Nelson Valdez", "PER", "")],
        ),
    ],
)
def test_name_rules_find_unseen_names(nlp, text, expected):
    assert _ents(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Experten sagten, es gebe keinen Durchbruch.",  # sentence-initial noun + verb
        "Beobachter Erwarten nichts.",
        "Der Präsident Ende Februar war müde.",  # month after a role word
        "Das Außenministerium schweigt.",  # generic ministry, no owner
        "Die Regierung erklärte nichts.",
    ],
)
def test_name_rules_keep_capitalised_german_nouns_out(nlp, text):
    assert _ents(nlp, text) == []


def test_name_rules_never_overwrite_kb_entities(nlp):
    ents = _ents(nlp, "US-Präsident Donald Trump sagte nichts.")
    assert ents == [("Donald Trump", "PER", "PER:donald-trump")]
    doc = nlp("US-Präsident Donald Trump sagte nichts.")
    assert list(doc.spans["rule"]) == []


def test_seed_article_finds_the_summit_entities(seed):
    _, mentions, canonical, _ = seed
    found = set(canonical["entity_id"])
    assert {
        "PER:donald-trump",
        "PER:kim-jong-un",
        "LOC:hanoi",
        "LOC:VN",
        "LOC:KP",
        "LOC:US",
        "LOC:SG",
        "LOC:pyongyang",
        "LOC:CN",
        "LOC:RU",
        "LOC:JP",
        "LOC:KR",
    } <= found
    assert {"Nordkoreas", "Nordkorea", "Vietnams", "Pjöngjang"} <= set(mentions["text"])
    assert mentions.filter(pl.col("text").str.contains("Experten")).is_empty()


def test_seed_offsets_slice_to_the_mention_text(seed):
    text, mentions, _, _ = seed
    assert [text[s:e] for s, e in mentions.select("start_char", "end_char").iter_rows()] == mentions["text"].to_list()


def test_seed_surnames_resolve_to_the_full_people(seed):
    _, _, canonical, entities = seed
    people = canonical.filter(pl.col("text").is_in(["Trump", "Kim"])).select("text", "entity_id").unique()
    assert sorted(people.rows()) == [("Kim", "PER:kim-jong-un"), ("Trump", "PER:donald-trump")]
    wikidata = dict(entities.select("entity_id", "wikidata_id").iter_rows())
    assert (wikidata["PER:donald-trump"], wikidata["PER:kim-jong-un"]) == ("Q22686", "Q56226")


def test_seed_roles_are_recorded(seed):
    _, _, canonical, _ = seed
    roles = canonical.filter(pl.col("role").is_not_null()).select("text", "role").rows()
    assert roles == [
        ("Kim Jong Un", "Machthaber"),
        ("Donald Trump", "US-Präsident"),
        ("Kim", "Vorsitzenden"),
        ("US-Präsident", "US-Präsident"),  # "Der US-Präsident lobte …": the title alone stands for Trump
    ]


def test_seed_entity_counts(seed):
    _, _, canonical, entities = seed
    counts = dict(canonical.group_by("entity_id").len().iter_rows())
    assert counts["PER:kim-jong-un"] == 7
    assert counts["PER:donald-trump"] == 6  # 5 names + "Der US-Präsident"
    assert counts["LOC:KP"] == 4
    assert set(entities["source"]) == {"kb"}


def test_sentences_split_after_a_year_or_before_a_stop_word_but_not_in_ordinals(nlp):
    doc = nlp("Das galt bis 2019. Danach kam er am 1. Mai. Der 2. Weltkrieg und der 1. FC Köln. Seit 2018. Trump kam.")
    assert [s.text for s in doc.sents] == [
        "Das galt bis 2019.",
        "Danach kam er am 1. Mai.",
        "Der 2. Weltkrieg und der 1. FC Köln.",
        "Seit 2018.",
        "Trump kam.",
    ]


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Die Passagiere flogen mit Air Berlin nach Wien.", "Berlin"),
        ("Am Sonntag sprach Ban Ki Moon in New York.", "Moon"),
    ],
)
def test_kb_names_inside_longer_unknown_names_are_dropped(nlp, text, absent):
    assert absent not in [e.text for e in nlp(text).ents]


def test_kb_names_next_to_common_nouns_and_roles_stay(nlp):
    ents = _ents(nlp, "In der Hauptstadt Berlin traf Präsident Moon Jae-in den Einfluss Chinas an.")
    assert ("Berlin", "LOC", "LOC:berlin") in ents and ("Chinas", "LOC", "LOC:CN") in ents
    assert ("Moon Jae-in", "PER", "PER:moon-jae-in") in ents


def test_a_dropped_kb_match_leaves_no_kb_id_on_a_rule_name(nlp):
    # "George" is a GeoNames city (South Africa) only if cities.csv let first names in; never on a person
    assert _ents(nlp, "Damals regierte George W. Bush.") == [("George W. Bush", "PER", "")]


def test_title_only_references_resolve_within_the_article(nlp, kb):
    text = "US-Präsident Donald Trump traf Machthaber Kim Jong Un. Der Machthaber lächelte, der US-Präsident nicht."
    articles = pl.DataFrame({"article_id": ["a"], "text": [text], "match_text": [text]})
    canonical, _ = canonicalize_mentions(extract_mentions(nlp, articles), kb)
    references = canonical.filter(pl.col("source") == "role").select("text", "entity_id").rows()
    assert references == [("Machthaber", "PER:kim-jong-un"), ("US-Präsident", "PER:donald-trump")]


def test_cities_from_geonames_are_places_and_the_kb_wins(kb):
    cities = kb.entities.filter(pl.col("entity_id").str.starts_with("LOC:geonames-"))
    assert cities.height > 3000 and set(cities["type"]) == {"LOC"} and cities["wikidata_id"].is_null().all()
    by_alias = dict(kb.aliases.select("alias", "entity_id").iter_rows())
    assert by_alias["Munich"] == "LOC:munich"  # the KB's München, not a GeoNames row
    assert by_alias["Guangzhou"].startswith("LOC:geonames-")
    assert "Essen" not in by_alias or not by_alias["Essen"].startswith("LOC:geonames-")  # a German word first
