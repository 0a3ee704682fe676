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
    return RunReport(run, rejects, entity_types, people, places)
