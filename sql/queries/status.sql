-- one row per source: freshness, last failure and its reason
select
    source,
    last_status,
    last_success_at,
    source_updated,
    last_failure_at,
    last_error
from marts.source_status
order by source
