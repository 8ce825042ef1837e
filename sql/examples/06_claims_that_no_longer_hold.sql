-- The article's claims that the data contradict, or that held only for an earlier year.
with checked as (
    select * from marts.claims_check
),
failing as (
    select
        claim_id,
        claim_text,
        claimed,
        observed,
        observed_period,
        unit,
        difference,
        difference_unit,
        tolerance_text,
        verdict,
        held_for,
        vintage
    from checked
    where verdict in ('contradicted', 'outdated')
)
select * from failing
order by verdict, claim_id
