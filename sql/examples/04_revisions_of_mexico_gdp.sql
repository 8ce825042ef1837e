-- Every version of Mexico's GDP loaded so far, first release first (World Bank and IMF).
with versions as (
    select * from core.observations
    where ref_area = 'MEX' and indicator in ('NY.GDP.MKTP.CD', 'NGDPD')
),
numbered as (
    select
        source,
        indicator,
        period,
        value,
        unit,
        source_updated,
        valid_from,
        valid_to,
        row_number() over (partition by source, indicator, period order by valid_from) as release
    from versions
)
select * from numbered
order by source, period desc, release
