-- one row per recorded briefing render, for briefings/index.html (which keeps each file's latest render)
select
    pair,
    period,
    as_of,
    rendered_at,
    path,
    sha256,
    pages,
    vintage
from meta.briefings
