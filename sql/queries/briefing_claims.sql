-- one row per claim with its verdict, the curated texts in $language where they are translated
select
    c.claim_id as id,
    c.* exclude (claim_id, claim_text, reason),
    coalesce(json_extract_string(k.translations, '$.' || $language || '.text'), c.claim_text) as claim_text,
    case when k.metric_kind = 'none'
        then coalesce(json_extract_string(k.translations, '$.' || $language || '.needs'), c.reason)
        else c.reason end as reason
from marts.claims_check as c
join core.claims as k using (claim_id)
order by
    case c.verdict when 'contradicted' then 1 when 'outdated' then 2 when 'supported' then 3 else 4 end,
    c.claim_id
