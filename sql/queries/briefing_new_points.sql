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
    first_versions.source,
    first_versions.indicator,
    coalesce(any_value(names.indicator_name), first_versions.indicator) as indicator_name,
    count(*) as new_values,
    min(period) as first_period,
    max(period) as last_period
from first_versions
left join staging.indicators as names
    on names.source = first_versions.source and names.indicator = first_versions.indicator
where first_loaded_at > $since
group by first_versions.source, first_versions.indicator
order by first_versions.source, first_versions.indicator
