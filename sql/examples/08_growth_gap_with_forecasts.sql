-- Real GDP growth of the pair side by side, actuals and IMF projections.
with growth as (
    select * from marts.indicators
    where source = 'imf_datamapper' and indicator = 'NGDP_RPCH' and country_iso3 in ('RUS', 'MEX')
),
side_by_side as (
    select
        year,
        max(value) filter (where country_iso3 = 'RUS') as rus_growth_pct,
        max(value) filter (where country_iso3 = 'MEX') as mex_growth_pct,
        bool_or(is_forecast) as is_forecast
    from growth
    group by year
)
select
    *,
    round(rus_growth_pct - mex_growth_pct, 2) as gap_pt
from side_by_side
order by year
