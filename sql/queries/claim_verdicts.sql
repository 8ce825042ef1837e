-- each claim's verdict, for alerts on a verdict that changed
select claim_id, verdict
from marts.claims_check
order by claim_id
