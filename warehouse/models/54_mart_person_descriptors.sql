-- Mart: the descriptors (roles, titles) each outlet writes with each person,
-- from mentions.role; 64_mart_person_descriptors_table.sql uses the entities
-- stage's descriptors table instead once it exists.
create or replace view mart_person_descriptors as
with mentions as (
    select * from stg_mentions where entity_type = 'PER' and role is not null and entity_id is not null
),

articles as (
    select article_id, outlet, language from stg_articles
),

stories as (
    select article_id, story_id from stg_article_stories
),

final as (
    select
        m.entity_id,
        any_value(m.canonical_name) as canonical_name,
        a.outlet,
        a.language,
        m.role as descriptor,
        count(*) as mentions,
        count(distinct m.article_id) as articles,
        count(distinct s.story_id) as stories
    from mentions as m
    join articles as a using (article_id)
    left join stories as s using (article_id)
    group by m.entity_id, a.outlet, a.language, m.role
)

select * from final;

comment on view mart_person_descriptors is 'Descriptors (Machthaber, Staatschef, US-Präsident ...) used for each person per outlet.';
comment on column mart_person_descriptors.entity_id is 'Person (canonical entity).';
comment on column mart_person_descriptors.canonical_name is 'Preferred name of the person.';
comment on column mart_person_descriptors.outlet is 'Outlet.';
comment on column mart_person_descriptors.language is 'Language of the articles.';
comment on column mart_person_descriptors.descriptor is 'Descriptor written with the person.';
comment on column mart_person_descriptors.mentions is 'Mentions carrying the descriptor.';
comment on column mart_person_descriptors.articles is 'Articles using the descriptor for the person.';
comment on column mart_person_descriptors.stories is 'Distinct stories using it (copies counted once).';
