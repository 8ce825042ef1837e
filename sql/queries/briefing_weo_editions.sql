-- one row per WEO vintage among the current IMF DataMapper values (null: the publisher named no edition)
select distinct
    source_updated
from marts.indicators
where source = 'imf_datamapper'
order by source_updated nulls first
