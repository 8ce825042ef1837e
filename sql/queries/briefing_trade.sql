-- one row per year and direction of bilateral trade
select
    year,
    direction,
    exporter_iso3,
    importer_iso3,
    exports_fob_usd,
    imports_cif_usd,
    gap_usd,
    gap_pct,
    missing_side
from marts.bilateral_trade
order by year, direction
