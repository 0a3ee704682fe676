-- Mart: coverage per outlet per language per day (articles and distinct stories).
create or replace view mart_coverage_daily as
with articles as (
    select * from mart_articles
),

final as (
    select
        published_date,
        outlet,
        language,
        count(*) as articles,
        count(distinct story_id) as stories,
        sum(n_words) as words
    from articles
    group by published_date, outlet, language
)

select * from final;

comment on view mart_coverage_daily is 'Coverage per publication day, outlet and language (undated articles under a null date).';
comment on column mart_coverage_daily.published_date is 'Publication date (UTC); null for undated articles.';
comment on column mart_coverage_daily.outlet is 'Outlet.';
comment on column mart_coverage_daily.language is 'Language.';
comment on column mart_coverage_daily.articles is 'Articles published.';
comment on column mart_coverage_daily.stories is 'Distinct stories published (copies counted once).';
comment on column mart_coverage_daily.words is 'Words published.';
