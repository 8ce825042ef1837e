-- one row per observation valid at the as-of moment (default: now)
-- `set variable as_of = timestamptz '...'` rebuilds any past state: the briefing's --as-of
create or replace view staging.observations as
with versions as (
    select * from core.observations
),
as_of as (
    select coalesce(getvariable('as_of'), now()) as moment
),
valid as (
    select
        versions.source,
        versions.dataset,
        versions.indicator,
        versions.ref_area,
        versions.counterpart_area,
        versions.period,
        try_cast(left(versions.period, 4) as integer) as year,
        versions.value,
        versions.unit,
        versions.obs_status,
        versions.is_forecast,
        versions.source_updated,
        versions.valid_from as vintage_at
    from versions, as_of
    where versions.valid_from <= as_of.moment
      and (versions.valid_to is null or versions.valid_to > as_of.moment)
)
select * from valid;
comment on view staging.observations is 'one row per observation: the version valid at getvariable(''as_of''), else now';

-- one row per value version known at the as-of moment, for revision history
create or replace view staging.observation_versions as
with versions as (
    select * from core.observations
),
as_of as (
    select coalesce(getvariable('as_of'), now()) as moment
),
known as (
    select
        versions.source,
        versions.indicator,
        versions.ref_area,
        versions.counterpart_area,
        versions.period,
        versions.value,
        versions.unit,
        versions.source_updated,
        versions.valid_from,
        case when versions.valid_to <= as_of.moment then versions.valid_to end as valid_to
    from versions, as_of
    where versions.valid_from <= as_of.moment
)
select * from known;
comment on view staging.observation_versions is 'one row per value version loaded by the as-of moment; valid_to null when still current then';
