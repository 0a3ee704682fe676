-- One naming scheme for every view (issue 20): stg_ (one raw table tidied),
-- int_ (shared joins), mart_ (what analysts query and `newsflow export` writes).
-- The views under their old names are dropped; warehouse/models/ creates the
-- mart_ ones after the migrations.

drop view if exists summit_people_quoted;
drop view if exists syndication_stories;
drop view if exists syndication_articles;
drop view if exists outlet_story_counts;
drop view if exists entity_story_counts;
drop view if exists agency_outlet_counts;
drop view if exists summit_story_counts;
