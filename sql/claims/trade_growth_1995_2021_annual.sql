-- one row: average annual percent change in two-way goods trade between Mexico and Russia, 1995 to 2021 (26 steps)
-- the same yearly totals as the cumulative reading (marts.trade_totals)
with totals as (
    select * from marts.trade_totals
),
growth as (
    select
        100.0 * (power(max(case when year = 2021 then total_usd end)
            / nullif(max(case when year = 1995 then total_usd end), 0), 1.0 / 26) - 1) as observed,
        'IMF IMTS' as source,
        cast(null as varchar) as vintage,
        'IMF IMTS has no figure for both directions in both 1995 and 2021; its data for the pair end in '
            || coalesce(cast(max(year) as varchar), 'no year') as reason
    from totals
)
select * from growth
