-- one row: Russia's GDP in current US dollars divided by Mexico's, 2023 (IMF WEO, actual values only)
-- "very close" is made concrete by the claim's tolerance around 1: within a quarter either way
with indicators as (
    select * from marts.indicators
),
gdp_2023 as (
    select
        country_iso3,
        value,
        source_updated
    from indicators
    where source = 'imf_datamapper'
        and indicator = 'NGDPD'
        and country_iso3 in ('RUS', 'MEX')
        and year = 2023
        and is_forecast = false
),
ratio as (
    select
        max(case when country_iso3 = 'RUS' then value end)
            / nullif(max(case when country_iso3 = 'MEX' then value end), 0) as observed,
        'IMF WEO, GDP in current US dollars' as source,
        max(source_updated) as vintage,
        'IMF WEO has no actual 2023 GDP for both Russia and Mexico' as reason
    from gdp_2023
)
select * from ratio
