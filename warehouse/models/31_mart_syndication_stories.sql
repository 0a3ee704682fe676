-- requires: clusters(cluster_id, article_id, role), article_agencies(article_id, agency)
-- One row per distinct story (cluster), described by its original.
create or replace view mart_syndication_stories as
with members as (
    select * from mart_syndication_articles
),

originals as (
    select cluster_id, title, outlet, published_at from members where role = 'original'
),

credits as (
    select m.cluster_id, list(distinct k.agency order by k.agency) as agencies
    from members as m
    join article_agencies as k using (article_id)
    group by m.cluster_id
),

summary as (
    select
        cluster_id,
        count(*) as articles,
        count(*) filter (where role = 'copy') as copies,
        count(*) filter (where role = 'update') as updates,
        count(distinct outlet) as outlets,
        min(published_at) as first_published_at,
        max(published_at) as last_published_at,
        max(changed_share) as max_changed_share
    from members
    group by cluster_id
),

final as (
    select
        s.cluster_id,
        o.title,
        o.outlet as original_outlet,
        o.published_at,
        s.articles,
        s.copies,
        s.updates,
        s.outlets,
        s.first_published_at,
        s.last_published_at,
        s.max_changed_share,
        coalesce(c.agencies, []::varchar[]) as agencies
    from summary as s
    left join originals as o using (cluster_id)
    left join credits as c using (cluster_id)
)

select * from final;

comment on view mart_syndication_stories is 'Distinct stories: one row per cluster of copies and updates, with how widely it ran.';
comment on column mart_syndication_stories.cluster_id is 'Story cluster (article_id of the original).';
comment on column mart_syndication_stories.title is 'Headline of the original.';
comment on column mart_syndication_stories.original_outlet is 'Outlet of the original.';
comment on column mart_syndication_stories.published_at is 'Publication time of the original.';
comment on column mart_syndication_stories.articles is 'Articles in the cluster (raw count).';
comment on column mart_syndication_stories.copies is 'Members with the original''s text.';
comment on column mart_syndication_stories.updates is 'Members with changed text.';
comment on column mart_syndication_stories.outlets is 'Distinct outlets that ran the story.';
comment on column mart_syndication_stories.first_published_at is 'Earliest publication in the cluster.';
comment on column mart_syndication_stories.last_published_at is 'Latest publication in the cluster.';
comment on column mart_syndication_stories.max_changed_share is 'Largest change of any update (share of word runs not shared with the original).';
comment on column mart_syndication_stories.agencies is 'Agencies credited by any member.';
