-- one row per URL: the sha256 of its last fetch whose values were loaded
select
    url,
    arg_max(sha256, fetched_at) as sha256
from raw.fetches
where error is null
group by url
