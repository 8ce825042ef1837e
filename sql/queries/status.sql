-- one row per source: its state on three clocks, the last failure and its reason
-- (`bilateral status`, the briefing's page 1 and its sources appendix)
select * exclude (stale_after_years)
from marts.source_status
order by source
