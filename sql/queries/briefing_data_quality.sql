-- one row per flagged value of the pair or its peers ($countries)
select
    source,
    indicator,
    country_iso3,
    period,
    value,
    previous_value,
    "check"
from marts.data_quality
where country_iso3 in (select unnest($countries))
order by source, indicator, country_iso3, period
