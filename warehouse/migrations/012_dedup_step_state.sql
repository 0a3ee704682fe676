-- The clustering step records its skip-while-unchanged fingerprint in
-- step_state (warehouse/step_state.py), as every run-level step does;
-- dedup_state keeps what the pairs were verified with and the counts.

insert or replace into step_state (step, fingerprint, run_id, updated_at)
select 'clusters', fingerprint, null, updated_at from dedup_state where name = 'clusters';
alter table dedup_state drop column fingerprint;
comment on table dedup_state is 'What the clusters were last computed with (matching settings) and their counts; the step''s skip fingerprint is step_state ''clusters''.';
