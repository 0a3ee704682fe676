"""Properties of the whole pipeline over generated inputs (Hypothesis).

Already covered elsewhere: normalizing is idempotent (tests/test_normalize.py),
quote offsets slice to the quoted text (tests/test_quotes.py), `read_file`
turns any bytes into article(s) or reject(s) (tests/test_readers_properties.py).
Here, on real files, real readers, the real processing step and a real DuckDB
file:

* every input file ends as article(s) or reject(s) after reading *and*
  preparing (normalize, short texts, language), each item as exactly one;
* loading the same batch twice leaves every warehouse table as loading it once.
"""

import json
import tempfile
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsflow.settings import load_settings
from tests.test_readers_properties import OPTIONS, _input
from transforms.discover import discover_files
from transforms.ingest import ledger_rows, read_inputs
from transforms.prepare import prepare_articles

MIN_TEXT_CHARS = 40
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Phrases that make the NLP stage produce rows in every child table: people, places, agencies,
# quotes, summits, key terms.
PHRASES = [
    "Trump", "Kim Jong Un", "Hanoi", "Nordkorea", "Singapur", "Gipfel", "sagte", "der", "und", "–", ".", "\n\n",
    "Hanoi (dpa) –", "Beim Gipfeltreffen in Hanoi trafen sich US-Präsident Donald Trump und Kim Jong Un.",
    "„Wir wollen Frieden“, sagte Trump.", "Kim sagte: „Ich hoffe, dass wir alles erreichen.“",
    "Die Denuklearisierung Nordkoreas blieb das Thema.", "Der Machthaber reiste mit dem Zug nach Vietnam.",
    "(APA, 27.2.2019)", "Moon Jae-in begrüßte das Treffen in Panmunjom.", "Atomwaffen",
]  # fmt: skip
_article_text = st.lists(st.sampled_from(PHRASES), min_size=4, max_size=30).map(" ".join)
# Around the min_text_chars boundary, with what normalization removes (invisibles, spaces).
_edge_text = st.tuples(
    st.text(st.sampled_from("Gipfel Hanoi äöß"), min_size=30, max_size=50),
    st.sampled_from(["", "\u200b" * 5, " \t" * 4, "\u00ad\u200d", "\r\n\r\n"]),
).map(lambda parts: parts[1].join(parts[0].split(" ")))


def _doc(fmt: str, texts: list[str]) -> bytes:
    if fmt == "txt":
        return texts[0].encode()
    if fmt == "json":
        return json.dumps({"title": "Gipfel", "text": texts[0]}, ensure_ascii=False).encode()
    return "\n".join(json.dumps({"text": text}, ensure_ascii=False) for text in texts).encode()  # jsonl


_good_file = st.tuples(
    st.sampled_from(["txt", "json", "jsonl"]), st.lists(_article_text | _edge_text, min_size=1, max_size=3)
).map(lambda pair: (pair[0], _doc(*pair)))
_any_file = _good_file | st.tuples(st.sampled_from(["txt", "html", "json", "jsonl", "zip", "gz"]), _input)


def _write(directory: Path, files: list[tuple[str, bytes]]) -> pl.DataFrame:
    for number, (suffix, data) in enumerate(files):
        (directory / f"f{number:02d}.{suffix}").write_bytes(data)
    return _planned(directory)


def _planned(directory: Path) -> pl.DataFrame:
    """The files of `directory` as the flow plans them on a first run."""
    return discover_files([directory], ["**/*"], []).with_columns(known_hash=pl.lit(None, pl.String))


@SETTINGS
@given(st.lists(_any_file, min_size=1, max_size=6))
def test_every_file_ends_as_articles_or_rejects_after_reading_and_preparing(files):
    with tempfile.TemporaryDirectory() as directory:
        found = _write(Path(directory), files)
        read = read_inputs(found, OPTIONS)
    articles, short = prepare_articles(
        read.articles, min_text_chars=MIN_TEXT_CHARS, languages=["de", "en", "fr"], default_language="de",
        min_confidence=0.5,
    )  # fmt: skip
    rejects = pl.concat([read.rejects, short])
    loaded = articles.select("source_path", "item").rows()
    # preparing keeps or quarantines each article read, once; no item is both an article and a reject
    read_items = read.articles.select("source_path", "item").rows()
    assert sorted(loaded + short.select("path", "item").rows()) == sorted(read_items)
    assert len(set(loaded)) == len(loaded)
    assert set(loaded).isdisjoint(rejects.select("path", "item").rows())
    assert articles["n_chars"].ge(MIN_TEXT_CHARS).all() and articles["language"].is_not_null().all()
    # every file on disk produced something, and the ledger says what
    ledger = ledger_rows(read.files, articles, rejects).filter(pl.col("container").is_null())
    assert sorted(ledger["path"]) == sorted(found["path"])
    for path, status, n_articles, n_rejects, n_skipped in ledger.select(
        "path", "status", "articles", "rejects", "skipped"
    ).iter_rows():
        assert n_articles + n_rejects + n_skipped > 0, path
        expected = (
            ("partial" if n_rejects else "loaded") if n_articles else "rejected" if n_rejects else "skipped"
        )  # skipped: a WARC of records passed over on purpose only
        assert status == expected, path


# -- loading the same batch twice ---------------------------------------------------------

FAST = load_settings(overrides={"language.languages": ["de"], "language.default": "de", "nlp.ner_models_dir": ""})
VOLATILE = {  # now() at load time
    "rejects": {"rejected_at"}, "files": {"first_seen_at", "processed_at"}, "schema_migrations": {"applied_at"},
}  # fmt: skip


def _process(found: pl.DataFrame):
    from flows.build_corpus import process_batch
    from transforms.nlp.kb import load_kb

    read = read_inputs(found, OPTIONS)
    return process_batch(read, FAST, load_kb(FAST.nlp.kb_path), {})


def warehouse_tables(
    db: Path, *, skip_tables: frozenset[str] = frozenset(), skip_columns: frozenset[str] = frozenset()
) -> dict[str, list]:
    """Every table's rows (sorted), without the load-time timestamps (and the tables and columns named)."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [name for (name,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'main' and not temporary order by 1"
        ).fetchall() if name not in skip_tables]  # fmt: skip
        rows = {}
        for table in tables:  # names from the catalog, not from input
            dropped = VOLATILE.get(table, set()) | skip_columns
            columns = [f'"{c}"' for (c,) in con.execute(
                "select column_name from duckdb_columns() where table_name = ? and schema_name = 'main'"
                " order by column_index", [table],
            ).fetchall() if c not in dropped]  # fmt: skip
            rows[table] = con.execute(f"select {', '.join(columns)} from {table} order by all").fetchall()
        return rows


def _load(db: Path, batch, times: int) -> None:
    from warehouse.connection import open_warehouse
    from warehouse.load import load_batch

    for _ in range(times):
        with open_warehouse(db) as con:  # a fresh connection per load, as the flow does
            load_batch(con, batch, "run-1")


@pytest.mark.slow  # a real DuckDB file per load: about 2 s per example
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_any_file, min_size=1, max_size=5), st.lists(_good_file, min_size=1, max_size=4))
def test_loading_a_batch_twice_equals_loading_it_once(noise, good):
    with tempfile.TemporaryDirectory() as directory:
        directory = Path(directory)
        (directory / "in").mkdir()
        files = [*good, *good[:1], *noise]  # a copy of a file: the dedup tables get a cluster
        batch = _process(_write(directory / "in", files))
        once, twice = directory / "once.duckdb", directory / "twice.duckdb"
        _load(once, batch, 1)
        _load(twice, batch, 2)
        expected = warehouse_tables(once)
        assert warehouse_tables(twice) == expected
    assert len(expected["files"]) >= len(files)
    assert len(expected["articles"]) == batch.articles.height


def test_a_batch_with_fewer_words_than_one_shingle_is_processed(tmp_path):
    """Found by the property above: a batch whose articles held fewer than `dedup.shingle_size` words
    in all (one new three-word file in an inbox) crashed the dedup step and failed the run."""
    (tmp_path / "a.txt").write_text("Denuklearisierungsverhandlungen Nordkorea Washington\n", encoding="utf-8")
    batch = _process(_planned(tmp_path))
    assert batch.articles.height == 1 and batch.children["dedup_signatures"].height == 1
