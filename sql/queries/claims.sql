-- one row per claim with its verdict: contradicted first, then outdated, supported, not checkable
select
    claim_id as id,
    claim_text,
    period,
    claimed,
    unit,
    observed,
    observed_period,
    out_of,
    source,
    vintage,
    difference,
    difference_unit,
    tolerance_text,
    tolerance_value,
    bound,
    reading,
    verdict,
    held_for,
    reason,
    metric_kind,
    named_source
from marts.claims_check
order by
    case verdict when 'contradicted' then 1 when 'outdated' then 2 when 'supported' then 3 else 4 end,
    claim_id
