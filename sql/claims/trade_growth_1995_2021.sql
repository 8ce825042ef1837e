-- one row: percent change in two-way goods trade between Mexico and Russia from 1995 to 2021
-- yearly totals sum each direction as its exporter reports it (FOB), else as its importer reports it (CIF); null unless both years have both directions
with trade as (
    select * from marts.bilateral_trade
),
directions_by_year as (
    select
        year,
        direction,
        coalesce(max(exports_fob_usd), max(imports_cif_usd)) as value_usd
    from trade
    where year in (1995, 2021)
    group by year, direction
),
totals_by_year as (
    select
        year,
        case when count(value_usd) = 2 then sum(value_usd) end as total_usd
    from directions_by_year
    group by year
),
growth as (
    select
        100.0 * (max(case when year = 2021 then total_usd end)
            / nullif(max(case when year = 1995 then total_usd end), 0) - 1) as observed,
        'IMF IMTS' as source,
        cast(null as varchar) as vintage
    from totals_by_year
)
select * from growth
