-- one row per year and direction of goods trade between the pair, as each side reports it
create or replace view marts.bilateral_trade as
with pair as (
    select [country_a, country_b] as countries from marts.pair
),
flows as (
    -- the pair's flows with each other; their trade with other partners is in marts.partner_trade
    select observations.* from staging.observations as observations, pair
    where observations.source = 'imf_trade' and observations.indicator in ('XG_FOB_USD', 'MG_CIF_USD')
      and list_contains(pair.countries, observations.ref_area)
      and list_contains(pair.countries, observations.counterpart_area)
),
exports_reported as (
    select ref_area as exporter_iso3, counterpart_area as importer_iso3, year, value as exports_fob_usd
    from flows where indicator = 'XG_FOB_USD'
),
imports_reported as (
    select counterpart_area as exporter_iso3, ref_area as importer_iso3, year, value as imports_cif_usd
    from flows where indicator = 'MG_CIF_USD'
),
mirrored as (
    select
        coalesce(e.year, i.year) as year,
        coalesce(e.exporter_iso3, i.exporter_iso3) || '->' || coalesce(e.importer_iso3, i.importer_iso3) as direction,
        coalesce(e.exporter_iso3, i.exporter_iso3) as exporter_iso3,
        coalesce(e.importer_iso3, i.importer_iso3) as importer_iso3,
        e.exports_fob_usd,
        i.imports_cif_usd
    from exports_reported as e
    full outer join imports_reported as i
        on e.exporter_iso3 = i.exporter_iso3 and e.importer_iso3 = i.importer_iso3 and e.year = i.year
),
gaps as (
    select
        *,
        imports_cif_usd - exports_fob_usd as gap_usd,
        round(100 * (imports_cif_usd - exports_fob_usd) / nullif(exports_fob_usd, 0), 1) as gap_pct,
        case
            when exports_fob_usd is null and imports_cif_usd is null then 'both'
            when exports_fob_usd is null then 'exporter'
            when imports_cif_usd is null then 'importer'
        end as missing_side
    from mirrored
)
select * from gaps;
comment on view marts.bilateral_trade is 'one row per year and direction: goods exports as the exporter reports them (FOB) and as the importer reports them (CIF), the mirror gap, and which side did not report';
comment on column marts.bilateral_trade.year is 'year';
comment on column marts.bilateral_trade.direction is 'exporter->importer, e.g. MEX->RUS';
comment on column marts.bilateral_trade.exporter_iso3 is 'exporting country';
comment on column marts.bilateral_trade.importer_iso3 is 'importing country';
comment on column marts.bilateral_trade.exports_fob_usd is 'exports as the exporter reports them, FOB, USD (IMF IMTS XG_FOB_USD)';
comment on column marts.bilateral_trade.imports_cif_usd is 'the same flow as the importer reports it, CIF, USD (IMF IMTS MG_CIF_USD)';
comment on column marts.bilateral_trade.gap_usd is 'importer''s figure minus exporter''s figure, USD (CIF includes freight and insurance, so usually positive)';
comment on column marts.bilateral_trade.gap_pct is 'gap as % of the exporter''s figure';
comment on column marts.bilateral_trade.missing_side is 'exporter or importer when that side reported nothing for the year; null when both did';
