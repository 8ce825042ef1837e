-- one row per source: its state on three clocks, the last failure and its reason
-- (`bilateral status`, the briefing's page 1 and its sources appendix)
select
    source,
    state,
    latest_period,
    publisher_updated,
    fetched_at,
    last_status,
    last_success_at,
    last_failure_at,
    last_error,
    is_stale
from marts.source_status
order by source
