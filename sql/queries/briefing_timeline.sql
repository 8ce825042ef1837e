-- one row per event, in date order, with the year's trade
select
    event_id,
    event_date,
    date_text,
    date_precision,
    year,
    title,
    summary,
    category,
    is_key,
    sources,
    date_note,
    trade_usd
from marts.timeline
order by event_date, event_id
