-- one row per claim of the seed article: what it claimed, what the data say, and a verdict
create or replace view marts.claims_check as
with claims as (
    select * from core.claims
),
indicators as (
    select * from marts.indicators
),
rankings as (
    select * from marts.rankings
),
claim_queries as (
    select * from staging.claim_sql_observations
),
versions as (
    select * from staging.observation_versions
),
observed as (
    select
        claims.*,
        case claims.metric_kind
            when 'indicator' then indicators.value
            when 'rank' then rankings.rank
            when 'sql' then claim_queries.observed
        end as observed,
        case claims.metric_kind
            when 'indicator' then indicators.source || ' ' || indicators.indicator
            when 'rank' then 'imf_datamapper ' || claims.metric_indicator || ' world rank'
            when 'sql' then claim_queries.source
        end as observed_source,
        case claims.metric_kind
            when 'indicator' then indicators.source_updated
            when 'rank' then rankings.source_updated
            when 'sql' then claim_queries.vintage
        end as observed_vintage,
        case when claims.tolerance_kind = 'relative' then claims.tolerance * abs(claims.claimed) else claims.tolerance end
            as allowed_difference
    from claims
    left join indicators
        on claims.metric_kind = 'indicator'
        and indicators.source = claims.metric_source
        and indicators.indicator = claims.metric_indicator
        and indicators.country_iso3 = claims.metric_country
        and indicators.period = claims.period
    left join rankings
        on claims.metric_kind = 'rank'
        and rankings.indicator = claims.metric_indicator
        and rankings.country_iso3 = claims.metric_country
        and cast(rankings.year as varchar) = claims.period
    left join claim_queries on claim_queries.claim_id = claims.claim_id
),
held_before as (
    -- an earlier version of the same value that was within tolerance: the claim is outdated, not wrong
    select distinct observed.claim_id
    from observed
    join versions
        on observed.metric_kind = 'indicator'
        and versions.source = observed.metric_source
        and versions.indicator = observed.metric_indicator
        and versions.ref_area = observed.metric_country
        and versions.period = observed.period
        and versions.valid_to is not null
    where abs(versions.value - observed.claimed) <= observed.allowed_difference
),
judged as (
    select
        observed.claim_id,
        observed.claim_text,
        observed.period,
        observed.claimed,
        observed.unit,
        observed.tolerance_kind,
        observed.tolerance,
        observed.named_source,
        observed.metric_kind,
        observed.observed,
        observed.observed_source,
        observed.observed_vintage,
        observed.observed - observed.claimed as difference,
        round(100 * (observed.observed - observed.claimed) / nullif(abs(observed.claimed), 0), 1) as difference_pct,
        case
            when observed.observed is null then 'unverifiable'
            when abs(observed.observed - observed.claimed) <= observed.allowed_difference then 'supported'
            when held_before.claim_id is not null then 'outdated'
            else 'contradicted'
        end as verdict,
        case
            when observed.metric_kind = 'none' then observed.needs
            when observed.observed is null and observed.metric_kind = 'indicator'
                then 'no ' || observed.metric_source || ' ' || observed.metric_indicator || ' value for '
                    || observed.metric_country || ' ' || observed.period || ' in the warehouse'
            when observed.observed is null and observed.metric_kind = 'rank'
                then 'no imf_datamapper ' || observed.metric_indicator || ' values for all economies in ' || observed.period
            when observed.observed is null then 'the data ' || observed.metric_file || ' needs are not in the warehouse'
        end as needs
    from observed
    left join held_before using (claim_id)
)
select * from judged;
comment on view marts.claims_check is 'one row per claim of the seed article: claimed and observed value (with source and vintage), difference and verdict: supported, outdated, contradicted or unverifiable';
comment on column marts.claims_check.claim_id is 'claim identifier (data/claims.yaml)';
comment on column marts.claims_check.claim_text is 'the claim, paraphrased';
comment on column marts.claims_check.period is 'year or years the claim is about';
comment on column marts.claims_check.claimed is 'value claimed, in unit';
comment on column marts.claims_check.unit is 'unit of claimed and observed';
comment on column marts.claims_check.tolerance_kind is 'relative or absolute';
comment on column marts.claims_check.tolerance is 'allowed distance, as a share of the claim (relative) or in unit (absolute)';
comment on column marts.claims_check.named_source is 'the source the article names';
comment on column marts.claims_check.metric_kind is 'how it is observed: indicator, rank, sql or none';
comment on column marts.claims_check.observed is 'value in the warehouse now (or as of the as_of variable)';
comment on column marts.claims_check.observed_source is 'source and indicator of the observed value';
comment on column marts.claims_check.observed_vintage is 'vintage of the observed value (lastupdated, WEO edition)';
comment on column marts.claims_check.difference is 'observed minus claimed, in unit';
comment on column marts.claims_check.difference_pct is 'difference as % of the claimed value';
comment on column marts.claims_check.verdict is 'supported (within tolerance), outdated (held for an earlier vintage only), contradicted, unverifiable (no data)';
comment on column marts.claims_check.needs is 'for unverifiable claims: the data that would be needed';
