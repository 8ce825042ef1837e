-- The rows of landed World Bank data pages ($files, each [envelope, rows]), read by DuckDB in one pass.
-- One row out per value (a null value is missing, never zero) and per row of another shape than the plain
-- one (`is_plain` false: its page is read row by row instead), in file and array order, each field
-- extracted once and typed as sent.
with pages as (
    select
        list_position($files, filename) as file,
        case when json_type(json -> '$[1]') = 'ARRAY' then from_json(json -> '$[1]', '["JSON"]') end as rows
    from read_json_objects($files, format = 'unstructured', filename = true)
),
flat as (
    select file, unnest(rows) as row, unnest(range(len(rows))) as position
    from pages
),
fields as (
    select
        file,
        position,
        json_type(row) = 'OBJECT' as is_object,
        json_extract(row, ['$.indicator.id', '$.countryiso3code', '$.country.id', '$.date', '$.value', '$.unit',
                           '$.obs_status', '$.indicator.value', '$.country']) as f
    from flat
),
read as (
    select
        file,
        position,
        f[1] ->> '$' as indicator,
        coalesce(nullif(f[2] ->> '$', ''), f[3] ->> '$') as ref_area,
        f[4] ->> '$' as period,
        try_cast(f[5] as double) as value,
        coalesce(f[6] ->> '$', '') as unit,
        nullif(f[7] ->> '$', '') as obs_status,
        coalesce(f[8] ->> '$', '') as indicator_name,
        coalesce(json_type(f[5]) = 'NULL', false) as is_null,
        coalesce(
            is_object
            and json_type(f[1]) = 'VARCHAR'
            and json_type(f[2]) = 'VARCHAR'
            and (f[2] ->> '$' <> '' or json_type(f[3]) = 'VARCHAR')
            and json_type(f[9]) = 'OBJECT'
            and json_type(f[4]) = 'VARCHAR'
            and (json_type(f[5]) = 'NULL' or (json_type(f[5]) in ('UBIGINT', 'BIGINT', 'DOUBLE') and isfinite(try_cast(f[5] as double))))
            and coalesce(json_type(f[6]) in ('VARCHAR', 'NULL'), true)
            and coalesce(json_type(f[7]) in ('VARCHAR', 'NULL'), true)
            and coalesce(json_type(f[8]) in ('VARCHAR', 'NULL'), true),
            false
        ) as is_plain
    from fields
)
select * exclude (position, is_null)
from read
where not is_null or not is_plain
order by file, position
