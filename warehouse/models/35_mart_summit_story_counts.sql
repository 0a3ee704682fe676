-- requires: clusters(cluster_id, article_id, role), article_agencies(article_id, agency), article_summits(article_id, summit_id), summits(summit_id, name, start_date)
-- Raw article counts next to distinct stories, per summit (summits stage, migration 004).
create or replace view mart_summit_story_counts as
with tagged as (
    select distinct article_id, summit_id from article_summits
),

members as (  -- as in mart_syndication_articles, without its agency lists
    select a.article_id, a.outlet, coalesce(c.cluster_id, a.article_id) as cluster_id, coalesce(c.role, 'original') as role
    from articles as a
    left join clusters as c using (article_id)
),

counts as (
    select
        t.summit_id,
        count(*) as articles,
        count(distinct m.cluster_id) as distinct_stories,
        count(*) filter (where m.role = 'copy') as copies,
        count(*) filter (where m.role = 'update') as updates,
        count(distinct m.outlet) as outlets
    from tagged as t
    join members as m using (article_id)
    group by t.summit_id
),

final as (
    select c.summit_id, s.name, s.start_date, c.articles, c.distinct_stories, c.copies, c.updates, c.outlets
    from counts as c
    left join summits as s using (summit_id)
)

select * from final order by start_date, summit_id;

comment on view mart_summit_story_counts is 'Per summit: articles covering it (raw) and the distinct stories among them.';
comment on column mart_summit_story_counts.summit_id is 'Summit (summits.summit_id).';
comment on column mart_summit_story_counts.name is 'Summit name.';
comment on column mart_summit_story_counts.start_date is 'First day of the summit.';
comment on column mart_summit_story_counts.articles is 'Articles tagged with the summit (raw count).';
comment on column mart_summit_story_counts.distinct_stories is 'Distinct story clusters among them.';
comment on column mart_summit_story_counts.copies is 'Of which word-for-word copies of an earlier article.';
comment on column mart_summit_story_counts.updates is 'Of which changed versions of an earlier article.';
comment on column mart_summit_story_counts.outlets is 'Distinct outlets covering the summit.';
