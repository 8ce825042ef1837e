-- Events in years when bilateral trade fell from the year before.
with timeline as (
    select * from marts.timeline
),
trade_by_year as (
    select distinct year, trade_usd from timeline where directions_reported = 2
),
changes as (
    select
        year,
        trade_usd,
        trade_usd - lag(trade_usd) over (order by year) as change_usd
    from trade_by_year
),
falling_years as (
    select * from changes where change_usd < 0
),
events_then as (
    select
        timeline.date_text,
        timeline.title,
        timeline.category,
        falling_years.trade_usd,
        falling_years.change_usd
    from timeline
    join falling_years using (year)
)
select * from events_then
order by date_text
