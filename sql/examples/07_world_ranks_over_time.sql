-- World ranks of Russia and Mexico by GDP and GDP per capita since 2000 (IMF WEO).
with ranks as (
    select * from marts.rankings
    where country_iso3 in ('RUS', 'MEX') and year >= 2000
),
wide as (
    select
        year,
        indicator,
        max(rank) filter (where country_iso3 = 'RUS') as rus_rank,
        max(rank) filter (where country_iso3 = 'MEX') as mex_rank,
        max(out_of) as out_of,
        bool_or(is_forecast) as is_forecast
    from ranks
    group by year, indicator
)
select * from wide
order by indicator, year
