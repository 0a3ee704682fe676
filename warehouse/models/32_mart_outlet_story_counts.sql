-- requires: clusters(cluster_id, article_id, role), article_agencies(article_id, agency)
-- Raw article counts next to distinct stories, per outlet.
create or replace view mart_outlet_story_counts as
with members as (
    select * from mart_syndication_articles
),

final as (
    select
        outlet,
        count(*) as articles,
        count(distinct cluster_id) as distinct_stories,
        count(*) filter (where role = 'original') as originals,
        count(*) filter (where role = 'copy') as copies,
        count(*) filter (where role = 'update') as updates,
        count(*) filter (where len(agencies) > 0) as agency_credited
    from members
    group by outlet
)

select * from final order by articles desc, outlet;

comment on view mart_outlet_story_counts is 'Per outlet: raw articles and distinct stories (a story the outlet ran twice, or ran after another outlet, counts once in distinct_stories).';
comment on column mart_outlet_story_counts.outlet is 'Publishing outlet (null: unknown).';
comment on column mart_outlet_story_counts.articles is 'Articles (raw count).';
comment on column mart_outlet_story_counts.distinct_stories is 'Distinct story clusters among them.';
comment on column mart_outlet_story_counts.originals is 'Articles that are the original of their cluster.';
comment on column mart_outlet_story_counts.copies is 'Articles that copy an earlier article word for word.';
comment on column mart_outlet_story_counts.updates is 'Articles that are changed versions of an earlier article.';
comment on column mart_outlet_story_counts.agency_credited is 'Articles crediting at least one news agency.';
