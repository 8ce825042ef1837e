-- one row per revised value: the version it replaced, the new one, and when
create or replace view marts.revisions as
with versions as (
    select * from staging.observation_versions
),
sequenced as (
    select
        *,
        lag(value) over history as old_value,
        lag(source_updated) over history as old_source_updated
    from versions
    window history as (
        partition by source, indicator, ref_area, counterpart_area, period order by valid_from
    )
),
revised as (
    select
        source,
        indicator,
        ref_area as country_iso3,
        counterpart_area,
        period,
        old_value,
        value as new_value,
        unit,
        round(100 * (value - old_value) / nullif(abs(old_value), 0), 2) as change_pct,
        old_source_updated,
        source_updated as new_source_updated,
        valid_from as revised_at
    from sequenced
    where old_value is not null
)
select * from revised;
comment on view marts.revisions is 'one row per revised value: old and new value, the vintages and when the revision was loaded';
comment on column marts.revisions.source is 'source module';
comment on column marts.revisions.indicator is 'indicator code';
comment on column marts.revisions.country_iso3 is 'reporting economy';
comment on column marts.revisions.counterpart_area is 'partner economy for bilateral flows, else empty';
comment on column marts.revisions.period is 'period revised';
comment on column marts.revisions.old_value is 'value before the revision';
comment on column marts.revisions.new_value is 'value after the revision';
comment on column marts.revisions.unit is 'unit of both values';
comment on column marts.revisions.change_pct is 'change in % of the old value';
comment on column marts.revisions.old_source_updated is 'the source''s vintage of the old value';
comment on column marts.revisions.new_source_updated is 'the source''s vintage of the new value';
comment on column marts.revisions.revised_at is 'when the new value was loaded';
