-- one row: two-way goods trade between Mexico and Russia in 2021, USD (null unless both directions are known)
with totals as (
    select * from marts.trade_totals
),
total_2021 as (
    select
        max(total_usd) filter (where year = 2021) as observed,
        'IMF IMTS' as source,
        cast(null as varchar) as vintage,
        'IMF IMTS has no 2021 figure for both directions; its data for the pair end in '
            || coalesce(cast(max(year) as varchar), 'no year') as reason
    from totals
)
select * from total_2021
