-- The core tables: the file ledger, articles, entity mentions, entities,
-- quarantined inputs and runs. Offsets in mentions index articles.text.

create table files (
    path varchar primary key,
    size bigint not null,
    mtime_ns bigint not null,
    content_hash varchar not null,
    status varchar not null,
    articles integer not null,
    rejects integer not null,
    run_id varchar not null,
    first_seen_at timestamptz not null,
    processed_at timestamptz not null
);
comment on table files is 'Ledger of every input file: a file whose content hash is unchanged is skipped on rerun.';
comment on column files.path is 'Absolute path of the input file (the ledger key).';
comment on column files.size is 'Size in bytes when last processed.';
comment on column files.mtime_ns is 'Modification time (ns since epoch) when last processed.';
comment on column files.content_hash is 'blake2b-128 hex digest of the raw bytes.';
comment on column files.status is 'loaded (all articles loaded), partial (some items rejected) or rejected (nothing loaded).';
comment on column files.articles is 'Articles loaded from this file.';
comment on column files.rejects is 'Rejected items of this file.';
comment on column files.run_id is 'Run that last processed the file.';
comment on column files.first_seen_at is 'When newsflow first processed this path.';
comment on column files.processed_at is 'When the current content was processed.';

create table articles (
    article_id varchar primary key,
    source_path varchar not null,
    item varchar not null,
    title varchar,
    text varchar not null,
    language varchar not null,
    language_confidence double,
    published_at timestamptz,
    outlet varchar,
    url varchar,
    author varchar,
    encoding varchar,
    format varchar not null,
    text_hash varchar not null,
    n_chars integer not null,
    n_words integer not null,
    run_id varchar not null
);
comment on table articles is 'One row per article, normalized text as the reader sees it.';
comment on column articles.article_id is 'Stable id: hash of source path and item key.';
comment on column articles.source_path is 'Ledger path of the file the article came from.';
comment on column articles.item is 'Position inside the file (JSONL line L12, JSON index #3); empty for one-article files.';
comment on column articles.title is 'Headline, when the source has one.';
comment on column articles.text is 'Normalized text (NFC, spaces, paragraphs kept); mention and quote offsets index it.';
comment on column articles.language is 'ISO 639-1 language, declared by the source or identified by lingua.';
comment on column articles.language_confidence is 'Identification confidence (1.0 when declared by the source).';
comment on column articles.published_at is 'Publication time (UTC).';
comment on column articles.outlet is 'Publishing outlet or site.';
comment on column articles.url is 'Canonical URL, when known.';
comment on column articles.author is 'Author or byline.';
comment on column articles.encoding is 'Codec the file was decoded with.';
comment on column articles.format is 'Input format: txt, md, html, json, jsonl.';
comment on column articles.text_hash is 'blake2b hex digest of the normalized text (exact-duplicate key).';
comment on column articles.n_chars is 'Characters in text.';
comment on column articles.n_words is 'Whitespace-separated words in text.';
comment on column articles.run_id is 'Run that loaded the article.';

create table entities (
    entity_id varchar primary key,
    canonical_name varchar not null,
    type varchar not null,
    wikidata_id varchar,
    source varchar not null
);
comment on table entities is 'Canonical people, places, organisations and other named entities.';
comment on column entities.entity_id is 'Stable id: the knowledge-base id, or type and normalized name for unseen entities.';
comment on column entities.canonical_name is 'Preferred name.';
comment on column entities.type is 'PER, LOC, ORG or MISC.';
comment on column entities.wikidata_id is 'Wikidata Q-id when known.';
comment on column entities.source is 'kb (shipped knowledge base) or derived (found in text).';

create table mentions (
    article_id varchar not null,
    start_char integer not null,
    end_char integer not null,
    text varchar not null,
    label varchar not null,
    entity_id varchar,
    role varchar,
    source varchar not null,
    sentence integer,
    primary key (article_id, start_char, end_char)
);
comment on table mentions is 'Entity mentions: spans of articles.text with their canonical entity.';
comment on column mentions.article_id is 'Article the mention is in.';
comment on column mentions.start_char is 'Start offset in articles.text (characters).';
comment on column mentions.end_char is 'End offset (exclusive) in articles.text.';
comment on column mentions.text is 'The mention as written (equals substring(text, start_char + 1, end_char - start_char)).';
comment on column mentions.label is 'PER, LOC, ORG or MISC.';
comment on column mentions.entity_id is 'Canonical entity (entities.entity_id).';
comment on column mentions.role is 'Title or role written with the mention (US-Präsident, Machthaber).';
comment on column mentions.source is 'What found it: kb (knowledge base), rule or model.';
comment on column mentions.sentence is 'Index of the sentence within the article.';

create table rejects (
    path varchar not null,
    item varchar not null,
    stage varchar not null,
    reason varchar not null,
    detail varchar,
    run_id varchar not null,
    rejected_at timestamptz not null
);
comment on table rejects is 'Quarantined inputs with the reason; the input file itself is never modified.';
comment on column rejects.path is 'Input file.';
comment on column rejects.item is 'Item inside the file, empty for the whole file.';
comment on column rejects.stage is 'Stage that rejected it: discover, read, normalize, nlp.';
comment on column rejects.reason is 'Reason code (empty, binary, undecodable, invalid_json, ...).';
comment on column rejects.detail is 'Human-readable detail, e.g. the offset of the first bad byte.';
comment on column rejects.run_id is 'Run that rejected it.';
comment on column rejects.rejected_at is 'When it was rejected.';

create table runs (
    run_id varchar primary key,
    flow_run_id varchar,
    started_at timestamptz not null,
    finished_at timestamptz,
    status varchar not null,
    inputs varchar not null,
    config_hash varchar not null,
    pipelines varchar,
    files_seen integer,
    files_changed integer,
    files_skipped integer,
    articles integer,
    mentions integer,
    rejects integer,
    error varchar
);
comment on table runs is 'One row per run of build_corpus.';
comment on column runs.run_id is 'newsflow run id.';
comment on column runs.flow_run_id is 'Prefect flow run id, when run under Prefect.';
comment on column runs.started_at is 'Start time.';
comment on column runs.finished_at is 'End time (null while running).';
comment on column runs.status is 'running, completed or failed.';
comment on column runs.inputs is 'JSON list of the input paths.';
comment on column runs.config_hash is 'Digest of the merged configuration.';
comment on column runs.pipelines is 'JSON map language -> spaCy pipeline used.';
comment on column runs.files_seen is 'Files discovered.';
comment on column runs.files_changed is 'New or changed files processed.';
comment on column runs.files_skipped is 'Unchanged files skipped.';
comment on column runs.articles is 'Articles loaded.';
comment on column runs.mentions is 'Mentions loaded.';
comment on column runs.rejects is 'Inputs or items quarantined.';
comment on column runs.error is 'Error message of a failed run.';
