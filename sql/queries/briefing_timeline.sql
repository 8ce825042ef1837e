-- one row per event, in date order, with the year's trade; the curated texts in $language where they are translated
select
    t.event_id,
    t.event_date,
    t.date_text,
    t.date_precision,
    t.year,
    coalesce(json_extract_string(e.translations, '$.' || $language || '.title'), t.title) as title,
    coalesce(json_extract_string(e.translations, '$.' || $language || '.summary'), t.summary) as summary,
    t.category,
    t.is_key,
    t.sources,
    coalesce(json_extract_string(e.translations, '$.' || $language || '.date_note'), t.date_note) as date_note,
    t.trade_usd
from marts.timeline as t
join core.events as e using (event_id)
order by t.event_date, t.event_id
