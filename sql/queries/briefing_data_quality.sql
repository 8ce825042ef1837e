-- one row per flagged value of the pair or its peers ($countries), and per publisher stamp that was not a date
select
    source,
    indicator,
    country_iso3,
    period,
    value,
    previous_value,
    "check",
    detail
from marts.data_quality
where country_iso3 in (select unnest($countries))
   or "check" = 'publisher stamp'
order by "check" = 'publisher stamp', source, indicator, country_iso3, period
