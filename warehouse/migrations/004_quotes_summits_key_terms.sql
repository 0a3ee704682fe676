-- Who said what about which summit: quotes with their speakers, the summit
-- calendar and each article's summit tags, candidate terms per article and
-- ranked key terms. quotes, article_summits and article_terms are article
-- child tables (replaced with their article by each load); summits and
-- key_terms are rewritten by run-level steps (flows/post_load.py).

create table quotes (
    quote_id varchar primary key,
    article_id varchar not null,
    kind varchar not null,
    text varchar not null,
    start_char integer not null,
    end_char integer not null,
    cue varchar,
    cue_start integer,
    cue_end integer,
    speaker_text varchar,
    speaker_entity_id varchar,
    confidence double not null
);
comment on table quotes is 'Quotes and reported speech with cue and speaker (transforms/quotes). Scare quotes and titles are not quotes and are not stored.';
comment on column quotes.quote_id is 'Stable id: hash of article_id, kind and offsets.';
comment on column quotes.article_id is 'Article the quote is in (articles.article_id).';
comment on column quotes.kind is 'direct (a quoted utterance), partial (quoted words inside the writer''s sentence) or indirect (reported speech: German Konjunktiv I, "said that", "a déclaré que").';
comment on column quotes.text is 'The quoted or reported words without quote marks (equals substr(articles.text, start_char + 1, end_char - start_char)).';
comment on column quotes.start_char is 'Start offset in articles.text (characters, 0-based).';
comment on column quotes.end_char is 'End offset (exclusive) in articles.text.';
comment on column quotes.cue is 'Speech cue as written ("sagte", "entgegnete", "said", "déclaré"; for cue-less Konjunktiv I the verb, "hoffe"), null when none.';
comment on column quotes.cue_start is 'Start offset of the cue in articles.text.';
comment on column quotes.cue_end is 'End offset (exclusive) of the cue in articles.text.';
comment on column quotes.speaker_text is 'Speaker as written at the quote: a name ("Trump"), a role ("Der US-Präsident"), a pronoun ("Er") or a noun phrase ("Nordkorea-Experten"); null when unknown.';
comment on column quotes.speaker_entity_id is 'The person (entities.entity_id) the speaker resolves to, through the name mention it refers to; null for non-persons and unresolved speakers.';
comment on column quotes.confidence is 'Rule confidence of the attribution: 0.95 name at the cue, 0.85 role phrase with a name written with that role, or relative pronoun, 0.75 pronoun, 0.7 other noun phrase (no person), 0.6 role phrase without such a name or carried over from the previous quote, 0.3 direct quote without speaker.';

create table summits (
    summit_id varchar primary key,
    name varchar not null,
    kind varchar,
    start_date date not null,
    end_date date not null,
    places varchar[] not null,
    participants varchar[] not null,
    coverage_start date not null,
    coverage_end date not null
);
comment on table summits is 'The summit calendar of configs/summits.toml, rewritten from it after every run.';
comment on column summits.summit_id is 'Stable id, e.g. hanoi-2019.';
comment on column summits.name is 'Human-readable name.';
comment on column summits.kind is 'us-dprk (Trump–Kim) or inter-korean.';
comment on column summits.start_date is 'First day of the summit.';
comment on column summits.end_date is 'Last day of the summit (inclusive).';
comment on column summits.places is 'Places as entity ids (entities.entity_id).';
comment on column summits.participants is 'Participants as entity ids (entities.entity_id).';
comment on column summits.coverage_start is 'First day of the coverage window: articles published from then on may be about the summit.';
comment on column summits.coverage_end is 'Last day of the coverage window (inclusive).';

create table article_summits (
    article_id varchar not null,
    summit_id varchar not null,
    score double not null,
    evidence varchar[] not null,
    primary key (article_id, summit_id)
);
comment on table article_summits is 'Summits each article covers, with a score and the evidence (transforms/summits.py).';
comment on column article_summits.article_id is 'Article (articles.article_id).';
comment on column article_summits.summit_id is 'Summit (summits.summit_id).';
comment on column article_summits.score is 'Evidence score 0-1 (weights in configs/summits.toml); tagged when >= summits.min_score and close to the article''s best summit.';
comment on column article_summits.evidence is 'What led there: "date:in coverage window", "place:LOC:hanoi (lead)", "participants:2/2", "phrase:zweiten Gipfel (lead)".';

create table article_terms (
    article_id varchar not null,
    language varchar not null,
    term varchar not null,
    display varchar not null,
    count integer not null,
    first_char integer not null,
    primary key (article_id, term)
);
comment on table article_terms is 'Candidate key terms of each article: lemmatized noun phrases with their counts (transforms/keyterms.py); ranked into key_terms.';
comment on column article_terms.article_id is 'Article (articles.article_id).';
comment on column article_terms.language is 'Language of the article (terms are compared within a language).';
comment on column article_terms.term is 'Lemmatized term ("wirtschaftlich Aufschwung", "Atomwaffe").';
comment on column article_terms.display is 'Most frequent form as written in the article ("wirtschaftlichen Aufschwung").';
comment on column article_terms.count is 'Occurrences in the article.';
comment on column article_terms.first_char is 'Offset of the first occurrence in articles.text.';

create table key_terms (
    scope varchar not null,
    scope_id varchar not null,
    language varchar not null,
    rank integer not null,
    term varchar not null,
    display varchar not null,
    score double not null,
    count integer not null,
    articles integer not null,
    primary key (scope, scope_id, language, term)
);
comment on table key_terms is 'Top key terms per article and per summit, ranked by TF-IDF over the whole warehouse; rewritten after every run.';
comment on column key_terms.scope is 'article or summit.';
comment on column key_terms.scope_id is 'articles.article_id or summits.summit_id.';
comment on column key_terms.language is 'Language of the term.';
comment on column key_terms.rank is '1 = best term of the scope and language.';
comment on column key_terms.term is 'Lemmatized term.';
comment on column key_terms.display is 'Most frequent written form.';
comment on column key_terms.score is 'TF-IDF: (1 + ln count) * (ln((1 + N) / (1 + df)) + 1), N and df over articles of the language.';
comment on column key_terms.count is 'Occurrences in the scope.';
comment on column key_terms.articles is 'Articles of the scope with the term.';
