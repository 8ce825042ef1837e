-- one row per source: its state on three clocks, for the cover and the sources appendix
select
    source,
    state,
    latest_period,
    publisher_updated,
    fetched_at,
    last_status,
    last_error,
    is_stale
from marts.source_status
order by source
