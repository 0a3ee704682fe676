-- requires: clusters(cluster_id, article_id)
-- Staging: stories from the near-duplicate clusters of the dedup stage. An
-- article loaded after the last clustering step (no cluster row yet) falls
-- back to its exact-text story until the next run clusters it (computed only for
-- such articles, so the view costs two joins, not a window over every article).
create or replace view stg_article_stories as
with clusters_source as (
    select article_id, cluster_id from clusters  -- article_id is its primary key
),

articles_source as (
    select article_id, text_hash from articles
),

unclustered as (  -- usually none: only what was loaded after the last clustering step
    select article_id, text_hash from articles_source anti join clusters_source using (article_id)
),

exact_stories as (
    select u.article_id, min(a.article_id) as exact_story_id
    from unclustered as u
    join articles_source as a using (text_hash)
    group by u.article_id
),

final as (
    select
        a.article_id,
        coalesce(cast(c.cluster_id as varchar), e.exact_story_id) as story_id,
        case when c.cluster_id is null then 'exact_text' else 'cluster' end as story_method
    from articles_source as a
    left join clusters_source as c using (article_id)
    left join exact_stories as e using (article_id)
)

select * from final;

comment on view stg_article_stories is 'The distinct story of each article: every count in the marts has a stories twin counting story_id.';
comment on column stg_article_stories.article_id is 'Article.';
comment on column stg_article_stories.story_id is 'Id of the story: the cluster (its original''s article_id), or for an article not clustered yet the first article_id with the same text.';
comment on column stg_article_stories.story_method is 'How the story was found: cluster (near-duplicate clusters) or exact_text (same normalized text).';
