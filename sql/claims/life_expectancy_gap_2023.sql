-- one row: life expectancy at birth in Mexico minus that in Russia, 2023, years
-- World Bank SP.DYN.LE00.IN for MEX and RUS in 2023; null when either country has no value
with indicators as (
    select * from marts.indicators
),
life_expectancy_2023 as (
    select
        country_iso3,
        value,
        source_updated
    from indicators
    where source = 'worldbank'
        and indicator = 'SP.DYN.LE00.IN'
        and country_iso3 in ('MEX', 'RUS')
        and year = 2023
),
gap as (
    select
        max(case when country_iso3 = 'MEX' then value end)
            - max(case when country_iso3 = 'RUS' then value end) as observed,
        'World Bank WDI' as source,
        max(source_updated) as vintage,
        'World Bank WDI has no 2023 life expectancy for both Mexico and Russia' as reason
    from life_expectancy_2023
)
select * from gap
