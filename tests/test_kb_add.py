"""`newsflow kb add`: validated appends to the KB CSV files."""

import shutil
from pathlib import Path

import polars as pl
import pytest

from newsflow.cli import main
from transforms.nlp.kb import KnowledgeBaseError, load_kb
from transforms.nlp.kb_add import NewEntity, add_entity
from transforms.nlp.pipelines import build_pipeline

KB_DIR = Path(__file__).resolve().parents[1] / "configs" / "kb"


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """A copy of the shipped KB without the (large) cities layer."""
    copy = tmp_path / "kb"
    shutil.copytree(KB_DIR, copy, ignore=shutil.ignore_patterns("cities.csv"))
    return copy


def test_added_person_is_found_with_its_surname_and_wikidata_id(kb_dir):
    added = add_entity(
        kb_dir,
        NewEntity(type="PER", name="Wolfgang Katzian", wikidata_id="Q123456789", aliases=("Katzian", "W. Katzian")),
    )
    assert added.entity_id == "PER:wolfgang-katzian"
    assert added.aliases == [("Katzian", "surname"), ("W. Katzian", "name")]
    kb = load_kb(kb_dir)
    assert kb.version == added.new_version != added.old_version
    row = kb.entities.filter(pl.col("entity_id") == "PER:wolfgang-katzian").row(0, named=True)
    assert (row["canonical_name"], row["type"], row["wikidata_id"]) == ("Wolfgang Katzian", "PER", "Q123456789")
    nlp, _ = build_pipeline("de", ["embedded"], "fail", kb)
    ents = [(e.text, e.ent_id_) for e in nlp("Gewerkschaftschef Wolfgang Katzian kam. Katzians Rede war kurz.").ents]
    assert ents[0] == ("Wolfgang Katzian", "PER:wolfgang-katzian")
    assert ("Katzians", "") in ents  # a surname form: resolved per article by canonicalization


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (NewEntity(type="PER", name="Donald Trump"), "already in the KB"),
        (NewEntity(type="PER", name="Someone Else", wikidata_id="Q22686"), "already belongs to PER:donald-trump"),
        (NewEntity(type="PER", name="Someone Else", wikidata_id="22686"), "malformed"),
        (NewEntity(type="PLACE", name="Somewhere"), "is not one of"),
        (NewEntity(type="LOC", name="  "), "needs a name"),
        (NewEntity(type="LOC", name="Xanadu", alias_lang="xx"), "alias language"),
    ],
)
def test_invalid_entries_are_refused_and_leave_the_files_alone(kb_dir, new, message):
    before = {p.name: p.read_bytes() for p in kb_dir.glob("*.csv")}
    with pytest.raises(KnowledgeBaseError, match=message):
        add_entity(kb_dir, new)
    assert {p.name: p.read_bytes() for p in kb_dir.glob("*.csv")} == before


def test_command_adds_and_reports_and_fails_with_a_fix(kb_dir, capsys):
    argv = ["kb", "add", "--type", "ORG", "--name", "Österreichischer Gewerkschaftsbund", "--alias", "ÖGB"]
    assert main([*argv, "--kb-dir", str(kb_dir)]) == 0
    out = capsys.readouterr().out
    assert "added ORG:österreichischer-gewerkschaftsbund" in out and "ÖGB (name)" in out
    assert "ORG:österreichischer-gewerkschaftsbund,ÖGB,*,name" in (kb_dir / "aliases.csv").read_text(encoding="utf-8")
    assert main([*argv, "--kb-dir", str(kb_dir)]) == 1
    err = capsys.readouterr().err
    assert "[NF202]" in err and "already in the KB" in err and "fix:" in err


def test_hand_edited_csv_is_validated_at_load(kb_dir):
    with (kb_dir / "entities.csv").open("a", encoding="utf-8") as handle:
        handle.write("PER:x-y,X Y,PER,Q12x,,,\n")
    with pytest.raises(KnowledgeBaseError, match="malformed wikidata_id"):
        load_kb(kb_dir)
