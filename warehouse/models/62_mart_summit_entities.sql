-- requires: article_summits(article_id, summit_id, score, evidence), summits(summit_id, name, start_date)
-- Mart: the people, places and organisations named in each summit's coverage.
create or replace view mart_summit_entities as
with summit_mentions as (
    select * from int_summit_mentions
),

final as (
    select
        summit_id,
        any_value(summit_name) as summit_name,
        entity_id,
        any_value(canonical_name) as canonical_name,
        any_value(entity_type) as entity_type,
        any_value(wikidata_id) as wikidata_id,
        count(distinct article_id) as articles,
        count(distinct story_id) as stories,
        count(distinct outlet) as outlets,
        count(*) as mentions
    from summit_mentions
    group by summit_id, entity_id
)

select * from final;

comment on view mart_summit_entities is 'Entities named in the coverage of each summit, with articles, distinct stories, outlets and mentions.';
comment on column mart_summit_entities.summit_id is 'Summit.';
comment on column mart_summit_entities.summit_name is 'Human-readable summit name.';
comment on column mart_summit_entities.entity_id is 'Canonical entity.';
comment on column mart_summit_entities.canonical_name is 'Preferred name of the entity.';
comment on column mart_summit_entities.entity_type is 'PER, LOC, ORG or MISC.';
comment on column mart_summit_entities.wikidata_id is 'Wikidata Q-id, when known.';
comment on column mart_summit_entities.articles is 'Articles about the summit naming the entity.';
comment on column mart_summit_entities.stories is 'Distinct stories about the summit naming the entity (copies counted once).';
comment on column mart_summit_entities.outlets is 'Outlets that named the entity in their coverage of the summit.';
comment on column mart_summit_entities.mentions is 'Mentions of the entity in that coverage.';
