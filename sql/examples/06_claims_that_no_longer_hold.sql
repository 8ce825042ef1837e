-- The article's claims that the data contradict or that revisions have outdated.
with checked as (
    select * from marts.claims_check
),
failing as (
    select
        claim_id,
        claim_text,
        claimed,
        observed,
        unit,
        difference_pct,
        verdict,
        observed_vintage
    from checked
    where verdict in ('contradicted', 'outdated')
)
select * from failing
order by abs(difference_pct) desc nulls last
