-- Staging: each article's summits in one row. Until the summits stage exists
-- (18_stg_article_summit_tags_summits.sql replaces this view then) no article
-- is tagged, so the view is empty and mart_articles shows null summits.
create or replace view stg_article_summit_tags as
with final as (
    select
        cast(null as varchar) as article_id,
        cast(null as varchar) as summit_id,
        cast([] as varchar[]) as summit_ids
    where false
)

select * from final;

comment on view stg_article_summit_tags is 'The summits of each tagged article, one row per article (empty before the summits stage).';
comment on column stg_article_summit_tags.article_id is 'Article.';
comment on column stg_article_summit_tags.summit_id is 'The summit the article is most about (best score).';
comment on column stg_article_summit_tags.summit_ids is 'Every summit the article is tagged with, best first.';
