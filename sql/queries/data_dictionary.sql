-- one row per column of every table and view an analyst may read, with the comments that document them
with objects as (
    select schema_name, table_name as object_name, 'table' as object_kind, comment as object_comment
    from duckdb_tables()
    where not temporary
    union all
    select schema_name, view_name, 'view', comment
    from duckdb_views()
    where not internal and not temporary
),
columns as (
    select schema_name, table_name as object_name, column_name, data_type, comment as column_comment, column_index
    from duckdb_columns()
    where not internal
)
select
    objects.schema_name,
    objects.object_name,
    objects.object_kind,
    objects.object_comment,
    columns.column_name,
    columns.data_type,
    columns.column_comment
from objects
join columns using (schema_name, object_name)
where objects.schema_name in ('raw', 'core', 'meta', 'staging', 'marts')
order by
    case objects.schema_name when 'marts' then 1 when 'core' then 2 when 'meta' then 3 when 'raw' then 4 else 5 end,
    objects.object_name,
    columns.column_index
