-- the briefing of the same pair ($pair) to compare with ($period): the latest render of the period named by $since, else of the
-- latest earlier period of the same kind (monthly or quarterly), whatever was rendered in between
select
    period,
    as_of,
    figures
from meta.briefings
where pair = $pair and case
    when $since is not null then period = $since
    else period < $period and (period like '%-Q%') = ($period like '%-Q%')
end
order by period desc, rendered_at desc
limit 1
