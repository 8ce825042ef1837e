-- one row per claim with its verdict: contradicted first, then outdated, supported, not checkable
select
    claim_id as id,
    * exclude (claim_id)
from marts.claims_check
order by
    case verdict when 'contradicted' then 1 when 'outdated' then 2 when 'supported' then 3 else 4 end,
    claim_id
