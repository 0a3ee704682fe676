-- Ingestion breadth (issue 4): archive members as ledger rows of their own,
-- skipped WARC records counted per file, and per-field metadata provenance.

alter table files add column container varchar;
alter table files add column skipped integer default 0;
comment on column files.container is 'For an archive member ("a.zip!dir/b.html"): the archive file it was unpacked from (null for files on disk). A changed archive replaces all its members.';
comment on column files.skipped is 'Records passed over on purpose (WARC responses that are not HTML or not HTTP 200; rejects with reason skipped_record). They never make a file partial.';
comment on column files.status is 'loaded (all articles loaded), partial (some items rejected), rejected (nothing loaded) or skipped (only skipped records). An archive counts the articles and rejects of all its members.';
comment on column files.path is 'Absolute path of the input file, or "archive!member/path" for an archive member (the ledger key).';
comment on column files.size is 'Size in bytes when last processed (unpacked size for an archive member).';

alter table articles add column section varchar;
alter table articles add column fetched_at timestamptz;
alter table articles add column published_at_flag varchar;
alter table articles add column field_sources struct(
    title varchar, published_at varchar, outlet varchar, url varchar, author varchar, language varchar, section varchar
);
comment on column articles.section is 'Desk, section or category (CSV label, feed category, JSON section, manifest/sidecar).';
comment on column articles.fetched_at is 'When a crawler fetched the page (WARC-Date); not the publication time.';
comment on column articles.published_at_flag is 'Null when published_at is plausible or absent; before_1990 or future (kept, not dropped).';
comment on column articles.field_sources is 'Where each metadata field came from: manifest, sidecar, html_meta, feed, warc, record (JSON/CSV field), front_matter, extraction (derived by newsflow, e.g. outlet from the URL''s registered domain), identified (language by lingua) or default; null when the field is empty.';
comment on column articles.source_path is 'Ledger path of the file the article came from ("archive.zip!member/path" for an archive member).';
comment on column articles.item is 'Position inside the source (JSONL line L12, JSON/feed index #3, CSV row R5, WARC record @offset); empty for one-article files.';
comment on column articles.format is 'Input format: txt, md, html, json, jsonl, csv, feed, warc.';
comment on column rejects.path is 'Input file, or "archive!member/path" for an archive member.';
comment on column rejects.item is 'Item inside the file (L12, #3, R5, @offset, meta.json for its sidecar), empty for the whole file.';
comment on column rejects.stage is 'Stage that rejected it: read, unpack, decode, parse, metadata, normalize, nlp.';
