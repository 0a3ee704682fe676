"""What a finished run did, read back from the warehouse for summaries."""

from dataclasses import dataclass

import duckdb
import polars as pl


@dataclass(frozen=True)
class RunReport:
    run: dict
    rejects: pl.DataFrame  # path, item, stage, reason, detail of this run
    entity_types: pl.DataFrame  # label, mentions, entities (whole warehouse)
    top_people: pl.DataFrame  # canonical_name, wikidata_id, mentions, articles
    top_places: pl.DataFrame
    summit_terms: pl.DataFrame | None = None  # summit_id, articles, terms (top key terms, whole warehouse)
    top_quotes: pl.DataFrame | None = None  # speaker, kind, quote (this run's best-attributed quotes)


_SUMMIT_TERMS = """
    with tagged as (
        select summit_id, count(*) as articles from article_summits group by summit_id
    ),
    terms as (
        select scope_id as summit_id, string_agg(display, ', ' order by score desc, term) as terms
        from mart_key_terms where scope = 'summit' and rank <= $top_terms group by scope_id
    )
    select t.summit_id, t.articles, coalesce(k.terms, '') as terms
    from tagged t left join terms k using (summit_id)
    order by t.articles desc, t.summit_id
"""

_TOP_QUOTES = """
    select coalesce(e.canonical_name, q.speaker_text) as speaker, q.kind, q.text as quote
    from quotes q
    join articles a using (article_id)
    left join entities e on e.entity_id = q.speaker_entity_id
    where a.run_id = $run_id and q.kind = 'direct' and q.speaker_entity_id is not null
    order by q.confidence desc, length(q.text) desc, q.quote_id
    limit $top
"""


_TOP_ENTITIES = """
    select e.canonical_name, e.wikidata_id, count(*) as mentions, count(distinct m.article_id) as articles
    from mentions m join entities e using (entity_id)
    where e.type = ?
    group by all
    order by mentions desc, canonical_name
    limit ?
"""


def run_report(con: duckdb.DuckDBPyConnection, run_id: str, top: int = 5) -> RunReport:
    cursor = con.execute("select * from runs where run_id = ?", [run_id])
    columns = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    run = dict(zip(columns, row, strict=True)) if row else {}
    rejects = con.execute(
        "select path, item, stage, reason, detail from rejects where run_id = ? order by path, item", [run_id]
    ).pl()
    entity_types = con.execute(
        "select label, count(*) as mentions, count(distinct entity_id) as entities"
        " from mentions group by label order by mentions desc"
    ).pl()
    people = con.execute(_TOP_ENTITIES, ["PER", top]).pl()
    places = con.execute(_TOP_ENTITIES, ["LOC", top]).pl()
    summit_terms = con.execute(_SUMMIT_TERMS, {"top_terms": top * 2}).pl()
    top_quotes = con.execute(_TOP_QUOTES, {"run_id": run_id, "top": top}).pl()
    return RunReport(run, rejects, entity_types, people, places, summit_terms, top_quotes)
