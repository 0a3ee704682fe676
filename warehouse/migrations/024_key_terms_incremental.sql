-- Key terms kept up to date for the changed articles only (warehouse/key_terms.py):
-- document frequencies and summit term totals are maintained tables, and the
-- key_terms table gives way to the view mart_key_terms (warehouse/models) that ranks
-- from them at read time (TF-IDF depends on the number of articles, so stored
-- scores would change for every article on every run).

drop table if exists key_terms;

create table if not exists key_term_articles (
    article_id varchar primary key,
    language varchar not null,
    digest varchar not null
);
comment on table key_term_articles is 'Articles whose candidate terms are counted in term_document_frequency, with a digest of those terms.';
comment on column key_term_articles.article_id is 'Article (articles.article_id).';
comment on column key_term_articles.language is 'Language of its terms.';
comment on column key_term_articles.digest is 'Digest of its article_terms rows when counted.';

create table if not exists key_term_sources (
    article_id varchar not null,
    language varchar not null,
    term varchar not null
);  -- no primary key here or below: an index makes the first bulk count several times slower
comment on table key_term_sources is 'The (article, term) pairs counted in term_document_frequency: what to subtract when the article changes.';
comment on column key_term_sources.article_id is 'Article (articles.article_id).';
comment on column key_term_sources.language is 'Language of the term.';
comment on column key_term_sources.term is 'Lemmatized term (article_terms.term).';

create table if not exists term_document_frequency (
    language varchar not null,
    term varchar not null,
    df integer not null
);
comment on table term_document_frequency is 'Articles of a language with each candidate term (the df of TF-IDF), over the articles in key_term_articles.';
comment on column term_document_frequency.language is 'Language of the term.';
comment on column term_document_frequency.term is 'Lemmatized term.';
comment on column term_document_frequency.df is 'Articles of the language whose article_terms hold the term.';

create table if not exists summit_term_totals (
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

create table if not exists key_term_summit_sources (
    article_id varchar not null,
    summit_id varchar not null
);
comment on table key_term_summit_sources is 'The summit tags summit_term_totals was computed from (article_summits at the last ranking).';
comment on column key_term_summit_sources.article_id is 'Article (articles.article_id).';
comment on column key_term_summit_sources.summit_id is 'Summit (summits.summit_id).';

create table if not exists key_term_limits (
    per_article integer not null,
    per_summit integer not null
);
comment on table key_term_limits is 'Terms kept per article and per summit and language (keyterms.per_article, keyterms.per_summit at the last ranking).';
comment on column key_term_limits.per_article is 'Top terms per article and language.';
comment on column key_term_limits.per_summit is 'Top terms per summit and language.';
