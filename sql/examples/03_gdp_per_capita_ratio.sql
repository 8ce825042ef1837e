-- GDP per capita of Russia relative to Mexico over time (IMF WEO), projections flagged.
with per_capita as (
    select * from marts.indicators
    where source = 'imf_datamapper' and indicator = 'NGDPDPC'
),
paired as (
    select
        rus.year,
        rus.value as rus_usd,
        mex.value as mex_usd,
        round(rus.value / mex.value, 3) as rus_to_mex_ratio,
        rus.is_forecast or mex.is_forecast as is_forecast
    from per_capita as rus
    join per_capita as mex on mex.year = rus.year and mex.country_iso3 = 'MEX'
    where rus.country_iso3 = 'RUS'
)
select * from paired
order by year
