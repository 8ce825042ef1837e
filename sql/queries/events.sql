-- one row per event from $since (a year, or null) in $category (or null, any case), in date order
select
    event_id,
    date_text as date,
    date_precision as precision,
    title,
    category,
    is_key,
    summary,
    source_url,
    trade_usd,
    gdp_a_billion_usd,
    gdp_b_billion_usd
from marts.timeline
where ($since is null or year >= $since)
  and ($category is null or category = lower($category))
order by event_date, event_id
