-- one row per source: freshness for the cover and the sources appendix
select
    source,
    last_success_at,
    last_failure_at,
    last_error,
    source_updated,
    last_good_fetch_at,
    is_stale
from marts.source_status
order by source
