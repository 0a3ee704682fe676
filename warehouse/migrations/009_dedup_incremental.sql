-- Incremental clustering (issue 7): dedup_matched also records the text hash
-- and date each article was clustered with, so a run recomputes only the
-- clusters of articles that changed since (warehouse/dedup_clusters.py).
-- Rows from before this migration have nulls here: they count as changed
-- once, and the next clustering recomputes every cluster.

alter table dedup_matched add column text_hash varchar;
alter table dedup_matched add column published_at timestamptz;
comment on table dedup_matched is 'What each article was last matched and clustered with (signature scheme, body hash, text hash, date): an article whose values differ is matched again (new signature) or has its cluster recomputed (new text hash or date).';
comment on column dedup_matched.text_hash is 'articles.text_hash when clustered (equal normalized texts are exact duplicates).';
comment on column dedup_matched.published_at is 'articles.published_at when clustered (decides which member is the original).';
