import hashlib

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from transforms.normalize import normalize_text, split_short_texts
from transforms.schemas import ARTICLE_SCHEMA, RAW_ARTICLE_SCHEMA, REJECT_SCHEMA, conform


def raw(texts: list[str | None], titles: list[str | None] | None = None) -> pl.DataFrame:
    n = len(texts)
    frame = pl.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(n)],
            "source_path": [f"/c/{i}.txt" for i in range(n)],
            "item": [""] * n,
            "text": texts,
            "title": titles or [None] * n,
        },
        schema_overrides={"text": pl.String, "title": pl.String},
    )
    return conform(frame, RAW_ARTICLE_SCHEMA)


def normalized(text: str) -> str:
    return normalize_text(raw([text])).item(0, "text")


def test_output_columns_follow_article_schema():
    out = normalize_text(raw(["Text."]))
    expected = [name for name in ARTICLE_SCHEMA if name != "language_confidence"]
    assert out.columns == expected
    assert all(out.schema[name] == ARTICLE_SCHEMA[name] for name in expected)


def test_whitespace_and_invisibles():
    text = (
        "  Erste\u00a0Zeile\u2009mit\u202fLücken \t und Tren\u00adnung\u200b\ufeff  \r\n"
        "zweite Zeile\r\r\r\n\n  Absatz\u3000zwei  \n\n\n\nDrei "
    )
    assert normalized(text) == "Erste Zeile mit Lücken und Trennung\nzweite Zeile\n\nAbsatz zwei\n\nDrei"


def test_nfc_composes_decomposed_umlauts():
    assert normalized("Mu\u0308nchen und Ko\u0308ln") == "München und Köln"


def test_title_is_normalized_to_one_line():
    out = normalize_text(raw(["Text.", "Text."], [" Gipfel\u00a0in\n Hanoi ", "   "]))
    assert out.get_column("title").to_list() == ["Gipfel in Hanoi", None]


def test_match_text_unifies_quotes_and_keeps_offsets():
    text = "„Wir schaffen das“, sagte sie. « Oui », dit-il. ‚Gut‘ – it’s 6″ 😀 done."
    out = normalize_text(raw([text]))
    assert out.item(0, "text") == text  # the visible text keeps its quote marks
    match = out.item(0, "match_text")
    assert match == '"Wir schaffen das", sagte sie. " Oui ", dit-il. \'Gut\' – it\'s 6" 😀 done.'
    assert len(match) == len(text)
    start = text.index("😀")
    assert match[start] == text[start] == "😀"


def test_hashes_and_counts():
    text = "Ein  Satz\u00a0mit\n\n\nvier Wörtern"
    out = normalize_text(raw([text])).row(0, named=True)
    assert out["text"] == "Ein Satz mit\n\nvier Wörtern"
    assert out["text_raw_hash"] == hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    assert out["text_hash"] == hashlib.blake2b(out["text"].encode(), digest_size=16).hexdigest()
    assert (out["n_chars"], out["n_words"]) == (len(out["text"]), 5)


def test_split_short_texts():
    articles = normalize_text(raw(["Lang genug für den Korpus.", "Kurz.", "   "]))
    kept, rejects = split_short_texts(articles, min_chars=10)
    assert kept.get_column("article_id").to_list() == ["a0"]
    assert kept.columns == articles.columns
    expected = pl.DataFrame(
        {
            "path": ["/c/1.txt", "/c/2.txt"],
            "item": ["", ""],
            "stage": ["normalize", "normalize"],
            "reason": ["text_too_short", "empty"],
            "detail": ["5 chars < min_text_chars 10", "0 chars < min_text_chars 10"],
        },
        schema=REJECT_SCHEMA,
    )
    assert_frame_equal(rejects, expected)


def test_empty_frame():
    out = normalize_text(raw([]))
    assert out.height == 0
    kept, rejects = split_short_texts(out, 10)
    assert (kept.height, rejects.schema) == (0, REJECT_SCHEMA)


_texty = st.text(
    alphabet=st.sampled_from(list("ab Ä\u0308e\u0301\n\r\t\u00a0\u200b\u00ad\u2009\u3000\u2028\u2029\u0085„“«»‚‘’😀."))
    | st.characters(exclude_categories=["Cs"]),  # Polars strings are valid UTF-8
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_texty, min_size=1, max_size=5))
def test_idempotent_and_same_length(texts):
    once = normalize_text(raw(texts))
    twice = normalize_text(once.select(list(RAW_ARTICLE_SCHEMA)))
    assert once.get_column("text").to_list() == twice.get_column("text").to_list()
    assert once.get_column("title").to_list() == twice.get_column("title").to_list()
    for text, match in zip(once.get_column("text"), once.get_column("match_text"), strict=True):
        assert len(match) == len(text)
