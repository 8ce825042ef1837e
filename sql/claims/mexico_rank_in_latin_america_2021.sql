-- one row: Mexico's rank among Russia's partners in Latin America and the Caribbean by exports plus imports, 2021,
-- as Russia reports them (IMF IMTS); the 33 states of the region (UN M49 region 419, the members of CELAC)
with partners as (
    select * from marts.partner_trade
    where reporter_iso3 = 'RUS' and year = 2021
),
region as (
    select * from (
        values ('ATG'), ('ARG'), ('BHS'), ('BRB'), ('BLZ'), ('BOL'), ('BRA'), ('CHL'), ('COL'), ('CRI'), ('CUB'),
               ('DMA'), ('DOM'), ('ECU'), ('SLV'), ('GRD'), ('GTM'), ('GUY'), ('HTI'), ('HND'), ('JAM'), ('MEX'),
               ('NIC'), ('PAN'), ('PRY'), ('PER'), ('KNA'), ('LCA'), ('VCT'), ('SUR'), ('TTO'), ('URY'), ('VEN')
    ) as region (partner_code)
),
in_region as (
    select
        partners.partner_code,
        rank() over (order by partners.trade_usd desc) as region_rank
    from partners
    join region using (partner_code)
    where partners.trade_usd is not null
),
checked as (
    select
        -- a rank needs Russia's whole partner list, not only the pair's flows
        case when (select max(partners_ranked) from partners) >= 50
            then (select region_rank from in_region where partner_code = 'MEX') end as observed,
        'IMF IMTS, as RUS reports' as source,
        (select max(source_updated) from partners) as vintage,
        case when coalesce((select max(partners_ranked) from partners), 0) = 0
            then 'IMF IMTS holds no 2021 trade of RUS with any partner; a rank needs its trade with all of them (at least 50)'
            else 'IMF IMTS holds the trade of RUS with ' || (select max(partners_ranked) from partners)
                || ' partner economies in 2021; a rank needs all of them (at least 50)'
        end as reason
)
select * from checked
