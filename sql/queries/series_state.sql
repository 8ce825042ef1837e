-- one row per series: the stamp of its last full fetch and when that was
select
    series,
    stamp,
    fetched_at
from meta.series
