-- one row: the latest briefing rendered of the pair the session looks at
select
    period,
    as_of,
    rendered_at,
    path,
    pages
from meta.briefings
where pair = (select pair from marts.pair)
order by rendered_at desc
limit 1
