-- Bookkeeping of run-level steps that rewrite a table from the whole warehouse:
-- a step records what it computed from and is skipped while that is unchanged.

create table step_state (
    step varchar primary key,
    fingerprint varchar not null,
    run_id varchar,
    updated_at timestamptz not null
);
comment on table step_state is 'What each run-level step (flows/post_load.py) last computed from: the step is skipped while its fingerprint is unchanged.';
comment on column step_state.step is 'Step name (e.g. summits-key-terms).';
comment on column step_state.fingerprint is 'Digest of the step''s inputs and settings when it last ran.';
comment on column step_state.run_id is 'Run whose post-load step wrote it (null when run by hand).';
comment on column step_state.updated_at is 'When the step last ran.';
