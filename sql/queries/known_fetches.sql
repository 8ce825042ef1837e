-- one row per URL: the sha256 of its last fetch whose values were loaded whole
-- (a body from a partial run, say without the publisher's edition, is read again next time)
select
    fetches.url,
    arg_max(fetches.sha256, fetches.fetched_at) as sha256
from raw.fetches as fetches
join meta.run_sources as outcomes
    on outcomes.run_id = fetches.run_id and outcomes.source = fetches.source
where fetches.error is null
  and outcomes.status = 'ok'
group by fetches.url
