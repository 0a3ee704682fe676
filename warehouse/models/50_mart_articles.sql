-- Mart: one row per article with outlet, language, date, summits, story and entity counts.
create or replace view mart_articles as
with articles as (
    select * from stg_articles
),

stories as (
    select * from stg_article_stories
),

mention_counts as (
    select
        article_id,
        count(*) as mentions,
        count(distinct entity_id) filter (where entity_type = 'PER') as people,
        count(distinct entity_id) filter (where entity_type = 'LOC') as places,
        count(distinct entity_id) filter (where entity_type = 'ORG') as organisations
    from stg_mentions
    group by article_id
),

summit_tags as (
    select * from stg_article_summit_tags
),

final as (
    select
        a.article_id,
        a.title,
        a.outlet,
        a.language,
        a.published_at,
        a.published_date,
        t.summit_id,
        coalesce(t.summit_ids, []::varchar[]) as summit_ids,
        s.story_id,
        s.story_id = a.article_id as is_story_original,
        a.n_words,
        coalesce(m.mentions, 0) as mentions,
        coalesce(m.people, 0) as people,
        coalesce(m.places, 0) as places,
        coalesce(m.organisations, 0) as organisations,
        a.url,
        a.source_path
    from articles as a
    left join stories as s using (article_id)
    left join mention_counts as m using (article_id)
    left join summit_tags as t using (article_id)
)

select * from final;

comment on view mart_articles is 'Articles with outlet, language, date, summits, distinct story and entity counts.';
comment on column mart_articles.article_id is 'Article.';
comment on column mart_articles.title is 'Headline.';
comment on column mart_articles.outlet is 'Publishing outlet (null when not named; reports show "(unknown)").';
comment on column mart_articles.language is 'ISO 639-1 language.';
comment on column mart_articles.published_at is 'Publication time (UTC).';
comment on column mart_articles.published_date is 'Publication date (UTC).';
comment on column mart_articles.summit_id is 'The summit the article is most about (best score); null when untagged.';
comment on column mart_articles.summit_ids is 'Every summit the article is tagged with, best first (empty when untagged).';
comment on column mart_articles.story_id is 'Distinct story (stg_article_stories): copies of one story share it.';
comment on column mart_articles.is_story_original is 'True for the article that stands for its story.';
comment on column mart_articles.n_words is 'Words in the text.';
comment on column mart_articles.mentions is 'Entity mentions in the article.';
comment on column mart_articles.people is 'Distinct people mentioned.';
comment on column mart_articles.places is 'Distinct places mentioned.';
comment on column mart_articles.organisations is 'Distinct organisations mentioned.';
comment on column mart_articles.url is 'Canonical URL, when known.';
comment on column mart_articles.source_path is 'Input file the article came from.';
