-- requires: quotes(quote_id, article_id, kind, text, speaker_text, speaker_entity_id)
-- Mart: who was quoted where -- quotes per speaker per outlet.
create or replace view mart_quotes_by_speaker as
with quotes as (
    select * from mart_quotes
),

final as (
    select
        speaker,
        speaker_entity_id,
        outlet,
        count(*) as quotes,
        count(*) filter (where kind = 'direct') as direct_quotes,
        count(distinct article_id) as articles,
        count(distinct story_id) as stories,
        min(published_date) as first_date,
        max(published_date) as last_date
    from quotes
    group by speaker, speaker_entity_id, outlet
)

select * from final;

comment on view mart_quotes_by_speaker is 'Quotes counted per speaker and outlet (who quoted whom).';
comment on column mart_quotes_by_speaker.speaker is 'Canonical speaker name, else the speaker as written.';
comment on column mart_quotes_by_speaker.speaker_entity_id is 'Canonical speaker entity, null when unresolved.';
comment on column mart_quotes_by_speaker.outlet is 'Outlet.';
comment on column mart_quotes_by_speaker.quotes is 'Quotes of any kind.';
comment on column mart_quotes_by_speaker.direct_quotes is 'Direct quotes.';
comment on column mart_quotes_by_speaker.articles is 'Articles quoting the speaker.';
comment on column mart_quotes_by_speaker.stories is 'Distinct stories quoting the speaker (copies counted once).';
comment on column mart_quotes_by_speaker.first_date is 'First publication date with a quote.';
comment on column mart_quotes_by_speaker.last_date is 'Last publication date with a quote.';
