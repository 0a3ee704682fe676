"""CSV/TSV: one article per row, configurable dialect and column mapping; the GNAD corpus as 1,028 articles."""

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from newsflow.settings import load_settings
from tests.conftest import GNAD_CSV
from transforms.readers import CsvOptions, ReadOptions, read_file
from transforms.rejects import RejectReason

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
GNAD_OPTIONS = ReadOptions(
    csv=CsvOptions(delimiter=";", quote_char="'", has_header=False, column_names=("label", "text"))
)
GNAD_CONFIG = """
[csv]
delimiter = ";"
quote_char = "'"
has_header = false
column_names = ["label", "text"]

[csv.columns]
section = "label"
"""


def read(name: str, options: ReadOptions | None = None):
    path = FIXTURES / name
    return read_file(str(path), path.read_bytes(), options)


def test_header_columns_found_by_name_with_multiline_quoted_text():
    result = read("articles.csv")
    rows = {row["item"]: row for row in result.articles.to_dicts()}
    assert set(rows) == {"R1", "R3"}
    first = rows["R1"]
    assert first["text"] == "Trump und Kim treffen sich in Hanoi.\n\nEs ist ihr zweites Treffen."
    assert (first["title"], first["section"], first["format"]) == ("Gipfel in Hanoi", "Politik", "csv")
    assert first["published_at"] == datetime(2019, 2, 27, tzinfo=UTC)
    assert first["outlet"] is None  # empty cell: nothing (the outlet comes from the URL later, in ingest)
    assert first["field_sources"]["title"] == "record" and first["field_sources"]["outlet"] is None


def test_row_without_text_is_a_reject_of_its_own():
    result = read("articles.csv")
    assert [(r.item, r.reason) for r in result.rejects] == [("R2", RejectReason.NO_TEXT)]


def test_tsv_is_tab_separated_and_maps_headline_body_lang():
    (row,) = read("articles.tsv").articles.to_dicts()
    assert (row["title"], row["language"]) == ("Sommet à Singapour", "fr")
    assert row["text"].startswith("Trump et Kim se sont rencontrés")


def test_configured_columns_win_over_names():
    options = ReadOptions(csv=CsvOptions(columns={"text": "title", "title": "section"}))
    rows = read("articles.csv", options).articles.sort("item").to_dicts()
    assert [(row["text"], row["title"]) for row in rows] == [
        ("Gipfel in Hanoi", "Politik"), ("Ohne Text", "Politik"), ("Alte Meldung", "Archiv"),
    ]  # fmt: skip


def test_no_text_column_is_invalid_csv_with_the_columns_named():
    (reject,) = read_file("/c/x.csv", b"a,b\n1,2\n").rejects
    assert reject.reason is RejectReason.INVALID_CSV and "['a', 'b']" in reject.detail


def test_ragged_rows_are_invalid_csv():
    (reject,) = read_file("/c/x.csv", b"title,text\nA,Ein Text\nB,Noch ein Text,zu viel,Spalten\n").rejects
    assert reject.reason is RejectReason.INVALID_CSV


def test_sniffed_semicolon_delimiter():
    rows = read_file("/c/x.csv", "Titel;text\nA;Ein Text über Hanoi\n".encode("cp1252")).articles.to_dicts()
    assert rows[0]["text"] == "Ein Text über Hanoi" and rows[0]["encoding"] == "latin-1"


def test_read_options_defaults_mirror_the_default_config():
    assert ReadOptions.from_settings(load_settings()) == ReadOptions()


def test_gnad_config_snippet_from_the_readme_gives_the_gnad_options(tmp_path):
    config = tmp_path / "gnad.toml"
    config.write_text(GNAD_CONFIG)
    options = ReadOptions.from_settings(load_settings(config))
    assert dataclasses.replace(options.csv, columns={}) == GNAD_OPTIONS.csv
    assert dict(options.csv.columns) == {"section": "label"}
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    assert GNAD_CONFIG.strip() in readme


@pytest.mark.corpus
def test_gnad_csv_reads_as_1028_articles_with_sections():
    if not GNAD_CSV.exists():
        pytest.skip(f"shared corpus absent: {GNAD_CSV}")
    result = read_file(str(GNAD_CSV), GNAD_CSV.read_bytes(), GNAD_OPTIONS)
    assert result.articles.height == 1028 and result.rejects == []
    assert result.articles.get_column("section").n_unique() == 9
    assert result.articles.get_column("article_id").n_unique() == 1028


@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.usefixtures("prefect_harness")
def test_gnad_csv_loads_1028_articles_through_the_real_flow(tmp_path, db_path):
    if not GNAD_CSV.exists():
        pytest.skip(f"shared corpus absent: {GNAD_CSV}")
    from flows.build_corpus import build_corpus

    config = tmp_path / "gnad.toml"
    config.write_text(GNAD_CONFIG)
    result = build_corpus(paths=[str(GNAD_CSV)], db=str(db_path), config=str(config))
    assert result["articles"] == 1028 and result["rejects"] == 0 and result["files_changed"] == 1
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute("select count(*), count(distinct section) from articles").fetchone() == (1028, 9)
        assert con.execute("select status, articles from files").fetchall() == [("loaded", 1028)]
        sources = con.execute("select distinct field_sources.section, field_sources.language from articles").fetchall()
        assert {section for section, _ in sources} == {"record"}
        assert {language for _, language in sources} <= {"identified", "default"}


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ('[csv]\ndelimiter = ";;"', "csv.delimiter"),
        ("[csv]\nquote_char = \"''\"", "csv.quote_char"),
        ("[csv]\nhas_header = false", "csv.column_names"),
        ("[limits]\nmax_compression_ratio = 0", "limits.max_compression_ratio"),
    ],
)
def test_bad_csv_and_limit_settings_name_the_key(tmp_path, snippet, message):
    from newsflow.errors import ConfigError

    config = tmp_path / "bad.toml"
    config.write_text(snippet)
    with pytest.raises(ConfigError, match=message):
        load_settings(config)


def test_json_field_mapping_from_the_config(tmp_path):
    config = tmp_path / "fields.toml"
    config.write_text('[json_fields]\ntext = ["Inhalt"]\nsection = ["Ressort"]\n')
    options = ReadOptions.from_settings(load_settings(config))
    data = b'{"Inhalt": "Trump und Kim in Hanoi.", "Ressort": "Ausland", "title": "Gipfel"}'
    (row,) = read_file("/c/x.json", data, options).articles.to_dicts()
    assert (row["text"], row["section"], row["title"]) == ("Trump und Kim in Hanoi.", "Ausland", "Gipfel")
    assert read_file("/c/x.json", data).articles.is_empty()  # not a default candidate
