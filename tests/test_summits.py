"""The summit calendar and article tagging: dates, places, participants, phrases; undated articles."""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from newsflow.settings import load_settings
from transforms.nlp.kb import load_kb
from transforms.summits import SummitConfigError, load_summits, tag_summits

SETTINGS = load_settings()


@pytest.fixture(scope="module")
def calendar():
    kb = load_kb(SETTINGS.nlp.kb_path)
    return load_summits(SETTINGS.summits.path, set(kb.entities["entity_id"].to_list()))


def test_the_calendar_lists_the_trump_kim_and_inter_korean_summits(calendar):
    frame = calendar.frame()
    dates = {r["summit_id"]: (r["start_date"], r["end_date"]) for r in frame.iter_rows(named=True)}
    assert dates["singapore-2018"] == (dt.date(2018, 6, 12), dt.date(2018, 6, 12))
    assert dates["hanoi-2019"] == (dt.date(2019, 2, 27), dt.date(2019, 2, 28))
    assert dates["panmunjom-2019"] == (dt.date(2019, 6, 30), dt.date(2019, 6, 30))
    assert dates["inter-korean-2018-04"][0] == dt.date(2018, 4, 27)
    assert dates["inter-korean-2018-05"][0] == dt.date(2018, 5, 26)
    assert dates["inter-korean-2018-09"] == (dt.date(2018, 9, 18), dt.date(2018, 9, 20))
    hanoi = frame.filter(pl.col("summit_id") == "hanoi-2019").row(0, named=True)
    assert hanoi["participants"] == ["PER:donald-trump", "PER:kim-jong-un"] and "LOC:hanoi" in hanoi["places"]
    assert (frame["coverage_start"] <= frame["start_date"]).all() and (frame["end_date"] <= frame["coverage_end"]).all()


def test_unknown_entity_ids_and_bad_windows_are_refused(tmp_path: Path, calendar):
    text = SETTINGS.summits.path.read_text(encoding="utf-8")
    bad = tmp_path / "summits.toml"
    bad.write_text(text.replace('"LOC:hanoi"', '"LOC:hanoi-typo"'), encoding="utf-8")
    with pytest.raises(SummitConfigError, match="LOC:hanoi-typo"):
        load_summits(bad, set(load_kb(SETTINGS.nlp.kb_path).entities["entity_id"].to_list()))
    bad.write_text(text.replace("coverage_end = 2019-03-14", "coverage_end = 2019-02-01"), encoding="utf-8")
    with pytest.raises(SummitConfigError, match="hanoi-2019"):
        load_summits(bad)


def article(text: str, published: dt.datetime | None = None, title: str | None = None, language: str = "de"):
    return pl.DataFrame(
        {"article_id": ["a"], "title": [title], "text": [text], "language": [language], "published_at": [published]},
        schema_overrides={"published_at": pl.Datetime("us", "UTC"), "title": pl.String},
    )


def mentions(*ids_at: tuple[str, int]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "article_id": ["a"] * len(ids_at),
            "entity_id": [i for i, _ in ids_at],
            "start_char": [at for _, at in ids_at],
        },
        schema={"article_id": pl.String, "entity_id": pl.String, "start_char": pl.Int64},
    )


def test_dated_article_in_the_window_with_places_and_participants(calendar):
    text = "Trump und Kim trafen sich in Singapur."
    tags = tag_summits(
        article(text, dt.datetime(2018, 6, 12, 8, tzinfo=dt.UTC)),
        mentions(("PER:donald-trump", 0), ("PER:kim-jong-un", 10), ("LOC:SG", 29)),
        calendar,
        SETTINGS.summits.min_score,
    )
    assert tags["summit_id"].to_list() == ["singapore-2018"]
    assert tags["evidence"][0].to_list() == ["date:in coverage window", "place:LOC:SG (lead)", "participants:2/2"]
    assert tags["score"][0] == pytest.approx(0.85)


def test_the_date_decides_between_summits_at_the_same_place(calendar):
    text = "Kim Jong Un und Moon Jae-in trafen sich in Panmunjom."
    found = mentions(("PER:kim-jong-un", 0), ("PER:moon-jae-in", 16), ("LOC:panmunjom", 43))
    april = tag_summits(article(text, dt.datetime(2018, 4, 27, tzinfo=dt.UTC)), found, calendar, 0.5)
    may = tag_summits(article(text, dt.datetime(2018, 5, 27, tzinfo=dt.UTC)), found, calendar, 0.5)
    assert april["summit_id"].to_list() == ["inter-korean-2018-04"]
    assert may["summit_id"].to_list() == ["inter-korean-2018-05"]


def test_an_article_published_outside_every_window_is_not_tagged(calendar):
    text = "Trump und Kim trafen sich in Singapur zum ersten Gipfel."
    found = mentions(("PER:donald-trump", 0), ("PER:kim-jong-un", 10), ("LOC:SG", 29))
    assert tag_summits(article(text, dt.datetime(2021, 1, 5, tzinfo=dt.UTC)), found, calendar, 0.5).is_empty()


def test_undated_articles_are_tagged_from_content_and_a_look_back_is_not_a_tag(calendar):
    text = "Beim zweiten Gipfel in Hanoi ging es um Atomwaffen.\n\nDer erste Gipfel in Singapur war kurz."
    found = mentions(("LOC:hanoi", 23), ("LOC:SG", 80), ("PER:donald-trump", 90), ("PER:kim-jong-un", 95))
    tags = tag_summits(article(text), found, calendar, 0.5)
    assert tags["summit_id"].to_list() == ["hanoi-2019"]
    assert "phrase:zweiten Gipfel (lead)" in tags["evidence"][0].to_list()


def test_phrases_are_matched_per_language_and_in_the_title(calendar):
    found = mentions(("PER:donald-trump", 0), ("PER:kim-jong-un", 10))
    english = tag_summits(
        article("Trump and Kim met again.", title="Second summit ends early", language="en"), found, calendar, 0.5
    )
    assert english["summit_id"].to_list() == ["hanoi-2019"]
    german_phrase_in_english = tag_summits(
        article("Trump and Kim: zweiten Gipfel", language="en"), found, calendar, 0.5
    )
    assert german_phrase_in_english.is_empty()


@pytest.mark.parametrize(
    ("title", "text", "found", "language"),
    [
        ("Leaders gather for ASEAN summit in Hanoi", "Leaders of ten nations met in Hanoi on trade.",
         [("LOC:hanoi", 5)], "en"),
        ("ASEAN-Gipfel in Singapur", "Beim Gipfel in Singapur berieten die Staatschefs über Handel.",
         [("LOC:SG", 14)], "de"),
        ("Kim meets Putin at historic summit", "Kim Jong Un and Vladimir Putin met in Vladivostok.",
         [("PER:kim-jong-un", 0), ("PER:vladimir-putin", 16)], "en"),
        ("Trump rally in Singapore", "Donald Trump spoke to supporters in Singapore about the economy.",
         [("PER:donald-trump", 0), ("LOC:SG", 36)], "en"),
        ("Sommet de l'ASEAN à Hanoï", "Le sommet à Hanoï réunit les dirigeants de la région.",
         [("LOC:hanoi", 12)], "fr"),
    ],
)
def test_hard_negatives_another_summit_or_meeting_is_not_tagged(calendar, title, text, found, language):
    frame = article(text, title=title, language=language)
    assert tag_summits(frame, mentions(*found), calendar, SETTINGS.summits.min_score).is_empty()


def test_an_undated_article_with_a_participant_is_still_tagged(calendar):
    text = "Leaders gather for the summit in Hanoi.\n\nDonald Trump arrived on Tuesday."
    found = mentions(("LOC:hanoi", 32), ("PER:donald-trump", 41))
    tags = tag_summits(article(text, language="en"), found, calendar, SETTINGS.summits.min_score)
    assert tags["summit_id"].to_list() == ["hanoi-2019"]
