-- requires: clusters(cluster_id, article_id, role), article_agencies(article_id, agency)
-- Syndication per article: its story cluster, role and agency credits.
create or replace view mart_syndication_articles as
with articles_source as (
    select article_id, title, outlet, published_at from articles
),

clusters_source as (
    select * from clusters
),

credits as (
    select article_id, list(distinct agency order by agency) as agencies
    from article_agencies
    group by article_id
),

final as (
    select
        a.article_id,
        a.title,
        a.outlet,
        a.published_at,
        coalesce(c.cluster_id, a.article_id) as cluster_id,
        coalesce(c.role, 'original') as role,
        coalesce(c.similarity, 1.0) as similarity,
        coalesce(c.changed_share, 0.0) as changed_share,
        coalesce(c.words_delta, 0) as words_delta,
        coalesce(c.cluster_size, 1) as cluster_size,
        coalesce(k.agencies, []::varchar[]) as agencies
    from articles_source as a
    left join clusters_source as c using (article_id)
    left join credits as k using (article_id)
)

select * from final;

comment on view mart_syndication_articles is 'Every article with its story cluster, role (original/copy/update), size of change and agency credits.';
comment on column mart_syndication_articles.article_id is 'Article.';
comment on column mart_syndication_articles.title is 'Headline.';
comment on column mart_syndication_articles.outlet is 'Publishing outlet.';
comment on column mart_syndication_articles.published_at is 'Publication time (UTC).';
comment on column mart_syndication_articles.cluster_id is 'Story cluster: the article_id of its original (the article itself until clustered).';
comment on column mart_syndication_articles.role is 'original, copy (same text as the original) or update (changed text).';
comment on column mart_syndication_articles.similarity is 'Estimated Jaccard similarity of word shingles to the original.';
comment on column mart_syndication_articles.changed_share is 'Size of an update: share of word runs not shared with the original.';
comment on column mart_syndication_articles.words_delta is 'Words added (negative: removed) relative to the original.';
comment on column mart_syndication_articles.cluster_size is 'Articles in the story cluster.';
comment on column mart_syndication_articles.agencies is 'Agencies credited in dateline, trailer or byline.';
