-- one row per warehouse invariant: what it says and how many rows break it (0 when it holds)
select 'one open version per observation key' as invariant, count(*) as broken
from (
    select source, dataset, indicator, ref_area, counterpart_area, period
    from core.observations
    where valid_to is null
    group by all
    having count(*) > 1
)
union all
select 'every value version belongs to a recorded run', count(*)
from core.observations
where run_id not in (select run_id from meta.runs)
union all
select 'no version closes before it opens', count(*)
from core.observations
where valid_to is not null and valid_to < valid_from
union all
select 'every fetch belongs to a recorded run', count(*)
from raw.fetches
where run_id not in (select run_id from meta.runs)
