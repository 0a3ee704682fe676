-- requires: clusters(cluster_id, article_id, role), article_agencies(article_id, agency)
-- Raw article counts next to distinct stories, per canonical entity.
create or replace view mart_entity_story_counts as
with mention_articles as (  -- names joined before grouping, so a filter on canonical_name reaches the scan
    select m.entity_id, e.canonical_name, e.type, m.article_id, count(*) as mentions
    from mentions as m
    left join entities as e using (entity_id)
    where m.entity_id is not null
    group by m.entity_id, e.canonical_name, e.type, m.article_id
),

members as (  -- as in mart_syndication_articles: an article not clustered yet is a story of its own
    select a.article_id, coalesce(c.cluster_id, a.article_id) as cluster_id
    from articles as a
    left join clusters as c using (article_id)
),

final as (
    select
        m.entity_id,
        m.canonical_name,
        m.type,
        sum(m.mentions) as mentions,
        count(*) as articles,
        count(distinct s.cluster_id) as distinct_stories
    from mention_articles as m
    join members as s using (article_id)
    group by m.entity_id, m.canonical_name, m.type
)

select * from final order by articles desc, entity_id;

comment on view mart_entity_story_counts is 'Per entity: mentions, articles mentioning it (raw) and distinct stories mentioning it.';
comment on column mart_entity_story_counts.entity_id is 'Canonical entity.';
comment on column mart_entity_story_counts.canonical_name is 'Preferred name.';
comment on column mart_entity_story_counts.type is 'PER, LOC, ORG or MISC.';
comment on column mart_entity_story_counts.mentions is 'Mentions (raw).';
comment on column mart_entity_story_counts.articles is 'Articles mentioning the entity (raw count).';
comment on column mart_entity_story_counts.distinct_stories is 'Distinct story clusters mentioning the entity.';
