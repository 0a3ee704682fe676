import polars as pl
import pytest

from transforms.language import detect_language, detector
from transforms.normalize import normalize_text
from transforms.schemas import RAW_ARTICLE_SCHEMA, conform

LANGUAGES = ("de", "en", "fr")


def articles(texts: list[str], declared: list[str | None]) -> pl.DataFrame:
    frame = pl.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(len(texts))],
            "source_path": ["/c/x.jsonl"] * len(texts),
            "item": [f"L{i + 1}" for i in range(len(texts))],
            "text": texts,
            "language": declared,
        },
        schema_overrides={"language": pl.String},
    )
    return normalize_text(conform(frame, RAW_ARTICLE_SCHEMA))


def test_detects_german_english_french():
    frame = articles(
        [
            "Bei seinem zweiten Gipfel mit Nordkoreas Machthaber hat der US-Präsident dem Land "
            "einen Aufschwung in Aussicht gestellt.",
            "US President Donald Trump promised North Korea an economic boom at his second summit with Kim Jong Un.",
            "Le président américain a promis à la Corée du Nord un avenir économique formidable "
            "lors du sommet de Hanoï.",
        ],
        [None, None, None],
    )
    out = detect_language(frame, LANGUAGES, default="de")
    assert out.get_column("language").to_list() == ["de", "en", "fr"]
    assert out.get_column("language_confidence").min() > 0.9
    assert out.get_column("article_id").to_list() == ["a0", "a1", "a2"]  # row order kept


def test_declared_language_kept_only_when_configured():
    text = "Le président américain a promis à la Corée du Nord un avenir économique formidable."
    out = detect_language(
        articles([text, text, text], ["fr-FR", "es", "EN"]), LANGUAGES, default="de", override_declared_confidence=1.1
    )
    assert out.get_column("language").to_list() == ["fr", "fr", "en"]  # declared "EN" wins, "es" is re-detected
    confidences = out.get_column("language_confidence").to_list()
    assert confidences[0] == confidences[2] == 1.0
    assert 0.5 < confidences[1] < 1.0


def test_undecidable_text_gets_default_with_its_confidence():
    out = detect_language(articles(["12345 678", "Hanoi"], [None, None]), LANGUAGES, default="en", min_confidence=0.9)
    assert out.get_column("language").to_list() == ["en", "en"]
    assert out.get_column("language_confidence")[0] == 0.0
    assert out.get_column("language_confidence")[1] < 0.9


def test_detector_is_built_once_per_language_set():
    assert detector(LANGUAGES) is detector(("de", "en", "fr"))


def test_unknown_language_code_names_the_code():
    with pytest.raises(ValueError, match="'xx'"):
        detect_language(articles(["Text hier."], [None]), ["de", "xx"], default="de")


def test_confident_text_language_beats_a_wrong_declaration():
    french = (
        "Le président américain a promis à la Corée du Nord un avenir économique formidable lors du sommet "
        "de Hanoï, mais les deux dirigeants se sont quittés sans accord sur le nucléaire."
    )
    out = detect_language(articles([french, french], ["en", "fr"]), LANGUAGES, default="de")
    assert out.get_column("language").to_list() == ["fr", "fr"]
    assert out.get_column("language_declared").to_list() == ["en", "fr"]
    assert out.get_column("language_confidence")[0] > 0.9 and out.get_column("language_confidence")[1] == 1.0


def test_short_or_ambiguous_text_keeps_the_declared_language():
    out = detect_language(articles(["Hanoi, Singapur.", "OK"], ["de", "en"]), LANGUAGES, default="de")
    assert out.get_column("language").to_list() == ["de", "en"]
    assert out.get_column("language_confidence").to_list() == [1.0, 1.0]
