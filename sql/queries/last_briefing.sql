-- one row: the latest briefing rendered
select
    period,
    as_of,
    rendered_at,
    path,
    pages
from meta.briefings
order by rendered_at desc
limit 1
