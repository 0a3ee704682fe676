-- requires: article_summits(article_id, summit_id, score, evidence), summits(summit_id, name, start_date)
-- Staging: each article's summits in one row, from the summits stage's tags.
create or replace view stg_article_summit_tags as
with tags as (
    select * from stg_article_summits
),

final as (
    select
        article_id,
        any_value(summit_id) filter (where is_primary) as summit_id,
        list(summit_id order by score desc, summit_id) as summit_ids
    from tags
    group by article_id
)

select * from final;

comment on view stg_article_summit_tags is 'The summits of each tagged article, one row per article (empty before the summits stage).';
comment on column stg_article_summit_tags.article_id is 'Article.';
comment on column stg_article_summit_tags.summit_id is 'The summit the article is most about (best score).';
comment on column stg_article_summit_tags.summit_ids is 'Every summit the article is tagged with, best first.';
