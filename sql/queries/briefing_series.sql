-- one row per country and year of one indicator, forecasts included ($source, $indicator, $countries, $since)
select
    country_iso3,
    country_name,
    year,
    value,
    unit,
    is_forecast,
    source_updated
from marts.indicators
where source = $source
  and indicator = $indicator
  and country_iso3 in (select unnest($countries))
  and year >= $since
order by country_iso3, year
