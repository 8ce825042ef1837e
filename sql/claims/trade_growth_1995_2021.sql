-- one row: cumulative percent change in two-way goods trade between Mexico and Russia from 1995 to 2021
-- yearly totals sum each direction as its exporter reports it (FOB), else as its importer reports it (CIF); null unless both years have both directions
with totals as (
    select * from marts.trade_totals
),
growth as (
    select
        100.0 * (max(case when year = 2021 then total_usd end)
            / nullif(max(case when year = 1995 then total_usd end), 0) - 1) as observed,
        'IMF IMTS' as source,
        cast(null as varchar) as vintage,
        'IMF IMTS has no figure for both directions in both 1995 and 2021; its data for the pair end in '
            || coalesce(cast(max(year) as varchar), 'no year') as reason
    from totals
)
select * from growth
