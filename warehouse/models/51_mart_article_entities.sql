-- Mart: one row per article and canonical entity, with its mentions there.
create or replace view mart_article_entities as
with mentions as (
    select * from stg_mentions where entity_id is not null
),

articles as (
    select article_id, outlet, language, published_date from stg_articles
),

stories as (
    select article_id, story_id from stg_article_stories
),

per_article as (
    select
        article_id,
        entity_id,
        canonical_name,
        any_value(entity_type) as entity_type,
        wikidata_id,
        count(*) as mentions,
        min(start_char) as first_char,
        list_sort(list_distinct(list(mention_text))) as written_as,
        list_sort(list_distinct(list(role) filter (where role is not null))) as roles
    from mentions
    group by article_id, entity_id, canonical_name, wikidata_id  -- one per entity_id (from entities): filters on the name are pushed down
),

final as (
    select
        p.article_id,
        a.outlet,
        a.language,
        a.published_date,
        s.story_id,
        p.entity_id,
        p.canonical_name,
        p.entity_type,
        p.wikidata_id,
        p.mentions,
        p.first_char,
        p.written_as,
        p.roles
    from per_article as p
    join articles as a using (article_id)
    left join stories as s using (article_id)
)

select * from final;

comment on view mart_article_entities is 'Entity mentions per article, one row per article and canonical entity.';
comment on column mart_article_entities.article_id is 'Article.';
comment on column mart_article_entities.outlet is 'Outlet of the article.';
comment on column mart_article_entities.language is 'Language of the article.';
comment on column mart_article_entities.published_date is 'Publication date (UTC) of the article.';
comment on column mart_article_entities.story_id is 'Distinct story of the article (count distinct story_id for story counts).';
comment on column mart_article_entities.entity_id is 'Canonical entity.';
comment on column mart_article_entities.canonical_name is 'Preferred name of the entity.';
comment on column mart_article_entities.entity_type is 'PER, LOC, ORG or MISC.';
comment on column mart_article_entities.wikidata_id is 'Wikidata Q-id, when known.';
comment on column mart_article_entities.mentions is 'Mentions of the entity in the article.';
comment on column mart_article_entities.first_char is 'Offset of the first mention in articles.text.';
comment on column mart_article_entities.written_as is 'Distinct surface forms used for the entity in the article.';
comment on column mart_article_entities.roles is 'Distinct roles/descriptors written with the entity in the article.';
