-- one row: whether any refresh has ever loaded a source (a failed run still serves what an earlier one loaded)
select count(*) > 0 as ever_loaded from meta.runs where status <> 'failed'
