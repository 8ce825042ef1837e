-- one row per country of the pair with a known name ($countries)
select
    country_iso3,
    country_name
from staging.countries
where country_iso3 in (select unnest($countries))
