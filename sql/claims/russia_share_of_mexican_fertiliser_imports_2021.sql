-- one row: Russia's share of Mexico's imports of HS chapter 31 (fertilisers), 2021, per cent,
-- as Mexico records its imports (UN Comtrade: from Russia, and from the world)
with fertilisers as (
    select * from marts.trade_products
    where reporter_iso3 = 'MEX' and flow = 'M' and hs_chapter = '31' and year = 2021
),
share as (
    select
        100.0 * max(value_usd) filter (where partner_iso3 = 'RUS')
            / nullif(max(value_usd) filter (where partner_iso3 = 'W00'), 0) as observed,
        'UN Comtrade HS 31, as MEX reports' as source,
        cast(null as varchar) as vintage,
        'UN Comtrade holds no 2021 fertiliser imports (HS 31) of MEX from both RUS and the world' as reason
    from fertilisers
)
select * from share
