"""The knowledge base: configs/kb plus CLDR territories and German genitives."""

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.nlp.kb import KnowledgeBaseError, german_genitive, load_kb
from transforms.nlp.ruler import kb_patterns

KB_DIR = Path(__file__).resolve().parents[1] / "configs" / "kb"


@pytest.fixture(scope="module")
def kb():
    return load_kb(KB_DIR)


def _alias_ids(kb, alias: str, lang: str) -> set[str]:
    rows = kb.aliases.filter((pl.col("alias") == alias) & pl.col("lang").is_in([lang, "*"]))
    return set(rows["entity_id"])


def test_entity_ids_are_unique_and_typed(kb):
    assert kb.entities["entity_id"].is_unique().all()
    assert set(kb.entities["type"].unique()) <= {"PER", "LOC", "ORG", "MISC"}
    assert kb.entities["canonical_name"].null_count() == 0


@pytest.mark.parametrize(
    ("entity_id", "name", "qid"),
    [
        ("PER:donald-trump", "Donald Trump", "Q22686"),
        ("PER:kim-jong-un", "Kim Jong Un", "Q56226"),
        ("LOC:KP", "Nordkorea", "Q423"),
        ("LOC:KR", "Südkorea", "Q884"),
        ("LOC:US", "USA", "Q30"),
        ("LOC:VN", "Vietnam", "Q881"),
        ("LOC:hanoi", "Hanoi", "Q1858"),
        ("LOC:pyongyang", "Pjöngjang", "Q18808"),
        ("ORG:un", "Vereinte Nationen", "Q1065"),
        ("PER:xi-jinping", "Xi Jinping", "Q15031"),
    ],
)
def test_key_entities_carry_their_wikidata_ids(kb, entity_id, name, qid):
    row = kb.entities.filter(pl.col("entity_id") == entity_id).row(0, named=True)
    assert (row["canonical_name"], row["wikidata_id"]) == (name, qid)


def test_cldr_territories_fill_names_and_kb_rows_win(kb):
    italy = kb.entities.filter(pl.col("entity_id") == "LOC:IT").row(0, named=True)
    assert (italy["canonical_name"], italy["name_en"], italy["name_fr"], italy["wikidata_id"]) == (
        "Italien",
        "Italy",
        "Italie",
        "Q38",
    )
    peru = kb.entities.filter(pl.col("entity_id") == "LOC:PE").row(0, named=True)
    assert (peru["name_de"], peru["wikidata_id"]) == ("Peru", None)
    assert kb.entities.filter(pl.col("entity_id") == "LOC:US")["name_de"].item() == "USA"


def test_aliases_resolve_across_languages_and_inflections(kb):
    assert _alias_ids(kb, "Nordkoreas", "de") == {"LOC:KP"}
    assert _alias_ids(kb, "Vietnams", "de") == {"LOC:VN"}
    assert _alias_ids(kb, "Corée du Nord", "fr") == {"LOC:KP"}
    assert _alias_ids(kb, "North Korea", "en") == {"LOC:KP"}
    assert _alias_ids(kb, "Frankreichs", "de") == {"LOC:FR"}  # CLDR name + genitive
    assert _alias_ids(kb, "Trumps", "de") == {"PER:donald-trump"}
    assert _alias_ids(kb, "Kim", "de") >= {"PER:kim-jong-un", "PER:kim-yo-jong"}


def test_no_genitive_after_sibilants_or_for_acronyms(kb):
    assert not _alias_ids(kb, "Pariss", "de")
    assert not _alias_ids(kb, "USAs", "de")
    assert not _alias_ids(kb, "Vereinigte Staatens", "de")


@given(st.text(alphabet="abcsxzßNKä", min_size=1, max_size=8))
def test_german_genitive_adds_s_unless_name_ends_in_a_sibilant(name):
    result = pl.select(german_genitive(pl.lit(name))).item()
    assert result == (None if name[-1] in "sxzß" else name + "s")


@pytest.mark.parametrize("lang", ["de", "en", "fr"])
def test_no_alias_names_two_entities_except_surnames(kb, lang):
    view = kb.aliases.filter(pl.col("lang").is_in([lang, "*"]) & (pl.col("kind") != "surname"))
    ambiguous = view.group_by("alias").agg(pl.col("entity_id").n_unique().alias("n")).filter(pl.col("n") > 1)
    assert ambiguous.is_empty(), ambiguous


def test_ruler_patterns_carry_ids_except_for_surnames(kb):
    patterns = {p["pattern"]: p for p in kb_patterns(kb, "de")}
    assert patterns["Nordkoreas"] == {"label": "LOC", "pattern": "Nordkoreas", "id": "LOC:KP"}
    assert patterns["Kim"] == {"label": "PER", "pattern": "Kim"}
    assert patterns["Trump"] == {"label": "PER", "pattern": "Trump"}
    assert "Corée du Nord" not in patterns  # French name, German pipeline


def _write_kb(directory: Path, entity_rows: str = "", alias_rows: str = "") -> Path:
    directory.mkdir(exist_ok=True)
    (directory / "entities.csv").write_text(
        "entity_id,canonical_name,type,wikidata_id,name_de,name_en,name_fr\n" + entity_rows, encoding="utf-8"
    )
    (directory / "aliases.csv").write_text("entity_id,alias,lang,kind\n" + alias_rows, encoding="utf-8")
    (directory / "roles.csv").write_text("role,lang,implies_entity_id\nPräsident,de,\n", encoding="utf-8")
    return directory


def test_a_user_row_extends_the_kb_and_changes_the_version(tmp_path):
    base = load_kb(_write_kb(tmp_path / "a"))
    extended = load_kb(_write_kb(tmp_path / "b", "PER:wolfgang-katzian,Wolfgang Katzian,PER,,,,\n"))
    assert base.version != extended.version
    assert _alias_ids(extended, "Wolfgang Katzians", "de") == {"PER:wolfgang-katzian"}
    assert load_kb(tmp_path / "b").version == extended.version


def test_unknown_alias_target_is_a_clear_error(tmp_path):
    kb_dir = _write_kb(tmp_path / "kb", alias_rows="PER:nobody,Niemand,de,name\n")
    with pytest.raises(KnowledgeBaseError, match="unknown entity ids.*PER:nobody"):
        load_kb(kb_dir)


def test_missing_file_and_bad_type_are_clear_errors(tmp_path):
    with pytest.raises(KnowledgeBaseError, match="missing"):
        load_kb(tmp_path)
    kb_dir = _write_kb(tmp_path / "kb", "X:1,Thing,THING,,,,\n")
    with pytest.raises(KnowledgeBaseError, match="type must be one of"):
        load_kb(kb_dir)
