-- one row: Russia's exports to Mexico as a share of its exports to the world (IMF group G001), 2021, per cent,
-- as Russia reports them (IMF IMTS)
with partners as (
    select * from marts.partner_trade
    where reporter_iso3 = 'RUS' and year = 2021
),
share as (
    select
        100.0 * max(exports_fob_usd) filter (where partner_code = 'MEX')
            / nullif(max(exports_fob_usd) filter (where partner_code = 'G001'), 0) as observed,
        'IMF IMTS, as RUS reports' as source,
        max(source_updated) as vintage,
        'IMF IMTS holds no 2021 exports of RUS both to the world and to MEX' as reason
    from partners
)
select * from share
