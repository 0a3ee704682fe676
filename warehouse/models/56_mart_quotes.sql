-- requires: quotes(quote_id, article_id, kind, text, speaker_text, speaker_entity_id)
-- Mart: quotes by speaker with outlet and date (waits for the quotes stage).
create or replace view mart_quotes as
with quotes_source as (
    select * from quotes
),

articles as (
    select article_id, outlet, language, published_at, published_date, title from stg_articles
),

speakers as (
    select entity_id, canonical_name, wikidata_id from entities
),

stories as (
    select article_id, story_id from stg_article_stories
),

final as (
    select
        q.quote_id,
        q.article_id,
        s.story_id,
        a.outlet,
        a.language,
        a.published_at,
        a.published_date,
        a.title,
        q.kind,
        q.text as quote,
        q.speaker_text,
        q.speaker_entity_id,
        coalesce(sp.canonical_name, q.speaker_text) as speaker,
        sp.wikidata_id as speaker_wikidata_id
    from quotes_source as q
    join articles as a using (article_id)
    left join speakers as sp on sp.entity_id = q.speaker_entity_id
    left join stories as s using (article_id)
)

select * from final;

comment on view mart_quotes is 'Quotes with their speaker (canonical where resolved), outlet and date.';
comment on column mart_quotes.quote_id is 'Quote.';
comment on column mart_quotes.article_id is 'Article the quote is in.';
comment on column mart_quotes.story_id is 'Distinct story of the article (count distinct for story counts).';
comment on column mart_quotes.outlet is 'Outlet that printed the quote.';
comment on column mart_quotes.language is 'Language of the article.';
comment on column mart_quotes.published_at is 'Publication time (UTC).';
comment on column mart_quotes.published_date is 'Publication date (UTC).';
comment on column mart_quotes.title is 'Headline of the article.';
comment on column mart_quotes.kind is 'direct, partial or indirect.';
comment on column mart_quotes.quote is 'Quoted text.';
comment on column mart_quotes.speaker_text is 'Speaker as written (name, role or pronoun).';
comment on column mart_quotes.speaker_entity_id is 'Canonical speaker entity, when resolved.';
comment on column mart_quotes.speaker is 'Canonical speaker name, else the speaker as written.';
comment on column mart_quotes.speaker_wikidata_id is 'Wikidata Q-id of the speaker, when known.';
