-- requires: article_summits(article_id, summit_id, score, evidence), summits(summit_id, name, start_date)
-- Staging: the summits each article covers (summits stage, migration 004).
create or replace view stg_article_summits as
with tags as (
    select * from article_summits
),

calendar as (
    select summit_id, name, start_date from summits
),

final as (
    select
        t.article_id,
        t.summit_id,
        c.name as summit_name,
        c.start_date as summit_start_date,
        t.score,
        t.evidence,
        row_number() over (partition by t.article_id order by t.score desc, t.summit_id) = 1 as is_primary
    from tags as t
    left join calendar as c using (summit_id)
)

select * from final;

comment on view stg_article_summits is 'Summit tags of each article with the summit''s name; one row per article and summit.';
comment on column stg_article_summits.article_id is 'Article.';
comment on column stg_article_summits.summit_id is 'Summit, e.g. hanoi-2019.';
comment on column stg_article_summits.summit_name is 'Human-readable summit name.';
comment on column stg_article_summits.summit_start_date is 'First day of the summit.';
comment on column stg_article_summits.score is 'Evidence score 0-1 of the tag.';
comment on column stg_article_summits.evidence is 'What led to the tag (date window, places, participants, phrases).';
comment on column stg_article_summits.is_primary is 'True for the article''s best-scored summit (ties: smaller summit_id).';
