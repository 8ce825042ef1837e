-- one row per claim of the seed article: what it claimed, what the data say, the difference in the
-- claim's own unit, the tolerance in words, and the verdict that follows from them
create or replace view marts.claims_check as
with claims as (
    -- the claims curated for the pair the session looks at
    select * from core.claims where pair = (select pair from marts.pair)
),
indicators as (
    select * from marts.indicators
),
rankings as (
    select * from marts.rankings
),
partner_trade as (
    select * from marts.partner_trade
),
trade_products as (
    select * from marts.trade_products
),
claim_queries as (
    select * from staging.claim_sql_observations
),
events as (
    select * from core.events
),
versions as (
    select * from staging.observation_versions
),
claim_years as (
    select
        *,
        try_cast(right(period, 4) as integer) as claim_year,
        case
            when unit = 'rank' then 'places'
            when unit in ('years', 'weeks') then unit
            when unit = '%' then 'pt'
            when unit = 'ratio' then 'ratio'
            when unit = 'chapters' then 'chapters'
            else '%'
        end as difference_unit,
        case unit when 'rank' then 0 when 'chapters' then 0 when 'ratio' then 2 else 1 end as decimals
    from claims
),
-- every year of the claim's series, actual values only: where the claim may have held
series as (
    select claim_years.claim_id, indicators.year, indicators.value, cast(null as integer) as out_of,
           indicators.source_updated as vintage
    from claim_years
    join indicators
        on claim_years.metric_kind = 'indicator'
        and indicators.source = claim_years.metric_source
        and indicators.indicator = claim_years.metric_indicator
        and indicators.country_iso3 = claim_years.metric_country
        and indicators.is_forecast = false
    union all
    select claim_years.claim_id, rankings.year, rankings.rank, rankings.out_of, rankings.source_updated
    from claim_years
    join rankings
        on claim_years.metric_kind = 'rank'
        and rankings.indicator = claim_years.metric_indicator
        and rankings.country_iso3 = claim_years.metric_country
        and rankings.is_forecast = false
    union all
    -- a partner's rank counts only when the reporter's partners are all there (at least 50 economies)
    select claim_years.claim_id, partner_trade.year,
           case when claim_years.unit = 'rank' then partner_trade.trade_rank else partner_trade.trade_usd end,
           partner_trade.partners_ranked, partner_trade.source_updated
    from claim_years
    join partner_trade
        on claim_years.metric_kind = 'partner'
        and partner_trade.reporter_iso3 = claim_years.metric_country
        and partner_trade.partner_code = claim_years.metric_partner
    where claim_years.unit <> 'rank' or partner_trade.partners_ranked >= 50
    union all
    -- how many of the chapters the claim names are among the reporter's largest that year
    select claim_years.claim_id, trade_products.year,
           count(*) filter (where list_contains(claim_years.metric_chapters, trade_products.hs_chapter)
                            and trade_products.chapter_rank <= claim_years.metric_top),
           cast(count(*) as integer), cast(null as varchar)
    from claim_years
    join trade_products
        on claim_years.metric_kind = 'products'
        and trade_products.reporter_iso3 = claim_years.metric_country
        and trade_products.partner_iso3 = claim_years.metric_partner
        and trade_products.flow = claim_years.metric_flow
        and trade_products.hs_chapter <> 'TOTAL'
    group by claim_years.claim_id, trade_products.year
),
partners_known as (
    select
        claim_years.claim_id,
        max(partner_trade.partners_ranked) filter (where partner_trade.year = claim_years.claim_year) as partners_ranked
    from claim_years
    left join partner_trade
        on partner_trade.reporter_iso3 = claim_years.metric_country
    where claim_years.metric_kind = 'partner'
    group by claim_years.claim_id
),
durations as (
    select
        claim_years.claim_id,
        case
            when claim_years.metric_to_date similar to '[0-9]{4}'
                then cast(claim_years.metric_to_date as integer) - year(starts.event_date)
            when claim_years.unit = 'weeks'
                then date_diff('day', starts.event_date, coalesce(ends.event_date, try_cast(claim_years.metric_to_date as date))) / 7.0
            else date_diff('day', starts.event_date, coalesce(ends.event_date, try_cast(claim_years.metric_to_date as date))) / 365.25
        end as observed,
        starts.date_text || ' to ' || coalesce(ends.date_text, claim_years.metric_to_date) as observed_period
    from claim_years
    join events as starts on starts.event_id = claim_years.metric_from_event
    left join events as ends on ends.event_id = claim_years.metric_to_event
    where claim_years.metric_kind = 'duration'
      and (claim_years.metric_to_event is null or ends.event_id is not null)
),
observed as (
    select
        claim_years.*,
        case claim_years.metric_kind
            when 'sql' then claim_queries.observed
            when 'duration' then durations.observed
            else at_period.value
        end as observed,
        at_period.out_of,
        case claim_years.metric_kind
            when 'duration' then durations.observed_period
            when 'none' then null
            else claim_years.period
        end as observed_period,
        -- in words, as a reader reads it: the indicator by its name, never its code
        case claim_years.metric_kind
            when 'indicator' then case claim_years.metric_source when 'worldbank' then 'World Bank WDI' else 'IMF WEO' end
                || ', ' || coalesce(names.indicator_name, claim_years.metric_indicator)
            when 'rank' then 'IMF WEO, world rank by ' || coalesce(names.indicator_name, claim_years.metric_indicator)
            when 'partner' then 'IMF IMTS, as ' || claim_years.metric_country || ' reports'
            when 'products' then 'UN Comtrade HS chapters, as ' || claim_years.metric_country || ' reports'
            when 'sql' then claim_queries.source
            when 'duration' then 'the dated events of the timeline'
        end as source,
        case claim_years.metric_kind
            when 'sql' then claim_queries.vintage
            else at_period.vintage
        end as vintage,
        claim_queries.reading as sql_reading,
        coalesce(claim_queries.position, 1) as position,
        claim_queries.reason as sql_reason,
        partners_known.partners_ranked
    from claim_years
    left join series as at_period
        on at_period.claim_id = claim_years.claim_id and at_period.year = claim_years.claim_year
    left join claim_queries on claim_queries.claim_id = claim_years.claim_id
    left join durations on durations.claim_id = claim_years.claim_id
    left join partners_known on partners_known.claim_id = claim_years.claim_id
    left join staging.indicators as names
        on names.source = coalesce(claim_years.metric_source, 'imf_datamapper')
        and names.indicator = claim_years.metric_indicator
),
measured as (
    -- the difference as printed: places, years, weeks or percentage points, else per cent of the claim
    select
        *,
        round(case difference_unit
            when '%' then 100 * (observed - claimed) / nullif(abs(claimed), 0)
            else observed - claimed
        end, decimals) as difference,
        case when tolerance_kind = 'relative' then 100 * tolerance else tolerance end as tolerance_value
    from observed
),
earlier as (
    -- where the claim may have held before: earlier years of the series, and earlier vintages of its own year
    select claim_id, year, value from series
    union all
    select claim_years.claim_id, claim_years.claim_year, versions.value
    from claim_years
    join versions
        on claim_years.metric_kind = 'indicator'
        and versions.source = claim_years.metric_source
        and versions.indicator = claim_years.metric_indicator
        and versions.ref_area = claim_years.metric_country
        and versions.counterpart_area = ''
        and versions.period = claim_years.period
        and versions.valid_to is not null
),
held as (
    -- the latest of those in which the claim held (within tolerance, or past its bound)
    select
        measured.claim_id,
        max(series.year) as held_for
    from measured
    join earlier as series
        on series.claim_id = measured.claim_id
        and (series.year < measured.claim_year or (series.year = measured.claim_year and measured.metric_kind = 'indicator'))
    where case
        when measured.bound = 'lower' then series.value > measured.claimed
        when measured.bound = 'upper' then series.value < measured.claimed
        when measured.difference_unit = '%'
            then abs(round(100 * (series.value - measured.claimed) / nullif(abs(measured.claimed), 0), 1)) <= measured.tolerance_value
        else abs(round(series.value - measured.claimed, measured.decimals)) <= measured.tolerance_value
    end
    group by measured.claim_id
),
judged as (
    select
        measured.*,
        held.held_for,
        case
            when measured.bound = 'lower' then measured.observed > measured.claimed
            when measured.bound = 'upper' then measured.observed < measured.claimed
            else abs(measured.difference) <= measured.tolerance_value
        end as is_within
    from measured
    left join held using (claim_id)
),
chosen as (
    -- of several readings, the one under which the claim holds, else the first
    select * from judged
    qualify row_number() over (partition by claim_id order by coalesce(is_within, false) desc, position) = 1
),
worded as (
    select
        claim_id,
        claim_text,
        period,
        claimed,
        unit,
        observed,
        observed_period,
        out_of,
        source,
        vintage,
        difference,
        difference_unit,
        case
            when bound = 'lower' then 'more than the claimed value'
            when bound = 'upper' then 'less than the claimed value'
            when difference_unit = 'places' and tolerance_value = 0 then 'exact rank'
            when difference_unit = 'places' and tolerance_value = 1 then 'within ±1 place'
            when difference_unit = 'places' then 'within ±' || cast(tolerance_value as integer) || ' places'
            when difference_unit = '%' then 'within ±' || round(tolerance_value, 1) || ' %'
            when difference_unit = 'pt' then 'within ±' || round(tolerance_value, 1) || ' pt'
            when difference_unit = 'ratio' then 'within ±' || round(tolerance_value, 2)
            when difference_unit = 'chapters' then 'each named chapter among the ' || metric_top || ' largest'
            when tolerance_value = 0 then 'exact'
            when tolerance_value = 1 then '±1 ' || rtrim(difference_unit, 's')
            else '±' || round(tolerance_value, 1) || ' ' || difference_unit
        end as tolerance_text,
        tolerance_value,
        bound,
        case
            when bound = 'lower' then 'a lower bound ("more than")'
            when bound = 'upper' then 'an upper bound ("less than")'
            else coalesce(sql_reading, 'as stated')
        end as reading,
        case
            when observed is null then 'not checkable'
            when is_within then 'supported'
            when held_for is not null then 'outdated'
            else 'contradicted'
        end as verdict,
        case when observed is not null and not is_within then held_for end as held_for,
        case
            when metric_kind = 'none' then needs
            when observed is null and metric_kind in ('indicator', 'rank')
                then 'no actual ' || source || ' value for ' || metric_country || ' in ' || period || ' in the warehouse'
            when observed is null and metric_kind = 'duration' then 'the curated timeline lacks one of the events the span needs'
            when observed is null and metric_kind = 'partner' and unit = 'rank' and coalesce(partners_ranked, 0) = 0
                then 'IMF IMTS holds no ' || period || ' trade of ' || metric_country
                    || ' with any partner; a rank needs its trade with all of them (at least 50)'
            when observed is null and metric_kind = 'partner' and unit = 'rank'
                then 'IMF IMTS holds the trade of ' || metric_country || ' with ' || partners_ranked
                    || ' partner economies in ' || period || '; a rank needs all of them (at least 50)'
            when observed is null and metric_kind = 'partner'
                then 'IMF IMTS holds no ' || period || ' trade of ' || metric_country || ' with ' || metric_partner
            when observed is null and metric_kind = 'products'
                then 'UN Comtrade holds no HS chapters of ' || metric_country
                    || case metric_flow when 'X' then ' exports to ' else ' imports from ' end
                    || metric_partner || ' for ' || period
            when observed is null then coalesce(sql_reason, coalesce(source, 'the data') || ': no value for ' || period || ' in the warehouse')
            when not is_within and held_for = claim_year then 'held in an earlier vintage of ' || period || ', not in the current one'
            when not is_within and held_for is not null then 'held for ' || held_for || ', no longer for ' || period
            when not is_within and metric_kind in ('indicator', 'rank')
                then 'not within tolerance in ' || period || ' nor in any earlier year loaded'
            when not is_within then 'outside the tolerance under every reading'
        end as reason,
        metric_kind,
        named_source
    from chosen
)
select * from worded;
comment on view marts.claims_check is 'one row per claim of the seed article: claimed and observed value (with period, source and vintage), the difference in the claim''s unit, the tolerance in words and the verdict that follows: supported, outdated (held for an earlier year), contradicted or not checkable';
comment on column marts.claims_check.claim_id is 'claim identifier (data/claims.yaml)';
comment on column marts.claims_check.claim_text is 'the claim, paraphrased';
comment on column marts.claims_check.period is 'year or years the claim is about';
comment on column marts.claims_check.claimed is 'value claimed, in unit';
comment on column marts.claims_check.unit is 'unit of claimed and observed';
comment on column marts.claims_check.observed is 'value in the warehouse now (or as of the as_of variable); for durations, computed from the curated events';
comment on column marts.claims_check.observed_period is 'the year observed, or for a duration the dates used (from to)';
comment on column marts.claims_check.out_of is 'for ranks: how many economies were ranked that year';
comment on column marts.claims_check.source is 'where the observed value comes from, in words';
comment on column marts.claims_check.vintage is 'vintage of the observed value (World Bank lastupdated, WEO edition)';
comment on column marts.claims_check.difference is 'observed minus claimed in difference_unit, rounded as printed';
comment on column marts.claims_check.difference_unit is 'places (ranks), years or weeks (durations), pt (percentage points, for rates and shares), % (per cent of the claimed amount)';
comment on column marts.claims_check.tolerance_text is 'how far the data may be from the claim and still support it, in words';
comment on column marts.claims_check.tolerance_value is 'the tolerance in difference_unit';
comment on column marts.claims_check.bound is 'lower or upper when the claim states a bound; null for a point value';
comment on column marts.claims_check.reading is 'how the claim was read: as stated, a lower or upper bound, or the named reading (e.g. cumulative or average annual change) under which it holds, else the first';
comment on column marts.claims_check.verdict is 'supported (within tolerance or past the bound), outdated (held for an earlier year only), contradicted, not checkable';
comment on column marts.claims_check.held_for is 'for outdated: the latest earlier year in which the claim held';
comment on column marts.claims_check.reason is 'why: what would be needed (not checkable), where it held (outdated), or that it never held';
comment on column marts.claims_check.metric_kind is 'how it is observed: indicator, rank, sql, duration or none';
comment on column marts.claims_check.named_source is 'the source the article names';
