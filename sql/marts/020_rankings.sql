-- one row per indicator, country and year: the world rank among economies (aggregates left out)
create or replace view marts.rankings as
with observations as (
    select * from staging.observations
    where source = 'imf_datamapper' and indicator in ('NGDPD', 'NGDPDPC')
),
economies as (
    select * from staging.countries where not is_aggregate
),
ranked as (
    select
        observations.indicator,
        observations.ref_area as country_iso3,
        observations.year,
        observations.value,
        cast(rank() over (partition by observations.indicator, observations.year order by observations.value desc) as integer) as rank,
        cast(count(*) over (partition by observations.indicator, observations.year) as integer) as out_of,
        observations.is_forecast,
        observations.source_updated
    from observations
    join economies on economies.country_iso3 = observations.ref_area
)
select * from ranked;
comment on view marts.rankings is 'one row per indicator (NGDPD, NGDPDPC), country and year: IMF WEO value, world rank (1 = largest) and how many economies were ranked';
comment on column marts.rankings.indicator is 'NGDPD (GDP, billion USD) or NGDPDPC (GDP per capita, USD)';
comment on column marts.rankings.country_iso3 is 'ISO 3166 alpha-3 code (WEO economy)';
comment on column marts.rankings.year is 'year';
comment on column marts.rankings.value is 'the value ranked';
comment on column marts.rankings.rank is 'rank among economies with a value that year, 1 = largest';
comment on column marts.rankings.out_of is 'number of economies ranked that year';
comment on column marts.rankings.is_forecast is 'true when the year is an IMF projection';
comment on column marts.rankings.source_updated is 'WEO edition';
