-- one row per mart (a view in schema marts)
select view_name
from duckdb_views()
where schema_name = 'marts' and not internal
order by view_name
