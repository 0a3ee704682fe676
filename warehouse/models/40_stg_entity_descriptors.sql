-- Staging (issue 5): the descriptors outlets write for each person, one row
-- per person, outlet and descriptor. A descriptor is the role or title word
-- written with a name ("Machthaber Kim Jong Un") or standing for it ("der
-- Machthaber", resolved to the person within the article).
create or replace view stg_entity_descriptors as
with mentions as (
    select article_id, entity_id, role, source
    from mentions
    where label = 'PER' and entity_id is not null and nullif(trim(role), '') is not null
),

articles as (
    select article_id, outlet, language from articles
),

entities as (
    select entity_id, canonical_name, wikidata_id from entities
),

final as (
    select
        m.entity_id,
        e.canonical_name,
        e.wikidata_id,
        a.outlet,
        a.language,
        m.role as descriptor,
        count(*) as mentions,
        count(*) filter (where m.source = 'role') as standalone_mentions,
        count(distinct m.article_id) as articles
    from mentions as m
    join articles as a using (article_id)
    left join entities as e using (entity_id)
    group by m.entity_id, e.canonical_name, e.wikidata_id, a.outlet, a.language, m.role
)

select * from final;

comment on view stg_entity_descriptors is 'Descriptors (Machthaber, Staatschef, US-Präsident …) each outlet uses for each person, with counts.';
comment on column stg_entity_descriptors.entity_id is 'Person (entities.entity_id).';
comment on column stg_entity_descriptors.canonical_name is 'Preferred name of the person.';
comment on column stg_entity_descriptors.wikidata_id is 'Wikidata Q-id of the person, when known.';
comment on column stg_entity_descriptors.outlet is 'Outlet of the articles.';
comment on column stg_entity_descriptors.language is 'Language of the articles.';
comment on column stg_entity_descriptors.descriptor is 'Role or title word as written (mentions.role).';
comment on column stg_entity_descriptors.mentions is 'Mentions of the person carrying this descriptor.';
comment on column stg_entity_descriptors.standalone_mentions is 'Of those, title-only references ("der Machthaber") resolved to the person.';
comment on column stg_entity_descriptors.articles is 'Articles using the descriptor for the person.';
