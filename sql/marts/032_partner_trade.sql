-- one row per reporter of the pair, partner and year: goods trade as the reporter states it (IMF IMTS),
-- and the partner's rank among the reporter's partners
create or replace view marts.partner_trade as
with flows as (
    select * from staging.observations
    where source = 'imf_trade' and indicator in ('XG_FOB_USD', 'MG_CIF_USD')
),
by_partner as (
    select
        ref_area as reporter_iso3,
        counterpart_area as partner_code,
        year,
        max(value) filter (where indicator = 'XG_FOB_USD') as exports_fob_usd,
        max(value) filter (where indicator = 'MG_CIF_USD') as imports_cif_usd,
        max(source_updated) as source_updated
    from flows
    group by ref_area, counterpart_area, year
),
totalled as (
    select
        *,
        exports_fob_usd + imports_cif_usd as trade_usd,
        -- IMF country groups carry digits (G001 world, G163 European Union ...): economies have three letters
        regexp_full_match(partner_code, '[A-Z]{3}') as is_economy
    from by_partner
),
ranked as (
    select
        *,
        case when is_economy and trade_usd is not null then cast(rank() over (
            partition by reporter_iso3, year, is_economy and trade_usd is not null order by trade_usd desc
        ) as integer) end as trade_rank,
        cast(count(*) filter (where is_economy and trade_usd is not null) over (partition by reporter_iso3, year) as integer)
            as partners_ranked
    from totalled
)
select * from ranked;
comment on view marts.partner_trade is 'one row per reporter of the pair, partner and year: goods exports and imports as the reporter states them (IMF IMTS), and the partner''s rank by exports plus imports among the reporter''s partner economies';
comment on column marts.partner_trade.reporter_iso3 is 'reporting economy (one of the pair)';
comment on column marts.partner_trade.partner_code is 'partner: ISO alpha-3, or an IMF group code (G001 = world)';
comment on column marts.partner_trade.year is 'year';
comment on column marts.partner_trade.exports_fob_usd is 'exports to the partner, FOB, USD';
comment on column marts.partner_trade.imports_cif_usd is 'imports from the partner, CIF, USD';
comment on column marts.partner_trade.trade_usd is 'exports plus imports, when both are known';
comment on column marts.partner_trade.is_economy is 'true for a partner economy (three-letter code); false for IMF groups such as the world';
comment on column marts.partner_trade.trade_rank is 'rank by trade_usd among the reporter''s partner economies that year, 1 = largest';
comment on column marts.partner_trade.source_updated is 'IMTS vintage: the dataflow''s update date';
comment on column marts.partner_trade.partners_ranked is 'how many partner economies were ranked: a rank is only as good as this count';
