-- one row per claim with its verdict: contradicted first, then outdated, supported, unverifiable
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
    needs,
    metric_kind,
    named_source
from marts.claims_check
order by
    case verdict when 'contradicted' then 1 when 'outdated' then 2 when 'supported' then 3 else 4 end,
    claim_id
