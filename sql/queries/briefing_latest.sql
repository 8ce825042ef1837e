-- one row per source, indicator and country of the pair: the latest actual value and the one before ($countries)
with actuals as (
    select * from marts.indicators
    where country_iso3 in (select unnest($countries)) and not is_forecast
),
ranked as (
    select
        *,
        row_number() over (partition by source, indicator, country_iso3 order by year desc) as recency
    from actuals
)
select
    source,
    indicator,
    indicator_name,
    country_iso3,
    country_name,
    year,
    value,
    unit,
    source_updated,
    recency
from ranked
where recency <= 2
