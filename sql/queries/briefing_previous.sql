-- the most recent briefing rendered before this one ($period), for "since the last briefing"
select
    period,
    as_of,
    figures
from meta.briefings
where period <> $period
order by as_of desc, rendered_at desc
limit 1
