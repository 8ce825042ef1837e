-- one row per source: its state on three clocks (the latest period with data, the publisher's own
-- update stamp, our last good fetch), at the as-of moment (default: now)
create or replace view marts.source_status as
with as_of as (
    select coalesce(getvariable('as_of'), now()) as moment
),
pair as (
    select [country_a, country_b] as countries from marts.pair
),
outcomes as (
    select run_sources.*, runs.finished_at
    from meta.run_sources as run_sources
    join meta.runs as runs using (run_id)
    where runs.finished_at <= (select moment from as_of)
),
sources as (
    select source from meta.sources
    union
    select source from outcomes
),
history as (
    select
        source,
        max(finished_at) filter (where status <> 'failed') as last_success_at,
        max(finished_at) filter (where status <> 'ok') as last_failure_at,
        arg_max(error, finished_at) filter (where status <> 'ok') as last_error,
        arg_max(status, finished_at) as last_status
    from outcomes
    group by source
),
fetched as (
    select
        source,
        max(fetched_at) filter (where error is null) as fetched_at,
        max(publisher_updated) as publisher_updated
    from raw.fetches
    where fetched_at <= (select moment from as_of)
    group by source
),
pair_values as (
    -- the pair's own values: bilateral flows between the two, or each one's indicators
    select observations.*
    from staging.observations as observations, pair
    where list_contains(pair.countries, observations.ref_area)
      and (observations.counterpart_area = '' or list_contains(pair.countries, observations.counterpart_area))
),
latest as (
    select
        source,
        count(*) as pair_values,
        -- projections are not data yet; values whose edition is unknown cannot be called actual
        max(year) filter (where is_forecast = false) as latest_year,
        arg_max(period, year) filter (where is_forecast = false) as latest_period
    from pair_values
    group by source
),
combined as (
    select
        sources.source,
        latest.latest_period,
        latest.latest_year,
        fetched.publisher_updated,
        fetched.fetched_at,
        history.last_status,
        history.last_success_at,
        history.last_failure_at,
        history.last_error,
        coalesce(lags.stale_after_years, 2) as stale_after_years,
        coalesce(latest.pair_values, 0) as pair_values
    from sources
    left join history using (source)
    left join fetched using (source)
    left join latest using (source)
    left join meta.sources as lags using (source)
),
judged as (
    select
        *,
        case
            when last_status = 'failed' then 'failed'
            when pair_values = 0 then 'no data'
            when latest_year is null
                or latest_year < year((select moment from as_of)) - stale_after_years then 'stale'
            else 'current'
        end as state
    from combined
)
select
    source,
    state,
    latest_period,
    publisher_updated,
    fetched_at,
    last_status,
    last_success_at,
    last_failure_at,
    last_error,
    stale_after_years,
    state <> 'current' as is_stale
from judged;
comment on view marts.source_status is 'one row per source: current, stale (latest period older than its lag), no data (nothing for the pair) or failed (the latest run could not reach it; the last good data are served), with the latest period, the publisher''s stamp and our fetch time';
comment on column marts.source_status.source is 'source module';
comment on column marts.source_status.state is 'current, stale, no data or failed (in that order of precedence: failed first)';
comment on column marts.source_status.latest_period is 'the latest period with an actual (not projected) value for the pair';
comment on column marts.source_status.publisher_updated is 'the newest update stamp the publisher has stated (World Bank lastupdated, DataMapper last-modified, IMTS lastUpdatedAt); null when unknown';
comment on column marts.source_status.fetched_at is 'when its last good answer arrived';
comment on column marts.source_status.last_status is 'ok, partial or failed in the latest run that tried it';
comment on column marts.source_status.last_success_at is 'when a run last loaded this source (ok or partial)';
comment on column marts.source_status.last_failure_at is 'when a run last failed or only partly loaded this source';
comment on column marts.source_status.last_error is 'the reason given by that run, one line';
comment on column marts.source_status.stale_after_years is 'how many years the latest period may lag the as-of year (sources.<name>.stale_after_years)';
comment on column marts.source_status.is_stale is 'true unless the state is current';
