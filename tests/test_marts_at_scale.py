"""Marts rewritten for the 100,000-article warehouse (bench/query_latency.py) give the rows of their plain definitions."""

from tests.analyst_data import build_analyst_warehouse, tag_summits
from warehouse.snapshot import open_reader

# The plain definition of the new mart: every article's entities first, then the summit's.
PLAIN_SUMMIT_OUTLET_ENTITIES = """
    select s.summit_id, any_value(s.summit_name) as summit_name, e.outlet, e.entity_id,
           any_value(e.canonical_name) as canonical_name, any_value(e.entity_type) as entity_type,
           count(distinct e.article_id) as articles, count(distinct e.story_id) as stories, sum(e.mentions) as mentions
    from mart_article_entities e join stg_article_summits s using (article_id)
    group by s.summit_id, e.outlet, e.entity_id
"""


def test_entity_counts_per_outlet_per_summit(db_path):
    build_analyst_warehouse(db_path)
    tag_summits(db_path)
    with open_reader(db_path) as con:
        mart = con.execute("select * from mart_summit_outlet_entities order by all").fetchall()
        plain = con.execute(f"select * from ({PLAIN_SUMMIT_OUTLET_ENTITIES}) order by all").fetchall()
        trump = con.execute(
            "select outlet, articles, stories, mentions from mart_summit_outlet_entities"
            " where summit_id = 'hanoi-2019' and canonical_name = 'Donald Trump' order by outlet"
        ).fetchall()
    assert mart == plain and len(mart) > 4
    assert [outlet for outlet, *_ in trump] == ["Le Monde", "Spiegel", "Standard"]
    assert sum(articles for _, articles, _, _ in trump) == 4  # mart_summit_entities: Trump in 4 Hanoi articles


def test_entity_story_counts_filtered_by_name_equal_the_unfiltered_rows(db_path):
    build_analyst_warehouse(db_path)
    with open_reader(db_path) as con:
        every = {row[1]: row for row in con.execute("select * from mart_entity_story_counts").fetchall()}
        one = con.execute("select * from mart_entity_story_counts where canonical_name = 'Kim Jong Un'").fetchall()
    assert one == [every["Kim Jong Un"]]


def test_entity_cooccurrences_query_equals_reading_the_cooccurrence_mart(db_path):
    from warehouse.named_queries import run_named

    build_analyst_warehouse(db_path)
    plain = """
        select case when name_a = $entity then name_b else name_a end as other,
               case when name_a = $entity then type_b else type_a end as other_type, articles, stories
        from mart_entity_cooccurrence where name_a = $entity or name_b = $entity
        order by articles desc, stories desc, other limit $limit
    """
    with open_reader(db_path) as con:
        names = [r[0] for r in con.execute("select distinct canonical_name from mart_article_entities").fetchall()]
        for name in names:
            params = {"entity": name, "limit": 25}
            assert run_named(con, "entity_cooccurrences", params).rows() == con.execute(plain, params).fetchall(), name
    assert len(names) > 3
