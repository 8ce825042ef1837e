-- one row per briefing file, its latest render, newest period first, for briefings/index.html
select
    period,
    as_of,
    rendered_at,
    path,
    sha256,
    pages,
    vintage
from meta.briefings
qualify row_number() over (partition by path order by rendered_at desc) = 1
order by period desc, as_of desc
