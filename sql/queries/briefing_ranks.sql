-- one row per ranked indicator and country of the pair: the latest actual year's world rank and the year before ($countries)
with ranks as (
    select * from marts.rankings
    where country_iso3 in (select unnest($countries)) and not is_forecast
),
ranked as (
    select
        *,
        row_number() over (partition by indicator, country_iso3 order by year desc) as recency
    from ranks
)
select
    indicator,
    country_iso3,
    year,
    value,
    rank,
    out_of,
    rank_in_both,
    previous_rank_in_both,
    out_of_both,
    source_updated,
    recency
from ranked
where recency <= 2
