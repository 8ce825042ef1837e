-- one row per rendered briefing, newest first, for briefings/index.html
select
    period,
    as_of,
    rendered_at,
    path,
    sha256,
    pages
from meta.briefings
order by period desc, as_of desc
