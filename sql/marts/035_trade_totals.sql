-- one row per year: two-way goods trade between the pair, each direction as its exporter reports it (FOB),
-- else as its importer does (CIF)
create or replace view marts.trade_totals as
with trade as (
    select * from marts.bilateral_trade
),
totals as (
    select
        year,
        sum(coalesce(exports_fob_usd, imports_cif_usd)) as trade_usd,
        cast(count(coalesce(exports_fob_usd, imports_cif_usd)) as integer) as directions_reported
    from trade
    group by year
),
complete as (
    select
        year,
        trade_usd,
        directions_reported,
        case when directions_reported = 2 then trade_usd end as total_usd
    from totals
)
select * from complete;
comment on view marts.trade_totals is 'one row per year: two-way goods trade of the pair, each direction as its exporter reports it, else as its importer does';
comment on column marts.trade_totals.year is 'year';
comment on column marts.trade_totals.trade_usd is 'sum of the directions known that year, USD';
comment on column marts.trade_totals.directions_reported is 'how many of the two directions have a figure (0-2)';
comment on column marts.trade_totals.total_usd is 'two-way trade when both directions are known, else null';
