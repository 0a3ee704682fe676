-- requires: article_summits(article_id, summit_id, score, evidence), summits(summit_id, name, start_date)
-- Mart: entity counts per outlet per summit -- who each outlet named in a
-- summit's coverage.
create or replace view mart_summit_outlet_entities as
with summit_mentions as (
    select * from int_summit_mentions
),

final as (
    select
        summit_id,
        any_value(summit_name) as summit_name,
        outlet,
        entity_id,
        any_value(canonical_name) as canonical_name,
        any_value(entity_type) as entity_type,
        count(distinct article_id) as articles,
        count(distinct story_id) as stories,
        count(*) as mentions
    from summit_mentions
    group by summit_id, outlet, entity_id
)

select * from final;

comment on view mart_summit_outlet_entities is 'Entities each outlet named in the coverage of each summit, with articles, distinct stories and mentions.';
comment on column mart_summit_outlet_entities.summit_id is 'Summit.';
comment on column mart_summit_outlet_entities.summit_name is 'Human-readable summit name.';
comment on column mart_summit_outlet_entities.outlet is 'Publishing outlet (null when the source names none).';
comment on column mart_summit_outlet_entities.entity_id is 'Canonical entity.';
comment on column mart_summit_outlet_entities.canonical_name is 'Preferred name of the entity.';
comment on column mart_summit_outlet_entities.entity_type is 'PER, LOC, ORG or MISC.';
comment on column mart_summit_outlet_entities.articles is 'Articles of the outlet tagged with the summit that name the entity.';
comment on column mart_summit_outlet_entities.stories is 'Distinct stories among them (syndicated copies counted once).';
comment on column mart_summit_outlet_entities.mentions is 'Mentions of the entity in those articles.';
