-- one row per value revised after $since (the previous briefing's as-of) and up to the as-of moment
select
    source,
    indicator,
    country_iso3,
    counterpart_area,
    period,
    old_value,
    new_value,
    unit,
    change_pct,
    revised_at
from marts.revisions
where revised_at > $since
order by source, indicator, country_iso3, period
