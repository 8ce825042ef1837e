-- Bilateral trade balance of Mexico with Russia by year, as each side reports it.
with trade as (
    select * from marts.bilateral_trade
),
by_year as (
    select
        year,
        sum(exports_fob_usd) filter (where exporter_iso3 = 'MEX') as mex_exports_as_mex_reports_usd,
        sum(imports_cif_usd) filter (where importer_iso3 = 'MEX') as mex_imports_as_mex_reports_usd,
        sum(imports_cif_usd) filter (where importer_iso3 = 'RUS') as mex_exports_as_rus_reports_usd,
        sum(exports_fob_usd) filter (where exporter_iso3 = 'RUS') as mex_imports_as_rus_reports_usd
    from trade
    group by year
),
balances as (
    select
        year,
        mex_exports_as_mex_reports_usd - mex_imports_as_mex_reports_usd as balance_as_mex_reports_usd,
        mex_exports_as_rus_reports_usd - mex_imports_as_rus_reports_usd as balance_as_rus_reports_usd
    from by_year
)
select * from balances
order by year
