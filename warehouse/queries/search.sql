-- name: search_articles
-- Articles ranked by BM25 over title and text (DuckDB fts), best first.
-- param: query text  words to look for (stemmed like the index)
-- param: language text = null  only articles in this ISO 639-1 language
-- param: outlet text = null  only articles of this outlet
-- param: phrases text[] = []  regexes over strip_accents(lower(title and text)) that must all match
-- param: excluded text[] = []  regexes of which none may match
-- param: limit integer = 10  results to return
with scored as (
    select article_id, fts_main_articles.match_bm25(article_id, $query) as score
    from articles
),

final as (
    select
        s.score,
        a.article_id,
        a.title,
        coalesce(nullif(trim(a.outlet), ''), '(unknown)') as outlet,
        a.language,
        cast(timezone('UTC', a.published_at) as date) as published_date,
        a.text
    from scored as s
    join articles as a using (article_id)
    where s.score is not null
      and ($language is null or a.language = $language)
      and ($outlet is null or a.outlet = $outlet)
      and coalesce(list_bool_and([regexp_matches(strip_accents(lower(coalesce(a.title, '') || ' ' || a.text)), p) for p in $phrases]), true)
      and not coalesce(list_bool_or([regexp_matches(strip_accents(lower(coalesce(a.title, '') || ' ' || a.text)), p) for p in $excluded]), false)
)

select * from final
order by score desc, article_id
limit $limit;

-- name: search_articles_in_summit
-- Articles tagged with one summit, ranked by BM25 over title and text.
-- param: query text  words to look for (stemmed like the index)
-- param: summit text  summit id, e.g. hanoi-2019
-- param: language text = null  only articles in this ISO 639-1 language
-- param: outlet text = null  only articles of this outlet
-- param: phrases text[] = []  regexes over strip_accents(lower(title and text)) that must all match
-- param: excluded text[] = []  regexes of which none may match
-- param: limit integer = 10  results to return
with scored as (
    select article_id, fts_main_articles.match_bm25(article_id, $query) as score
    from articles
    where article_id in (select article_id from stg_article_summits where summit_id = $summit)
),

final as (
    select
        s.score,
        a.article_id,
        a.title,
        coalesce(nullif(trim(a.outlet), ''), '(unknown)') as outlet,
        a.language,
        cast(timezone('UTC', a.published_at) as date) as published_date,
        a.text
    from scored as s
    join articles as a using (article_id)
    where s.score is not null
      and ($language is null or a.language = $language)
      and ($outlet is null or a.outlet = $outlet)
      and coalesce(list_bool_and([regexp_matches(strip_accents(lower(coalesce(a.title, '') || ' ' || a.text)), p) for p in $phrases]), true)
      and not coalesce(list_bool_or([regexp_matches(strip_accents(lower(coalesce(a.title, '') || ' ' || a.text)), p) for p in $excluded]), false)
)

select * from final
order by score desc, article_id
limit $limit;
