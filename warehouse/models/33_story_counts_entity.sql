-- requires: clusters(cluster_id, article_id, role), article_agencies(article_id, agency)
-- Raw article counts next to distinct stories, per canonical entity.
create or replace view entity_story_counts as
with mention_articles as (
    select entity_id, article_id, count(*) as mentions
    from mentions
    where entity_id is not null
    group by entity_id, article_id
),

members as (
    select article_id, cluster_id from syndication_articles
),

counts as (
    select
        m.entity_id,
        sum(m.mentions) as mentions,
        count(*) as articles,
        count(distinct s.cluster_id) as distinct_stories
    from mention_articles as m
    join members as s using (article_id)
    group by m.entity_id
),

final as (
    select c.entity_id, e.canonical_name, e.type, c.mentions, c.articles, c.distinct_stories
    from counts as c
    left join entities as e using (entity_id)
)

select * from final order by articles desc, entity_id;

comment on view entity_story_counts is 'Per entity: mentions, articles mentioning it (raw) and distinct stories mentioning it.';
comment on column entity_story_counts.entity_id is 'Canonical entity.';
comment on column entity_story_counts.canonical_name is 'Preferred name.';
comment on column entity_story_counts.type is 'PER, LOC, ORG or MISC.';
comment on column entity_story_counts.mentions is 'Mentions (raw).';
comment on column entity_story_counts.articles is 'Articles mentioning the entity (raw count).';
comment on column entity_story_counts.distinct_stories is 'Distinct story clusters mentioning the entity.';
