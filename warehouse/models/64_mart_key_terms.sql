-- requires: article_terms, key_term_articles, term_document_frequency, summit_term_totals, key_term_limits
-- Mart: top key terms per article and per summit, ranked by TF-IDF at read time from the statistics
-- each run keeps current for its changed articles (warehouse/key_terms.py). A filter on scope and
-- scope_id reaches the scans, so one summit or one article costs milliseconds.
create or replace view mart_key_terms as
with corpus as (
    select language, count(*) as n_articles from key_term_articles group by language
),

idf as (
    select d.language, d.term, ln((1 + c.n_articles) / (1 + d.df)) + 1 as idf
    from term_document_frequency d join corpus c using (language)
),

per_article as (
    select 'article' as scope, t.article_id as scope_id, t.language, t.term, t.display,
           (1 + ln(t.count)) * i.idf as score, t.count, 1 as articles
    from article_terms t semi join key_term_articles k using (article_id) join idf i using (language, term)
),

per_summit as (
    select 'summit' as scope, s.summit_id as scope_id, s.language, s.term, s.display,
           (1 + ln(s.count)) * i.idf * (1 + ln(s.articles)) as score, s.count, s.articles
    from summit_term_totals s join idf i using (language, term)
),

ranked as (
    select *, cast(row_number() over (partition by scope, scope_id, language order by score desc, term) as integer) as rank
    from (select * from per_article union all select * from per_summit)
),

final as (
    select r.scope, r.scope_id, r.language, r.rank, r.term, r.display, r.score, r.count, r.articles
    from ranked r, key_term_limits l
    where r.rank <= case r.scope when 'article' then l.per_article else l.per_summit end
)

select * from final;
comment on view mart_key_terms is 'Top key terms per article and per summit, ranked by TF-IDF over the whole warehouse at read time from term_document_frequency and summit_term_totals.';
comment on column mart_key_terms.scope is 'article or summit.';
comment on column mart_key_terms.scope_id is 'articles.article_id or summits.summit_id.';
comment on column mart_key_terms.language is 'Language of the term.';
comment on column mart_key_terms.rank is '1 = best term of the scope and language.';
comment on column mart_key_terms.term is 'Lemmatized term.';
comment on column mart_key_terms.display is 'Most frequent written form.';
comment on column mart_key_terms.score is 'TF-IDF: (1 + ln count) * (ln((1 + N) / (1 + df)) + 1), N and df over articles of the language; summits times (1 + ln articles).';
comment on column mart_key_terms.count is 'Occurrences in the scope.';
comment on column mart_key_terms.articles is 'Articles of the scope with the term.';
