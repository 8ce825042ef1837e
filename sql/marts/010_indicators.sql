-- one row per source, indicator, country and period: the current value
create or replace view marts.indicators as
with observations as (
    select * from staging.observations
    where counterpart_area = '' and source in ('worldbank', 'imf_datamapper')
),
countries as (
    select * from staging.countries
),
indicators as (
    select * from staging.indicators
),
named as (
    select
        observations.source,
        observations.dataset,
        observations.indicator,
        coalesce(indicators.indicator_name, observations.indicator) as indicator_name,
        observations.ref_area as country_iso3,
        coalesce(countries.country_name, observations.ref_area) as country_name,
        observations.period,
        observations.year,
        observations.value,
        observations.unit,
        observations.is_forecast,
        observations.source_updated,
        observations.vintage_at
    from observations
    left join countries on countries.country_iso3 = observations.ref_area
    left join indicators
        on indicators.source = observations.source and indicators.indicator = observations.indicator
)
select * from named;
comment on view marts.indicators is 'one row per source, indicator, country and period: the current value, with its unit, forecast flag and vintage';
comment on column marts.indicators.source is 'worldbank or imf_datamapper';
comment on column marts.indicators.dataset is 'WDI (World Bank) or WEO (IMF World Economic Outlook)';
comment on column marts.indicators.indicator is 'indicator code of the source';
comment on column marts.indicators.indicator_name is 'indicator name from the source''s metadata (the code when unknown)';
comment on column marts.indicators.country_iso3 is 'ISO 3166 alpha-3 code (or the source''s aggregate code)';
comment on column marts.indicators.country_name is 'economy name';
comment on column marts.indicators.period is 'period as the source states it (YYYY)';
comment on column marts.indicators.year is 'the period''s year as an integer';
comment on column marts.indicators.value is 'the value, in unit';
comment on column marts.indicators.unit is 'unit of value: USD, billion USD, persons, years, %, ...';
comment on column marts.indicators.is_forecast is 'true for IMF projections';
comment on column marts.indicators.source_updated is 'the source''s vintage: World Bank lastupdated or WEO edition';
comment on column marts.indicators.vintage_at is 'when this value version was loaded';
