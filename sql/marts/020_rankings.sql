-- one row per indicator, country and year: the world rank among economies (country groups left out),
-- and the move since the year before counted over the economies that have a value in both years
create or replace view marts.rankings as
with observations as (
    select * from staging.observations
    where source = 'imf_datamapper' and indicator in ('NGDPD', 'NGDPDPC')
),
economies as (
    -- the WEO's economies: ISO 3166 codes (territories it lists, such as Hong Kong SAR or Puerto Rico,
    -- count as in the IMF's own tables) plus Kosovo and West Bank and Gaza; its country groups do not
    select * from staging.countries where not is_aggregate
),
valued as (
    select
        observations.indicator,
        observations.ref_area as country_iso3,
        observations.year,
        observations.value,
        observations.is_forecast,
        observations.source_updated
    from observations
    join economies on economies.country_iso3 = observations.ref_area
),
ranked as (
    select
        *,
        cast(rank() over (partition by indicator, year order by value desc) as integer) as rank,
        cast(count(*) over (partition by indicator, year) as integer) as out_of
    from valued
),
both_years as (
    -- one universe for a change: the economies with a value this year and the year before
    select
        this_year.indicator,
        this_year.country_iso3,
        this_year.year,
        cast(rank() over (partition by this_year.indicator, this_year.year order by this_year.value desc) as integer)
            as rank_in_both,
        cast(rank() over (partition by this_year.indicator, this_year.year order by last_year.value desc) as integer)
            as previous_rank_in_both,
        cast(count(*) over (partition by this_year.indicator, this_year.year) as integer) as out_of_both
    from valued as this_year
    join valued as last_year
        on last_year.indicator = this_year.indicator
        and last_year.country_iso3 = this_year.country_iso3
        and last_year.year = this_year.year - 1
),
combined as (
    select
        ranked.indicator,
        ranked.country_iso3,
        ranked.year,
        ranked.value,
        ranked.rank,
        ranked.out_of,
        both_years.rank_in_both,
        both_years.previous_rank_in_both,
        both_years.out_of_both,
        ranked.is_forecast,
        ranked.source_updated
    from ranked
    left join both_years using (indicator, country_iso3, year)
)
select * from combined;
comment on view marts.rankings is 'one row per indicator (NGDPD, NGDPDPC), country and year: IMF WEO value, world rank (1 = largest) among the economies with a value that year, and ranks over the economies with a value in this year and the year before, for changes';
comment on column marts.rankings.indicator is 'NGDPD (GDP, billion USD) or NGDPDPC (GDP per capita, USD)';
comment on column marts.rankings.country_iso3 is 'ISO 3166 alpha-3 code (WEO economy)';
comment on column marts.rankings.year is 'year';
comment on column marts.rankings.value is 'the value ranked';
comment on column marts.rankings.rank is 'rank among economies with a value that year, 1 = largest (WEO country groups excluded; territories the WEO lists as economies included)';
comment on column marts.rankings.out_of is 'number of economies ranked that year';
comment on column marts.rankings.rank_in_both is 'rank this year among the economies with a value this year and the year before';
comment on column marts.rankings.previous_rank_in_both is 'rank the year before among the same economies: the change is previous_rank_in_both - rank_in_both places';
comment on column marts.rankings.out_of_both is 'number of economies with a value in both years';
comment on column marts.rankings.is_forecast is 'true when the year is an IMF projection';
comment on column marts.rankings.source_updated is 'WEO edition';
