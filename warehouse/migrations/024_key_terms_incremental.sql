-- Key terms kept up to date for the changed articles only (warehouse/key_terms.py):
-- document frequencies and summit term totals are maintained tables, and
-- key_terms becomes a view ranking from them at read time (TF-IDF depends on the
-- number of articles, so stored scores would change for every article on every run).

drop table key_terms;

create table key_term_articles (
    article_id varchar primary key,
    language varchar not null,
    digest varchar not null
);
comment on table key_term_articles is 'Articles whose candidate terms are counted in term_document_frequency, with a digest of those terms.';
comment on column key_term_articles.article_id is 'Article (articles.article_id).';
comment on column key_term_articles.language is 'Language of its terms.';
comment on column key_term_articles.digest is 'Digest of its article_terms rows when counted.';

create table key_term_sources (
    article_id varchar not null,
    language varchar not null,
    term varchar not null
);  -- no primary key here or below: an index makes the first bulk count several times slower
comment on table key_term_sources is 'The (article, term) pairs counted in term_document_frequency: what to subtract when the article changes.';
comment on column key_term_sources.article_id is 'Article (articles.article_id).';
comment on column key_term_sources.language is 'Language of the term.';
comment on column key_term_sources.term is 'Lemmatized term (article_terms.term).';

create table term_document_frequency (
    language varchar not null,
    term varchar not null,
    df integer not null
);
comment on table term_document_frequency is 'Articles of a language with each candidate term (the df of TF-IDF), over the articles in key_term_articles.';
comment on column term_document_frequency.language is 'Language of the term.';
comment on column term_document_frequency.term is 'Lemmatized term.';
comment on column term_document_frequency.df is 'Articles of the language whose article_terms hold the term.';

create table summit_term_totals (
    summit_id varchar not null,
    language varchar not null,
    term varchar not null,
    display varchar not null,
    count integer not null,
    articles integer not null
);
comment on table summit_term_totals is 'Candidate terms summed over the articles tagged with each summit; recomputed for the summits whose articles or tags changed.';
comment on column summit_term_totals.summit_id is 'Summit (summits.summit_id).';
comment on column summit_term_totals.language is 'Language of the term.';
comment on column summit_term_totals.term is 'Lemmatized term.';
comment on column summit_term_totals.display is 'Written form with the highest count in one article.';
comment on column summit_term_totals.count is 'Occurrences over the summit''s articles.';
comment on column summit_term_totals.articles is 'The summit''s articles with the term.';

create table key_term_summit_sources (
    article_id varchar not null,
    summit_id varchar not null
);
comment on table key_term_summit_sources is 'The summit tags summit_term_totals was computed from (article_summits at the last ranking).';
comment on column key_term_summit_sources.article_id is 'Article (articles.article_id).';
comment on column key_term_summit_sources.summit_id is 'Summit (summits.summit_id).';

create table key_term_limits (
    per_article integer not null,
    per_summit integer not null
);
comment on table key_term_limits is 'Terms kept per article and per summit and language (keyterms.per_article, keyterms.per_summit at the last ranking).';
comment on column key_term_limits.per_article is 'Top terms per article and language.';
comment on column key_term_limits.per_summit is 'Top terms per summit and language.';

create view key_terms as
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
)

select r.scope, r.scope_id, r.language, r.rank, r.term, r.display, r.score, r.count, r.articles
from ranked r, key_term_limits l
where r.rank <= case r.scope when 'article' then l.per_article else l.per_summit end;
comment on view key_terms is 'Top key terms per article and per summit, ranked by TF-IDF over the whole warehouse at read time from term_document_frequency and summit_term_totals.';
comment on column key_terms.scope is 'article or summit.';
comment on column key_terms.scope_id is 'articles.article_id or summits.summit_id.';
comment on column key_terms.language is 'Language of the term.';
comment on column key_terms.rank is '1 = best term of the scope and language.';
comment on column key_terms.term is 'Lemmatized term.';
comment on column key_terms.display is 'Most frequent written form.';
comment on column key_terms.score is 'TF-IDF: (1 + ln count) * (ln((1 + N) / (1 + df)) + 1), N and df over articles of the language; summits times (1 + ln articles).';
comment on column key_terms.count is 'Occurrences in the scope.';
comment on column key_terms.articles is 'Articles of the scope with the term.';
