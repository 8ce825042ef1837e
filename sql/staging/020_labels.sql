-- one row per economy code: the best name any source gives it
create or replace view staging.countries as
with labels as (
    select * from core.labels where kind in ('country', 'aggregate')
),
ranked as (
    select
        code as country_iso3,
        name as country_name,
        kind = 'aggregate' as is_aggregate,
        -- the World Bank's names are the ones its metadata states; IMF names come from ISO 3166
        row_number() over (partition by code order by source = 'worldbank' desc, source) as preference
    from labels
)
select
    country_iso3,
    country_name,
    is_aggregate
from ranked
where preference = 1;
comment on view staging.countries is 'one row per economy code: name and whether it is an aggregate (region or group)';

-- one row per source and indicator code: name and unit
create or replace view staging.indicators as
select
    source,
    code as indicator,
    name as indicator_name,
    unit
from core.labels
where kind = 'indicator';
comment on view staging.indicators is 'one row per source and indicator: the name and unit its metadata gives';
