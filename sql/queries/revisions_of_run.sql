-- one row per value a run revised: old and new value ($run_id)
with versions as (
    select * from core.observations
),
sequenced as (
    select
        *,
        lag(value) over (partition by source, indicator, ref_area, counterpart_area, period order by valid_from) as old_value
    from versions
),
revised as (
    select
        source,
        indicator,
        ref_area as country,
        counterpart_area as partner,
        period,
        old_value,
        value as new_value,
        unit
    from sequenced
    where run_id = $run_id and old_value is not null
    order by source, indicator, country, partner, period
)
select * from revised
