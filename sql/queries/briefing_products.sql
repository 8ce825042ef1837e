-- one row per direction and HS chapter in the latest year with product detail, largest first:
-- the two countries of the session's pair with each other
with pair as (
    select [country_a, country_b] as countries from marts.pair
),
products as (
    select products.*
    from marts.trade_products as products, pair
    where products.hs_chapter <> 'TOTAL'
      and list_contains(pair.countries, products.reporter_iso3)
      and list_contains(pair.countries, products.partner_iso3)
),
-- each direction as its exporter reports it
exporter_side as (
    select * from products where flow = 'X'
),
latest as (
    select max(year) as year from exporter_side
),
ranked as (
    select
        exporter_side.year,
        exporter_side.direction,
        exporter_side.hs_chapter,
        exporter_side.description,
        exporter_side.value_usd,
        row_number() over (partition by exporter_side.direction order by exporter_side.value_usd desc) as position
    from exporter_side
    join latest using (year)
)
select * from ranked
where position <= 6
order by direction, position
