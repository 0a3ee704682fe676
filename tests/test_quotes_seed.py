"""The seed article's quotes, written down by hand: every full, partial and
indirect quote with its speaker, through the real entity step's single spaCy pass."""

import polars as pl
import pytest

from tests.conftest import SEED_FILE
from tests.quote_support import coverage_of

TRUMP, KIM = "PER:donald-trump", "PER:kim-jong-un"

# (kind, quoted or reported words, speaker as written, speaker entity, cue as written)
SEED_GOLD = [
    ("indirect", "Bedingung bleibe jedoch, dass die Regierung in Pjöngjang atomar abrüstet", "Donald Trump", TRUMP, "bleibe"),
    ("direct", "Ich denke, dass Ihr Land gewaltiges wirtschaftliches Potenzial hat. Unglaublich. Unbegrenzt.", "Trump", TRUMP, "sagte"),
    ("direct", "Ich hoffe, dass wir alles erreichen, was die Leute erwarten.", "Kim", KIM, "entgegnete"),
    ("indirect", 'Er werde "sein Bestes" geben, um große und "von allen begrüßte" Ergebnisse zu erzielen', "Kim", KIM, "sagte"),
    ("partial", "sein Bestes", "Kim", KIM, "sagte"),
    ("partial", "von allen begrüßte", "Kim", KIM, "sagte"),
    ("direct", ("Es ist eine Ehre, mit dem Vorsitzenden Kim zu sein. Es ist eine Ehre, zusammen in Vietnam zu sein, "
     "wo sie wirklich den roten Teppich ausgerollt haben"), "Trump", TRUMP, "sagte"),
    ("partial", "großen Erfolg", "Der US-Präsident", TRUMP, "lobte"),
    ("indirect", 'Er hoffe nun auf nochmaligen Erfolg, "gleich oder größer"', "Er", TRUMP, "hoffe"),
    ("partial", "gleich oder größer", "Er", TRUMP, "hoffe"),
    ("direct", "Wir haben sehr interessante Gespräche geführt.", "Kim", KIM, "sagte"),
    ("partial", "Freund", "Trump", TRUMP, "beschrieben"),
    ("direct", "Unser Verhältnis ist sehr besonders.", "Trump", TRUMP, "lobte"),
    ("direct", ("Kim Jong Un und ich werden sehr hart daran arbeiten, etwas bei der Denuklearisierung zustande zu "
     "bringen und dann Nordkorea zu einem wirtschaftlichen Powerhaus zu machen."), "er", TRUMP, "geschrieben"),
    ("indirect", 'China, Russland, Japan und Südkorea könnten dabei "sehr hilfreich" sein', "Trump", TRUMP, "könnten"),
    ("partial", "sehr hilfreich", "Trump", TRUMP, "könnten"),
    ("indirect", ("die Führung in Pjöngjang ihr Atomarsenal als eine Art Lebensversicherung gegen mögliche Angriffe "
     "oder Umsturzversuche sieht"), "Nordkorea-Experten", None, "verweisen"),
]  # fmt: skip


@pytest.fixture(scope="module")
def seed() -> tuple[str, dict[str, pl.DataFrame]]:
    text = SEED_FILE.read_text(encoding="utf-8").strip()
    return text, coverage_of(text)


def test_every_seed_quote_has_its_kind_text_speaker_and_cue(seed):
    _, found = seed
    rows = [
        (r["kind"], r["text"], r["speaker_text"], r["speaker_entity_id"], r["cue"])
        for r in found["quotes"].sort("start_char", "kind").iter_rows(named=True)
    ]
    assert rows == SEED_GOLD


def test_seed_quote_and_cue_offsets_slice_articles_text(seed):
    text, found = seed
    for row in found["quotes"].iter_rows(named=True):
        assert text[row["start_char"] : row["end_char"]] == row["text"]
        assert text[row["cue_start"] : row["cue_end"]] == row["cue"]


def test_title_and_pronoun_speakers_are_resolved_with_lower_confidence(seed):
    quotes = seed[1]["quotes"]
    by_speaker = dict(quotes.group_by("speaker_text").agg(pl.col("confidence").max()).iter_rows())
    assert by_speaker["Kim"] > by_speaker["Der US-Präsident"] > by_speaker["Er"] > 0.5


def test_the_seed_is_tagged_hanoi_2019_from_its_content_alone(seed):
    _, found = seed
    tags = found["article_summits"]
    assert tags["summit_id"].to_list() == ["hanoi-2019"]
    evidence = tags["evidence"][0].to_list()
    assert "phrase:zweiten Gipfel (lead)" in evidence and "participants:2/2" in evidence
    assert not any(e.startswith("date:") for e in evidence)  # the seed has no date


def test_seed_terms_are_lemmatized_with_compounds(seed):
    _, found = seed
    terms = dict(found["article_terms"].select("term", "count").iter_rows())
    assert terms["Atomwaffe"] == 3  # "Atomwaffen" x3
    assert terms["Nordkorea-Experte"] == 1
    assert terms["Atomkomplex"] == 1  # unknown compound, lemmatized by its head "Komplexes"
    assert "wirtschaftlich Aufschwung" in terms
    assert not {"Trump", "Kim", "Hanoi"} & set(terms)  # entities are not key terms
