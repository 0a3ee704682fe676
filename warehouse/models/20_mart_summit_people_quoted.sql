-- requires: article_summits(article_id, summit_id), quotes(article_id, kind, speaker_text, speaker_entity_id)
-- People quoted per summit: who was quoted how often, in how many articles and outlets.
create or replace view mart_summit_people_quoted as
with tags as (
    select article_id, summit_id from article_summits
),

quotes_source as (
    select article_id, kind, speaker_text, speaker_entity_id from quotes
    where speaker_entity_id is not null or speaker_text is not null
),

articles as (
    select article_id, outlet from articles
),

speakers as (
    select entity_id, canonical_name, wikidata_id from entities
),

final as (
    select
        t.summit_id,
        q.speaker_entity_id,
        coalesce(s.canonical_name, q.speaker_text) as speaker,
        s.wikidata_id as speaker_wikidata_id,
        count(*) as quotes,
        count(*) filter (where q.kind = 'direct') as direct_quotes,
        count(*) filter (where q.kind = 'partial') as partial_quotes,
        count(*) filter (where q.kind = 'indirect') as indirect_quotes,
        count(distinct q.article_id) as articles,
        count(distinct a.outlet) as outlets
    from quotes_source as q
    join tags as t using (article_id)
    join articles as a using (article_id)
    left join speakers as s on s.entity_id = q.speaker_entity_id
    group by all
)

select * from final;

comment on view mart_summit_people_quoted is 'Speakers quoted in articles tagged with each summit (persons by entity, others as written).';
comment on column mart_summit_people_quoted.summit_id is 'Summit.';
comment on column mart_summit_people_quoted.speaker_entity_id is 'Speaker entity; null when the speaker is not a resolved person.';
comment on column mart_summit_people_quoted.speaker is 'Canonical name, else the speaker as written.';
comment on column mart_summit_people_quoted.speaker_wikidata_id is 'Wikidata Q-id of the speaker, when known.';
comment on column mart_summit_people_quoted.quotes is 'Quotes of any kind.';
comment on column mart_summit_people_quoted.direct_quotes is 'Direct quotes.';
comment on column mart_summit_people_quoted.partial_quotes is 'Partial quotes.';
comment on column mart_summit_people_quoted.indirect_quotes is 'Reported (indirect) speech.';
comment on column mart_summit_people_quoted.articles is 'Articles with such quotes.';
comment on column mart_summit_people_quoted.outlets is 'Distinct outlets printing them.';
