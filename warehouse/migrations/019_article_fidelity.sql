-- Fidelity on real pages (issue 20): how precise the publication time is,
-- which extraction produced an HTML page's text, the language a source declared.

alter table articles add column published_precision varchar;
alter table articles add column extraction varchar;
alter table articles add column language_declared varchar;
comment on column articles.published_precision is 'day (the source names the day only; published_at is then 00:00 UTC) or time (a time of day was given, so 00:00 is a real midnight); null without a date.';
comment on column articles.extraction is 'HTML pages: precise (trafilatura favouring precision) or fallback (a recall extraction with tables, taken when the precise one found no or much less text); null for other formats.';
comment on column articles.language_declared is 'The language the source declared (<html lang>, feed, record field, sidecar), kept when the text was identified as another language with high confidence; null when none was declared.';
