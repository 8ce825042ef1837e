-- one row: when the warehouse last changed (the newest run's load), the default as-of of a briefing
select max(finished_at) as loaded_at from meta.runs
