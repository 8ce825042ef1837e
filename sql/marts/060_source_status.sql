-- one row per source: last success, last failure and the data's own last-updated date
create or replace view marts.source_status as
with outcomes as (
    select run_sources.*, runs.finished_at
    from meta.run_sources as run_sources
    join meta.runs as runs using (run_id)
),
fetched as (
    select source, max(fetched_at) filter (where error is null) as last_good_fetch_at
    from raw.fetches
    group by source
),
summary as (
    select
        source,
        max(finished_at) filter (where status = 'ok') as last_success_at,
        max(finished_at) filter (where status = 'failed') as last_failure_at,
        arg_max(error, finished_at) filter (where status = 'failed') as last_error,
        max(latest_source_updated) as source_updated,
        arg_max(status, finished_at) as last_status
    from outcomes
    group by source
),
freshness as (
    select
        summary.*,
        fetched.last_good_fetch_at,
        coalesce(summary.last_status = 'failed', false) as is_stale
    from summary
    left join fetched using (source)
)
select * from freshness;
comment on view marts.source_status is 'one row per source: last successful and failed runs, the last error, the data''s own last-updated date, and whether the latest run failed (stale data)';
comment on column marts.source_status.source is 'source module';
comment on column marts.source_status.last_success_at is 'when a run last loaded this source';
comment on column marts.source_status.last_failure_at is 'when a run last failed on this source';
comment on column marts.source_status.last_error is 'the last failure''s one-line reason';
comment on column marts.source_status.source_updated is 'the newest vintage the source has stated (lastupdated, WEO edition, fetch date)';
comment on column marts.source_status.last_status is 'ok or failed in the latest run that tried it';
comment on column marts.source_status.last_good_fetch_at is 'when its last good answer arrived';
comment on column marts.source_status.is_stale is 'true when the latest run failed on this source: the values shown are older';
