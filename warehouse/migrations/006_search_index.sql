-- The analyst's warehouse: bookkeeping of the full-text search index.

create table search_index (
    index_name varchar primary key,
    articles integer not null,
    fingerprint varchar not null,
    stemmer varchar not null,
    built_at timestamptz not null,
    build_seconds double not null,
    run_id varchar
);
comment on table search_index is 'State of the BM25 full-text index over articles (DuckDB fts): rebuilt only when the articles it covers changed.';
comment on column search_index.index_name is 'Indexed table (articles); the index itself lives in schema fts_main_<index_name>.';
comment on column search_index.articles is 'Articles covered by the index.';
comment on column search_index.fingerprint is 'Digest of (article_id, text_hash, title) of every article when the index was built.';
comment on column search_index.stemmer is 'Stemmer the index was built with (search.stemmer).';
comment on column search_index.built_at is 'When the index was built.';
comment on column search_index.build_seconds is 'Seconds the build took.';
comment on column search_index.run_id is 'Run whose post-load step built it (null when built by hand).';

-- schema_migrations is created by warehouse/migrations.py, not by a migration file.
comment on table schema_migrations is 'Applied schema migrations (warehouse/migrations/NNN_name.sql), one row per version.';
comment on column schema_migrations.version is 'Migration number (NNN of the file name).';
comment on column schema_migrations.name is 'Migration name (the file name after the number).';
comment on column schema_migrations.applied_at is 'When the migration was applied.';
