"""What a run added, for its summary artifact: entities first seen in it, its top quotes.

Read-only queries over the warehouse. "New" means mentioned by an article this
run loaded and by no article any other run loaded. Quotes come from the
`quotes` table when the quotes stage exists (quote text, speaker), else none.
"""

from dataclasses import dataclass

import duckdb
import polars as pl

_NEW_ENTITIES = """
    with this_run as (
        select m.entity_id, m.article_id
        from mentions m join articles a using (article_id)
        where a.run_id = $run_id
    ),
    seen_before as (
        select distinct m.entity_id
        from mentions m join articles a using (article_id)
        where a.run_id <> $run_id
    ),
    final as (
        select e.canonical_name, e.type, e.wikidata_id, count(*) as mentions, count(distinct r.article_id) as articles
        from this_run r join entities e using (entity_id)
        where r.entity_id not in (select entity_id from seen_before)
        group by all
    )
    select * from final order by mentions desc, canonical_name limit $top
"""

_COUNT_NEW_ENTITIES = """
    select count(distinct m.entity_id)
    from mentions m join articles a using (article_id)
    where a.run_id = $run_id
      and m.entity_id not in (
          select m2.entity_id from mentions m2 join articles a2 using (article_id) where a2.run_id <> $run_id
      )
"""

_TOP_QUOTES = """
    with final as (
        select coalesce(e.canonical_name, q.speaker_text) as speaker, q.text as quote, a.title, a.outlet
        from quotes q
        join articles a using (article_id)
        left join entities e on e.entity_id = q.speaker_entity_id
        where a.run_id = $run_id
    )
    select * from final
    order by speaker is null, length(quote) desc, quote
    limit $top
"""

QUOTE_COLUMNS = {"article_id", "text", "speaker_text", "speaker_entity_id"}


@dataclass(frozen=True)
class RunInsights:
    new_entity_count: int
    new_entities: pl.DataFrame  # canonical_name, type, wikidata_id, mentions, articles
    top_quotes: pl.DataFrame | None  # speaker, quote, title, outlet; None without a quotes table


def run_insights(con: duckdb.DuckDBPyConnection, run_id: str, top: int = 10) -> RunInsights:
    params = {"run_id": run_id, "top": top}
    count = con.execute(_COUNT_NEW_ENTITIES, {"run_id": run_id}).fetchone()[0]
    new_entities = con.execute(_NEW_ENTITIES, params).pl()
    quotes = con.execute(_TOP_QUOTES, params).pl() if _has_quotes(con) else None
    return RunInsights(count, new_entities, quotes)


def _has_quotes(con: duckdb.DuckDBPyConnection) -> bool:
    columns = {
        name
        for (name,) in con.execute(
            "select column_name from duckdb_columns() where table_name = 'quotes' and schema_name = 'main'"
        ).fetchall()
    }
    return QUOTE_COLUMNS <= columns
