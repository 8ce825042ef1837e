-- one row per current value that looks wrong (negative where it cannot be, or fifty times off the year before),
-- and per latest answer whose publisher stamp was not a date.
-- The values are loaded as the source sent them; this view is where an operator finds the ones to query upstream.
create or replace view marts.data_quality as
with observations as (
    select * from staging.observations
),
as_of as (
    select coalesce(getvariable('as_of'), now()) as moment
),
latest_answers as (
    select * from raw.fetches
    where fetched_at <= (select moment from as_of)
    qualify row_number() over (partition by url order by fetched_at desc) = 1
),
quantities as (
    -- indicators that count or price something: never negative, and never fifty times the year before;
    -- growth rates, inflation and net flows (FDI) may be negative or jump, so they are left out
    select * from (
        values
            ('worldbank', 'NY.GDP.MKTP.CD'),
            ('worldbank', 'NY.GDP.PCAP.CD'),
            ('worldbank', 'SP.POP.TOTL'),
            ('worldbank', 'SP.DYN.LE00.IN'),
            ('worldbank', 'NE.TRD.GNFS.ZS'),
            ('worldbank', 'NE.EXP.GNFS.CD'),
            ('worldbank', 'NE.IMP.GNFS.CD'),
            ('worldbank', 'ST.INT.ARVL'),
            ('imf_datamapper', 'NGDPD'),
            ('imf_datamapper', 'NGDPDPC'),
            ('imf_datamapper', 'PPPGDP'),
            ('imf_datamapper', 'LP'),
            ('imf_trade', 'XG_FOB_USD'),
            ('imf_trade', 'MG_CIF_USD')
    ) as quantities (source, indicator)
),
levels as (
    select observations.*
    from observations
    left join quantities
        on quantities.source = observations.source and quantities.indicator = observations.indicator
    -- every Comtrade value is a trade flow in USD
    where quantities.indicator is not null or observations.source = 'comtrade'
),
sequenced as (
    select
        source,
        indicator,
        ref_area,
        counterpart_area,
        period,
        year,
        value,
        lag(value) over history as lagged_value,
        lag(year) over history as lagged_year
    from levels
    window history as (partition by source, indicator, ref_area, counterpart_area order by year)
),
compared as (
    select
        *,
        case when lagged_year = year - 1 then lagged_value end as previous_value
    from sequenced
),
suspicious as (
    select *, 'negative' as check_name from compared where value < 0
    union all
    select *, 'jump' as check_name from compared
    where previous_value <> 0 and (abs(value / previous_value) > 50 or abs(value / previous_value) < 1.0 / 50)
),
named as (
    select
        source,
        indicator,
        ref_area as country_iso3,
        counterpart_area,
        period,
        value,
        previous_value,
        check_name as "check",
        cast(null as varchar) as detail
    from suspicious
),
stamps as (
    select
        source,
        cast(null as varchar) as indicator,
        cast(null as varchar) as country_iso3,
        cast(null as varchar) as counterpart_area,
        cast(null as varchar) as period,
        cast(null as double) as value,
        cast(null as double) as previous_value,
        'publisher stamp' as "check",
        problem as detail
    from latest_answers
    where problem is not null
)
select * from named
union all
select * from stamps;
comment on view marts.data_quality is 'one row per current value that looks wrong (a negative count or price, or a value more than 50 times or less than 1/50 of the year before) and per latest answer whose publisher stamp was not a date; loaded as sent, to be checked with the source';
comment on column marts.data_quality.source is 'source module that delivered the value';
comment on column marts.data_quality.indicator is 'indicator code of the source';
comment on column marts.data_quality.country_iso3 is 'reporting economy, ISO 3166 alpha-3 (or the source''s aggregate code)';
comment on column marts.data_quality.counterpart_area is 'partner economy for bilateral flows, else empty';
comment on column marts.data_quality.period is 'period of the suspicious value (YYYY)';
comment on column marts.data_quality.value is 'the current value, as the source sent it';
comment on column marts.data_quality.previous_value is 'the current value of the year before, null when there is none';
comment on column marts.data_quality."check" is 'negative (below zero where it cannot be), jump (value / previous_value above 50 or below 1/50), or publisher stamp (an update stamp that is not a date, lies in the future or is too long)';
comment on column marts.data_quality.detail is 'for publisher stamp: source, URL and at most 40 characters of what was sent; null otherwise';
