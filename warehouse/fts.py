"""Full-text search: a BM25 index over article title and text (DuckDB `fts`).

DuckDB's fts index is static: it is a set of tables built from the articles
as they are at build time and does not follow later inserts or deletes. So
"incremental" here means: after a run the index is updated only when the
articles changed -- a digest of every (article_id, text_hash, title) is kept in
`search_index` and compared -- and a run that loaded nothing new costs one
aggregate query. A run that changed a few articles edits the index tables for
those only (warehouse/fts_incremental.py), with the scores of a full rebuild;
the index is rebuilt when the stemmer changed or the articles indexed that way
since the last build grow past a share of all. Either is one transaction, so
readers of the published snapshot always see an index that matches its articles.
"""

import re
import time
import unicodedata
from dataclasses import dataclass

import duckdb
import polars as pl

from newsflow.errors import ConfigError, WarehouseError
from warehouse.extensions import ensure_installed
from warehouse.filters import check_filter_values
from warehouse.fts_incremental import apply_changes, changed_articles, needs_rebuild, record_indexed_docs
from warehouse.named_queries import relation_exists, run_named
from warehouse.search_query import fold, parse_search_query
from warehouse.transaction import transaction

INDEX_TABLE = "articles"
POSTINGS = f"fts_main_{INDEX_TABLE}.terms"  # (docid, fieldid, termid) rows of the fts index
STEMMERS = (
    "arabic", "basque", "catalan", "danish", "dutch", "english", "finnish", "french", "german", "greek", "hindi",
    "hungarian", "indonesian", "irish", "italian", "lithuanian", "nepali", "norwegian", "porter", "portuguese",
    "romanian", "russian", "serbian", "spanish", "swedish", "tamil", "turkish", "none",
)  # fmt: skip

_FINGERPRINT = """
    select count(*), cast(coalesce(bit_xor(hash(article_id, text_hash, coalesce(title, ''))), 0) as varchar)
    from articles
"""


@dataclass(frozen=True)
class IndexOutcome:
    rebuilt: bool  # the index changed (built from scratch or updated)
    articles: int
    seconds: float
    incremental: bool = False  # updated for the changed articles only


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    ensure_installed("fts")
    con.execute("load fts")


def articles_fingerprint(con: duckdb.DuckDBPyConnection) -> tuple[int, str]:
    count, digest = con.execute(_FINGERPRINT).fetchone()
    return count, digest


def index_exists(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_functions() where schema_name = ? and function_name = 'match_bm25'",
            [f"fts_main_{INDEX_TABLE}"],
        ).fetchone()[0]
    )


def index_is_current(con: duckdb.DuckDBPyConnection, stemmer: str) -> bool:
    row = con.execute(
        "select articles, fingerprint, stemmer from search_index where index_name = ?", [INDEX_TABLE]
    ).fetchone()
    return row is not None and index_exists(con) and (row[0], row[1]) == articles_fingerprint(con) and row[2] == stemmer


def ensure_search_index(
    con: duckdb.DuckDBPyConnection, stemmer: str, run_id: str | None = None, force: bool = False
) -> IndexOutcome:
    """Update the index when the articles changed since it was built: for the changed articles only,
    or from scratch when the stemmer changed, `force` is set or too many articles were appended since."""
    if stemmer not in STEMMERS:
        raise ConfigError(f"search.stemmer = {stemmer!r} is not a DuckDB fts stemmer", fix=f"use one of {', '.join(STEMMERS)}")
    load_fts(con)
    count, digest = articles_fingerprint(con)
    if not force and index_is_current(con, stemmer):
        return IndexOutcome(False, count, 0.0)
    started = time.perf_counter()
    with transaction(con):
        same_stemmer = index_exists(con) and _recorded_stemmer(con) == stemmer
        change = changed_articles(con) if same_stemmer and not force else None
        incremental = not needs_rebuild(change, _indexed_count(con) if change else 0)
        if incremental:
            apply_changes(con, stemmer)
        else:
            _build(con, stemmer)
        seconds = time.perf_counter() - started
        con.execute(
            """
            insert or replace into search_index (index_name, articles, fingerprint, stemmer, built_at, build_seconds, run_id)
            values (?, ?, ?, ?, now(), ?, ?)
            """,
            [INDEX_TABLE, count, digest, stemmer, seconds, run_id],
        )
    return IndexOutcome(True, count, time.perf_counter() - started, incremental)


def _build(con: duckdb.DuckDBPyConnection, stemmer: str) -> None:
    # stemmer comes from the fixed STEMMERS list above, never from free input
    con.execute(
        f"pragma create_fts_index('{INDEX_TABLE}', 'article_id', 'title', 'text', "
        f"stemmer = '{stemmer}', strip_accents = 1, lower = 1, overwrite = 1)"
    )
    # The postings in term order: a query reads the row groups of its few terms (zone maps), not
    # all of them (100,000 articles: 20 M postings; 'Kim Jong Un Atomwaffen' 770 -> 60 ms).
    con.execute(f"create or replace table {POSTINGS} as select * from {POSTINGS} order by termid, docid")
    record_indexed_docs(con)


def _recorded_stemmer(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("select stemmer from search_index where index_name = ?", [INDEX_TABLE]).fetchone()
    return row[0] if row else None


def _indexed_count(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute(f"select count(*) from fts_main_{INDEX_TABLE}.docs").fetchone()[0]


def search_articles(
    con: duckdb.DuckDBPyConnection,
    query: str,
    *,
    language: str | None = None,
    summit: str | None = None,
    outlet: str | None = None,
    limit: int = 10,
    stemmer: str = "german",
    snippet_chars: int = 160,
    mark: tuple[str, str] = ("**", "**"),
) -> pl.DataFrame:
    """Ranked articles (score, article_id, title, outlet, language, published_date, snippet)."""
    load_fts(con)
    if not index_exists(con):
        raise WarehouseError(
            "the warehouse has no full-text index yet", fix="run `newsflow run` (it builds the index after loading)"
        )
    if not query.strip():
        raise WarehouseError("the search query is empty", fix='e.g. newsflow search "Gipfel Hanoi"')
    parsed = parse_search_query(query)
    excluded_stems = {fold(word): (query_stems(con, word, stemmer) or [fold(word)])[0] for word in parsed.excluded}
    params = {
        "query": parsed.ranked_text,
        "language": language,
        "outlet": outlet,
        "limit": limit,
        "phrases": parsed.phrase_patterns(),
        "excluded": parsed.excluded_patterns(excluded_stems),
    }
    if summit is not None and not relation_exists(con, "stg_article_summits"):
        raise WarehouseError(
            "this warehouse has no summit tagging yet, so --summit cannot filter",
            fix="run `newsflow run` with a newsflow that tags summits, or leave out --summit",
        )
    check_filter_values(con, summit=summit, language=language, outlet=outlet)
    if summit is None:
        found = run_named(con, "search_articles", params)
    else:
        found = run_named(con, "search_articles_in_summit", {**params, "summit": summit})
    stems = query_stems(con, parsed.ranked_text, stemmer)
    snippets = [snippet(text, stems, snippet_chars, mark) for text in found["text"].to_list()]
    return found.drop("text").with_columns(snippet=pl.Series(snippets, dtype=pl.String))


def query_stems(con: duckdb.DuckDBPyConnection, query: str, stemmer: str) -> list[str]:
    """The query's words as the index sees them: accents stripped, lower case, stemmed."""
    words = [w for w in re.split(r"[^a-z]+", _fold(query).lower()) if w]
    if stemmer == "none" or not words:
        return words
    rows = con.execute("select unnest(?) as w, stem(unnest(?), ?) as s", [words, words, stemmer]).fetchall()
    return [s or w for w, s in rows]


def _fold(text: str) -> str:
    """Strip accents character by character, keeping every offset (ü -> u, é -> e)."""
    return "".join(unicodedata.normalize("NFD", c)[0] if c.isalpha() else c for c in text)


def snippet(text: str, stems: list[str], width: int, mark: tuple[str, str]) -> str:
    """A window of `text` around the first hit, every word starting with a query stem marked."""
    if not stems:
        return text[:width]
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(s) for s in sorted(stems, key=len, reverse=True)) + r")\w*", re.I)
    folded = _fold(text)
    first = pattern.search(folded)
    start = 0 if first is None else max(0, first.start() - width // 3)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space > start - 20 else start
    end = min(len(text), start + width)
    window, folded_window = text[start:end], folded[start:end]
    pieces, last = [], 0
    for hit in pattern.finditer(folded_window):
        pieces += [window[last : hit.start()], mark[0], window[hit.start() : hit.end()], mark[1]]
        last = hit.end()
    pieces.append(window[last:])
    body = "".join(pieces).replace("\n", " ")
    return ("…" if start else "") + body + ("…" if end < len(text) else "")
