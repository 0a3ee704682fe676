"""canonicalize_mentions on hand-built mention frames."""

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from transforms.canonicalize import canonicalize_mentions, name_key
from transforms.nlp.kb import load_kb
from transforms.schemas import CANONICAL_MENTION_SCHEMA, ENTITY_SCHEMA, MENTION_SCHEMA, empty

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def kb():
    return load_kb(ROOT / "configs" / "kb")


def mentions(*rows: tuple) -> pl.DataFrame:
    """Rows of (article_id, text, label, kb_id, preceding_word); offsets are positions."""
    return pl.DataFrame(
        [
            {
                "article_id": article_id,
                "start_char": 10 * i,
                "end_char": 10 * i + len(text),
                "text": text,
                "label": label,
                "kb_id": kb_id,
                "source": "kb" if kb_id else "model",
                "sentence": i,
                "preceding_word": preceding,
            }
            for i, (article_id, text, label, kb_id, preceding) in enumerate(rows)
        ],
        schema=MENTION_SCHEMA,
    )


def resolved(frame: pl.DataFrame, kb) -> list[tuple]:
    canonical, _ = canonicalize_mentions(frame, kb)
    return canonical.select("text", "entity_id", "role").rows()


def test_kb_ids_win_and_roles_move_to_the_role_column(kb):
    frame = mentions(
        ("a", "Donald Trump", "PER", "PER:donald-trump", "US-Präsident"),
        ("a", "US-Präsident Donald Trump", "PER", None, "Der"),
        ("a", "Machthaber Kim Jong-un", "PER", None, None),
    )
    assert resolved(frame, kb) == [
        ("Donald Trump", "PER:donald-trump", "US-Präsident"),
        ("US-Präsident Donald Trump", "PER:donald-trump", "US-Präsident"),
        ("Machthaber Kim Jong-un", "PER:kim-jong-un", "Machthaber"),
    ]


def test_role_words_only_apply_to_people(kb):
    frame = mentions(("a", "Vietnam", "LOC", None, "Präsident"))
    assert resolved(frame, kb) == [("Vietnam", "LOC:VN", None)]


def test_aliases_resolve_across_languages_and_genitives(kb):
    frame = mentions(
        ("a", "Nordkoreas", "LOC", None, None),
        ("a", "North Korea", "LOC", None, None),
        ("a", "Corée du Nord", "ORG", None, None),  # model type confusion LOC/ORG is fine
        ("a", "Vietnams", "LOC", None, None),
        ("a", "Kim Jong-Un", "PER", None, None),
    )
    assert [r[1] for r in resolved(frame, kb)] == ["LOC:KP", "LOC:KP", "LOC:KP", "LOC:VN", "PER:kim-jong-un"]


def test_a_person_name_never_resolves_to_a_place(kb):
    assert resolved(mentions(("a", "China", "PER", None, None)), kb) == [("China", "PER:china", None)]


def test_surname_resolves_to_the_one_person_of_the_article(kb):
    frame = mentions(
        ("a", "Kim Jong Un", "PER", "PER:kim-jong-un", None),
        ("a", "Kim", "PER", None, "Vorsitzenden"),
        ("a", "Kims", "PER", None, None),
        ("b", "Kim Yo Jong", "PER", "PER:kim-yo-jong", None),
        ("b", "Kim", "PER", None, None),
    )
    assert resolved(frame, kb)[1:] == [
        ("Kim", "PER:kim-jong-un", "Vorsitzenden"),
        ("Kims", "PER:kim-jong-un", None),
        ("Kim Yo Jong", "PER:kim-yo-jong", None),
        ("Kim", "PER:kim-yo-jong", None),
    ]


def test_two_people_with_the_surname_leave_it_unresolved(kb):
    frame = mentions(
        ("a", "Kim Jong Un", "PER", "PER:kim-jong-un", None),
        ("a", "Kim Yo Jong", "PER", "PER:kim-yo-jong", None),
        ("a", "Kim", "PER", None, None),
    )
    assert resolved(frame, kb)[2] == ("Kim", "PER:kim", None)


def test_a_surname_alone_never_resolves_to_a_kb_person_the_article_does_not_name(kb):
    frame = mentions(
        ("b", "Kim", "PER", None, None),
        ("c", "Bolton", "PER", None, None),
        ("d", "Cohen", "PER", None, "comedian"),
        ("e", "Mueller", "PER", None, None),
    )
    assert [r[1] for r in resolved(frame, kb)] == ["PER:kim", "PER:bolton", "PER:cohen", "PER:mueller"]


def test_a_byname_of_the_kb_stands_for_its_person_unless_the_article_names_another(kb):
    frame = mentions(
        ("a", "Trump", "PER", None, None),
        ("b", "Putins", "PER", None, None),
        ("c", "Ivanka Trump", "PER", "PER:ivanka-trump", None),
        ("c", "Trump", "PER", None, None),
        ("d", "Fred Trump", "PER", None, None),
        ("d", "Trump", "PER", None, None),
    )
    assert [r[1] for r in resolved(frame, kb)] == [
        "PER:donald-trump", "PER:vladimir-putin", "PER:ivanka-trump", "PER:ivanka-trump",
        "PER:fred-trump", "PER:fred-trump",
    ]  # fmt: skip


def test_a_title_of_the_article_names_the_person_of_a_surname(kb):
    frame = mentions(
        ("a", "Trump", "PER", None, "US-Präsident"),
        ("b", "der US-Präsident", "PER", None, None),
        ("b", "Trump", "PER", None, "sagte"),
    )
    is_reference = pl.col("text").str.starts_with("der ")
    frame = frame.with_columns(source=pl.when(is_reference).then(pl.lit("role")).otherwise("source"))
    frame = frame.with_columns(text=pl.col("text").str.replace("^der ", ""))
    assert [r[1] for r in resolved(frame, kb)] == ["PER:donald-trump", "PER:donald-trump", "PER:donald-trump"]


def test_a_different_first_name_blocks_the_kb_person(kb):
    frame = mentions(
        ("a", "Robert Mueller", "PER", "PER:robert-mueller", None),
        ("a", "Rick Mueller", "PER", None, None),
        ("a", "Mueller", "PER", None, "Florian"),
        ("b", "Rick Mueller", "PER", None, None),
        ("b", "Mueller", "PER", None, "said"),
    )
    assert [r[1] for r in resolved(frame, kb)] == [
        "PER:robert-mueller",
        "PER:rick-mueller",
        "PER:florian-mueller",
        "PER:rick-mueller",
        "PER:rick-mueller",  # the one Mueller of article b
    ]


def test_a_place_after_a_first_name_is_a_person(kb):
    frame = mentions(("a", "Jackson", "LOC", "LOC:geonames-4431410", "Michael"), ("a", "Jackson", "LOC", None, "in"))
    assert [r[1] for r in resolved(frame, kb)] == ["PER:michael-jackson", "LOC:geonames-4431410"]


def test_ambiguous_or_unknown_kims_stay_unresolved(kb):
    frame = mentions(
        ("a", "Kim Cattrall", "PER", None, "actress"),
        ("a", "Kim", "PER", None, "Lil'"),
        ("b", "Kim Jong Un", "PER", "PER:kim-jong-un", None),
        ("b", "Kim Yo Jong", "PER", "PER:kim-yo-jong", None),
        ("b", "Kim", "PER", None, None),
    )
    assert [r[1] for r in resolved(frame, kb)] == [
        "PER:kim-cattrall", "PER:kim", "PER:kim-jong-un", "PER:kim-yo-jong", "PER:kim"
    ]


def test_the_article_beats_the_kb_for_surnames(kb):
    frame = mentions(("a", "Ivanka Trump", "PER", "PER:ivanka-trump", None), ("a", "Trump", "PER", None, None))
    assert resolved(frame, kb)[1] == ("Trump", "PER:ivanka-trump", None)


def test_unknown_people_get_stable_derived_ids_and_their_surnames_follow(kb):
    frame = mentions(
        ("a", "Wolfgang Katzian", "PER", None, "Gewerkschaftschef"),
        ("a", "Katzian", "PER", None, "Frau"),
        ("a", "Katzians", "PER", None, None),
        ("b", "Katzian", "PER", None, None),
    )
    assert resolved(frame, kb) == [
        ("Wolfgang Katzian", "PER:wolfgang-katzian", "Gewerkschaftschef"),
        ("Katzian", "PER:wolfgang-katzian", "Frau"),
        ("Katzians", "PER:wolfgang-katzian", None),
        ("Katzian", "PER:katzian", None),
    ]


def test_genitive_of_a_mentioned_unknown_place(kb):
    frame = mentions(
        ("a", "Xanadu", "LOC", None, None), ("a", "Xanadus", "LOC", None, None), ("b", "Xanadus", "LOC", None, None)
    )
    assert [r[1] for r in resolved(frame, kb)] == ["LOC:xanadu", "LOC:xanadu", "LOC:xanadus"]


def test_entities_frame_lists_every_referenced_entity(kb):
    frame = mentions(
        ("a", "Kim Jong Un", "PER", "PER:kim-jong-un", None),
        ("a", "Wolfgang Katzian", "PER", None, None),
        ("a", "Katzian", "PER", None, None),
        ("b", "ÖGB-Zentrale", "LOC", None, None),
    )
    _, entities = canonicalize_mentions(frame, kb)
    expected = pl.DataFrame(
        {
            "entity_id": ["LOC:ögb-zentrale", "PER:kim-jong-un", "PER:wolfgang-katzian"],
            "canonical_name": ["ÖGB-Zentrale", "Kim Jong Un", "Wolfgang Katzian"],
            "type": ["LOC", "PER", "PER"],
            "wikidata_id": [None, "Q56226", None],
            "source": ["derived", "kb", "derived"],
            "name_de": [None, "Kim Jong Un", None],
            "name_en": [None, "Kim Jong Un", None],
            "name_fr": [None, "Kim Jong-un", None],
            "kb_version": [kb.version] * 3,
        },
        schema=ENTITY_SCHEMA,
    )
    assert_frame_equal(entities, expected)


def test_output_keeps_rows_order_and_schema(kb):
    frame = mentions(("a", "Hanoi", "LOC", "LOC:hanoi", "in"), ("a", "Trump", "PER", None, "sagte"))
    canonical, _ = canonicalize_mentions(frame, kb)
    expected = frame.with_columns(entity_id=pl.Series(["LOC:hanoi", "PER:donald-trump"]), role=pl.lit(None, pl.String))
    assert_frame_equal(canonical, expected.select(CANONICAL_MENTION_SCHEMA.names()))


def test_canonicalizing_is_deterministic_and_handles_no_mentions(kb):
    frame = mentions(
        ("a", "Kim", "PER", None, None), ("a", "Trumps", "PER", None, None), ("b", "Seoul", "LOC", None, None)
    )
    first, second = canonicalize_mentions(frame, kb), canonicalize_mentions(frame, kb)
    assert_frame_equal(first[0], second[0])
    assert_frame_equal(first[1], second[1])
    canonical, entities = canonicalize_mentions(empty(MENTION_SCHEMA), kb)
    assert canonical.is_empty() and canonical.schema == CANONICAL_MENTION_SCHEMA
    assert entities.is_empty() and entities.schema == ENTITY_SCHEMA


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kim Jong-un", "Kim Jong Un"),
        ("U.S.", "US"),
        ("Workers' Party", "workers party"),
        ("Moon  Jae-in", "moon jae in"),
    ],
)
def test_name_key_ignores_case_dashes_and_punctuation(a, b):
    assert pl.select(name_key(pl.lit(a))).item() == pl.select(name_key(pl.lit(b))).item()
