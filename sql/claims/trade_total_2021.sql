-- one row: two-way goods trade between Mexico and Russia in 2021, USD
-- each direction as its exporter reports it (FOB), else as its importer reports it (CIF); null unless both directions have a value
with trade as (
    select * from marts.bilateral_trade
),
directions_2021 as (
    select
        direction,
        coalesce(max(exports_fob_usd), max(imports_cif_usd)) as value_usd
    from trade
    where year = 2021
    group by direction
),
total_2021 as (
    select
        case when count(value_usd) = 2 then sum(value_usd) end as observed,
        'IMF IMTS' as source,
        cast(null as varchar) as vintage
    from directions_2021
)
select * from total_2021
