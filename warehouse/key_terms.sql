-- Key terms per article and per summit by TF-IDF over the whole warehouse, from scratch.
-- The reference the maintained tables behind the mart_key_terms view must equal (tests, bench).
-- Parameters: $per_article, $per_summit (terms kept per scope and language).
with terms as (
    select t.article_id, t.language, t.term, t.display, t.count
    from article_terms t
    join articles a using (article_id)
),

corpus as (
    select language, count(distinct article_id) as n_articles from terms group by language
),

document_frequency as (
    select language, term, count(*) as df from terms group by language, term
),

idf as (
    select d.language, d.term, ln((1 + c.n_articles) / (1 + d.df)) + 1 as idf
    from document_frequency d join corpus c using (language)
),

per_article as (
    select
        'article' as scope,
        t.article_id as scope_id,
        t.language,
        t.term,
        t.display,
        (1 + ln(t.count)) * i.idf as score,
        t.count,
        1 as articles
    from terms t join idf i using (language, term)
),

summit_terms as (
    select
        s.summit_id,
        t.language,
        t.term,
        arg_max(t.display, (t.count, t.display)) as display,  -- ties: the greater form, so it is deterministic
        sum(t.count) as count,
        count(distinct t.article_id) as articles
    from terms t
    join article_summits s using (article_id)
    group by s.summit_id, t.language, t.term
),

per_summit as (
    select
        'summit' as scope,
        s.summit_id as scope_id,
        s.language,
        s.term,
        s.display,
        (1 + ln(s.count)) * i.idf * (1 + ln(s.articles)) as score,
        s.count,
        s.articles
    from summit_terms s join idf i using (language, term)
),

ranked as (
    select *, row_number() over (partition by scope, scope_id, language order by score desc, term) as rank
    from (select * from per_article union all select * from per_summit)
)

select scope, scope_id, language, rank, term, display, score, count, articles
from ranked
where rank <= case scope when 'article' then $per_article else $per_summit end
