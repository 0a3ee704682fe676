-- name: report_coverage_daily
-- Articles and distinct stories per day and outlet (dated articles only).
select published_date, coalesce(outlet, '(unknown)') as outlet, cast(sum(articles) as bigint) as articles, cast(sum(stories) as bigint) as stories
from mart_coverage_daily
where published_date is not null
group by all
order by published_date, outlet;

-- name: report_undated_articles
-- Articles without a publication date (left out of the timeline).
select count(*) as articles from mart_articles where published_date is null;

-- name: report_top_entities
-- The most mentioned entities of one type, by articles and distinct stories.
-- param: entity_type text  PER, LOC, ORG or MISC
-- param: limit integer = 15  entities to return
select
    canonical_name,
    count(distinct article_id) as articles,
    count(distinct story_id) as stories,
    cast(sum(mentions) as bigint) as mentions
from mart_article_entities
where entity_type = $entity_type
group by canonical_name
order by articles desc, mentions desc, canonical_name
limit $limit;

-- name: report_quotes_by_outlet
-- Quotes per speaker and outlet for the most quoted speakers. A pronoun the
-- quote stage could not resolve to a person ("er", "Er", "she") is no speaker
-- of its own: it is left out (resolved ones are counted under their person).
-- param: limit integer = 20  speakers to show
with named as (
    select * from mart_quotes_by_speaker
    where speaker_entity_id is not null
       or lower(speaker) not in (
           'er', 'sie', 'es', 'ich', 'wir', 'ihr', 'man', 'he', 'she', 'it', 'they', 'i', 'we', 'you',
           'il', 'elle', 'ils', 'elles', 'on', 'je', 'nous', 'vous'
       )
),

top_speakers as (
    select speaker from named
    group by speaker order by sum(quotes) desc, speaker limit $limit
)

select q.speaker, coalesce(q.outlet, '(unknown)') as outlet, cast(sum(q.quotes) as bigint) as quotes,
    cast(sum(q.stories) as bigint) as stories
from named as q
join top_speakers using (speaker)
group by all
order by q.speaker, outlet;

-- name: report_duplicates_by_outlet
-- Articles, distinct stories and the share of copies per outlet.
select
    coalesce(outlet, '(unknown)') as outlet,
    count(*) as articles,
    count(distinct story_id) as stories,
    count(*) filter (where not is_story_original) as copies,
    round(count(*) filter (where not is_story_original) / count(*), 4) as copy_share
from mart_articles
group by all
order by articles desc, outlet;

-- name: report_rejects
-- Quarantined inputs by stage and reason over all runs.
select stage, reason, count(*) as rejects
from stg_rejects
group by stage, reason
order by rejects desc, stage, reason;

-- name: report_summit_coverage_daily
-- Articles and distinct stories per summit, day and outlet (dated articles only).
select
    summit_name as summit, published_date, coalesce(outlet, '(unknown)') as outlet,
    cast(sum(articles) as bigint) as articles, cast(sum(stories) as bigint) as stories
from mart_summit_coverage_daily
where published_date is not null
group by all
order by summit, published_date, outlet;

-- name: report_summit_top_entities
-- The most covered entities of one type in each summit's coverage.
-- param: entity_type text  PER, LOC, ORG or MISC
-- param: limit integer = 10  entities per summit
with ranked as (
    select
        summit_name as summit, canonical_name, articles, stories, cast(mentions as bigint) as mentions,
        row_number() over (partition by summit_id order by articles desc, mentions desc, canonical_name) as rank
    from mart_summit_entities
    where entity_type = $entity_type
)
select summit, canonical_name, articles, stories, mentions
from ranked
where rank <= $limit
order by summit, rank;
