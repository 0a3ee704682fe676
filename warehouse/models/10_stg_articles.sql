-- Staging: articles with tidy names and a UTC publication date.
create or replace view stg_articles as
with source as (
    select * from articles
),

final as (
    select
        article_id,
        title,
        text,
        language,
        published_at,
        cast(timezone('UTC', published_at) as date) as published_date,
        nullif(trim(outlet), '') as outlet,
        url,
        author,
        n_words,
        text_hash,
        source_path,
        item,
        run_id
    from source
)

select * from final;

comment on view stg_articles is 'Staging view of articles: one row per article, an empty outlet as null, UTC publication date.';
comment on column stg_articles.article_id is 'Stable article id (articles.article_id).';
comment on column stg_articles.title is 'Headline, when the source has one.';
comment on column stg_articles.text is 'Normalized article text; mention and quote offsets index it.';
comment on column stg_articles.language is 'ISO 639-1 language of the article.';
comment on column stg_articles.published_at is 'Publication time (UTC), null when unknown.';
comment on column stg_articles.published_date is 'Publication date in UTC, null when unknown.';
comment on column stg_articles.outlet is 'Publishing outlet; null when the source names none (reports show "(unknown)").';
comment on column stg_articles.url is 'Canonical URL, when known.';
comment on column stg_articles.author is 'Author or byline.';
comment on column stg_articles.n_words is 'Whitespace-separated words in the text.';
comment on column stg_articles.text_hash is 'Digest of the normalized text: equal hashes are exact duplicates.';
comment on column stg_articles.source_path is 'Input file the article came from.';
comment on column stg_articles.item is 'Position inside the input file; empty for one-article files.';
comment on column stg_articles.run_id is 'Run that loaded the article.';
