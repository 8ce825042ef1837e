-- one row per value revised after $since (the previous briefing's as-of) and up to the as-of moment
select
    revisions.source,
    revisions.indicator,
    coalesce(names.indicator_name, revisions.indicator) as indicator_name,
    country_iso3,
    counterpart_area,
    period,
    old_value,
    new_value,
    revisions.unit,
    change_pct,
    revised_at
from marts.revisions as revisions
left join staging.indicators as names
    on names.source = revisions.source and names.indicator = revisions.indicator
where revised_at > $since
order by revisions.source, revisions.indicator, country_iso3, period
