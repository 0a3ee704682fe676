-- requires: article_summits(article_id, summit_id, score, evidence), summits(summit_id, name, start_date)
-- Mart: the people, places and organisations named in each summit's coverage.
create or replace view mart_summit_entities as
with tags as (
    select article_id, summit_id, summit_name from stg_article_summits
),

mentions as (  -- the raw mentions of the tagged articles, not every article's entity lists
    select article_id, entity_id, canonical_name, entity_type, wikidata_id from stg_mentions where entity_id is not null
),

articles as (
    select article_id, outlet from stg_articles
),

stories as (
    select article_id, story_id from stg_article_stories
),

final as (
    select
        t.summit_id,
        any_value(t.summit_name) as summit_name,
        m.entity_id,
        any_value(m.canonical_name) as canonical_name,
        any_value(m.entity_type) as entity_type,
        any_value(m.wikidata_id) as wikidata_id,
        count(distinct m.article_id) as articles,
        count(distinct s.story_id) as stories,
        count(distinct a.outlet) as outlets,
        count(*) as mentions
    from tags as t
    join mentions as m using (article_id)
    join articles as a using (article_id)
    left join stories as s using (article_id)
    group by t.summit_id, m.entity_id
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
