-- Staging: the story each article belongs to. Until near-duplicate clusters
-- exist (16_stg_article_stories_clusters.sql replaces this view then), exact
-- copies -- articles with the same normalized text -- are one story.
create or replace view stg_article_stories as
with source as (
    select article_id, text_hash from articles
),

final as (
    select
        article_id,
        min(article_id) over (partition by text_hash) as story_id,
        'exact_text' as story_method
    from source
)

select * from final;

comment on view stg_article_stories is 'The distinct story of each article: every count in the marts has a stories twin counting story_id.';
comment on column stg_article_stories.article_id is 'Article.';
comment on column stg_article_stories.story_id is 'Id of the story the article is a copy of (its own article_id for an original).';
comment on column stg_article_stories.story_method is 'How the story was found: exact_text (same normalized text; before clusters exist) or cluster.';
