-- Mart: quarantined inputs per run, stage and reason.
create or replace view mart_rejects as
with rejects as (
    select * from stg_rejects
),

final as (
    select
        run_id,
        stage,
        reason,
        count(*) as rejects,
        count(distinct path) as files,
        min(rejected_at) as first_rejected_at
    from rejects
    group by run_id, stage, reason
)

select * from final;

comment on view mart_rejects is 'Quarantined inputs counted per run, stage and reason.';
comment on column mart_rejects.run_id is 'Run that rejected them.';
comment on column mart_rejects.stage is 'Stage that rejected them.';
comment on column mart_rejects.reason is 'Reason code.';
comment on column mart_rejects.rejects is 'Rejected files or items.';
comment on column mart_rejects.files is 'Distinct input files involved.';
comment on column mart_rejects.first_rejected_at is 'Earliest rejection.';
