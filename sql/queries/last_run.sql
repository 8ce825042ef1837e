-- one row: the latest refresh run
select
    run_id,
    status,
    finished_at,
    new_values,
    revised_values,
    unchanged_values
from meta.runs
order by started_at desc
limit 1
