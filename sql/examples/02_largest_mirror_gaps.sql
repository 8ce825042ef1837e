-- Years where the two sides' reports of the same flow differ most.
with trade as (
    select * from marts.bilateral_trade
    where missing_side is null
),
ranked as (
    select
        year,
        direction,
        exports_fob_usd,
        imports_cif_usd,
        gap_usd,
        gap_pct
    from trade
    order by abs(gap_pct) desc
    limit 10
)
select * from ranked
