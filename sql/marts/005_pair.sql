-- the pair a session looks at: the one named by the variable pair (set variable pair = 'RUS-CHN'),
-- else the first configured; every pair-specific mart reads it from here
create or replace view marts.pair as
with chosen as (
    select coalesce(getvariable('pair'), (select pair from meta.pair order by position limit 1)) as pair
)
select pair.pair, pair.country_a, pair.country_b, pair.peers
from meta.pair as pair
join chosen using (pair);
comment on view marts.pair is 'one row: the pair this session looks at (set variable pair = ''RUS-CHN'' to choose another; default: the first in the configuration); marts.bilateral_trade, trade_totals, source_status, claims_check and timeline are about it';
comment on column marts.pair.pair is 'its code, e.g. RUS-MEX';
comment on column marts.pair.country_a is 'first country (ISO alpha-3)';
comment on column marts.pair.country_b is 'second country';
comment on column marts.pair.peers is 'context economies shown beside it';
