-- Staging: quarantined inputs with the date they were rejected.
create or replace view stg_rejects as
with source as (
    select * from rejects
),

final as (
    select
        path,
        item,
        stage,
        reason,
        detail,
        run_id,
        rejected_at,
        cast(timezone('UTC', rejected_at) as date) as rejected_date
    from source
)

select * from final;

comment on view stg_rejects is 'Staging view of quarantined inputs.';
comment on column stg_rejects.path is 'Input file.';
comment on column stg_rejects.item is 'Item inside the file, empty for the whole file.';
comment on column stg_rejects.stage is 'Stage that rejected it: discover, read, normalize, nlp.';
comment on column stg_rejects.reason is 'Reason code (empty, binary, undecodable, invalid_json, ...).';
comment on column stg_rejects.detail is 'Human-readable detail of the reason.';
comment on column stg_rejects.run_id is 'Run that rejected it.';
comment on column stg_rejects.rejected_at is 'When it was rejected.';
comment on column stg_rejects.rejected_date is 'UTC date it was rejected.';
