-- HTML extraction (issue 20, item 5): a lead paragraph the precise extraction lost
-- on a long page is restored from the page; articles.extraction says "lead" then.

comment on column articles.extraction is 'HTML pages: precise (trafilatura favouring precision), lead (the precise text with the lead paragraphs it lost put back from the page) or fallback (a recall extraction with tables, taken when the precise text is short or much shorter than the page''s paragraph text and the recall text); null for other formats.';
