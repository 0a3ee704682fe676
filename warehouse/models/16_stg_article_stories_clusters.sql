-- requires: clusters(cluster_id, article_id)
-- Staging: stories from the near-duplicate clusters of the dedup stage. An
-- article loaded after the last clustering step (no cluster row yet) falls
-- back to its exact-text story until the next run clusters it.
create or replace view stg_article_stories as
with articles_source as (
    select article_id, min(article_id) over (partition by text_hash) as exact_story_id from articles
),

clusters_source as (
    select article_id, any_value(cluster_id) as cluster_id from clusters group by article_id
),

final as (
    select
        a.article_id,
        coalesce(cast(c.cluster_id as varchar), a.exact_story_id) as story_id,
        case when c.cluster_id is null then 'exact_text' else 'cluster' end as story_method
    from articles_source as a
    left join clusters_source as c using (article_id)
)

select * from final;

comment on view stg_article_stories is 'The distinct story of each article: every count in the marts has a stories twin counting story_id.';
comment on column stg_article_stories.article_id is 'Article.';
comment on column stg_article_stories.story_id is 'Id of the story: the cluster (its original''s article_id), or for an article not clustered yet the first article_id with the same text.';
comment on column stg_article_stories.story_method is 'How the story was found: cluster (near-duplicate clusters) or exact_text (same normalized text).';
