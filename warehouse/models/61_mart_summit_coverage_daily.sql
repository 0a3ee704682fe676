-- requires: article_summits(article_id, summit_id, score, evidence), summits(summit_id, name, start_date)
-- Mart: coverage per summit per outlet per day (articles and distinct stories).
create or replace view mart_summit_coverage_daily as
with tags as (
    select article_id, summit_id, summit_name from stg_article_summits
),

articles as (
    select article_id, outlet, language, published_date, story_id, n_words from mart_articles
),

final as (
    select
        t.summit_id,
        any_value(t.summit_name) as summit_name,
        a.published_date,
        a.outlet,
        a.language,
        count(*) as articles,
        count(distinct a.story_id) as stories,
        sum(a.n_words) as words
    from tags as t
    join articles as a using (article_id)
    group by t.summit_id, a.published_date, a.outlet, a.language
)

select * from final;

comment on view mart_summit_coverage_daily is 'Coverage of each summit per publication day, outlet and language (an article tagged with two summits counts for both).';
comment on column mart_summit_coverage_daily.summit_id is 'Summit.';
comment on column mart_summit_coverage_daily.summit_name is 'Human-readable summit name.';
comment on column mart_summit_coverage_daily.published_date is 'Publication date (UTC); null for undated articles.';
comment on column mart_summit_coverage_daily.outlet is 'Outlet.';
comment on column mart_summit_coverage_daily.language is 'Language.';
comment on column mart_summit_coverage_daily.articles is 'Articles about the summit.';
comment on column mart_summit_coverage_daily.stories is 'Distinct stories about the summit (copies counted once).';
comment on column mart_summit_coverage_daily.words is 'Words published about the summit.';
