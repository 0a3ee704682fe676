-- Syndication: the MinHash/LSH index of every article, duplicate clusters and
-- agency credits. dedup_signatures, dedup_bands and article_agencies are
-- article child tables (replaced with their article by each load);
-- dedup_pairs, dedup_matched, clusters and dedup_state are maintained by the
-- run-level clustering step (warehouse/dedup.py).

create table dedup_signatures (
    article_id varchar primary key,
    scheme varchar not null,
    n_words integer not null,
    n_shingles integer not null,
    body_hash bigint not null,
    signature blob not null
);
comment on table dedup_signatures is 'MinHash signature of each article''s compared text (text without agency dateline/trailer, lower-cased words): matches new articles without re-reading old texts.';
comment on column dedup_signatures.article_id is 'Article (articles.article_id).';
comment on column dedup_signatures.scheme is 'Parameters the signature was computed with (version, shingle size, permutations, bands x rows, seed, agency list digest); another value is recomputed on the next run.';
comment on column dedup_signatures.n_words is 'Words of the compared text.';
comment on column dedup_signatures.n_shingles is 'Word shingles hashed; 0 means the article can only be an exact duplicate.';
comment on column dedup_signatures.body_hash is 'Hash of the compared word sequence: equal values are copies of each other.';
comment on column dedup_signatures.signature is 'num_perm little-endian uint32 minima (MinHash), 4 bytes each.';

create table dedup_bands (
    article_id varchar not null,
    band smallint not null,
    band_key bigint not null,
    primary key (article_id, band)
);
comment on table dedup_bands is 'LSH index: articles sharing (band, band_key) are near-duplicate candidates, verified on their signatures.';
comment on column dedup_bands.article_id is 'Article (articles.article_id).';
comment on column dedup_bands.band is 'Band number, 0 .. bands-1.';
comment on column dedup_bands.band_key is 'Hash of the band''s rows of MinHash slots.';

create table dedup_pairs (
    left_id varchar not null,
    right_id varchar not null,
    similarity double not null,
    primary key (left_id, right_id)
);
comment on table dedup_pairs is 'Verified near-duplicate pairs (estimated Jaccard >= dedup.threshold), kept between runs: a run matches only new or changed articles.';
comment on column dedup_pairs.left_id is 'Article with the smaller article_id.';
comment on column dedup_pairs.right_id is 'Article with the larger article_id.';
comment on column dedup_pairs.similarity is 'Estimated Jaccard similarity of the two articles'' word shingles.';

create table dedup_matched (
    article_id varchar primary key,
    scheme varchar not null,
    body_hash bigint not null
);
comment on table dedup_matched is 'Articles whose LSH bands have been matched against the warehouse, with the signature they were matched with; a changed signature is matched again.';
comment on column dedup_matched.article_id is 'Article (articles.article_id).';
comment on column dedup_matched.scheme is 'dedup_signatures.scheme when matched.';
comment on column dedup_matched.body_hash is 'dedup_signatures.body_hash when matched.';

create table clusters (
    cluster_id varchar not null,
    article_id varchar primary key,
    role varchar not null,
    similarity double not null,
    changed_share double not null,
    words_delta integer not null,
    cluster_size integer not null
);
comment on table clusters is 'Every article in its story cluster (a cluster of one is a story nobody else ran): exact and near duplicates share a cluster.';
comment on column clusters.cluster_id is 'The article_id of the cluster''s original (its earliest published member).';
comment on column clusters.article_id is 'Article (articles.article_id).';
comment on column clusters.role is 'original (earliest published; undated after dated, ties to the smaller article_id), copy (same compared text as the original) or update (changed text).';
comment on column clusters.similarity is 'Estimated Jaccard similarity of the article''s word shingles to the original''s (1 for the original and copies).';
comment on column clusters.changed_share is 'Size of an update''s change: 1 - similarity, the share of word runs not shared with the original (0 for original and copies).';
comment on column clusters.words_delta is 'Words of the compared text minus the original''s (negative: text removed).';
comment on column clusters.cluster_size is 'Articles in the cluster.';

create table article_agencies (
    article_id varchar not null,
    agency varchar not null,
    kind varchar not null,
    evidence varchar not null,
    primary key (article_id, agency, kind)
);
comment on table article_agencies is 'News-agency credits of an article (configs/agencies.csv), found in the dateline, trailer or byline; agencies merely cited in the story are not credits.';
comment on column article_agencies.article_id is 'Article (articles.article_id).';
comment on column article_agencies.agency is 'Agency code from configs/agencies.csv (dpa, APA, AFP, Reuters, AP, Yonhap, KCNA, ...).';
comment on column article_agencies.kind is 'Where the credit was found: dateline ("Wien (APA) –"), trailer ("(APA, 27.2.2019)", "red, APA") or byline (author field).';
comment on column article_agencies.evidence is 'The credit as written.';

create table dedup_state (
    name varchar primary key,
    fingerprint varchar not null,
    match_settings varchar not null,
    articles integer not null,
    clusters integer not null,
    duplicates integer not null,
    updated_at timestamptz not null
);
comment on table dedup_state is 'What the clusters were last computed from: the clustering step is skipped while the fingerprint is unchanged.';
comment on column dedup_state.name is 'Always ''clusters''.';
comment on column dedup_state.fingerprint is 'Digest of the articles (ids, text hashes, dates), signature schemes and dedup settings.';
comment on column dedup_state.match_settings is 'Scheme, threshold and bucket cap the pairs were verified with; other values re-match every article.';
comment on column dedup_state.articles is 'Articles clustered.';
comment on column dedup_state.clusters is 'Distinct stories (clusters, including clusters of one).';
comment on column dedup_state.duplicates is 'Articles that are a copy or update of another.';
comment on column dedup_state.updated_at is 'When the clusters were last rewritten.';
