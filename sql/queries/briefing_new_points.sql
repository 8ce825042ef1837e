-- one row per source and indicator: values first loaded after $since, for the pair ($countries)
with first_versions as (
    select
        source,
        indicator,
        ref_area,
        period,
        min(valid_from) as first_loaded_at
    from staging.observation_versions
    where ref_area in (select unnest($countries))
    group by all
)
select
    source,
    indicator,
    count(*) as new_values,
    min(period) as first_period,
    max(period) as last_period
from first_versions
where first_loaded_at > $since
group by all
order by source, indicator
