-- Staging: entity mentions with their canonical entity resolved.
create or replace view stg_mentions as
with mentions_source as (
    select * from mentions
),

entities_source as (
    select * from entities
),

final as (
    select
        m.article_id,
        m.start_char,
        m.end_char,
        m.text as mention_text,
        m.label,
        m.entity_id,
        e.canonical_name,
        coalesce(e.type, m.label) as entity_type,
        e.wikidata_id,
        nullif(trim(m.role), '') as role,
        m.sentence
    from mentions_source as m
    left join entities_source as e using (entity_id)
)

select * from final;

comment on view stg_mentions is 'Staging view of entity mentions joined to their canonical entity.';
comment on column stg_mentions.article_id is 'Article the mention is in.';
comment on column stg_mentions.start_char is 'Start offset in articles.text (characters).';
comment on column stg_mentions.end_char is 'End offset (exclusive) in articles.text.';
comment on column stg_mentions.mention_text is 'The mention as written in the article.';
comment on column stg_mentions.label is 'NER label of the mention: PER, LOC, ORG or MISC.';
comment on column stg_mentions.entity_id is 'Canonical entity id (entities.entity_id), null when unresolved.';
comment on column stg_mentions.canonical_name is 'Preferred name of the canonical entity.';
comment on column stg_mentions.entity_type is 'Entity type: PER, LOC, ORG or MISC (the mention label when unresolved).';
comment on column stg_mentions.wikidata_id is 'Wikidata Q-id of the entity, when known.';
comment on column stg_mentions.role is 'Title or role written with the mention (a descriptor such as Machthaber), null when none.';
comment on column stg_mentions.sentence is 'Index of the sentence within the article.';
