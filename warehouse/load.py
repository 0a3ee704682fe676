"""Idempotent loading of one processed batch, through Arrow, in one transaction.

A batch replaces everything its files produced before (articles, mentions,
rejects) and records the files in the ledger in the same transaction, so a
crash leaves either the old state or the new one, and a rerun of the same
input writes the same rows.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

import duckdb
import polars as pl

from warehouse.transaction import transaction
from transforms.schemas import CANONICAL_MENTION_SCHEMA, ENTITY_SCHEMA, REJECT_SCHEMA, conform, empty

LEDGER_ROW_SCHEMA = pl.Schema(
    {
        "path": pl.String,
        "size": pl.Int64,
        "mtime_ns": pl.Int64,
        "content_hash": pl.String,
        "status": pl.String,
        "articles": pl.Int32,
        "rejects": pl.Int32,
        "skipped": pl.Int32,  # WARC records passed over on purpose
        "container": pl.String,  # the archive an "archive!member" row was unpacked from
    }
)

ARTICLE_COLUMNS = (
    "article_id", "source_path", "item", "title", "text", "language", "language_confidence", "published_at",
    "outlet", "url", "author", "encoding", "format", "text_hash", "n_chars", "n_words",
    "section", "fetched_at", "published_at_flag", "field_sources", "published_precision", "extraction",
    "language_declared",
)  # fmt: skip


# Tables whose rows hang off an article (article_id column): a batch replaces
# them for every article it touches. Later stages register their tables here.
ARTICLE_CHILD_TABLES = (
    "mentions", "dedup_signatures", "dedup_bands", "article_agencies", "quotes", "article_summits", "article_terms",
)  # fmt: skip


@dataclass(frozen=True)
class Batch:
    """What one batch of files produced, ready to load."""

    files: pl.DataFrame  # LEDGER_ROW_SCHEMA, one row per file processed
    articles: pl.DataFrame  # ARTICLE_SCHEMA
    entities: pl.DataFrame  # ENTITY_SCHEMA
    rejects: pl.DataFrame  # REJECT_SCHEMA
    children: Mapping[str, pl.DataFrame] = field(default_factory=dict)  # table in ARTICLE_CHILD_TABLES -> rows

    @property
    def mentions(self) -> pl.DataFrame:
        return self.children.get("mentions", empty(CANONICAL_MENTION_SCHEMA))


def load_batch(con: duckdb.DuckDBPyConnection, batch: Batch, run_id: str) -> None:
    """Replace the rows of the batch's files and record them in the ledger."""
    unknown = set(batch.children) - set(ARTICLE_CHILD_TABLES)
    if unknown:
        raise ValueError(f"not article child tables: {sorted(unknown)} (register them in ARTICLE_CHILD_TABLES)")
    files = conform(batch.files, LEDGER_ROW_SCHEMA).with_columns(run_id=pl.lit(run_id))
    articles = batch.articles.select(ARTICLE_COLUMNS).with_columns(run_id=pl.lit(run_id))
    entities = conform(batch.entities, ENTITY_SCHEMA).unique("entity_id", keep="first", maintain_order=True)
    rejects = conform(batch.rejects, REJECT_SCHEMA).with_columns(run_id=pl.lit(run_id))
    staged = {
        "batch_files": files,
        "batch_articles": articles,
        "batch_entities": entities,
        "batch_rejects": rejects,
        **{f"batch_{table}": frame for table, frame in batch.children.items()},
    }
    with transaction(con, **staged):
        _replace_rows(con, list(batch.children))


def _replace_rows(con: duckdb.DuckDBPyConnection, children: list[str]) -> None:
    con.execute(  # a changed archive's paths include members it no longer holds
        """
        create or replace temp table touched_paths as
        select path from batch_files
        union select path from files where container in (select path from batch_files)
        """
    )
    con.execute(  # loaded articles the batch replaces (children exist only for loaded articles)
        """
        create or replace temp table touched_articles as
        select article_id from articles
        where source_path in (select path from touched_paths) or article_id in (select article_id from batch_articles)
        """
    )
    if con.execute("select count(*) from touched_articles").fetchone()[0]:  # new files touch nothing loaded
        for table in ARTICLE_CHILD_TABLES:  # names from the fixed registry above, never from input
            con.execute(f"delete from {table} where article_id in (select article_id from touched_articles)")
        con.execute("delete from articles where article_id in (select article_id from touched_articles)")
    con.execute("delete from rejects where path in (select path from touched_paths)")
    con.execute(  # members a changed archive no longer holds
        "delete from files where path in (select path from touched_paths) and path not in (select path from batch_files)"
    )
    con.execute(f"insert into articles by name select {', '.join(ARTICLE_COLUMNS)}, run_id from batch_articles")
    con.execute(
        """
        insert into entities by name
        select entity_id, canonical_name, type, wikidata_id, source, name_de, name_en, name_fr, kb_version
        from batch_entities
        on conflict (entity_id) do update set
            canonical_name = excluded.canonical_name,
            type = excluded.type,
            wikidata_id = coalesce(excluded.wikidata_id, entities.wikidata_id),
            source = excluded.source,
            name_de = coalesce(excluded.name_de, entities.name_de),
            name_en = coalesce(excluded.name_en, entities.name_en),
            name_fr = coalesce(excluded.name_fr, entities.name_fr),
            kb_version = excluded.kb_version
        """
    )
    for table in children:
        columns = ", ".join(_shared_columns(con, table, f"batch_{table}"))
        con.execute(f"insert into {table} ({columns}) select {columns} from batch_{table}")
    con.execute(
        """
        insert into rejects by name
        select path, coalesce(item, '') as item, stage, reason, detail, run_id, now() as rejected_at
        from batch_rejects
        """
    )
    con.execute(
        """
        insert into files by name
        select path, size, mtime_ns, content_hash, status, articles, rejects, coalesce(skipped, 0) as skipped,
               container, run_id, now() as first_seen_at, now() as processed_at
        from batch_files
        on conflict (path) do update set
            size = excluded.size, mtime_ns = excluded.mtime_ns, content_hash = excluded.content_hash,
            status = excluded.status, articles = excluded.articles, rejects = excluded.rejects,
            skipped = excluded.skipped, container = excluded.container,
            run_id = excluded.run_id, processed_at = excluded.processed_at
        """
    )
    con.execute("drop table touched_articles")
    con.execute("drop table touched_paths")


def _shared_columns(con: duckdb.DuckDBPyConnection, table: str, staged: str) -> list[str]:
    """Columns of `table` that the staged frame provides (extra frame columns are ignored)."""
    target = con.execute(
        "select column_name from duckdb_columns() where table_name = ? and schema_name = 'main' order by column_index",
        [table],
    ).fetchall()
    provided = {row[0] for row in con.execute(f"describe {staged}").fetchall()}
    return [f'"{name}"' for (name,) in target if name in provided]
