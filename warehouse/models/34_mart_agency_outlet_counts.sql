-- requires: clusters(cluster_id, article_id, role), article_agencies(article_id, agency, kind)
-- Which outlets ran which agency's stories.
create or replace view mart_agency_outlet_counts as
with credits as (
    select distinct article_id, agency from article_agencies
),

members as (
    select article_id, outlet, published_at, cluster_id from mart_syndication_articles
),

final as (
    select
        c.agency,
        m.outlet,
        count(*) as articles,
        count(distinct m.cluster_id) as distinct_stories,
        min(m.published_at) as first_published_at,
        max(m.published_at) as last_published_at
    from credits as c
    join members as m using (article_id)
    group by c.agency, m.outlet
)

select * from final order by agency, articles desc, outlet;

comment on view mart_agency_outlet_counts is 'Per agency and outlet: articles crediting the agency and the distinct stories among them.';
comment on column mart_agency_outlet_counts.agency is 'Agency code (configs/agencies.csv).';
comment on column mart_agency_outlet_counts.outlet is 'Publishing outlet.';
comment on column mart_agency_outlet_counts.articles is 'Articles of the outlet crediting the agency (raw count).';
comment on column mart_agency_outlet_counts.distinct_stories is 'Distinct story clusters among them.';
comment on column mart_agency_outlet_counts.first_published_at is 'Earliest such article.';
comment on column mart_agency_outlet_counts.last_published_at is 'Latest such article.';
