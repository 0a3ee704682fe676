-- Entities (issue 5): canonical names per language and the knowledge-base version.

alter table entities add column name_de varchar;
alter table entities add column name_en varchar;
alter table entities add column name_fr varchar;
alter table entities add column kb_version varchar;

comment on column entities.name_de is 'German name (KB or CLDR label, else the canonical name); null for an entity found only in text.';
comment on column entities.name_en is 'English name (KB or CLDR label, else the canonical name); null for an entity found only in text.';
comment on column entities.name_fr is 'French name (KB or CLDR label, else the canonical name); null for an entity found only in text.';
comment on column entities.kb_version is 'Version (content digest) of configs/kb the entity was last resolved with.';
