-- Mart: pairs of canonical entities named in the same article.
create or replace view mart_entity_cooccurrence as
with article_entities as (
    select article_id, story_id, entity_id, canonical_name, entity_type from mart_article_entities
),

pairs as (
    select
        a.entity_id as entity_a,
        a.canonical_name as name_a,
        a.entity_type as type_a,
        b.entity_id as entity_b,
        b.canonical_name as name_b,
        b.entity_type as type_b,
        a.article_id,
        a.story_id
    from article_entities as a
    join article_entities as b
        on a.article_id = b.article_id and a.entity_id < b.entity_id
),

final as (
    select
        entity_a,
        any_value(name_a) as name_a,
        any_value(type_a) as type_a,
        entity_b,
        any_value(name_b) as name_b,
        any_value(type_b) as type_b,
        count(*) as articles,
        count(distinct story_id) as stories
    from pairs
    group by entity_a, entity_b
)

select * from final;

comment on view mart_entity_cooccurrence is 'Co-occurrence of canonical entities: each unordered pair once (entity_a < entity_b) with the articles naming both.';
comment on column mart_entity_cooccurrence.entity_a is 'First entity of the pair (the smaller id).';
comment on column mart_entity_cooccurrence.name_a is 'Preferred name of entity_a.';
comment on column mart_entity_cooccurrence.type_a is 'Type of entity_a.';
comment on column mart_entity_cooccurrence.entity_b is 'Second entity of the pair (the larger id).';
comment on column mart_entity_cooccurrence.name_b is 'Preferred name of entity_b.';
comment on column mart_entity_cooccurrence.type_b is 'Type of entity_b.';
comment on column mart_entity_cooccurrence.articles is 'Articles naming both entities.';
comment on column mart_entity_cooccurrence.stories is 'Distinct stories naming both entities (copies counted once).';
