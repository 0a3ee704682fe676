-- name: articles_mentioning
-- Articles that mention an entity (by canonical name), newest first.
-- param: entity text  canonical name, e.g. Donald Trump
-- param: limit integer = 50  rows to return
select a.published_date, a.outlet, a.language, a.title, e.mentions, e.roles, a.article_id
from mart_article_entities as e
join mart_articles as a using (article_id)
where e.canonical_name = $entity
order by a.published_date desc nulls last, a.outlet, a.article_id
limit $limit;

-- name: entity_cooccurrences
-- The entities named most often together with one entity.
-- param: entity text  canonical name, e.g. Kim Jong Un
-- param: limit integer = 25  rows to return
with article_entities as (
    select article_id, story_id, entity_id, canonical_name, entity_type from mart_article_entities
),

target as (  -- the articles naming the entity, found before any pairs are formed
    select article_id, story_id, entity_id from article_entities where canonical_name = $entity
),

final as (
    select
        o.canonical_name as other,
        any_value(o.entity_type) as other_type,
        count(*) as articles,
        count(distinct t.story_id) as stories
    from target as t
    join article_entities as o on o.article_id = t.article_id and o.entity_id <> t.entity_id
    where o.canonical_name is distinct from $entity or o.entity_id > t.entity_id  -- a pair of two namesakes once
    group by t.entity_id, o.entity_id, o.canonical_name
)

select other, other_type, articles, stories
from final
order by articles desc, stories desc, other
limit $limit;

-- name: coverage_by_outlet
-- Articles and distinct stories per outlet between two dates (inclusive).
-- param: date_from date = 1900-01-01  first publication date
-- param: date_to date = 2999-12-31  last publication date
select outlet, cast(sum(articles) as bigint) as articles, cast(sum(stories) as bigint) as stories
from mart_coverage_daily
where published_date between $date_from and $date_to
group by outlet
order by articles desc, outlet;

-- name: descriptors_of
-- How each outlet describes one person (Machthaber, Staatschef, ...).
-- param: person text  canonical name, e.g. Kim Jong Un
select outlet, descriptor, mentions, articles, stories
from mart_person_descriptors
where canonical_name = $person
order by outlet, mentions desc, descriptor;

-- name: quotes_by_speaker
-- Quotes of one speaker (canonical name, or as written when unresolved), newest first.
-- param: speaker text  e.g. Kim Jong Un
-- param: limit integer = 100  rows to return
select published_date, outlet, kind, quote, speaker_text, title, article_id
from mart_quotes
where speaker = $speaker
order by published_date desc nulls last, outlet, quote_id
limit $limit;
