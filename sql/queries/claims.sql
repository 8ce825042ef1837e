-- one row per claim with its verdict
select
    claim_id,
    claim_text,
    period,
    claimed,
    unit,
    observed,
    observed_source,
    observed_vintage,
    difference_pct,
    verdict,
    needs
from marts.claims_check
order by claim_id
