-- one row per year, direction and HS chapter: goods trade between the pair by product (UN Comtrade)
create or replace view marts.trade_products as
with flows as (
    select * from staging.observations where source = 'comtrade'
),
chapters as (
    select code, name from core.labels where source = 'comtrade' and kind = 'hs'
),
directed as (
    select
        flows.year,
        -- Comtrade states the reporter's flow: X = the reporter exports, M = it imports
        case when split_part(flows.indicator, '.', 1) = 'X'
            then flows.ref_area || '->' || flows.counterpart_area
            else flows.counterpart_area || '->' || flows.ref_area
        end as direction,
        flows.ref_area as reporter_iso3,
        flows.counterpart_area as partner_iso3,
        split_part(flows.indicator, '.', 1) as flow,
        split_part(flows.indicator, '.', 2) as hs_chapter,
        coalesce(chapters.name, split_part(flows.indicator, '.', 2)) as description,
        flows.value as value_usd
    from flows
    left join chapters on chapters.code = split_part(flows.indicator, '.', 2)
),
ranked as (
    select
        *,
        case when hs_chapter <> 'TOTAL' then cast(rank() over (
            partition by reporter_iso3, partner_iso3, flow, year, hs_chapter = 'TOTAL' order by value_usd desc
        ) as integer) end as chapter_rank
    from directed
)
select * from ranked;
comment on view marts.trade_products is 'one row per year, direction, reporter and HS chapter (TOTAL = all goods): value in USD as the reporter states it';
comment on column marts.trade_products.year is 'year';
comment on column marts.trade_products.direction is 'exporter->importer';
comment on column marts.trade_products.reporter_iso3 is 'the country whose customs reported the flow';
comment on column marts.trade_products.partner_iso3 is 'the other country of the flow';
comment on column marts.trade_products.chapter_rank is 'rank of the chapter by value in its reporter, partner, flow and year, 1 = largest; null for TOTAL';
comment on column marts.trade_products.flow is 'X (reporter exports) or M (reporter imports)';
comment on column marts.trade_products.hs_chapter is 'HS chapter, two digits, or TOTAL';
comment on column marts.trade_products.description is 'chapter description from Comtrade';
comment on column marts.trade_products.value_usd is 'trade value, USD (Comtrade primaryValue)';
