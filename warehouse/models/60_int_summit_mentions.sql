-- requires: article_summits(article_id, summit_id, score, evidence), summits(summit_id, name, start_date)
-- Intermediate: every canonical mention in a summit's coverage, with the
-- article's outlet and story. The summit entity marts group it; starting from
-- the tagged articles, a question about one summit never reads every
-- article's entity lists.
create or replace view int_summit_mentions as
with tags as (
    select article_id, summit_id, summit_name from stg_article_summits
),

mentions as (
    select article_id, entity_id, canonical_name, entity_type, wikidata_id from stg_mentions where entity_id is not null
),

articles as (
    select article_id, outlet from stg_articles
),

stories as (
    select article_id, story_id from stg_article_stories
),

final as (
    select t.summit_id, t.summit_name, m.article_id, a.outlet, s.story_id,
           m.entity_id, m.canonical_name, m.entity_type, m.wikidata_id
    from tags as t
    join mentions as m using (article_id)
    join articles as a using (article_id)
    left join stories as s using (article_id)
)

select * from final;

comment on view int_summit_mentions is 'One row per canonical entity mention in an article tagged with a summit (an article tagged with two summits appears under both).';
comment on column int_summit_mentions.summit_id is 'Summit.';
comment on column int_summit_mentions.summit_name is 'Human-readable summit name.';
comment on column int_summit_mentions.article_id is 'Article the mention is in.';
comment on column int_summit_mentions.outlet is 'Publishing outlet of the article.';
comment on column int_summit_mentions.story_id is 'Distinct story of the article (its dedup cluster, else its exact-text story).';
comment on column int_summit_mentions.entity_id is 'Canonical entity.';
comment on column int_summit_mentions.canonical_name is 'Preferred name of the entity.';
comment on column int_summit_mentions.entity_type is 'PER, LOC, ORG or MISC.';
comment on column int_summit_mentions.wikidata_id is 'Wikidata Q-id, when known.';
