-- one row per claim with its verdict, the curated texts in $language where they are translated, and the
-- document the claim comes from
select
    c.claim_id as id,
    c.* exclude (claim_id, claim_text, reason),
    coalesce(json_extract_string(k.translations, '$.' || $language || '.text'), c.claim_text) as claim_text,
    case when k.metric_kind = 'none'
        then coalesce(json_extract_string(k.translations, '$.' || $language || '.needs'), c.reason)
        else c.reason end as reason,
    k.document_title,
    k.document_author,
    k.document_publisher,
    k.document_published,
    k.document_url
from marts.claims_check as c
join core.claims as k using (claim_id)
order by
    case c.verdict when 'contradicted' then 1 when 'outdated' then 2 when 'supported' then 3 else 4 end,
    c.claim_id
