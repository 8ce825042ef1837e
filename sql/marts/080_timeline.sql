-- one row per curated event, in date order, with the pair's trade and GDP figures of its year
create or replace view marts.timeline as
with pair as (
    select * from marts.pair
),
events as (
    select * from core.events where pair = (select pair from pair)
),
trade_by_year as (
    select * from marts.trade_totals
),
gdp as (
    -- actual values only: an event's year that the WEO still projects shows no GDP
    select * from marts.indicators where source = 'imf_datamapper' and indicator = 'NGDPD' and is_forecast = false
),
placed as (
    select
        events.event_id,
        events.event_date,
        events.date_text,
        events.date_precision,
        year(events.event_date) as year,
        events.title,
        events.summary,
        events.category,
        events.is_key,
        events.sources,
        list_filter(cast(json_extract_string(events.sources, '$[*].url') as varchar[]), lambda url: url like 'https://%')[1]
            as source_url,
        events.date_note,
        trade_by_year.trade_usd,
        trade_by_year.directions_reported,
        pair.country_a,
        gdp_a.value as gdp_a_billion_usd,
        pair.country_b,
        gdp_b.value as gdp_b_billion_usd
    from events
    cross join pair
    left join trade_by_year on trade_by_year.year = year(events.event_date)
    left join gdp as gdp_a on gdp_a.country_iso3 = pair.country_a and gdp_a.year = year(events.event_date)
    left join gdp as gdp_b on gdp_b.country_iso3 = pair.country_b and gdp_b.year = year(events.event_date)
)
select * from placed
order by event_date, event_id;
comment on view marts.timeline is 'one row per curated event in date order, with the year''s bilateral goods trade and each side''s GDP (IMF) where data exist';
comment on column marts.timeline.event_id is 'event identifier (data/events.yaml)';
comment on column marts.timeline.event_date is 'date used (first day of month or year when less precise)';
comment on column marts.timeline.date_text is 'date as curated';
comment on column marts.timeline.date_precision is 'day, month or year';
comment on column marts.timeline.year is 'year of the event';
comment on column marts.timeline.title is 'short title';
comment on column marts.timeline.summary is 'summary in our own words';
comment on column marts.timeline.category is 'event category';
comment on column marts.timeline.is_key is 'landmark event';
comment on column marts.timeline.sources is 'list of {title, publisher, url}';
comment on column marts.timeline.source_url is 'the first web address among its sources';
comment on column marts.timeline.date_note is 'date disagreement between sources, when any';
comment on column marts.timeline.trade_usd is 'goods trade between the pair that year, both directions, USD (IMF IMTS)';
comment on column marts.timeline.directions_reported is 'how many of the two directions have a figure that year (0-2)';
comment on column marts.timeline.country_a is 'first country of the pair';
comment on column marts.timeline.gdp_a_billion_usd is 'its GDP that year, billion USD (IMF WEO)';
comment on column marts.timeline.country_b is 'second country of the pair';
comment on column marts.timeline.gdp_b_billion_usd is 'its GDP that year, billion USD (IMF WEO)';
