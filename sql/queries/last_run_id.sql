-- one row: the id of the latest refresh run (null before the first)
select max(run_id) as run_id from meta.runs
